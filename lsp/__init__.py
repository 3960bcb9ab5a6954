"""DevSync's Python language server (pygls + jedi), see ``lsp.server``."""
