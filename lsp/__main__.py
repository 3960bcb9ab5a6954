"""``python -m lsp``: the same as ``devsync lsp``."""

from lsp.cli import main

if __name__ == "__main__":  # the pyflakes worker process re-imports __main__
    raise SystemExit(main())
