"""Requests for each route: FIM prompts, the chat "fill the hole" prompt and
the code-action prompts. Pure functions, so tests can read what is sent.
"""

from __future__ import annotations

from lsp.ai.config import AIConfig
from lsp.ai.context import PromptContext
from lsp.ai.provider import ModelRequest
from lsp.ai.templates import template_for

HOLE = "<CURSOR>"
MAX_STOPS = 4  # OpenAI rejects more than four stop sequences

FILL_RULES = f"""You are a code completion engine. The user sends a file with \
one {HOLE} marker. Reply with ONLY the text to insert at {HOLE}: no markdown \
fences, no explanations, no repetition of the code before or after the marker. \
Keep the indentation of the surrounding code. If nothing should be inserted, \
reply with an empty message."""


def inline_request(config: AIConfig, ctx: PromptContext) -> ModelRequest:
    """The request for an inline completion at the context's cursor."""
    header = ctx.header()
    route = config.route
    if route == "chat":
        user = (
            f"File: {ctx.path} (language: {ctx.language})\n"
            f"{header}{ctx.prefix}{HOLE}{ctx.suffix}"
        )
        messages = [
            {"role": "system", "content": FILL_RULES},
            {"role": "user", "content": user},
        ]
        return ModelRequest("chat", {"messages": messages})
    template = template_for(config.model_name, config.template)
    stop = list(template.stop[:MAX_STOPS]) if template else []
    kwargs: dict[str, object]
    if route == "ollama_fim":
        if template is not None and config.template != "auto":
            prompt = template.render(header + ctx.prefix, ctx.suffix)
            extra: dict[str, object] = {"raw": True}
        else:
            # Ollama fills the middle with the model's own template; litellm's
            # ollama route would bury these in "options", so extra_body.
            prompt, extra = header + ctx.prefix, {"suffix": ctx.suffix, "raw": False}
        kwargs = {"prompt": prompt, "extra_body": extra}
    elif route == "codestral_fim":
        kwargs = {"prompt": header + ctx.prefix, "suffix": ctx.suffix}
    elif template is not None:
        kwargs = {"prompt": template.render(header + ctx.prefix, ctx.suffix)}
    else:
        kwargs = {"prompt": header + ctx.prefix, "suffix": ctx.suffix}
    if stop:
        kwargs["stop"] = stop
    return ModelRequest("text", kwargs)


def explain_request(code: str, language: str, path: str) -> ModelRequest:
    """Ask for a short explanation of a selection."""
    messages = [
        {
            "role": "system",
            "content": "Explain code to a colleague in a few short paragraphs "
            "of plain text. Be concrete and brief.",
        },
        {
            "role": "user",
            "content": f"Explain this {language} code from {path}:\n\n{code}",
        },
    ]
    return ModelRequest("chat", {"messages": messages})


def fix_request(code: str, language: str, message: str, line_text: str) -> ModelRequest:
    """Ask for a corrected version of ``code`` that resolves a diagnostic."""
    messages = [
        {
            "role": "system",
            "content": "You fix code. Reply with ONLY the corrected code that "
            "replaces the snippet the user sends, same indentation, no "
            "markdown fences, no explanations.",
        },
        {
            "role": "user",
            "content": f"Diagnostic: {message}\nOn the line: {line_text.strip()}\n"
            f"Snippet ({language}):\n{code}",
        },
    ]
    return ModelRequest("chat", {"messages": messages})


def docstring_request(code: str, language: str) -> ModelRequest:
    """Ask for a docstring for the function or class in ``code``."""
    messages = [
        {
            "role": "system",
            "content": "Write a concise docstring for the definition the user "
            "sends. Reply with ONLY the docstring text (no quotes, no code, no "
            "fences): one summary line, then optional short paragraphs.",
        },
        {"role": "user", "content": f"({language})\n{code}"},
    ]
    return ModelRequest("chat", {"messages": messages})
