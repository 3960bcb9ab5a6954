"""Suggestion cache keyed so that typing through a shown suggestion is
answered without a model call: if the new prefix is an old prefix plus the
start of the suggestion shown there (and the suffix is unchanged), the rest
of that suggestion is the answer.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from dataclasses import dataclass, field

_ids = itertools.count(1)


@dataclass
class Entry:
    """One suggestion that was shown."""

    uri: str
    prefix: str
    suffix: str
    text: str
    id: int = field(default_factory=lambda: next(_ids))
    typed_through: bool = False  # the user typed part of it


@dataclass(frozen=True)
class Hit:
    """What to show now, and which entry it came from."""

    text: str
    entry: Entry


class SuggestionCache:
    """LRU of shown suggestions (Tabby keeps 100; so do we)."""

    def __init__(self, size: int = 100) -> None:
        self.size = size
        self._entries: OrderedDict[int, Entry] = OrderedDict()

    def put(self, uri: str, prefix: str, suffix: str, text: str) -> Entry:
        entry = Entry(uri, prefix, suffix, text)
        self._entries[entry.id] = entry
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)
        return entry

    def get(self, entry_id: int) -> Entry | None:
        return self._entries.get(entry_id)

    def lookup(self, uri: str, prefix: str, suffix: str) -> Hit | None:
        """The rest of a suggestion the user is typing through, if any."""
        for entry in reversed(self._entries.values()):
            if entry.uri != uri or entry.suffix != suffix:
                continue
            if len(prefix) < len(entry.prefix) or not prefix.startswith(entry.prefix):
                continue
            typed = prefix[len(entry.prefix) :]
            if len(typed) < len(entry.text) and entry.text.startswith(typed):
                rest = entry.text[len(typed) :]
                if rest.strip():
                    self._entries.move_to_end(entry.id)
                    return Hit(rest, entry)
        return None

    def forget_entry(self, entry_id: int) -> None:
        self._entries.pop(entry_id, None)

    def forget(self, uri: str) -> None:
        for key in [k for k, e in self._entries.items() if e.uri == uri]:
            del self._entries[key]
