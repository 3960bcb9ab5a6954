"""Hover and signature help from jedi."""

from __future__ import annotations

from typing import Any

from lsprotocol import types

from lsp import jedi_support
from lsp.documents import Snapshot
from lsp.features.base import Feature
from lsp.worker import run_jedi


class JediHover(Feature):
    """``textDocument/hover`` and ``textDocument/signatureHelp``."""

    name = "hover"

    async def hover(self, params: types.HoverParams) -> types.Hover | None:
        snap = self.ctx.analysable(params.text_document.uri)
        if snap is None:
            return None
        line, column = snap.to_jedi(params.position)
        kind = self.ctx.markup_kind()
        result = await run_jedi(self._hover, snap, line, column, kind)
        self.ctx.ensure_current(snap)
        return result

    def _hover(
        self, snap: Snapshot, line: int, column: int, kind: types.MarkupKind
    ) -> types.Hover | None:
        names = jedi_support.script(self.ctx, snap).help(line, column)
        if not names:
            return None
        name = names[0]
        header = "\n".join(s.to_string() for s in name.get_signatures())
        header = header or name.description
        doc = name.docstring(raw=True)
        if kind == types.MarkupKind.Markdown:
            value = f"```python\n{header}\n```"
            if doc:
                value += f"\n---\n```text\n{doc}\n```"
        else:
            value = f"{header}\n\n{doc}" if doc else header
        return types.Hover(contents=types.MarkupContent(kind=kind, value=value))

    async def signature_help(
        self, params: types.SignatureHelpParams
    ) -> types.SignatureHelp | None:
        snap = self.ctx.analysable(params.text_document.uri)
        if snap is None:
            return None
        line, column = snap.to_jedi(params.position)
        result = await run_jedi(self._signatures, snap, line, column)
        self.ctx.ensure_current(snap)
        return result

    def _signatures(
        self, snap: Snapshot, line: int, column: int
    ) -> types.SignatureHelp | None:
        sigs = jedi_support.script(self.ctx, snap).get_signatures(line, column)
        if not sigs:
            return None
        infos = [_signature_info(sig) for sig in sigs]
        active = sigs[0].index
        return types.SignatureHelp(
            signatures=infos, active_signature=0, active_parameter=active
        )


def _signature_info(sig: Any) -> types.SignatureInformation:
    label = sig.to_string()
    params: list[types.ParameterInformation] = []
    cursor = label.find("(") + 1
    for param in sig.params:
        text = param.to_string()
        start = label.find(text, cursor)
        if start < 0:
            params.append(types.ParameterInformation(label=text))
            continue
        cursor = start + len(text)
        params.append(types.ParameterInformation(label=(start, cursor)))
    doc = sig.docstring(raw=True)
    return types.SignatureInformation(
        label=label, documentation=doc or None, parameters=params
    )
