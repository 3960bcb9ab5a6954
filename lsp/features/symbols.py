"""Document symbols (hierarchical when the client supports it) and workspace symbols."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from lsprotocol import types

from lsp import jedi_support
from lsp.documents import Snapshot
from lsp.features.base import Feature
from lsp.worker import run_jedi

SCOPES = frozenset({"class", "function"})


class JediSymbols(Feature):
    """``textDocument/documentSymbol`` and ``workspace/symbol``."""

    name = "symbols"

    def _hierarchical(self) -> bool:
        td = self.ctx.capabilities.text_document
        ds = td and td.document_symbol
        return bool(ds and ds.hierarchical_document_symbol_support)

    async def document_symbols(
        self, params: types.DocumentSymbolParams
    ) -> list[types.DocumentSymbol] | list[types.SymbolInformation] | None:
        snap = self.ctx.analysable(params.text_document.uri)
        if snap is None:
            return None
        tree = await run_jedi(self._tree, snap)
        self.ctx.ensure_current(snap)
        if self._hierarchical():
            return tree
        return _flatten(tree, snap.uri, None)

    def _tree(self, snap: Snapshot) -> list[types.DocumentSymbol]:
        script = jedi_support.script(self.ctx, snap)
        names = script.get_names(all_scopes=True, definitions=True, references=False)
        top: list[types.DocumentSymbol] = []
        scopes: dict[tuple[int, int], types.DocumentSymbol] = {}
        for name in names:
            parent = name.parent()
            parent_key = (parent.line, parent.column)
            holder = scopes.get(parent_key) if parent.type != "module" else None
            if parent.type != "module" and holder is None:
                continue  # a name inside something we do not list
            if name.type not in SCOPES and parent.type == "function":
                continue  # locals are noise in an outline
            symbol = _symbol(name, snap)
            if name.type in SCOPES:
                scopes[(name.line, name.column)] = symbol
            if holder is None:
                top.append(symbol)
            else:
                holder.children = [*(holder.children or []), symbol]
        return top

    async def workspace_symbols(
        self, params: types.WorkspaceSymbolParams
    ) -> list[types.SymbolInformation] | None:
        if not params.query.strip():
            return []
        return await run_jedi(self._search, params.query)

    def _search(self, query: str) -> list[types.SymbolInformation]:
        proj = jedi_support.project(self.ctx)
        root = (self.ctx.root_path or os.getcwd()).rstrip("/") + "/"
        limit = self.ctx.options.workspace_symbols_limit
        found: list[types.SymbolInformation] = []
        for name in proj.complete_search(query, all_scopes=True):
            path = str(name.module_path or "")
            if not path.startswith(root) or name.line is None:
                continue
            if name.type not in jedi_support.SYMBOLS:
                continue
            loc = types.Location(
                uri=self.ctx.mapper.to_uri(path),
                range=jedi_support.name_range(name, None),
            )
            found.append(
                types.SymbolInformation(
                    name=name.name, kind=jedi_support.SYMBOLS[name.type], location=loc
                )
            )
            if len(found) >= limit:
                break
        return found


def _symbol(name: Any, snap: Snapshot) -> types.DocumentSymbol:
    selection = jedi_support.name_range(name, snap)
    start = name.get_definition_start_position()
    end = name.get_definition_end_position()
    if start and end:
        whole = types.Range(snap.position(*start), snap.position(*end))
    else:
        whole = selection
    return types.DocumentSymbol(
        name=name.name,
        kind=jedi_support.SYMBOLS.get(name.type, types.SymbolKind.Variable),
        range=whole,
        selection_range=selection,
        detail=name.description,
    )


def _flatten(
    symbols: Sequence[types.DocumentSymbol], uri: str, container: str | None
) -> list[types.SymbolInformation]:
    out: list[types.SymbolInformation] = []
    for sym in symbols:
        out.append(
            types.SymbolInformation(
                name=sym.name,
                kind=sym.kind,
                location=types.Location(uri=uri, range=sym.selection_range),
                container_name=container,
            )
        )
        out.extend(_flatten(sym.children or [], uri, sym.name))
    return out
