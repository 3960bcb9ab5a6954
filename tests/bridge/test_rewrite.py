"""URI rewriting in both directions, generically over any JSON-RPC message."""

from __future__ import annotations

import sysconfig
from pathlib import Path

import pytest

from bridge.rewrite import HIDDEN, inbound, outbound, outbound_message
from bridge.uris import OutsideProject, UriMap
from server.lib.service import LibraryRoots


@pytest.fixture
def umap(tmp_path: Path) -> UriMap:
    root = tmp_path / "projects" / "7"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "a b.py").write_text("x = 1\n")
    return UriMap(root, LibraryRoots.of_interpreter(exclude=tmp_path))


def test_inbound_maps_every_uri_but_not_text(umap: UriMap) -> None:
    msg = {
        "textDocument": {"uri": "devsync:///pkg/a%20b.py", "text": "devsync:///x"},
        "items": ["devsync:///pkg", {"targetUri": "devsync:///"}],
        "changes": {"devsync:///pkg/a%20b.py": []},
    }
    out = inbound(msg, umap)
    file_uri = (umap.root / "pkg" / "a b.py").as_uri()
    assert out["textDocument"] == {"uri": file_uri, "text": "devsync:///x"}
    assert out["items"] == [(umap.root / "pkg").as_uri(), {"targetUri": umap.root_uri}]
    assert list(out["changes"]) == [file_uri]


@pytest.mark.parametrize(
    "uri",
    [
        "devsync:///../8/secret.py",
        "devsync:///%2E%2E/8/x.py",
        "devsync:///.git/HEAD",
        "devsync:///a/../../x",
        "devsync://evil/x.py",
        "devsync:///x.py?q=1",
        "file:///etc/passwd",
        "devsync-lib:///../../../etc/passwd",
        "devsync-lib:///os.txt",
    ],
)
def test_inbound_refuses_escapes(umap: UriMap, uri: str) -> None:
    with pytest.raises(OutsideProject):
        inbound({"textDocument": {"uri": uri}}, umap)


def test_outbound_maps_project_and_library_and_hides_the_rest(umap: UriMap) -> None:
    stdlib = Path(sysconfig.get_paths()["stdlib"]) / "argparse.py"
    project = (umap.root / "pkg" / "a b.py").as_uri()
    result = [
        {"uri": project, "range": {}},
        {"uri": stdlib.as_uri(), "range": {}},
        {"uri": "file:///etc/passwd", "range": {}},
    ]
    assert outbound(result, umap) == [
        {"uri": "devsync:///pkg/a%20b.py", "range": {}},
        {"uri": "devsync-lib:///argparse.py", "range": {}},
    ]
    assert outbound({"uri": "file:///etc/passwd"}, umap) is HIDDEN


def test_outbound_scrubs_paths_in_free_text(umap: UriMap) -> None:
    value = f"see {umap.root}/pkg/a.py and file:///etc/hosts"
    out = outbound({"contents": {"kind": "markdown", "value": value}}, umap)
    assert out["contents"]["value"] == "see pkg/a.py and (outside the project)"


def test_outbound_message_shapes(umap: UriMap) -> None:
    hidden = {
        "jsonrpc": "2.0",
        "method": "textDocument/publishDiagnostics",
        "params": {"uri": "file:///etc/x.py", "diagnostics": []},
    }
    assert outbound_message(hidden, umap) is None
    response = {"jsonrpc": "2.0", "id": 1, "result": {"uri": "file:///etc/x.py"}}
    assert outbound_message(response, umap) == {
        "jsonrpc": "2.0",
        "id": 1,
        "result": None,
    }
    error = {
        "jsonrpc": "2.0",
        "id": 2,
        "error": {
            "code": -32603,
            "message": f"boom in {umap.root}/a.py",
            "data": "Traceback ... /usr/lib/python3",
        },
    }
    assert outbound_message(error, umap) == {
        "jsonrpc": "2.0",
        "id": 2,
        "error": {"code": -32603, "message": "boom in a.py"},
    }
