"""Finding the editor's replay of an edit we sent, in its next ``didChange``.

An edit counts as applied only when the editor's changes reproduce it:
right away, after typing the editor had not reported yet (Neovim 0.7's
version check can miss that), or, when no replay is found (whole-text sync),
when the text it inserted is there.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from lsprotocol import types

from lsp.collab.positions import Change, TextIndex, apply_all, diff


@dataclass
class Inflight:
    """An edit sent to the editor and not yet seen in a ``didChange``."""

    serial: int
    changes: list[Change]  # relative to the mirror, ascending, disjoint
    base: str = field(repr=False)  # the mirror it was computed against
    edits: list[types.TextEdit] = field(default_factory=list)
    retries: int = 0
    timer: asyncio.TimerHandle | None = field(default=None, repr=False)
    _expect: str | None = field(default=None, repr=False)
    # Sent without a version (Neovim 0.7 offers none): the editor makes it,
    # at its positions, even over typing it reported before it saw the edit.
    unversioned: bool = False
    answered: bool = False
    moved: bool = False  # such typing came first: ``edits`` land over it

    @property
    def expect(self) -> str:
        """The editor's text once it applied the edit (built when first needed:
        copying a large non-ASCII text is the dearest step of sending)."""
        if self._expect is None:
            self._expect = apply_all(self.base, self.changes)
        return self._expect


def norm(text: str) -> str:
    """What editors may change on their own: line endings, a final newline."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text[:-1] if text.endswith("\n") else text


def find_echo(
    flight: Inflight, mirror: str, steps: list[Change], texts: list[str]
) -> tuple[int, int, str] | None:
    """Where the editor's replay of ``flight`` is: the number of the user's
    steps before it, the number of steps up to its end and the text there;
    None if the editor dropped it. Editors may change line endings."""
    for at, text in enumerate(texts, 1):
        if text == flight.expect:
            return 0, at, text
    want = norm(flight.expect)
    for at, text in enumerate(texts, 1):
        if norm(text) == want:
            return 0, at, text
    for before in range(0 if flight.moved else 1, len(steps)):
        landed = _apply_edits(texts[before - 1] if before else mirror, flight.edits)
        want = norm(landed)
        for at in range(before + 1, len(texts) + 1):
            if texts[at - 1] == landed or norm(texts[at - 1]) == want:
                return before, at, texts[at - 1]
    final = texts[-1] if texts else mirror
    if find_partial(flight, mirror, final) is not None:
        return None  # the rest comes in the next didChange
    # No replay found (whole-text sync, or edits the editor reshaped):
    # applied if the text it inserts is there, else the smaller story.
    inserted = [norm(c.text) for c in flight.changes if c.text.strip()]
    if inserted:
        now, was = norm(final), norm(mirror)
        applied = all(
            now.count(t) >= was.count(t) + inserted.count(t) for t in inserted
        )
    else:
        applied = _size(diff(flight.expect, final)) < _size(diff(mirror, final))
    return (0, len(steps), final) if applied else None


def find_partial(
    flight: Inflight, mirror: str, final: str
) -> tuple[list[int], str] | None:
    """Neovim 0.7 sends a ``didChange`` at once for the first change after a
    quiet spell (its debounce counts from the last one sent), so the replay
    of an edit of several changes can end one ``didChange`` after only the
    first changes it made (from the end of the text up) and go on in the next.
    If ``final`` (the mirror after the ``didChange``) is such a part, return
    the indices of the changes still to come and the text with the part made
    as we sent it."""
    changes = flight.changes
    if len(changes) < 2 or flight.moved:
        return None
    order = sorted(range(len(changes)), key=lambda i: (changes[i].start, i))[::-1]
    want, text = norm(final), mirror
    for made, index in enumerate(order[:-1], 1):
        text = changes[index].apply(text)
        if text == final or norm(text) == want:
            return sorted(order[made:]), text
    return None


def _size(changes: list[Change]) -> int:
    return sum(c.end - c.start + len(c.text) for c in changes)


def _apply_edits(text: str, edits: list[types.TextEdit]) -> str:
    """``text`` after LSP ``edits`` made at their positions, as an editor would."""
    index = TextIndex(text)
    spans = [
        (index.offset(e.range.start), index.offset(e.range.end), e.new_text)
        for e in edits
    ]
    return apply_all(text, [Change(s, max(s, e), t) for s, e, t in spans])
