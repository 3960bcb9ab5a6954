"""Proxy backend: any stdio language server, one process per connection.

Messages go to the process with Content-Length framing and come back as one
text frame each. The process runs in the project's working tree and is
terminated (then killed) when the connection ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path

from bridge.backend import Emit, End
from bridge.framing import encode_content_length, read_content_length
from bridge.limits import CLOSE_SERVER_ENDED

log = logging.getLogger(__name__)

TERMINATE_GRACE_SECONDS = 2.0


class ProcessBackend:
    """Spawns ``command`` in ``cwd`` and pumps JSON-RPC both ways."""

    def __init__(self, command: list[str], cwd: Path, max_bytes: int) -> None:
        self.command, self.cwd, self.max_bytes = command, cwd, max_bytes
        self.proc: asyncio.subprocess.Process | None = None
        self.tasks: list[asyncio.Task[None]] = []

    async def start(self, emit: Emit, end: End) -> None:
        self.proc = await asyncio.create_subprocess_exec(
            *self.command,
            cwd=self.cwd,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            limit=64 * 1024,
        )
        self.tasks = [
            asyncio.create_task(self._pump_out(emit, end)),
            asyncio.create_task(self._pump_stderr()),
        ]

    async def _pump_out(self, emit: Emit, end: End) -> None:
        assert self.proc is not None
        assert self.proc.stdout is not None
        try:
            while (
                text := await read_content_length(self.proc.stdout, self.max_bytes)
            ) is not None:
                emit(text)
        except ValueError as exc:
            log.warning("language server %s sent a bad frame: %s", self.command[0], exc)
            return end(CLOSE_SERVER_ENDED, "language server sent a malformed message")
        end(1000, "language server exited")

    async def _pump_stderr(self) -> None:
        assert self.proc is not None
        assert self.proc.stderr is not None
        while line := await self.proc.stderr.readline():
            log.debug("%s: %s", self.command[0], line.decode(errors="replace").rstrip())

    async def deliver(self, text: str) -> None:
        if self.proc is None or self.proc.stdin is None or self.proc.stdin.is_closing():
            return
        self.proc.stdin.write(encode_content_length(text))
        with contextlib.suppress(ConnectionError):
            await self.proc.stdin.drain()

    async def close(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None:
            if proc.stdin is not None:
                proc.stdin.close()
            if proc.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    proc.terminate()
                try:
                    await asyncio.wait_for(proc.wait(), TERMINATE_GRACE_SECONDS)
                except TimeoutError:
                    with contextlib.suppress(ProcessLookupError):
                        proc.kill()
                    await proc.wait()
        # The pumps end by themselves at EOF, which also closes the pipes.
        _, late = (
            await asyncio.wait(self.tasks, timeout=TERMINATE_GRACE_SECONDS)
            if self.tasks
            else ((), ())
        )
        for task in late:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        self.tasks = []
