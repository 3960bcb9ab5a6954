"""Feature modules and the one list that says which features a server runs.

To add a feature (AI inline completion, the session peer), subclass
``lsp.features.base.Feature`` and append it in ``default_features``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsp.features.ai_actions import ai_features
from lsp.features.base import Feature
from lsp.features.completion import JediCompletion
from lsp.features.diagnostics import Diagnostics
from lsp.features.formatting import RuffFormatting
from lsp.features.hover import JediHover
from lsp.features.navigation import JediNavigation
from lsp.features.rename import JediRename
from lsp.features.session import SessionPeer
from lsp.features.symbols import JediSymbols
from lsp.features.sync import DocumentSync

if TYPE_CHECKING:
    from lsp.context import ServerContext

__all__ = ["Feature", "default_features"]


def default_features(ctx: ServerContext) -> list[Feature]:
    """The features of a DevSync language server, in hook-calling order."""
    return [
        DocumentSync(ctx),
        Diagnostics(ctx),
        JediCompletion(ctx),
        JediHover(ctx),
        JediNavigation(ctx),
        JediSymbols(ctx),
        JediRename(ctx),
        RuffFormatting(ctx),
        SessionPeer(ctx),
        *ai_features(ctx),  # inline completion + AI code actions
    ]
