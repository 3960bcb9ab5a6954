"""Module-level jobs the analysis-pool tests send to worker processes
(a worker imports them by name, so they cannot be defined in a test)."""

from __future__ import annotations

import os
import time
from pathlib import Path


def pid() -> int:
    return os.getpid()


def crash() -> None:
    os._exit(3)


def fail(message: str) -> None:
    raise ValueError(message)


def nap(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def touch(path: str) -> None:
    Path(path).touch()
