"""Feature logic on pygls documents, without a client or a transport."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path
from typing import cast

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcContentModified

from lsp import jedi_support, linters
from lsp.features.completion import JediCompletion
from lsp.features.diagnostics import Diagnostics
from lsp.features.rename import JediRename
from lsp.features.symbols import JediSymbols
from lsp.options import Options
from lsp.server import DevSyncServer
from lsp.worker import run_jedi
from tests.lsp.conftest import PROJECT
from tests.lsp.features.conftest import Open, completion_at, feature, ident


async def test_completion_is_cut_and_marked_incomplete(
    server: DevSyncServer, open_text: Open
) -> None:
    server.ctx.options = server.ctx.options.__class__(
        completion=server.ctx.options.completion.__class__(max_items=3)
    )
    uri = open_text("import os\nos.\n")
    completer = cast(JediCompletion, feature(server, JediCompletion))
    result = await completer.completion(
        types.CompletionParams(text_document=ident(uri), position=types.Position(1, 3))
    )
    assert result is not None
    assert len(result.items) == 3
    assert result.is_incomplete


async def test_resolve_of_a_replaced_list_is_a_no_op(
    server: DevSyncServer, open_text: Open
) -> None:
    uri = open_text("import os\nos.\n")
    completer = cast(JediCompletion, feature(server, JediCompletion))
    params = types.CompletionParams(
        text_document=ident(uri), position=types.Position(1, 3)
    )
    first = await completer.completion(params)
    await completer.completion(params)
    assert first is not None
    item = first.items[0]
    resolved = await completer.resolve_completion(item)
    assert resolved.documentation is None  # the list it came from is gone


async def test_symbols_nest_methods_in_classes(
    server: DevSyncServer, open_text: Open
) -> None:
    uri = open_text("class A:\n    def f(self):\n        x = 1\n")
    symbols = cast(JediSymbols, feature(server, JediSymbols))
    tree = await symbols.document_symbols(
        types.DocumentSymbolParams(text_document=ident(uri))
    )
    assert tree is not None
    flat = {s.name: s for s in tree if isinstance(s, types.SymbolInformation)}
    assert list(flat) == ["A", "f"]  # flat: this client lacks hierarchical support
    assert flat["f"].container_name == "A"


async def test_rename_refuses_stdlib_names(
    server: DevSyncServer, open_text: Open
) -> None:
    uri = open_text("import os\nos.path\n")
    rename = cast(JediRename, feature(server, JediRename))
    prepared = await rename.prepare(
        types.PrepareRenameParams(
            text_document=ident(uri), position=types.Position(1, 4)
        )
    )
    assert prepared is None


async def test_too_big_documents_get_no_jedi(
    server: DevSyncServer, open_text: Open
) -> None:
    server.ctx.options = server.ctx.options.__class__(max_document_bytes=10)
    uri = open_text("import os\nos.path.join\n")
    completer = cast(JediCompletion, feature(server, JediCompletion))
    result = await completer.completion(
        types.CompletionParams(text_document=ident(uri), position=types.Position(1, 3))
    )
    assert result is None


async def test_result_for_an_older_version_is_never_sent(
    server: DevSyncServer, open_text: Open
) -> None:
    uri = open_text("import os\nos.\n")
    pending = asyncio.ensure_future(completion_at(server, uri, 1, 3))
    await asyncio.sleep(0)  # the jedi call is under way
    server.workspace.update_text_document(
        types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        types.TextDocumentContentChangeWholeDocument(text="import os\nos.p\n"),
    )
    with pytest.raises(JsonRpcContentModified):
        await pending


async def test_kinds_need_no_inference_but_match_jedi(
    server: DevSyncServer, open_text: Open
) -> None:
    text = (
        "import os\nfrom pkg.shapes import Circle, make_circle\n"
        "class A:\n    size = 1\n    def grow(self): pass\n"
        "def top(): pass\n"
    )

    def compare() -> list[tuple[str, str, str | None]]:
        import jedi

        script = jedi.Script(text + "\n", path=str(PROJECT / "kinds.py"))
        return [
            (c.name, c.type, jedi_support.completion_type(c))
            for c in script.complete(7, 0)
            if not c.name.startswith("__")
        ]

    rows = await run_jedi(compare)
    by_name = {name: (real, cheap) for name, real, cheap in rows}
    assert by_name["A"] == ("class", "class")
    assert by_name["top"] == ("function", "function")
    assert by_name["os"] == ("module", "module")
    # From-imports are the ones jedi infers: left unknown, and guessed.
    assert by_name["Circle"] == ("class", None)
    assert by_name["make_circle"] == ("function", None)
    assert all(cheap in (real, None) for _name, real, cheap in rows)
    assert jedi_support.guess_kind("Circle") == types.CompletionItemKind.Class
    assert jedi_support.guess_kind("make_circle") == types.CompletionItemKind.Variable

    uri = open_text(text + "A.\n")
    completer = cast(JediCompletion, feature(server, JediCompletion))
    result = await completer.completion(
        types.CompletionParams(text_document=ident(uri), position=types.Position(6, 2))
    )
    assert result is not None
    grow = next(i for i in result.items if i.label == "grow")
    assert grow.kind == types.CompletionItemKind.Function


async def test_lint_waits_for_jedi_and_a_moment_after(server: DevSyncServer) -> None:
    diagnostics = cast(Diagnostics, feature(server, Diagnostics))
    assert not linters.jedi_busy()
    started = time.monotonic()
    await diagnostics._yield_to_jedi()  # idle: no wait
    assert time.monotonic() - started < 0.02
    request = asyncio.ensure_future(run_jedi(time.sleep, 0.2))
    await asyncio.sleep(0)
    assert linters.jedi_busy()
    await diagnostics._yield_to_jedi()
    assert request.done()
    grace = server.ctx.options.diagnostics.debounce_ms / 1000
    assert time.monotonic() - started >= 0.2 + grace * 0.9


def _make_venv(root: Path) -> Path:
    """A venv (no pip) whose site-packages holds a package only it has."""
    venv = root / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True
    )
    site = next((venv / "lib").glob("python3*/site-packages"))
    package = site / "only_in_that_venv"
    package.mkdir()
    (package / "__init__.py").write_text("def venv_only_function():\n    pass\n")
    return venv


async def test_python_option_completes_that_venvs_packages(
    server: DevSyncServer, open_text: Open, tmp_path: Path
) -> None:
    venv = _make_venv(tmp_path)
    uri = open_text("import only_in_that_venv\nonly_in_that_venv.\n")
    completer = cast(JediCompletion, feature(server, JediCompletion))
    params = types.CompletionParams(
        text_document=ident(uri), position=types.Position(1, 18)
    )
    result = await completer.completion(params)
    assert result is None or not result.items  # not in the server's interpreter

    for python in (str(venv), str(venv / "bin" / "python")):  # a venv or its python
        server.ctx.options = Options(python=python)
        result = await completer.completion(params)
        assert result is not None
        assert "venv_only_function" in [i.label for i in result.items]
