"""Formatting, range formatting and organise-imports, all through ruff.

Only offered when ruff is installed (the ``ruff`` extra); without it the
requests answer with no edits.
"""

from __future__ import annotations

from lsprotocol import types

from lsp import ruff_tool
from lsp.documents import Snapshot
from lsp.features.base import Feature
from lsp.protocol import CMD_ORGANIZE_IMPORTS
from lsp.worker import run_lint


class RuffFormatting(Feature):
    """``textDocument/formatting``, ``rangeFormatting`` and a code action."""

    name = "ruff"

    async def _ruff_edit(self, snap: Snapshot, args: list[str]) -> list[types.TextEdit]:
        name = snap.path or "untitled.py"
        out = await run_lint(
            ruff_tool.run_ruff,
            [*args, "--stdin-filename", name, "-"],
            snap.source,
            self.ctx.root_path,
        )
        self.ctx.ensure_current(snap)
        if not out or out == snap.source:
            return []
        whole = types.Range(types.Position(0, 0), snap.end())
        return [types.TextEdit(range=whole, new_text=out)]

    async def format(
        self, params: types.DocumentFormattingParams
    ) -> list[types.TextEdit] | None:
        snap = self.ctx.snapshot(params.text_document.uri)
        if snap is None or not snap.is_python:
            return None
        return await self._ruff_edit(snap, ["format", "--no-cache"])

    async def format_range(
        self, params: types.DocumentRangeFormattingParams
    ) -> list[types.TextEdit] | None:
        snap = self.ctx.snapshot(params.text_document.uri)
        if snap is None or not snap.is_python:
            return None
        (sl, sc), (el, ec) = (
            snap.to_jedi(params.range.start),
            snap.to_jedi(params.range.end),
        )
        span = f"--range={sl}:{sc + 1}-{el}:{ec + 1}"
        return await self._ruff_edit(snap, ["format", "--no-cache", span])

    async def organize_imports(self, uri: str) -> list[types.TextEdit]:
        """Edits that sort the imports of ``uri`` (empty when nothing changes)."""
        snap = self.ctx.snapshot(uri)
        if snap is None or not snap.is_python:
            return []
        args = ["check", "--no-cache", "--select", "I", "--fix-only", "--exit-zero"]
        return await self._ruff_edit(snap, args)

    async def code_actions(
        self, params: types.CodeActionParams
    ) -> list[types.CodeAction]:
        only = params.context.only
        kind = types.CodeActionKind.SourceOrganizeImports
        if only and not any(kind.value.startswith(k) for k in only):
            return []
        if ruff_tool.ruff_binary() is None:
            return []
        edits = await self.organize_imports(params.text_document.uri)
        if not edits:
            return []
        return [
            types.CodeAction(
                title="Organize imports",
                kind=kind,
                edit=types.WorkspaceEdit(changes={params.text_document.uri: edits}),
                command=None,
            )
        ]

    async def organize_imports_command(self, uri: str) -> None:
        """Implementation of the ``devsync.organizeImports`` command."""
        edits = await self.organize_imports(uri)
        if edits:
            await self.ctx.server.workspace_apply_edit_async(
                types.ApplyWorkspaceEditParams(
                    edit=types.WorkspaceEdit(changes={uri: edits}),
                    label=CMD_ORGANIZE_IMPORTS,
                )
            )
