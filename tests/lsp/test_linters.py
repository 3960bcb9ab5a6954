"""pyflakes findings and the ruff merge, on plain text."""

from __future__ import annotations

import threading
import time

import pytest

from lsp import linters, worker
from lsp.flakes import Abandoned, pyflakes_findings
from lsp.linters import merge
from lsp.ruff_tool import ruff_binary, ruff_findings


def test_undefined_and_unused() -> None:
    found = pyflakes_findings("import os\nprint(nope)\n", "x.py")
    by_code = {f[6]: f for f in found}
    row, col, _, end, severity, *_ = by_code["UndefinedName"]
    assert (row, col, end, severity) == (1, 6, 10, 1)
    assert by_code["UnusedImport"][8] is True  # tagged unnecessary


def test_syntax_error_position() -> None:
    [finding] = pyflakes_findings("x = (\n", "x.py")
    assert finding[6] == "SyntaxError"
    assert finding[0] in (0, 1)


def test_non_ascii_columns_are_code_points() -> None:
    [finding] = pyflakes_findings("s = 'ééé'; nope\n", "x.py")
    assert finding[1] == 11


def test_ruff_duplicates_are_dropped() -> None:
    source = "import os\n"
    flakes = pyflakes_findings(source, "x.py")
    if ruff_binary() is None:
        assert merge(flakes, []) == flakes
        return
    ruffs = ruff_findings(source, "x.py", None)
    merged = merge(flakes, ruffs)
    assert len([f for f in merged if "imported but unused" in f[7]]) == 1


def test_pause_is_called_during_a_check() -> None:
    calls = []
    source = "".join(f"def f{i}(a):\n    return a + {i}\n" for i in range(300))
    found = pyflakes_findings(source + "nope\n", "x.py", lambda: calls.append(1))
    assert any(f[6] == "UndefinedName" for f in found)
    assert len(calls) > 2  # before parsing, before checking, and while checking


def test_an_abandoned_check_stops() -> None:
    source = "".join(f"def f{i}(a):\n    return a + {i}\n" for i in range(300))
    calls = []

    def pause() -> None:
        calls.append(1)
        if len(calls) == 3:  # in the middle of the check
            raise Abandoned

    with pytest.raises(Abandoned):
        pyflakes_findings(source, "x.py", pause)
    assert len(calls) == 3


def test_pauser_waits_for_jedi_then_gives_up() -> None:
    event = threading.Event()
    pause = linters.pauser(event)
    worker._in_flight += 1  # a jedi call the user waits for
    try:
        started = time.monotonic()
        pause()  # waits, but at most PAUSE_LIMIT in total
        assert time.monotonic() - started >= linters.PAUSE_LIMIT * 0.9
        started = time.monotonic()
        pause()  # the budget is spent: no more waiting
        assert time.monotonic() - started < linters.PAUSE_LIMIT / 2
    finally:
        worker._in_flight -= 1
    event.set()
    with pytest.raises(Abandoned):
        pause()


@pytest.mark.skipif(ruff_binary() is None, reason="ruff is not installed")
def test_a_stopped_ruff_run_reports_nothing() -> None:
    assert ruff_findings("import os\n", "x.py", None, lambda: True) == []
    stops = iter([False, True])  # running when asked the first time, then stopped
    big = "import os\n" + "x = 1\n" * 200_000
    assert ruff_findings(big, "x.py", None, lambda: next(stops, True)) == []
    assert ruff_findings("import os\n", "x.py", None, lambda: False)
