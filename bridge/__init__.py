"""LSP over WebSocket for the browser: `WS /lsp/{project_id}` (see README.md)."""
