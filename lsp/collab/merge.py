"""Fine-grained diffs and the three-way merge made when a document joins its room.

``hunks`` finds the lines that differ (difflib on the part between the
common prefix and suffix) and trims each changed block to the characters
that differ, so an edit at the top and one at the bottom stay two small
changes instead of one replacement of everything in between.

``merge3`` applies what the editor changed since the file was loaded
(``base`` -> ``local``) onto the room's text (``base`` -> ``remote``). Where
both changed the same stretch of ``base`` nothing is dropped: the room's
version of those lines is kept and the editor's version follows it (as
``git merge`` would put them, without the markers), and the conflict is
counted so the user can be told.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from lsp.collab.positions import Change, common_prefix, common_suffix, diff


def hunks(old: str, new: str) -> list[Change]:
    """Ascending, disjoint changes (relative to ``old``) turning it into ``new``."""
    if old == new:
        return []
    start = common_prefix(old, new)
    start = old.rfind("\n", 0, start) + 1  # compare whole lines
    end = common_suffix(old, new, min(len(old), len(new)) - start)
    a, b = old[start : len(old) - end], new[start : len(new) - end]
    if "\n" not in a or "\n" not in b:
        return [Change(start + c.start, start + c.end, c.text) for c in diff(a, b)]
    la, lb = a.splitlines(keepends=True), b.splitlines(keepends=True)
    starts_a, at = [], 0
    for line in la:
        starts_a.append(at)
        at += len(line)
    starts_a.append(at)
    out: list[Change] = []
    matcher = SequenceMatcher(None, la, lb, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        chunk_old, chunk_new = "".join(la[i1:i2]), "".join(lb[j1:j2])
        offset = start + starts_a[i1]
        out.extend(
            Change(offset + c.start, offset + c.end, c.text)
            for c in diff(chunk_old, chunk_new)
        )
    return out


@dataclass(frozen=True)
class Merged:
    """The merged text, and where both sides changed the same stretch."""

    text: str
    conflicts: list[int]  # offsets in ``text`` where a conflict was kept twice


def _region(base: str, changes: list[Change], start: int, end: int) -> str:
    """``base[start:end]`` with ``changes`` (all inside it) made."""
    out, at = [], start
    for change in changes:
        out.append(base[at : change.start])
        out.append(change.text)
        at = change.end
    out.append(base[at:end])
    return "".join(out)


def merge3(base: str, local: str, remote: str) -> Merged:
    """``remote`` with the changes ``base`` -> ``local`` made in it."""
    mine, theirs = hunks(base, local), hunks(base, remote)
    if not mine:
        return Merged(remote, [])
    if not theirs:
        return Merged(local, [])
    tagged = sorted(
        [(c.start, c.end, 1, c) for c in theirs]
        + [(c.start, c.end, 0, c) for c in mine],
        key=lambda t: (t[0], t[1], -t[2]),  # the room's insert first at a tie
    )
    out: list[str] = []
    conflicts: list[int] = []
    at, size, i = 0, 0, 0
    while i < len(tagged):
        start, end = tagged[i][0], tagged[i][1]
        group = [tagged[i]]
        i += 1
        # Overlapping changes, or inserts at one place, form one group.
        while i < len(tagged) and (
            tagged[i][0] < end or tagged[i][0] == tagged[i][1] == start == end
        ):
            group.append(tagged[i])
            end = max(end, tagged[i][1])
            i += 1
        sides = {t[2] for t in group}
        mine_here = [t[3] for t in group if t[2] == 0]
        room_here = [t[3] for t in group if t[2] == 1]
        at_line_start = start == 0 or base[start - 1] == "\n"
        inserts = all(t[0] == t[1] for t in group)
        if len(sides) == 2 and not (inserts and at_line_start):
            # A conflict: widen it to whole lines if no other change is there.
            limit = tagged[i][0] if i < len(tagged) else len(base)
            line_start = base.rfind("\n", 0, start) + 1
            line_end = end if end > start and base[end - 1] == "\n" else None
            if line_end is None:
                found = base.find("\n", end)
                line_end = len(base) if found < 0 else found + 1
            if line_start >= at and line_end <= limit:
                start, end = line_start, line_end
        piece = base[at:start]
        out.append(piece)
        size += len(piece)
        if len(sides) == 1:
            text = _region(base, [t[3] for t in group], start, end)
        else:
            ours = _region(base, mine_here, start, end)
            room = _region(base, room_here, start, end)
            if ours == room:
                text = room
            elif inserts and at_line_start:  # new lines on both sides: no conflict
                if room.startswith(ours) or ours.startswith(room):
                    text = max(room, ours, key=len)  # one has the other's
                else:
                    text = room + ours
            elif room.endswith("\n") and (start == 0 or base[start - 1] == "\n"):
                text = room + ours  # whole lines: the room's, then the editor's
                conflicts.append(size + len(room))
            else:
                head = common_prefix(ours, room)
                tail = common_suffix(ours, room, min(len(ours), len(room)) - head)
                text = room[: len(room) - tail] + ours[head : len(ours) - tail]
                text += room[len(room) - tail :]
                conflicts.append(size + len(room) - tail)
        out.append(text)
        size += len(text)
        at = end
    out.append(base[at:])
    return Merged("".join(out), conflicts)
