"""Request body of the AI chat endpoint."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class ChatMessage(BaseModel):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=20_000)


class ChatRequest(BaseModel):
    """The conversation plus optional editor context."""

    messages: list[ChatMessage] = Field(min_length=1, max_length=50)
    path: str | None = Field(None, description="The current file's path.")
    file: str | None = Field(None, max_length=200_000, description="Its text.")
    selection: str | None = Field(None, max_length=50_000)
    diagnostics: list[str] = Field(default_factory=list, max_length=50)
