"""``python -m lsp``: the same as ``devsync lsp``."""

from lsp.cli import main

if __name__ == "__main__":  # importable without starting a server
    raise SystemExit(main())
