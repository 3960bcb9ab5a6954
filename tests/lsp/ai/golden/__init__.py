"""Golden post-processing cases, one module per family."""
