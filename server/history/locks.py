"""One lock per project repository, serialising commits and working-tree writes.

Locks are per process; several server instances on shared storage would need
a database or Redis lock instead (ARCHITECTURE.md section 8).
"""

from __future__ import annotations

import threading
from pathlib import Path

_registry_lock = threading.Lock()
_locks: dict[Path, threading.RLock] = {}


def project_lock(root: Path) -> threading.RLock:
    """The lock of the repository at `root` (re-entrant, so services can nest)."""
    key = root.resolve()
    with _registry_lock:
        lock = _locks.get(key)
        if lock is None:
            lock = _locks[key] = threading.RLock()
        return lock
