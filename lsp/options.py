"""initializationOptions as defaulted dataclasses, validated at initialize.

Invalid values never crash the server: the defaults are used and the problems
are returned so the server can tell the user with ``window/showMessage``.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class CompletionOptions:
    """Completion behaviour."""

    max_items: int = 300  # longer lists are cut and marked isIncomplete
    snippets: bool = True  # ``name($1)`` for calls, if the client supports it


@dataclass(frozen=True)
class DiagnosticsOptions:
    """Diagnostics behaviour."""

    enable: bool = True
    debounce_ms: int = 30
    ruff: bool = True  # used only when ruff is installed


@dataclass(frozen=True)
class SessionOptions:
    """Live sessions (``devsync.signIn`` overrides the server and token)."""

    server_url: str | None = None  # sign in at start when a token is given too
    token: str | None = None
    invite: str | None = None  # join this session at start (editors without args)
    presence_inlay_hints: bool = True  # remote cursors as inlay hint labels
    # Command results and errors also as window/showMessage (off for clients
    # that show them themselves, like DevSync's VS Code extension).
    show_messages: bool = True


@dataclass(frozen=True)
class Options:
    """All of DevSync's language-server options (camelCase on the wire)."""

    python: str | None = None  # interpreter or venv jedi analyses against
    extra_paths: tuple[str, ...] = ()
    max_document_bytes: int = 2_000_000  # larger documents: diagnostics only
    workspace_symbols_limit: int = 200
    completion: CompletionOptions = field(default_factory=CompletionOptions)
    diagnostics: DiagnosticsOptions = field(default_factory=DiagnosticsOptions)
    session: SessionOptions = field(default_factory=SessionOptions)
    # AI settings, validated by lsp.ai.config (which also reads DEVSYNC_AI_*).
    ai: dict[str, Any] = field(default_factory=dict)


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def _check(value: Any, annotation: str) -> Any:
    """Return ``value`` converted to ``annotation`` or raise ValueError."""
    if annotation == "bool":
        if isinstance(value, bool):
            return value
    elif annotation == "int":
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
    elif annotation == "str | None":
        if value is None or isinstance(value, str):
            return value
    elif annotation == "tuple[str, ...]" and _strings(value):
        return tuple(value)
    elif annotation == "dict[str, Any]" and isinstance(value, dict):
        return value
    raise ValueError(f"expected {annotation}, got {value!r}")


def _strings(value: Any) -> bool:
    return isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)


_NESTED: dict[str, type[Any]] = {
    "CompletionOptions": CompletionOptions,
    "DiagnosticsOptions": DiagnosticsOptions,
    "SessionOptions": SessionOptions,
}


def _build(cls: type[T], raw: Any, prefix: str, errors: list[str]) -> T:
    if raw is None:
        return cls()
    if not isinstance(raw, dict):
        errors.append(f"{prefix or 'initializationOptions'}: expected an object")
        return cls()
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    values: dict[str, Any] = {}
    for key, value in raw.items():
        name = _snake(str(key))
        where = f"{prefix}{key}"
        if name not in fields:
            errors.append(f"{where}: unknown option")
            continue
        annotation = str(fields[name].type)
        try:
            if annotation in _NESTED:
                values[name] = _build(_NESTED[annotation], value, where + ".", errors)
            else:
                values[name] = _check(value, annotation)
        except ValueError as exc:
            errors.append(f"{where}: {exc}")
    return cls(**values)


def parse_options(raw: Any) -> tuple[Options, list[str]]:
    """Return the options in ``raw`` (defaults where invalid) and the errors."""
    errors: list[str] = []
    return _build(Options, raw, "", errors), errors
