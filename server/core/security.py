"""Password hashing (argon2) and random tokens stored only as hashes."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# A real hash to verify against when the user does not exist, so that a
# wrong username takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("devsync-dummy-password")


def configure_password_hashing(memory_kib: int, time_cost: int) -> None:
    """Set the argon2 cost of new hashes (process-wide; existing hashes keep
    verifying, since each hash records its own parameters)."""
    global _hasher, _DUMMY_HASH
    if (_hasher.memory_cost, _hasher.time_cost) == (memory_kib, time_cost):
        return
    parallelism = max(1, min(4, memory_kib // 8))
    _hasher = PasswordHasher(
        time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism
    )
    _DUMMY_HASH = _hasher.hash("devsync-dummy-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and (
            password_hash is not None
        )
    except (VerificationError, InvalidHashError):
        return False


def new_token(prefix: str) -> str:
    """A random bearer secret; the prefix tells its kind apart in logs and UIs."""
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def token_hash(token: str) -> str:
    """Tokens have 256 bits of entropy, so a plain SHA-256 is a safe store."""
    return hashlib.sha256(token.encode()).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a, b)
