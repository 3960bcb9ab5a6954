"""jedi glue: projects, scripts and jedi-to-LSP conversions.

Everything here runs on the jedi thread (see ``lsp.worker``); jedi is
imported lazily so that ``initialize`` stays fast.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING, Any

from lsprotocol import types

if TYPE_CHECKING:
    from lsp.context import ServerContext
    from lsp.documents import Snapshot

log = logging.getLogger(__name__)

KINDS: dict[str, types.CompletionItemKind] = {
    "module": types.CompletionItemKind.Module,
    "class": types.CompletionItemKind.Class,
    "instance": types.CompletionItemKind.Variable,
    "function": types.CompletionItemKind.Function,
    "param": types.CompletionItemKind.Variable,
    "path": types.CompletionItemKind.File,
    "keyword": types.CompletionItemKind.Keyword,
    "property": types.CompletionItemKind.Property,
    "statement": types.CompletionItemKind.Variable,
}

SYMBOLS: dict[str, types.SymbolKind] = {
    "module": types.SymbolKind.Module,
    "class": types.SymbolKind.Class,
    "function": types.SymbolKind.Function,
    "instance": types.SymbolKind.Variable,
    "statement": types.SymbolKind.Variable,
    "param": types.SymbolKind.Variable,
    "property": types.SymbolKind.Property,
    "path": types.SymbolKind.File,
    "keyword": types.SymbolKind.Key,
}


def completion_type(comp: Any) -> str | None:
    """``comp.type`` where jedi knows it without inference, else None.

    jedi's ``Completion.type`` follows every name bound by ``from x import y``
    to see what it is, which costs more than the completion itself on a big
    module; the rest is a lookup in the syntax tree. (``resolve`` still reads
    ``comp.description``, which does infer, for the one item shown.)
    """
    name = getattr(comp, "_name", None)
    if name is None or getattr(comp, "_cached_name", None) is not None:
        return str(comp.type)  # jedi's own per-module cache answers quickly
    try:
        from jedi.inference.names import SubModuleName

        if isinstance(name, SubModuleName):
            return "module"
        tree_name = name.tree_name
        if tree_name is not None:
            definition = tree_name.get_definition()
            if (
                definition is not None
                and definition.type == "import_from"
                and tree_name.is_definition()
            ):
                return None
        return str(name.api_type)
    except AttributeError:  # another jedi version: ask it properly
        return str(comp.type)


def guess_kind(name: str) -> types.CompletionItemKind:
    """An icon for an imported name whose type was not inferred."""
    if name[:1].isupper() and not name.isupper():
        return types.CompletionItemKind.Class
    return types.CompletionItemKind.Variable


def project(ctx: ServerContext) -> Any:
    """The jedi Project for this server's workspace (built once per settings)."""
    import jedi

    from lsp import jedi_speedups

    jedi_speedups.install()

    opts = ctx.options
    key = (ctx.root_path, opts.python, opts.extra_paths)
    if ctx.project is not None and ctx.project_key == key:
        return ctx.project
    root = ctx.root_path or os.getcwd()
    env_path = opts.python
    if env_path and os.path.isdir(env_path):
        candidate = os.path.join(env_path, "bin", "python")
        env_path = candidate if os.path.exists(candidate) else env_path
    try:
        proj = jedi.Project(
            root, environment_path=env_path, added_sys_path=list(opts.extra_paths)
        )
        proj.get_environment()  # fail here, not in every request
    except Exception:
        log.warning("cannot use interpreter %r, using the default", env_path)
        proj = jedi.Project(root, added_sys_path=list(opts.extra_paths))
    ctx.project, ctx.project_key = proj, key
    return proj


def script(ctx: ServerContext, snap: Snapshot) -> Any:
    """A jedi Script on the unsaved text; the same path lets parso diff-parse."""
    import jedi

    return jedi.Script(snap.source, path=snap.path, project=project(ctx))


def warm_up(ctx: ServerContext) -> None:
    """Import jedi and build the project ahead of the first request."""
    try:
        project(ctx)
    except Exception:
        log.exception("jedi warm-up failed")


def name_range(name: Any, snap: Snapshot | None) -> types.Range:
    """Range of a jedi Name, in client units when it is in ``snap``."""
    line, column = name.line or 1, name.column or 0
    length = len(name.name or "")
    if snap is not None:
        return snap.range(line, column, length)
    start = types.Position(line - 1, column)
    return types.Range(start, types.Position(line - 1, column + length))


def location(ctx: ServerContext, name: Any, snap: Snapshot) -> types.Location | None:
    """LSP Location of a jedi Name, or None for builtins without a file."""
    path = name.module_path
    if path is None or name.line is None:
        return None
    path = str(path)
    same = path == snap.path
    uri = snap.uri if same else ctx.mapper.to_uri(path)
    return types.Location(uri=uri, range=name_range(name, snap if same else None))
