"""``devsync lsp``: run the language server over stdio (default) or TCP.

Accepts and ignores ``--stdio`` and ``--clientProcessId`` because
vscode-languageclient appends them. Logs go to stderr only.
"""

from __future__ import annotations

import argparse
import asyncio
import faulthandler
import logging
import os
import signal
import sys


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="devsync lsp", description="DevSync's Python language server."
    )
    parser.add_argument("--stdio", action="store_true", help="use stdio (default)")
    parser.add_argument("--tcp", metavar="HOST:PORT", help="listen on TCP instead")
    parser.add_argument("--clientProcessId", type=int, help=argparse.SUPPRESS)
    parser.add_argument(
        "--log-level",
        default="WARNING",
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        type=str.upper,
        help="stderr log level (default WARNING)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    args, unknown = _parser().parse_known_args(argv)
    level = getattr(logging, args.log_level)
    logging.basicConfig(
        stream=sys.stderr,
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # pygls logs every message body at INFO; keep that for DEBUG only.
    logging.getLogger("pygls").setLevel(max(level, logging.WARNING))
    log = logging.getLogger("lsp")
    if unknown:
        log.warning("ignoring unknown arguments: %s", " ".join(unknown))

    from lsp import jedi_speedups, transport

    jedi_speedups.tune_gc()  # this process is mostly jedi; see the module

    if args.tcp:
        host, _, port = args.tcp.rpartition(":")
        if not port.isdigit():
            log.error("--tcp wants HOST:PORT, got %r", args.tcp)
            return 2

        def ready(bound: int) -> None:
            log.warning("listening on %s:%s", host or "127.0.0.1", bound)

        try:
            asyncio.run(transport.serve_tcp(host or "127.0.0.1", int(port), ready))
        except KeyboardInterrupt:
            return 0
        return 0
    # `kill -USR1 <pid>` prints every thread's stack to stderr.
    faulthandler.register(signal.SIGUSR1)
    loop = asyncio.new_event_loop()
    try:
        serving = transport.serve_stdio(sys.stdin.buffer, sys.stdout.buffer)
        code = loop.run_until_complete(serving)
    except KeyboardInterrupt:
        code = 0
    # The session is over. Do not wait for a jedi call, a pyflakes run on a
    # huge file or a feature's blocking thread: asyncio.run() and interpreter
    # shutdown would join those workers, so neither is used here.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
