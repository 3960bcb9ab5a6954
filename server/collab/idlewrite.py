"""Writing a live document to its working-tree file after an idle delay."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


class IdleWriter:
    """Calls `sink(text())` once edits pause for `delay` seconds, or on `flush`."""

    def __init__(
        self,
        text: Callable[[], str],
        sink: Callable[[str], Awaitable[None]] | None,
        delay: float,
    ) -> None:
        self._text = text
        self._sink = sink
        self._delay = delay
        self._dirty = False
        self._timer: asyncio.TimerHandle | None = None
        self._due = 0.0
        self._task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    def changed(self) -> None:
        """The text changed: (re)start the idle timer.

        Called for every stored batch, so it only moves a deadline; the one
        pending timer re-arms itself for the rest when it fires early.
        """
        if self._sink is None:
            return
        self._dirty = True
        loop = asyncio.get_running_loop()
        self._due = loop.time() + self._delay
        if self._timer is None:
            self._timer = loop.call_at(self._due, self._fire)

    def mark_dirty(self) -> None:
        self._dirty = True

    def _fire(self) -> None:
        loop = asyncio.get_running_loop()
        if self._due - loop.time() > 0.001:  # edited since the timer was set
            self._timer = loop.call_at(self._due, self._fire)
            return
        self._timer = None
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self.flush())

    async def flush(self) -> None:
        """Write now if anything changed (waits for a write already under way)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        async with self._lock:
            if not self._dirty or self._sink is None:
                return
            self._dirty = False
            try:
                await self._sink(self._text())
            except Exception:
                self._dirty = True
                log.exception("writing a document to the working tree failed")

    def abandon(self) -> None:
        """Never write again (the file is gone)."""
        if self._timer is not None:
            self._timer.cancel()
        self._sink = None
