"""Rename (with prepareRename) through jedi references inside the workspace."""

from __future__ import annotations

import keyword
import os
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams

from lsp import jedi_support
from lsp.documents import Snapshot
from lsp.features.base import Feature
from lsp.worker import run_jedi


class JediRename(Feature):
    """``textDocument/prepareRename`` and ``textDocument/rename``."""

    name = "rename"

    def _refs(self, snap: Snapshot, line: int, column: int) -> list[Any] | None:
        """References of the name under the cursor, or None if not renamable."""
        refs = jedi_support.script(self.ctx, snap).get_references(line, column)
        root = (self.ctx.root_path or os.getcwd()).rstrip("/") + "/"
        under_cursor = False
        for ref in refs:
            path = str(ref.module_path or "")
            if ref.line is None or not (path == snap.path or path.startswith(root)):
                return None  # defined outside the workspace (builtins, packages)
            if path == snap.path and ref.line == line:
                under_cursor |= ref.column <= column <= ref.column + len(ref.name)
        return refs if under_cursor else None

    async def prepare(self, params: types.PrepareRenameParams) -> types.Range | None:
        snap = self.ctx.analysable(params.text_document.uri)
        if snap is None:
            return None
        line, column = snap.to_jedi(params.position)
        result = await run_jedi(self._prepare, snap, line, column)
        self.ctx.ensure_current(snap)
        return result

    def _prepare(self, snap: Snapshot, line: int, column: int) -> types.Range | None:
        refs = self._refs(snap, line, column)
        for ref in refs or []:
            hit = ref.column <= column <= ref.column + len(ref.name)
            if str(ref.module_path) == snap.path and ref.line == line and hit:
                return jedi_support.name_range(ref, snap)
        return None

    async def rename(self, params: types.RenameParams) -> types.WorkspaceEdit | None:
        new = params.new_name
        if not new.isidentifier() or keyword.iskeyword(new):
            raise JsonRpcInvalidParams(message=f"not a Python identifier: {new!r}")
        snap = self.ctx.analysable(params.text_document.uri)
        if snap is None:
            return None
        line, column = snap.to_jedi(params.position)
        result = await run_jedi(self._rename, snap, line, column, new)
        self.ctx.ensure_current(snap)
        return result

    def _rename(
        self, snap: Snapshot, line: int, column: int, new: str
    ) -> types.WorkspaceEdit | None:
        refs = self._refs(snap, line, column)
        if not refs:
            return None
        changes: dict[str, list[types.TextEdit]] = {}
        for ref in refs:
            loc = jedi_support.location(self.ctx, ref, snap)
            if loc is not None:
                edit = types.TextEdit(range=loc.range, new_text=new)
                changes.setdefault(loc.uri, []).append(edit)
        return types.WorkspaceEdit(changes=changes)
