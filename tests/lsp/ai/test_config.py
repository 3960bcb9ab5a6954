"""Configuration: environment and options, routes, keys kept secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from lsp.ai.config import load_config


@pytest.mark.parametrize(
    ("model", "route"),
    [
        ("text-completion-openai/qwen2.5-coder", "openai_fim"),
        ("text-completion-codestral/codestral-latest", "codestral_fim"),
        ("ollama/qwen2.5-coder", "ollama_fim"),
        ("gemini/gemini-2.0-flash", "chat"),
        ("gpt-4o-mini", "chat"),
        ("openai/gpt-4o-mini", "chat"),
    ],
)
def test_route_auto_detected(model: str, route: str) -> None:
    config, errors = load_config({"model": model}, environ={})
    assert errors == []
    assert config.route == route


def test_mode_override() -> None:
    config, _ = load_config(
        {"model": "ollama/qwen2.5-coder", "mode": "chat"}, environ={}
    )
    assert config.route == "chat"
    config, _ = load_config({"model": "openai/my-fim", "mode": "fim"}, environ={})
    assert config.route == "openai_fim"


def test_environment_then_options() -> None:
    env = {"DEVSYNC_AI_MODEL": "ollama/x", "DEVSYNC_AI_MAX_TOKENS": "64"}
    config, errors = load_config({"temperature": 0.5}, environ=env)
    assert errors == []
    assert (config.model, config.max_tokens, config.temperature) == (
        "ollama/x",
        64,
        0.5,
    )


def test_invalid_values_keep_defaults() -> None:
    config, errors = load_config(
        {"maxTokens": "many", "mode": "x", "nope": 1}, environ={}
    )
    assert config.max_tokens == 128
    assert config.mode == "auto"
    assert len(errors) == 3


def test_key_from_file_and_never_shown(tmp_path: Path) -> None:
    key_file = tmp_path / "key"
    key_file.write_text("sk-secret-123\n")
    config, _ = load_config(
        {"model": "gpt-4o", "apiKeyFile": str(key_file)}, environ={}
    )
    assert config.api_key() == "sk-secret-123"
    assert "sk-secret" not in repr(config)
    assert "sk-secret" not in config.describe()


def test_key_from_environment() -> None:
    config, _ = load_config(
        {"model": "gpt-4o"}, environ={"DEVSYNC_AI_API_KEY": "sk-env"}
    )
    assert config.api_key() is None  # read at call time from os.environ


def test_fast_path_on_by_default_and_can_be_turned_off() -> None:
    assert load_config({"model": "openai/x"}, environ={})[0].fast_path is True
    config, errors = load_config(
        {"model": "openai/x"}, environ={"DEVSYNC_AI_FAST_PATH": "false"}
    )
    assert errors == []
    assert config.fast_path is False
    config, errors = load_config({"fastPath": False}, environ={})
    assert errors == []
    assert config.fast_path is False
