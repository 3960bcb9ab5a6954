"""Per-message rules applied before a client message reaches the language server.

Viewers get every language feature but no request that produces edits, and
`initialize` is pinned to the project's working tree whatever the browser says.
"""

from __future__ import annotations

from typing import Any, Final

from bridge.uris import UriMap
from server.projects.models import Role

# Requests whose answer is an edit, or that apply one (executeCommand may
# call workspace/applyEdit). Refused for viewers.
EDIT_METHODS: Final = frozenset(
    {
        "textDocument/rename",
        "textDocument/formatting",
        "textDocument/rangeFormatting",
        "textDocument/rangesFormatting",
        "textDocument/onTypeFormatting",
        "textDocument/codeAction",
        "codeAction/resolve",
        "textDocument/willSaveWaitUntil",
        "workspace/executeCommand",
        "workspace/willCreateFiles",
        "workspace/willRenameFiles",
        "workspace/willDeleteFiles",
    }
)

# initializationOptions a browser must not set: they choose which programs and
# directories the analysis runs against on the server.
UNSAFE_OPTIONS: Final = frozenset({"python", "extraPaths", "extra_paths"})


def refusal(role: Role, method: str) -> str | None:
    """Why ``role`` may not call ``method``, or None when it may."""
    if role == Role.viewer and method in EDIT_METHODS:
        return f"{method} is not available to viewers of this project"
    return None


def pin_initialize(params: Any, umap: UriMap) -> dict[str, Any]:
    """``initialize`` params rooted at the project's tree, without unsafe options."""
    out = dict(params) if isinstance(params, dict) else {}
    out["processId"] = None  # the browser's pid means nothing on the server
    out["rootUri"] = umap.root_uri
    out["rootPath"] = str(umap.root)
    out["workspaceFolders"] = [{"uri": umap.root_uri, "name": umap.root.name}]
    options = out.get("initializationOptions")
    if isinstance(options, dict):
        out["initializationOptions"] = {
            k: v for k, v in options.items() if k not in UNSAFE_OPTIONS
        }
    return out
