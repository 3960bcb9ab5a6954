"""Go to definition / declaration / type definition, references, highlights."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from lsprotocol import types

from lsp import jedi_support
from lsp.documents import Snapshot
from lsp.features.base import Feature
from lsp.worker import run_jedi

T = TypeVar("T")


class PositionParams(Protocol):
    """Any params with a document and a position."""

    @property
    def text_document(self) -> types.TextDocumentIdentifier: ...

    @property
    def position(self) -> types.Position: ...


class JediNavigation(Feature):
    """Everything that answers "where is this name?"."""

    name = "navigation"

    async def _run(
        self,
        params: PositionParams,
        build: Callable[[Any, Snapshot, int, int], T],
    ) -> T | None:
        snap = self.ctx.analysable(params.text_document.uri)
        if snap is None:
            return None
        line, column = snap.to_jedi(params.position)

        def job() -> T:
            return build(jedi_support.script(self.ctx, snap), snap, line, column)

        result = await run_jedi(job)
        self.ctx.ensure_current(snap)
        return result

    def _locations(self, names: list[Any], snap: Snapshot) -> list[types.Location]:
        found = (jedi_support.location(self.ctx, n, snap) for n in names)
        return [loc for loc in found if loc is not None]

    async def definition(
        self, params: types.DefinitionParams
    ) -> list[types.Location] | None:
        return await self._run(
            params,
            lambda s, snap, ln, col: self._locations(
                s.goto(ln, col, follow_imports=True), snap
            ),
        )

    async def declaration(
        self, params: types.DeclarationParams
    ) -> list[types.Location] | None:
        return await self._run(
            params,
            lambda s, snap, ln, col: self._locations(
                s.goto(ln, col, follow_imports=False), snap
            ),
        )

    async def type_definition(
        self, params: types.TypeDefinitionParams
    ) -> list[types.Location] | None:
        return await self._run(
            params,
            lambda s, snap, ln, col: self._locations(s.infer(ln, col), snap),
        )

    async def references(
        self, params: types.ReferenceParams
    ) -> list[types.Location] | None:
        include = params.context.include_declaration

        def build(s: Any, snap: Snapshot, ln: int, col: int) -> list[types.Location]:
            refs = s.get_references(ln, col, include_builtins=False)
            if not include:
                refs = [r for r in refs if not r.is_definition()]
            return self._locations(refs, snap)

        return await self._run(params, build)

    async def highlight(
        self, params: types.DocumentHighlightParams
    ) -> list[types.DocumentHighlight] | None:
        def build(
            s: Any, snap: Snapshot, ln: int, col: int
        ) -> list[types.DocumentHighlight]:
            refs = s.get_references(ln, col, scope="file")
            return [
                types.DocumentHighlight(
                    range=jedi_support.name_range(r, snap),
                    kind=types.DocumentHighlightKind.Write
                    if r.is_definition()
                    else types.DocumentHighlightKind.Read,
                )
                for r in refs
                if r.line is not None
            ]

        return await self._run(params, build)
