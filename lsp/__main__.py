"""``python -m lsp``: the same as ``devsync lsp``."""

from lsp.cli import main

raise SystemExit(main())
