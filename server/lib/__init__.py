"""Read-only library sources: definitions that land outside the project."""
