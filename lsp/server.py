"""``create_server()``: one LanguageServer with every LSP method registered once.

The routing table below is the only place LSP methods are bound. Each entry
fans out to the features from ``lsp.features.default_features``; capabilities
follow from what is registered here.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from lsprotocol import types as t
from pygls.exceptions import JsonRpcContentModified
from pygls.lsp.server import LanguageServer

from lsp import jedi_support, linters, protocol, ruff_tool
from lsp.context import ServerContext
from lsp.documents import use_fast_documents
from lsp.features import Feature, default_features
from lsp.features.diagnostics import Diagnostics
from lsp.features.formatting import RuffFormatting
from lsp.features.hover import JediHover
from lsp.features.navigation import JediNavigation
from lsp.features.rename import JediRename
from lsp.features.session import SessionPeer
from lsp.features.symbols import JediSymbols
from lsp.options import parse_options
from lsp.rpc import DevSyncProtocol
from lsp.uris import UriMapper
from lsp.worker import run_jedi

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Feature)


class DevSyncServer(LanguageServer):
    """A LanguageServer that carries its ``ServerContext`` and features."""

    ctx: ServerContext
    features: list[Feature]
    exit_code: int | None = None
    exit_callbacks: list[Callable[[], None]]

    @property
    def rpc(self) -> DevSyncProtocol:
        """The protocol, typed as DevSync's."""
        assert isinstance(self.protocol, DevSyncProtocol)
        return self.protocol


def _one(features: list[Feature], cls: type[F]) -> F:
    return next(f for f in features if isinstance(f, cls))


def _overrides(feature: Feature, hook: str) -> bool:
    return getattr(type(feature), hook) is not getattr(Feature, hook)


def _each(features: list[Feature], hook: str, *args: Any) -> None:
    """Call a sync hook on every feature; one failing feature spares the rest."""
    for feature in features:
        try:
            getattr(feature, hook)(*args)
        except Exception:
            log.exception("%s.%s failed", feature.name, hook)


async def _gather(coros: list[Any]) -> list[Any]:
    """Results of several features; errors are logged, ContentModified re-raised."""
    results = await asyncio.gather(*coros, return_exceptions=True)
    out = []
    for result in results:
        if isinstance(result, JsonRpcContentModified):
            raise result
        if isinstance(result, BaseException):
            log.error("feature failed", exc_info=result)
        elif result is not None:
            out.append(result)
    return out


def create_server(
    mapper: UriMapper | None = None,
    features: Callable[[ServerContext], list[Feature]] = default_features,
) -> DevSyncServer:
    """Build a fresh server; jedi's caches and worker thread are process-wide."""
    ls = DevSyncServer(
        protocol.SERVER_NAME, protocol.SERVER_VERSION, protocol_cls=DevSyncProtocol
    )
    ctx = ls.ctx = ServerContext(ls, mapper or UriMapper())
    feats = ls.features = features(ctx)
    diagnostics = _one(feats, Diagnostics)
    hover = _one(feats, JediHover)
    nav = _one(feats, JediNavigation)
    symbols = _one(feats, JediSymbols)
    rename = _one(feats, JediRename)
    ruff = _one(feats, RuffFormatting)

    ls.exit_callbacks = []

    def on_exit(code: int) -> None:
        ls.exit_code = code
        for callback in ls.exit_callbacks:
            callback()

    ls.rpc.on_exit = on_exit

    def snap(uri: str) -> Any:
        return ctx.snapshot(uri)

    # ---- lifecycle -------------------------------------------------------
    @ls.feature(t.INITIALIZE)
    def initialize(params: t.InitializeParams) -> None:
        raw = params.initialization_options
        ctx.options, errors = parse_options(raw)
        if errors:
            ls.window_show_message(
                t.ShowMessageParams(
                    type=t.MessageType.Warning,
                    message="DevSync: invalid options, using defaults for: "
                    + "; ".join(errors),
                )
            )
        use_fast_documents(ls.workspace)
        ctx.root_path = ls.workspace.root_path
        if ls.workspace.folders:
            first = next(iter(ls.workspace.folders.values()))
            ctx.root_path = ctx.mapper.to_path(first.uri) or ctx.root_path

    @ls.feature(t.INITIALIZED)
    async def initialized(_params: t.InitializedParams) -> None:
        _each(feats, "initialized")
        await asyncio.gather(linters.warm(), run_jedi(jedi_support.warm_up, ctx))

    @ls.feature(t.SHUTDOWN)
    def shutdown(_params: None) -> None:
        _each(feats, "shutdown")

    # ---- document sync (pygls has already updated ls.workspace) ----------
    @ls.feature(t.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: t.DidOpenTextDocumentParams) -> None:
        _each(feats, "did_open", snap(params.text_document.uri))

    session = next((f for f in feats if isinstance(f, SessionPeer)), None)

    @ls.feature(t.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: t.DidChangeTextDocumentParams) -> None:
        current = snap(params.text_document.uri)
        if session is not None and current is not None:
            try:  # the session peer needs the changes themselves, in order
                session.content_changes(params, current)
            except Exception:
                log.exception("session.content_changes failed")
        _each(feats, "did_change", current)

    @ls.feature(t.TEXT_DOCUMENT_DID_SAVE)
    def did_save(params: t.DidSaveTextDocumentParams) -> None:
        if (current := snap(params.text_document.uri)) is not None:
            _each(feats, "did_save", current)

    @ls.feature(t.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: t.DidCloseTextDocumentParams) -> None:
        _each(feats, "did_close", params.text_document.uri)

    # ---- completion: merged from every feature that completes -------------
    completers = [f for f in feats if _overrides(f, "completion")]
    resolvers = {f.name: f for f in feats if _overrides(f, "resolve_completion")}

    @ls.feature(
        t.TEXT_DOCUMENT_COMPLETION,
        t.CompletionOptions(trigger_characters=["."], resolve_provider=True),
    )
    async def completion(params: t.CompletionParams) -> t.CompletionList | None:
        lists = await _gather([f.completion(params) for f in completers])
        if not lists:
            return None
        items = [item for lst in lists for item in lst.items]
        return t.CompletionList(
            is_incomplete=any(lst.is_incomplete for lst in lists), items=items
        )

    @ls.feature(t.COMPLETION_ITEM_RESOLVE)
    async def resolve(item: t.CompletionItem) -> t.CompletionItem:
        owner = item.data.get("feature") if isinstance(item.data, dict) else None
        feature = resolvers.get(owner) if isinstance(owner, str) else None
        return item if feature is None else await feature.resolve_completion(item)

    inline = [f for f in feats if _overrides(f, "inline_completion")]
    if inline:  # advertised only when a feature provides it

        @ls.feature(t.TEXT_DOCUMENT_INLINE_COMPLETION, t.InlineCompletionOptions())
        async def inline_completion(
            params: t.InlineCompletionParams,
        ) -> t.InlineCompletionList | None:
            found = await _gather([f.inline_completion(params) for f in inline])
            items = [item for lst in found for item in lst]
            return t.InlineCompletionList(items=items) if items else None

    # ---- jedi requests, one owner each --------------------------------------
    def route(method: str, handler: Callable[[Any], Any], options: Any = None) -> None:
        """Register a feature's bound method (pygls wants a plain function)."""

        async def call(params: Any) -> Any:
            return await handler(params)

        ls.feature(method, options)(call)

    route(t.TEXT_DOCUMENT_HOVER, hover.hover)
    route(
        t.TEXT_DOCUMENT_SIGNATURE_HELP,
        hover.signature_help,
        t.SignatureHelpOptions(trigger_characters=["(", ","]),
    )
    route(t.TEXT_DOCUMENT_DEFINITION, nav.definition)
    route(t.TEXT_DOCUMENT_DECLARATION, nav.declaration)
    route(t.TEXT_DOCUMENT_TYPE_DEFINITION, nav.type_definition)
    route(t.TEXT_DOCUMENT_REFERENCES, nav.references)
    route(t.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT, nav.highlight)
    route(t.TEXT_DOCUMENT_DOCUMENT_SYMBOL, symbols.document_symbols)
    route(t.WORKSPACE_SYMBOL, symbols.workspace_symbols)
    route(t.TEXT_DOCUMENT_PREPARE_RENAME, rename.prepare)
    route(t.TEXT_DOCUMENT_RENAME, rename.rename, t.RenameOptions(prepare_provider=True))

    # ---- diagnostics (push happens in the feature) ---------------------------
    route(
        t.TEXT_DOCUMENT_DIAGNOSTIC,
        diagnostics.pull,
        t.DiagnosticOptions(
            identifier=protocol.DIAGNOSTIC_SOURCE,
            inter_file_dependencies=False,
            workspace_diagnostics=False,
        ),
    )

    # ---- ruff: formatting and organise imports, only when installed ----------
    if ruff_tool.ruff_binary() is not None:
        route(t.TEXT_DOCUMENT_FORMATTING, ruff.format)
        route(t.TEXT_DOCUMENT_RANGE_FORMATTING, ruff.format_range)

        @ls.command(protocol.CMD_ORGANIZE_IMPORTS)
        async def organize_imports(uri: str) -> None:
            await ruff.organize_imports_command(uri)

    @ls.feature(
        t.TEXT_DOCUMENT_CODE_ACTION,
        t.CodeActionOptions(
            code_action_kinds=[
                t.CodeActionKind.SourceOrganizeImports,
                t.CodeActionKind.QuickFix,  # AI: fix this diagnostic
                t.CodeActionKind.RefactorRewrite,  # AI: add docstring
            ]
        ),
    )
    async def code_action(params: t.CodeActionParams) -> list[t.CodeAction] | None:
        found = await _gather([f.code_actions(params) for f in feats])
        return [action for actions in found for action in actions] or None

    # ---- live sessions: devsync.* commands, remote cursors as inlay hints ----
    if session is not None:
        for name, command in session.commands().items():

            def register(name: str = name, command: Any = command) -> None:
                async def run(*args: Any) -> Any:
                    return await session.execute(command, args)

                ls.command(name)(run)

            register()
        route(t.TEXT_DOCUMENT_INLAY_HINT, session.inlay_hints, t.InlayHintOptions())

    # ---- AI: devsync.ai.* commands (lsp/features/inline_completion.py) -----
    for feature in feats:
        for name, handler in getattr(feature, "ai_commands", dict)().items():
            ls.command(name)(handler)

    return ls
