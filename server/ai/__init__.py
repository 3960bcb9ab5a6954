"""AI chat for the web client: ``POST /api/projects/{id}/ai/chat`` (SSE)."""
