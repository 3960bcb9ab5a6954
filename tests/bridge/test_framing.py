"""Frame validation and Content-Length framing."""

from __future__ import annotations

import asyncio

import pytest

from bridge.framing import (
    FrameError,
    encode_content_length,
    parse_frame,
    read_content_length,
)


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("nope", -32700),
        (b"{}", -32600),
        ("[]", -32600),
        ("{}", -32600),
        ('{"jsonrpc":"2.0","id":true,"method":"x"}', -32600),
        ('{"jsonrpc":"2.0","id":1,"method":"x","params":3}', -32600),
        ('{"jsonrpc":"2.0","id":1}', -32600),
    ],
)
def test_bad_frames(frame: str | bytes, code: int) -> None:
    with pytest.raises(FrameError) as info:
        parse_frame(frame)
    assert info.value.code == code


def test_good_frames() -> None:
    assert parse_frame('{"jsonrpc":"2.0","method":"initialized","params":{}}')
    assert parse_frame('{"jsonrpc":"2.0","id":"a","result":null}')


async def test_content_length_round_trip() -> None:
    reader = asyncio.StreamReader()
    reader.feed_data(encode_content_length('{"a": "é"}') * 2)
    reader.feed_data(b"Content-Length: 99999\r\n\r\n")
    reader.feed_eof()
    assert await read_content_length(reader, 1000) == '{"a": "é"}'
    assert await read_content_length(reader, 1000) == '{"a": "é"}'
    with pytest.raises(ValueError, match="over the limit"):
        await read_content_length(reader, 1000)
