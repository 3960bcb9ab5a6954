"""DevSync server package."""
