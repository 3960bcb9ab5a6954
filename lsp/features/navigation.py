"""Go to definition / declaration / type definition, references, highlights."""

from __future__ import annotations

from typing import Any, Protocol

from lsprotocol import types

from lsp import jedi_support
from lsp.documents import Snapshot
from lsp.features.base import Feature
from lsp.worker import run_jedi


class PositionParams(Protocol):
    """Any params with a document and a position."""

    @property
    def text_document(self) -> types.TextDocumentIdentifier: ...

    @property
    def position(self) -> types.Position: ...


class JediNavigation(Feature):
    """Everything that answers "where is this name?"."""

    name = "navigation"

    async def _run(self, params: PositionParams, op: str, *extra: Any) -> Any:
        snap = self.ctx.analysable(params.text_document.uri)
        if snap is None:
            return None
        line, column = snap.to_jedi(params.position)
        result = await run_jedi(self._job, snap, line, column, op, *extra)
        self.ctx.ensure_current(snap)
        return result

    def _job(self, snap: Snapshot, line: int, column: int, op: str, *extra: Any) -> Any:
        """One navigation query; a bound method so it can run in an analysis
        worker process (``lsp.worker.run_jedi``)."""
        s = jedi_support.script(self.ctx, snap)
        if op == "definition":
            return self._locations(s.goto(line, column, follow_imports=True), snap)
        if op == "declaration":
            return self._locations(s.goto(line, column, follow_imports=False), snap)
        if op == "type_definition":
            return self._locations(s.infer(line, column), snap)
        if op == "references":
            refs = s.get_references(line, column, include_builtins=False)
            if not extra[0]:
                refs = [r for r in refs if not r.is_definition()]
            return self._locations(refs, snap)
        if op == "highlight":
            return [
                types.DocumentHighlight(
                    range=jedi_support.name_range(r, snap),
                    kind=types.DocumentHighlightKind.Write
                    if r.is_definition()
                    else types.DocumentHighlightKind.Read,
                )
                for r in s.get_references(line, column, scope="file")
                if r.line is not None
            ]
        raise ValueError(f"unknown navigation {op!r}")

    def _locations(self, names: list[Any], snap: Snapshot) -> list[types.Location]:
        found = (jedi_support.location(self.ctx, n, snap) for n in names)
        return [loc for loc in found if loc is not None]

    async def definition(
        self, params: types.DefinitionParams
    ) -> list[types.Location] | None:
        result: list[types.Location] | None = await self._run(params, "definition")
        return result

    async def declaration(
        self, params: types.DeclarationParams
    ) -> list[types.Location] | None:
        result: list[types.Location] | None = await self._run(params, "declaration")
        return result

    async def type_definition(
        self, params: types.TypeDefinitionParams
    ) -> list[types.Location] | None:
        result: list[types.Location] | None = await self._run(params, "type_definition")
        return result

    async def references(
        self, params: types.ReferenceParams
    ) -> list[types.Location] | None:
        include = params.context.include_declaration
        result: list[types.Location] | None = await self._run(
            params, "references", include
        )
        return result

    async def highlight(
        self, params: types.DocumentHighlightParams
    ) -> list[types.DocumentHighlight] | None:
        result: list[types.DocumentHighlight] | None = await self._run(
            params, "highlight"
        )
        return result
