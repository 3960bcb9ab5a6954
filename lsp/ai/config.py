"""AI configuration: one typed, defaulted object, from the environment or
LSP initialization options, with the route and FIM template worked out here.

The API key is read from the environment or a file when needed and is never
part of ``repr`` or the logs.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

Mode = Literal["auto", "fim", "chat"]
Route = Literal["openai_fim", "codestral_fim", "ollama_fim", "chat"]

NOT_CONFIGURED = "AI is not configured: set DEVSYNC_AI_MODEL"

# Route prefixes that mean "this model fills in the middle".
_FIM_PREFIXES: dict[str, Route] = {
    "text-completion-openai/": "openai_fim",
    "text-completion-codestral/": "codestral_fim",
    "ollama/": "ollama_fim",
}


@dataclass(frozen=True)
class AIConfig:
    """Every AI setting, with defaults (camelCase in initializationOptions)."""

    model: str | None = None  # litellm model string; None disables AI
    api_base: str | None = None
    api_key_env: str = "DEVSYNC_AI_API_KEY"  # name of the variable holding the key
    api_key_file: str | None = None  # or a file holding it
    mode: Mode = "auto"  # fim or chat; auto decides from the model string
    template: str = "auto"  # FIM template family, see lsp.ai.templates
    max_tokens: int = 128
    temperature: float = 0.2
    timeout: float = 10.0  # seconds per upstream request
    debounce_ms: int = 150
    context_tokens: int = 1024  # prompt budget for prefix, suffix and snippets
    inline: bool = True  # serve inline completions
    completion_item: bool = True  # also as a completion item (fallback clients)
    stream: bool = True  # stream from the provider so answers can stop early
    fast_path: bool = True  # litellm's request building, without its per-call wrapper
    chat_per_minute: int = 20  # server chat requests per user per minute
    _key: str | None = field(default=None, repr=False, compare=False)

    @property
    def enabled(self) -> bool:
        return bool(self.model)

    @property
    def route(self) -> Route:
        """How requests are sent: which FIM flavour, or a chat prompt."""
        model = self.model or ""
        for prefix, route in _FIM_PREFIXES.items():
            if model.startswith(prefix):
                return "chat" if self.mode == "chat" else route
        if self.mode == "fim":
            return "openai_fim"
        return "chat"

    @property
    def model_name(self) -> str:
        """The model without litellm's provider prefix."""
        return (self.model or "").split("/", 1)[-1]

    def api_key(self) -> str | None:
        """The key from the explicit value, the file, or the environment."""
        if self._key:
            return self._key
        if self.api_key_file:
            try:
                return Path(self.api_key_file).expanduser().read_text().strip() or None
            except OSError:
                return None
        return os.environ.get(self.api_key_env) or None

    def describe(self) -> str:
        """A log-safe summary (no key)."""
        key = "set" if self.api_key() else "unset"
        return f"model={self.model} route={self.route} base={self.api_base} key={key}"


_ENV: dict[str, str] = {
    "DEVSYNC_AI_MODEL": "model",
    "DEVSYNC_AI_API_BASE": "api_base",
    "DEVSYNC_AI_API_KEY_ENV": "api_key_env",
    "DEVSYNC_AI_API_KEY_FILE": "api_key_file",
    "DEVSYNC_AI_MODE": "mode",
    "DEVSYNC_AI_TEMPLATE": "template",
    "DEVSYNC_AI_MAX_TOKENS": "max_tokens",
    "DEVSYNC_AI_TEMPERATURE": "temperature",
    "DEVSYNC_AI_TIMEOUT": "timeout",
    "DEVSYNC_AI_DEBOUNCE_MS": "debounce_ms",
    "DEVSYNC_AI_CONTEXT_TOKENS": "context_tokens",
    "DEVSYNC_AI_STREAM": "stream",
    "DEVSYNC_AI_FAST_PATH": "fast_path",
    "DEVSYNC_AI_CHAT_PER_MINUTE": "chat_per_minute",
}


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


def _convert(name: str, value: Any) -> Any:
    """``value`` converted to the type of field ``name``, or ValueError."""
    default = getattr(AIConfig(), name)
    if name == "mode":
        if value in ("auto", "fim", "chat"):
            return value
        raise ValueError("expected auto, fim or chat")
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("1", "true", "0", "false"):
            return value.lower() in ("1", "true")
        raise ValueError("expected a boolean")
    if isinstance(default, int | float) and not isinstance(value, bool):
        number = type(default)(value)
        if number < 0:
            raise ValueError("expected a non-negative number")
        return number
    if value is None or isinstance(value, str):
        return value or None if name in ("model", "api_base", "api_key_file") else value
    raise ValueError(f"expected a string, got {value!r}")


def load_config(
    options: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> tuple[AIConfig, list[str]]:
    """Config from the environment, overridden by initialization options.

    Returns the config and a list of problems; invalid values keep defaults.
    """
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    errors: list[str] = []
    raw: dict[str, Any] = {f: env[v] for v, f in _ENV.items() if v in env}
    raw.update({_snake(str(k)): v for k, v in (options or {}).items()})
    names = {f.name for f in dataclasses.fields(AIConfig) if not f.name.startswith("_")}
    for name, value in raw.items():
        if name == "api_key":  # allowed in options, kept out of repr
            values["_key"] = str(value) if value else None
            continue
        if name not in names:
            errors.append(f"ai.{name}: unknown option")
            continue
        try:
            values[name] = _convert(name, value)
        except (TypeError, ValueError) as exc:
            errors.append(f"ai.{name}: {exc}")
    return AIConfig(**values), errors
