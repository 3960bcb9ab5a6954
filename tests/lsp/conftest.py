"""Shared helpers for the language-server tests: the sample project, positions."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

ROOT = Path(__file__).resolve().parents[2]
PROJECT = Path(__file__).parent / "project"


def server_env() -> dict[str, str]:
    """The test environment, with the repository importable."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), env.get("PYTHONPATH")])
    )
    return env


SERVER_COMMAND = [sys.executable, "-m", "lsp"]


_counter = iter(range(1, 1_000_000))


def open_doc(
    client: LanguageClient, text: str, name: str | None = None, version: int = 1
) -> str:
    """Open ``text`` as an (unsaved) document in the project; return its URI.

    Each call gets a fresh file name unless ``name`` is given, so tests that
    share one server do not see each other's documents.
    """
    uri = (PROJECT / (name or f"scratch_{next(_counter)}.py")).as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(
                uri=uri, language_id="python", version=version, text=text
            )
        )
    )
    return uri


def pos(text: str, marker: str, offset: int = 0) -> types.Position:
    """Position of ``marker`` (plus ``offset`` characters) in ``text``."""
    index = text.index(marker) + offset
    line = text.count("\n", 0, index)
    column = index - (text.rfind("\n", 0, index) + 1)
    return types.Position(line=line, character=column)


def doc_id(uri: str) -> types.TextDocumentIdentifier:
    """Shorthand for a TextDocumentIdentifier."""
    return types.TextDocumentIdentifier(uri=uri)


def change(client: LanguageClient, uri: str, version: int, text: str) -> None:
    """Replace the whole document (a full-text change)."""
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(
                uri=uri, version=version
            ),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
