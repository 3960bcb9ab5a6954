"""Cross-cutting pieces of the server: configuration, database, errors, security."""
