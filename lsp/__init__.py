"""DevSync lsp package."""
