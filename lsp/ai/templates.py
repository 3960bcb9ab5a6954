"""Fill-in-the-middle prompt templates per model family.

Each family wraps prefix and suffix in its own sentinel tokens; the stop
sequences keep the model from running on into the next file or hole, and
``LEAK_TOKENS`` lists every sentinel so post-processing can strip leaks.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FimTemplate:
    """How one model family spells a fill-in-the-middle prompt."""

    name: str
    fmt: str  # uses {prefix} and {suffix}
    stop: tuple[str, ...]

    def render(self, prefix: str, suffix: str) -> str:
        return self.fmt.replace("{prefix}", prefix, 1).replace("{suffix}", suffix, 1)


# DeepSeek's sentinels use fullwidth bars and a lower-one-eighth block.
_DS_BEGIN = "<\uff5cfim\u2581begin\uff5c>"
_DS_HOLE = "<\uff5cfim\u2581hole\uff5c>"
_DS_END = "<\uff5cfim\u2581end\uff5c>"

TEMPLATES: dict[str, FimTemplate] = {
    t.name: t
    for t in (
        FimTemplate(
            "starcoder",
            "<fim_prefix>{prefix}<fim_suffix>{suffix}<fim_middle>",
            ("<fim_prefix>", "<fim_suffix>", "<fim_middle>", "<|endoftext|>"),
        ),
        FimTemplate(
            "qwen",
            "<|fim_prefix|>{prefix}<|fim_suffix|>{suffix}<|fim_middle|>",
            ("<|fim_prefix|>", "<|fim_suffix|>", "<|endoftext|>", "<|file_sep|>"),
        ),
        FimTemplate(
            "codellama",
            "<PRE> {prefix} <SUF>{suffix} <MID>",
            ("<PRE>", "<SUF>", "<MID>", "<EOT>"),
        ),
        FimTemplate(
            "deepseek",
            f"{_DS_BEGIN}{{prefix}}{_DS_HOLE}{{suffix}}{_DS_END}",
            (_DS_BEGIN, _DS_HOLE, _DS_END, "<|EOT|>"),
        ),
        FimTemplate(
            "codestral",
            "[SUFFIX]{suffix}[PREFIX]{prefix}",
            ("[PREFIX]", "[SUFFIX]", "[MIDDLE]", "</s>"),
        ),
    )
}

# Model-name fragments -> family, checked in order.
_FAMILIES: tuple[tuple[str, str], ...] = (
    ("qwen", "qwen"),
    ("starcoder", "starcoder"),
    ("santacoder", "starcoder"),
    ("stable-code", "starcoder"),
    ("codellama", "codellama"),
    ("code-llama", "codellama"),
    ("deepseek", "deepseek"),
    ("codestral", "codestral"),
    ("mistral", "codestral"),
)

LEAK_TOKENS: tuple[str, ...] = tuple(
    sorted(
        {tok for t in TEMPLATES.values() for tok in t.stop}
        | {
            "<|fim_middle|>",
            "<|fim_pad|>",
            "<|repo_name|>",
            "<file_sep>",
            "<|im_end|>",
        },
        key=len,
        reverse=True,
    )
)


def template_for(model: str, override: str = "auto") -> FimTemplate | None:
    """The template named by ``override``, else the family guessed from
    ``model``; None when unknown (the server then gets a ``suffix`` field)."""
    if override not in ("auto", ""):
        return TEMPLATES.get(override)
    lowered = model.lower()
    for fragment, family in _FAMILIES:
        if fragment in lowered:
            return TEMPLATES[family]
    return None
