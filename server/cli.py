"""The `devsync` command: `serve`, `lsp`, `bridge`, `db upgrade`."""

from __future__ import annotations

import argparse
import gc
import logging
import sys
from pathlib import Path


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from server.app import create_app
    from server.collab.rawws import DevSyncWebSocketProtocol
    from server.core.config import Settings

    overrides: dict[str, object] = {}
    if args.host is not None:
        overrides["host"] = args.host
    if args.port is not None:
        overrides["port"] = args.port
    if args.data_dir is not None:
        overrides["data_dir"] = Path(args.data_dir)
    settings = Settings(**overrides)  # type: ignore[arg-type]
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    app = create_app(settings)
    # Keep the collector off everything built at start-up: a full collection
    # over those ~120k long-lived objects stalls the event loop for ~40 ms,
    # which shows up directly in collaboration latency.
    gc.freeze()
    # The collaboration writer thread holds the GIL while it builds a batch;
    # the event loop must not wait the default 5 ms to get it back.
    sys.setswitchinterval(0.0005)
    print(f"DevSync is running at http://{settings.host}:{settings.port}/", flush=True)  # noqa: T201
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level.lower(),
        # Yjs and LSP frames are small and go to many clients: compressing each
        # copy costs more CPU than it saves bytes (the Node y-websocket server
        # does not compress either).
        ws_per_message_deflate=False,
        # Uvicorn's default WebSocket protocol, plus direct frame writes for
        # the collaboration broadcast (server/collab/rawws.py).
        ws=DevSyncWebSocketProtocol,
    )
    return 0


def _lsp(args: argparse.Namespace) -> int:
    try:
        from lsp.cli import main as lsp_main  # type: ignore[import-not-found,unused-ignore]
    except ImportError:  # pragma: no cover - only before the language server exists
        sys.stderr.write("the language server is not available in this build\n")
        return 1
    status: int = lsp_main(args.rest)
    return status


def _bridge(args: argparse.Namespace) -> int:
    from bridge.app import run

    return run(args.host, args.port, args.data_dir, args.command)


def _db(args: argparse.Namespace) -> int:
    from server.core.config import Settings
    from server.core.migrate import upgrade

    settings = Settings()
    if args.data_dir:
        settings.data_dir = Path(args.data_dir)
    settings.prepare()
    upgrade(settings.resolved_database_url(), args.revision)
    sys.stderr.write(f"database is at revision {args.revision}\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="devsync", description="Self-hosted collaborative development environment."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser(
        "serve", help="run the server (API, collaboration, LSP bridge, web client)"
    )
    serve.add_argument("--host", help="address to bind (DEVSYNC_HOST)")
    serve.add_argument("--port", type=int, help="port to bind (DEVSYNC_PORT)")
    serve.add_argument("--data-dir", help="data directory (DEVSYNC_DATA_DIR)")
    serve.set_defaults(func=_serve)

    lsp = sub.add_parser(
        "lsp",
        help="run the language server (stdio by default; see `devsync lsp --help`)",
        add_help=False,
    )
    lsp.add_argument("rest", nargs=argparse.REMAINDER)
    lsp.set_defaults(func=_lsp)

    bridge = sub.add_parser(
        "bridge", help="run only the /lsp WebSocket bridge (port: DEVSYNC_PORT + 1)"
    )
    bridge.add_argument("--host", help="address to bind (DEVSYNC_HOST)")
    bridge.add_argument("--port", type=int, help="port to bind")
    bridge.add_argument("--data-dir", help="data directory (DEVSYNC_DATA_DIR)")
    bridge.add_argument(
        "--command",
        help='proxy mode: a stdio language server per connection, e.g. "ruff server" '
        "(DEVSYNC_BRIDGE_COMMAND)",
    )
    bridge.set_defaults(func=_bridge)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    up = db_sub.add_parser("upgrade", help="upgrade the schema to the latest revision")
    up.add_argument("revision", nargs="?", default="head")
    up.add_argument("--data-dir", help="data directory (DEVSYNC_DATA_DIR)")
    up.set_defaults(func=_db)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
