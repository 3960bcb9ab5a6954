"""AI code actions: "Explain this code", "Fix this diagnostic" and "Add
docstring". Actions carry ``devsync.ai.*`` commands; running one asks the
model (reporting ``$/progress``), and edits are applied only when the
changed document still parses.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from lsprotocol import types as t

from lsp import protocol
from lsp.ai import actions
from lsp.ai.config import NOT_CONFIGURED
from lsp.ai.prompts import docstring_request, explain_request, fix_request
from lsp.ai.provider import ModelRequest, ProviderError
from lsp.features.base import Feature
from lsp.features.inline_completion import AIInlineCompletion, Handler

if TYPE_CHECKING:
    from lsp.context import ServerContext

log = logging.getLogger(__name__)
MAX_EXPLAIN_LINES = 200


class AIActions(Feature):
    """Code actions backed by the model configured for ``AIInlineCompletion``."""

    name = "ai-actions"

    def __init__(self, ctx: ServerContext, ai: AIInlineCompletion) -> None:
        super().__init__(ctx)
        self.ai = ai

    async def code_actions(self, params: t.CodeActionParams) -> list[t.CodeAction]:
        if not self.ai.config.enabled:
            return []
        uri, rng = params.text_document.uri, params.range
        out = [
            t.CodeAction(
                "AI: Explain this code",
                kind=t.CodeActionKind.Empty,
                command=t.Command(
                    "Explain",
                    protocol.CMD_AI_EXPLAIN,
                    arguments=[uri, rng.start.line, rng.end.line],
                ),
            )
        ]
        for diag in params.context.diagnostics:
            out.append(
                t.CodeAction(
                    f"AI: Fix '{diag.message[:60]}'",
                    kind=t.CodeActionKind.QuickFix,
                    diagnostics=[diag],
                    command=t.Command(
                        "Fix",
                        protocol.CMD_AI_FIX,
                        arguments=[
                            uri,
                            diag.range.start.line,
                            diag.range.end.line,
                            diag.message,
                        ],
                    ),
                )
            )
        snap = self.ctx.snapshot(uri)
        python = snap is not None and snap.is_python
        if python and actions.definition_at(snap.source, rng.start.line) is not None:  # type: ignore[union-attr]
            docstring = t.Command(
                "Docstring", protocol.CMD_AI_DOCSTRING, arguments=[uri, rng.start.line]
            )
            out.append(
                t.CodeAction(
                    "AI: Add docstring",
                    kind=t.CodeActionKind.RefactorRewrite,
                    command=docstring,
                )
            )
        return out

    # -- running the commands ---------------------------------------------------
    @contextmanager
    def _progress(self, title: str) -> Iterator[None]:
        """$/progress around a model call, when the client supports it."""
        window = self.ctx.capabilities.window
        token = str(uuid.uuid4()) if window and window.work_done_progress else None
        progress = self.ctx.server.work_done_progress
        if token is not None:
            progress.create(token)
            progress.begin(
                token, t.WorkDoneProgressBegin(title=title, cancellable=False)
            )
        try:
            yield
        finally:
            if token is not None:
                progress.end(token, t.WorkDoneProgressEnd())

    async def _ask(self, title: str, request: ModelRequest) -> str | None:
        if not self.ai.config.enabled:
            self.ai.notify(NOT_CONFIGURED)
            return None
        provider = self.ai.engine.provider
        assert provider is not None
        with self._progress(title):
            try:
                return await provider.complete(request)
            except ProviderError as exc:
                self.ai.notify(f"AI request failed ({exc.kind}): {exc.message}")
                return None

    async def _apply(
        self, uri: str, version: int | None, edit: actions.LineEdit
    ) -> bool:
        snap = self.ctx.snapshot(uri)
        if snap is None or snap.version != version:
            self.ai.notify(
                "The document changed while the AI was answering; not applied."
            )
            return False
        rng = t.Range(t.Position(edit.start, 0), t.Position(edit.end, 0))
        change = t.WorkspaceEdit(changes={uri: [t.TextEdit(rng, edit.text)]})
        result = await self.ctx.server.workspace_apply_edit_async(
            t.ApplyWorkspaceEditParams(edit=change, label="DevSync AI")
        )
        return bool(result and result.applied)

    async def explain(self, uri: str, start: int, end: int) -> str | None:
        snap = self.ctx.snapshot(uri)
        if snap is None:
            return None
        if start == end:  # no selection: the enclosing definition or the line
            header = actions.definition_at(snap.source, start)
            code = (
                actions.definition_source(snap.source, header[0])
                if header
                else snap.lines[start]
            )
        else:
            code = "".join(snap.lines[start : min(end + 1, start + MAX_EXPLAIN_LINES)])
        language = snap.language_id or "plaintext"
        answer = await self._ask(
            "Explaining code", explain_request(code, language, snap.path or uri)
        )
        if answer:
            self.ai.notify(answer.strip(), t.MessageType.Info)
        return answer

    async def fix(self, uri: str, start: int, end: int, message: str) -> bool:
        snap = self.ctx.snapshot(uri)
        if snap is None:
            return False
        version, language = snap.version, snap.language_id or "plaintext"
        code = "".join(snap.lines[start : end + 1])
        answer = await self._ask(
            "Fixing diagnostic", fix_request(code, language, message, snap.lines[start])
        )
        if answer is None:
            return False
        edit = actions.fix_edit(snap.source, start, end, answer, language)
        if edit is None:
            self.ai.notify(
                "The AI's fix did not parse or changed nothing; not applied."
            )
            return False
        return await self._apply(uri, version, edit)

    async def docstring(self, uri: str, line: int) -> bool:
        snap = self.ctx.snapshot(uri)
        header = snap and actions.definition_at(snap.source, line)
        if snap is None or not header:
            return False
        version = snap.version
        code = actions.definition_source(snap.source, header[0])
        answer = await self._ask("Writing docstring", docstring_request(code, "python"))
        if answer is None:
            return False
        edit = actions.docstring_edit(snap.source, header, answer)
        if edit is None:
            self.ai.notify("The AI's docstring did not parse; not applied.")
            return False
        return await self._apply(uri, version, edit)

    def ai_commands(self) -> dict[str, Handler]:
        async def explain(*args: Any) -> str | None:
            return await self.explain(str(args[0]), int(args[1]), int(args[2]))

        async def fix(*args: Any) -> bool:
            return await self.fix(
                str(args[0]), int(args[1]), int(args[2]), str(args[3])
            )

        async def docstring(*args: Any) -> bool:
            return await self.docstring(str(args[0]), int(args[1]))

        return {
            protocol.CMD_AI_EXPLAIN: explain,
            protocol.CMD_AI_FIX: fix,
            protocol.CMD_AI_DOCSTRING: docstring,
        }


def ai_features(ctx: ServerContext) -> list[Feature]:
    """The AI features, sharing one configuration and engine."""
    inline = AIInlineCompletion(ctx)
    return [inline, AIActions(ctx, inline)]
