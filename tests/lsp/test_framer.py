"""lsp.transport.Framer: bodies out of any chunking, resync after bad input."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from lsp.transport import Framer


def frame(obj: object, delta: int = 0) -> bytes:
    body = json.dumps(obj).encode()
    return b"Content-Length: %d\r\n\r\n" % (len(body) + delta) + body


MESSAGES = [
    {"jsonrpc": "2.0", "id": i, "method": "m", "params": {"x": "é" * i}}
    for i in range(5)
]


@given(st.lists(st.integers(min_value=1, max_value=40), max_size=60))
def test_any_chunking_gives_the_same_bodies(cuts: list[int]) -> None:
    stream = b"".join(frame(m) for m in MESSAGES)
    framer, bodies, pos = Framer(), [], 0
    for cut in [*cuts, len(stream)]:
        bodies += framer.feed(stream[pos : pos + cut])
        pos += cut
    assert [json.loads(b) for b in bodies] == MESSAGES


def test_garbage_before_a_header_is_skipped() -> None:
    bodies = Framer().feed(b"\x00\xffjunk\r\n" + frame(MESSAGES[0]))
    assert [json.loads(b) for b in bodies] == [MESSAGES[0]]


def test_too_long_length_resyncs_at_next_header() -> None:
    bodies = Framer().feed(frame(MESSAGES[0], delta=100) + frame(MESSAGES[1]))
    assert json.loads(bodies[0]) == MESSAGES[0]
    assert json.loads(bodies[1]) == MESSAGES[1]


def test_too_short_length_loses_only_that_message() -> None:
    bodies = Framer().feed(frame(MESSAGES[0], delta=-5) + frame(MESSAGES[1]))
    assert json.loads(bodies[-1]) == MESSAGES[1]


def test_headers_are_case_insensitive_and_may_carry_content_type() -> None:
    body = json.dumps(MESSAGES[2]).encode()
    data = b"content-length: %d\r\nContent-Type: x\r\n\r\n" % len(body) + body
    assert Framer().feed(data) == [body]
