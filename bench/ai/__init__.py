"""AI pipeline benchmark (see run.py)."""
