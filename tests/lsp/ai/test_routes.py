"""What each route sends over real HTTP, and that answers come back intact."""

from __future__ import annotations

import pytest

from lsp.ai.config import load_config
from lsp.ai.context import build_context
from lsp.ai.inline import InlineEngine, InlineQuery
from lsp.ai.prompts import HOLE
from tests.fakes.ai_provider import FakeProvider

DOC = "def add(a, b):\n    \n\nprint(add(1, 2))\n"
CURSOR = DOC.index("    \n") + 4


def engine(
    fake: FakeProvider, model: str, base: str, **options: object
) -> InlineEngine:
    config, errors = load_config(
        {
            "model": model,
            "apiBase": base,
            "apiKey": "sk-test",
            "debounceMs": 0,
            **options,
        },
        environ={},
    )
    assert errors == []
    return InlineEngine(config)


async def ask(eng: InlineEngine) -> str | None:
    query = InlineQuery("file:///w/a.py", 1, DOC, CURSOR, "a.py", "python")
    try:
        result = await eng.suggest(query)
    finally:
        await eng.aclose()  # its pooled connections too
    return result.text if result else None


@pytest.mark.parametrize("stream", [True, False])
async def test_openai_fim_with_family_template(
    fake: FakeProvider, stream: bool
) -> None:
    fake.text = "return a + b"
    eng = engine(
        fake, "text-completion-openai/qwen2.5-coder:1.5b", fake.v1, stream=stream
    )
    assert await ask(eng) == "return a + b"
    [req] = fake.generations()
    assert req.path == "/v1/completions"
    assert req.body["model"] == "qwen2.5-coder:1.5b"
    assert req.body["stream"] is stream
    assert req.prompt.startswith("<|fim_prefix|># Path: a.py\ndef add(a, b):\n    ")
    assert "<|fim_suffix|>\n\nprint(add(1, 2))\n<|fim_middle|>" in req.prompt
    assert req.body["max_tokens"] == 128
    assert req.body["temperature"] == 0.2
    assert "<|endoftext|>" in req.body["stop"]
    assert len(req.body["stop"]) <= 4
    assert "suffix" not in req.body
    assert req.headers["authorization"] == "Bearer sk-test"


async def test_openai_fim_unknown_family_sends_suffix(fake: FakeProvider) -> None:
    fake.text = "return a + b"
    eng = engine(fake, "text-completion-openai/my-model", fake.v1, maxTokens=64)
    assert await ask(eng) == "return a + b"
    [req] = fake.generations()
    assert req.body["suffix"] == "\n\nprint(add(1, 2))\n"
    assert req.prompt.endswith("def add(a, b):\n    ")
    assert req.body["max_tokens"] == 64


@pytest.mark.parametrize(
    "template", ["starcoder", "codellama", "deepseek", "codestral"]
)
async def test_template_override(fake: FakeProvider, template: str) -> None:
    fake.text = "return a + b"
    eng = engine(fake, "text-completion-openai/my-model", fake.v1, template=template)
    assert await ask(eng) == "return a + b"
    prompt = fake.requests[0].prompt
    assert "def add(a, b):" in prompt
    assert "print(add(1, 2))" in prompt
    assert "suffix" not in fake.requests[0].body


@pytest.mark.parametrize("stream", [True, False])
async def test_codestral_fim(fake: FakeProvider, stream: bool) -> None:
    fake.text = "return a + b"
    eng = engine(
        fake,
        "text-completion-codestral/codestral-latest",
        fake.v1 + "/fim/completions",
        stream=stream,
    )
    assert await ask(eng) == "return a + b"
    [req] = fake.generations()
    assert req.path == "/v1/fim/completions"
    assert req.body["suffix"] == "\n\nprint(add(1, 2))\n"
    assert req.prompt.endswith("def add(a, b):\n    ")


@pytest.mark.parametrize("stream", [True, False])
async def test_ollama_native_suffix_and_raw_top_level(
    fake: FakeProvider, stream: bool
) -> None:
    fake.text = "return a + b"
    eng = engine(fake, "ollama/qwen2.5-coder:1.5b", fake.url, stream=stream)
    assert await ask(eng) == "return a + b"
    [req] = fake.generations()
    assert req.path == "/api/generate"
    # Top level, where Ollama reads them -- not inside "options".
    assert req.body["suffix"] == "\n\nprint(add(1, 2))\n"
    assert req.body["raw"] is False
    assert "suffix" not in req.body.get("options", {})
    assert req.body["options"]["num_predict"] == 128
    assert req.body["stream"] is stream


async def test_ollama_raw_with_explicit_template(fake: FakeProvider) -> None:
    fake.text = "return a + b"
    eng = engine(fake, "ollama/codellama:7b-code", fake.url, template="codellama")
    assert await ask(eng) == "return a + b"
    [req] = fake.generations()
    assert req.body["raw"] is True
    assert req.prompt.startswith("<PRE> # Path: a.py\n")
    assert " <SUF>\n\nprint(add(1, 2))\n <MID>" in req.prompt


@pytest.mark.parametrize("stream", [True, False])
async def test_chat_fill_the_hole(fake: FakeProvider, stream: bool) -> None:
    fake.text = "```python\n    return a + b\n```"
    eng = engine(fake, "openai/gpt-4o-mini", fake.v1, stream=stream)
    assert await ask(eng) == "return a + b"
    [req] = fake.generations()
    assert req.path == "/v1/chat/completions"
    system, user = req.messages
    assert "ONLY the text to insert" in system["content"]
    assert f"def add(a, b):\n    {HOLE}\n\nprint(add(1, 2))" in user["content"]
    assert "a.py" in user["content"]
    assert "python" in user["content"]


async def test_mode_override_chat_on_fim_route(fake: FakeProvider) -> None:
    fake.text = "return a + b"
    eng = engine(fake, "text-completion-openai/qwen2.5-coder", fake.v1, mode="chat")
    assert eng.config.route == "chat"


def test_similar_snippets_reach_the_prompt() -> None:
    other = "def add_numbers(a, b):\n    total = a + b\n    return total\n"
    ctx = build_context(
        DOC, CURSOR, path="a.py", language="python", others=[("util.py", other)]
    )
    assert ctx.snippets
    assert ctx.snippets[0].path == "util.py"
    assert "# Path: util.py\n# def add_numbers(a, b):" in ctx.header()
