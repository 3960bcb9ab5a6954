"""Completion with jedi, plus ``completionItem/resolve`` for docs and detail.

Items are built on the jedi thread; the jedi ``Completion`` objects of the
latest request are kept (on that thread only) so resolve can read them.
"""

from __future__ import annotations

import itertools
from typing import Any

from lsprotocol import types

from lsp import jedi_support
from lsp.documents import Snapshot
from lsp.features.base import Feature
from lsp.worker import run_jedi

CALLABLE = frozenset({"function", "class"})
_tokens = itertools.count(1)


class JediCompletion(Feature):
    """Completion items from jedi."""

    name = "jedi"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._last: tuple[int, list[Any]] = (0, [])

    def _snippets(self) -> bool:
        if not self.ctx.options.completion.snippets:
            return False
        td = self.ctx.capabilities.text_document
        item = td and td.completion and td.completion.completion_item
        return bool(item and item.snippet_support)

    async def completion(
        self, params: types.CompletionParams
    ) -> types.CompletionList | None:
        snap = self.ctx.analysable(params.text_document.uri)
        if snap is None:
            return None
        line, column = snap.to_jedi(params.position)
        result = await run_jedi(self._complete, snap, line, column, self._snippets())
        self.ctx.ensure_current(snap)
        return result

    def _complete(
        self, snap: Snapshot, line: int, column: int, snippets: bool
    ) -> types.CompletionList:
        completions = jedi_support.script(self.ctx, snap).complete(line, column)
        token = next(_tokens)
        self._last = (token, completions)
        limit = self.ctx.options.completion.max_items
        text = snap.lines[line - 1] if line - 1 < len(snap.lines) else ""
        before_paren = text[column : column + 1] == "("
        items = []
        for index, comp in enumerate(completions[:limit]):
            name = comp.name
            kind = jedi_support.completion_type(comp)
            item = types.CompletionItem(
                label=name,
                kind=jedi_support.guess_kind(name)
                if kind is None
                else jedi_support.KINDS.get(kind, types.CompletionItemKind.Text),
                sort_text=f"{index:05d}",
                data={"feature": self.name, "token": token, "index": index},
            )
            if snippets and kind in CALLABLE and not before_paren:
                item.insert_text = f"{name}($1)$0"
                item.insert_text_format = types.InsertTextFormat.Snippet
            items.append(item)
        return types.CompletionList(is_incomplete=len(completions) > limit, items=items)

    async def resolve_completion(
        self, item: types.CompletionItem
    ) -> types.CompletionItem:
        data = item.data if isinstance(item.data, dict) else {}
        token, index = data.get("token"), data.get("index")
        if not isinstance(token, int) or not isinstance(index, int):
            return item
        return await run_jedi(self._resolve, item, token, index)

    def _resolve(
        self, item: types.CompletionItem, token: int, index: int
    ) -> types.CompletionItem:
        last_token, completions = self._last
        if token != last_token or not 0 <= index < len(completions):
            return item  # a newer list replaced it; nothing to add
        comp = completions[index]
        item.detail = comp.description
        doc = comp.docstring()
        if doc:
            kind = self.ctx.markup_kind()
            value = f"```text\n{doc}\n```" if kind == types.MarkupKind.Markdown else doc
            item.documentation = types.MarkupContent(kind=kind, value=value)
        return item
