"""The one configuration module: every setting, its default, its DEVSYNC_ variable.

The README's configuration table is generated from this class
(`python -m server.core.config --markdown`); a test fails when it is stale.
"""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """DevSync server settings, read from `DEVSYNC_*` variables and `.env`."""

    model_config = SettingsConfigDict(
        env_prefix="DEVSYNC_", env_file=".env", extra="ignore"
    )

    data_dir: Path = Field(
        Path(".devsync"), description="Holds the SQLite file and project repositories."
    )
    database_url: str = Field(
        "",
        description="SQLAlchemy URL; empty means SQLite in the data dir. "
        "`postgresql://` URLs use psycopg 3.",
    )
    host: str = Field("127.0.0.1", description="Address `devsync serve` binds.")
    port: int = Field(8000, ge=0, le=65535, description="Port `devsync serve` binds.")
    public_url: str = Field(
        "", description="Base URL used in invite links; empty means http://host:port."
    )
    secret_key: str = Field(
        "",
        description="Signs session data; empty means generated once and kept in "
        "`<data_dir>/secret_key`.",
    )
    cors_origins: list[str] = Field(
        default_factory=list, description="Origins allowed to call the API (JSON list)."
    )
    cookie_secure: bool = Field(
        False, description="Mark the session cookie Secure (set behind HTTPS)."
    )
    session_ttl_hours: int = Field(
        24 * 14, ge=1, description="Lifetime of a browser login session."
    )
    max_file_bytes: int = Field(
        2 * 1024 * 1024, ge=1, description="Largest file the API accepts or serves."
    )
    max_body_bytes: int = Field(
        4 * 1024 * 1024, ge=1, description="Largest HTTP request body."
    )
    login_max_failures: int = Field(
        5, ge=1, description="Failed logins per username or address per window."
    )
    login_window_seconds: int = Field(
        300, ge=1, description="Window for counting failed logins."
    )
    password_hash_memory_kib: int = Field(
        65536,
        ge=8,
        description="argon2 memory cost of new password hashes (KiB); lower only "
        "for tests.",
    )
    password_hash_time_cost: int = Field(
        3, ge=1, description="argon2 iterations of new password hashes."
    )
    sample_project: bool = Field(
        True, description="Give each new user a sample Python project."
    )
    log_level: str = Field("info", description="Server log level.")
    ai_model: str = Field(
        "", description="litellm model name for AI features; empty disables AI."
    )
    ai_api_base: str = Field("", description="Base URL of the model's API.")
    ai_api_key_env: str = Field(
        "DEVSYNC_AI_API_KEY",
        description="Name of the variable holding the API key (never stored here).",
    )
    ai_api_key_file: str = Field("", description="Or a file holding the API key.")
    ai_mode: str = Field(
        "auto", description="`fim`, `chat`, or `auto` (decided from the model name)."
    )
    ai_max_tokens: int = Field(128, ge=1, description="Longest AI answer, in tokens.")
    ai_temperature: float = Field(0.2, ge=0, description="Sampling temperature.")
    ai_timeout: float = Field(10.0, gt=0, description="Seconds per model request.")
    ai_fast_path: bool = Field(
        True,
        description="Send OpenAI-style and Ollama requests built by litellm over a "
        "pooled HTTP client instead of litellm's full call (see docs/ai.md).",
    )
    ai_chat_per_minute: int = Field(
        20, ge=1, description="AI chat requests per user per minute."
    )
    collab_max_message_bytes: int = Field(
        4 * 1024 * 1024,
        ge=1024,
        description="Largest collaboration WebSocket message; bigger closes with 1009.",
    )
    collab_max_updates_per_second: float = Field(
        500.0,
        gt=0,
        description="Messages per second one collaboration client may send on "
        "average; above it (past the burst) the client is closed with 4429.",
    )
    collab_update_burst: int = Field(
        2000, ge=1, description="Messages one collaboration client may send at once."
    )
    collab_max_clients_per_room: int = Field(
        200, ge=1, description="Clients per document; one more is closed with 4503."
    )
    collab_max_queue_bytes: int = Field(
        16 * 1024 * 1024,
        ge=1024,
        description="Bytes waiting to be sent to one client; a client that falls "
        "further behind is closed with 4408.",
    )
    collab_idle_write_seconds: float = Field(
        1.0, ge=0, description="Idle time before a live document is written to disk."
    )
    collab_compact_after: int = Field(
        1000, ge=1, description="Stored updates of a document before compaction."
    )
    session_invite_hours: int = Field(
        24, ge=1, description="Lifetime of a collaboration session's invite link."
    )
    redis_url: str = Field(
        "", description="Redis for Yjs fan-out between instances; empty: one instance."
    )
    bridge_command: list[str] = Field(
        default_factory=list,
        description="Proxy mode of `/lsp`: a stdio language server started per "
        'connection (JSON list, e.g. `["ruff", "server"]`); empty runs DevSync\'s '
        "own language server in-process.",
    )
    bridge_analysis_processes: int = Field(
        2,
        ge=0,
        description="Worker processes that run jedi for the in-process `/lsp` "
        "language servers (a connection keeps its worker); 0 runs it on one "
        "thread of the server process.",
    )
    bridge_analysis_timeout_seconds: float = Field(
        30.0,
        gt=0,
        description="A jedi request running longer than this in an analysis "
        "process is stopped (JSON-RPC error; the process is replaced).",
    )
    bridge_max_message_bytes: int = Field(
        4 * 1024 * 1024,
        ge=1024,
        description="Largest LSP message on `/lsp`; a bigger frame closes with 1009.",
    )
    bridge_max_connections: int = Field(
        200, ge=1, description="Open `/lsp` connections in total; more close with 4429."
    )
    bridge_max_connections_per_user: int = Field(
        10, ge=1, description="Open `/lsp` connections per user; more close with 4429."
    )
    bridge_idle_timeout_seconds: float = Field(
        1800.0,
        gt=0,
        description="An `/lsp` connection silent this long is closed with 4408.",
    )
    bridge_recheck_seconds: float = Field(
        5.0,
        gt=0,
        description="How often an open `/lsp` connection's token and role are "
        "checked again (revoked token: 4401, removed member: 4403).",
    )
    bridge_rate_per_second: float = Field(
        200.0,
        gt=0,
        description="LSP messages per second one `/lsp` client may send on average; "
        "above it (past the burst) the connection is closed with 4429.",
    )
    bridge_rate_burst: int = Field(
        1000, ge=1, description="LSP messages one `/lsp` client may send at once."
    )

    @field_validator("database_url")
    @classmethod
    def _normalise_postgres(cls, value: str) -> str:
        for prefix in ("postgresql://", "postgres://"):
            if value.startswith(prefix):
                return "postgresql+psycopg://" + value[len(prefix) :]
        return value

    @property
    def projects_dir(self) -> Path:
        return self.data_dir / "projects"

    def ai_environ(self) -> dict[str, str]:
        """The AI settings as the `DEVSYNC_AI_*` mapping `lsp.ai.config` reads."""
        return {
            f"DEVSYNC_{name.upper()}": str(value)
            for name, value in self.model_dump().items()
            if name.startswith("ai_") and value not in ("", None)
        }

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'devsync.db').resolve()}"

    def resolved_public_url(self) -> str:
        return self.public_url.rstrip("/") or f"http://{self.host}:{self.port}"

    def prepare(self) -> Settings:
        """Create the data dir and fill in the generated secret key."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.projects_dir.mkdir(parents=True, exist_ok=True)
        if not self.secret_key:
            key_file = self.data_dir / "secret_key"
            if not key_file.exists():
                key_file.write_text(secrets.token_urlsafe(48))
                key_file.chmod(0o600)
            self.secret_key = key_file.read_text().strip()
        return self


def markdown_table() -> str:
    """The README's configuration table, generated from `Settings`."""
    rows = ["| Variable | Default | Meaning |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        default = (
            field.default_factory()  # type: ignore[call-arg]
            if field.default_factory is not None
            else field.default
        )
        shown = f"`{default}`" if default not in ("", []) else "(empty)"
        rows.append(f"| `DEVSYNC_{name.upper()}` | {shown} | {field.description} |")
    return "\n".join(rows)


README_START = "<!-- config-table:start -->"
README_END = "<!-- config-table:end -->"


def update_readme(readme: Path) -> bool:
    """Rewrite the table between the README's markers; True when it changed."""
    text = readme.read_text(encoding="utf-8")
    head, _, rest = text.partition(README_START)
    _, _, tail = rest.partition(README_END)
    new = f"{head}{README_START}\n{markdown_table()}\n{README_END}{tail}"
    if new != text:
        readme.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":  # pragma: no cover - developer helper
    if "--update-readme" in sys.argv:
        update_readme(Path(__file__).resolve().parents[2] / "README.md")
    else:
        sys.stdout.write(markdown_table() + "\n")
