"""DevSync bridge package."""
