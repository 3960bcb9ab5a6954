"""Move edits across each other when the editor dropped one of ours.

``owed`` is the list of disjoint, ascending changes that turn the editor's
text into the Y.Text. A user's step on the editor text is mapped ``through``
it into Y coordinates, and ``owed`` is ``rebase``d over the step. At equal
positions the user's text goes first, the same on both sides; overlapping
edits are resolved by the caller's exact check.
"""

from __future__ import annotations

from lsp.collab.positions import Change


def _delta(change: Change) -> int:
    return len(change.text) - (change.end - change.start)


def _map(pos: int, owed: list[Change]) -> int:
    """Where editor offset ``pos`` lands in the text ``owed`` produces."""
    shift = 0
    for change in owed:
        if change.end < pos or (change.end == pos and change.start < pos):
            shift += _delta(change)
        elif change.start < pos:  # inside a replaced range: after its new text
            return change.start + shift + len(change.text)
        else:
            break
    return pos + shift


def through(step: Change, owed: list[Change]) -> Change:
    """``step`` on the editor's text, as a change on the Y.Text."""
    start = _map(step.start, owed)
    return Change(start, max(start, _map(step.end, owed)), step.text)


def _after(pos: int, step: Change, tie_after: bool) -> int:
    if pos < step.start or (pos == step.start and not tie_after):
        return pos
    if pos >= step.end:
        return pos + _delta(step)
    return step.start + len(step.text)


def rebase(owed: list[Change], step: Change) -> list[Change]:
    """``owed`` (on the editor's text) as it applies after the user's ``step``."""
    out = []
    for change in owed:
        pure = change.start == change.end
        start = _after(change.start, step, tie_after=pure or change.start > step.start)
        end = _after(change.end, step, tie_after=pure)
        out.append(Change(start, max(start, end), change.text))
    return out
