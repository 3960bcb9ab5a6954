"""Turn "replace the text with this" into one minimal Y.Text edit."""

from __future__ import annotations

from pycrdt import Text


def replace_text(text: Text, new: str) -> bool:
    """Edit `text` to read `new` with one delete and one insert; False if equal.

    pycrdt indexes Y.Text by UTF-8 byte, so the common prefix and suffix are
    found on code points and converted, never splitting a character.
    """
    old = str(text)
    if old == new:
        return False
    limit = min(len(old), len(new))
    start = 0
    while start < limit and old[start] == new[start]:
        start += 1
    end = 0
    while end < limit - start and old[-1 - end] == new[-1 - end]:
        end += 1
    byte_start = len(old[:start].encode())
    removed = old[start : len(old) - end]
    inserted = new[start : len(new) - end]
    with text.doc.transaction(origin="server"):
        if removed:
            del text[byte_start : byte_start + len(removed.encode())]
        if inserted:
            text.insert(byte_start, inserted)
    return True
