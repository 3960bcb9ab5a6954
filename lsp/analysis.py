"""A small pool of analysis worker processes for the bridge's many servers.

jedi is not thread-safe, so one process can analyse one thing at a time. The
bridge runs one language server per connection inside ``devsync serve``; with
this pool their jedi work (completion, hover, navigation, symbols, rename) runs
in ``size`` worker processes (``lsp.analysis_worker``) instead of on the one
jedi thread. ``lsp.worker.run_jedi`` decides per call: servers attached to a
pool send it there, everything else (``devsync lsp`` over stdio) keeps the
thread.

- Routing: a connection is assigned the worker with the fewest connections
  on its first job and keeps it, so the worker's parso/jedi caches stay warm
  for its documents and ``completionItem/resolve`` finds the list it resolves.
- Documents travel as text + version; a worker that already has the version
  from an earlier job of the same connection gets only the version.
- Each worker has one dispatcher thread and runs one job at a time. A job
  cancelled before its turn never reaches the worker (as with the thread
  executor); one cancelled while running finishes and its answer is dropped.
- A worker acknowledges each job before running it. One that dies during a
  job fails that request with a JSON-RPC internal error; one that died while
  idle fails nothing. Either way a fresh process takes the next job.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import itertools
import logging
import os
import queue
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

from pygls.exceptions import JsonRpcInternalError

from lsp.analysis_worker import CtxState, DocArg, read_message, write_message

log = logging.getLogger(__name__)
REPO_ROOT = str(Path(__file__).resolve().parents[1])
STOP_TIMEOUT = 5.0
# A job running longer than this (a pathological file, a jedi bug) has its
# worker killed, so the connections behind it are not blocked for good.
JOB_TIMEOUT = 30.0


class WorkerCrashed(JsonRpcInternalError):
    """The analysis worker process died while running the request."""


class JobTimedOut(JsonRpcInternalError):
    """The request ran past the pool's time limit; its worker was killed."""


@dataclass
class Job:
    """One call for a worker; ``future`` is None for fire-and-forget messages."""

    message: tuple[Any, ...]
    future: concurrent.futures.Future[Any] | None = None
    conn: int | None = None
    state: CtxState | None = None
    docs: list[DocArg] = field(default_factory=list)


class _Slot:
    """One worker process and the thread that feeds it."""

    def __init__(self, index: int, job_timeout: float = JOB_TIMEOUT) -> None:
        self.index = index
        self.job_timeout = job_timeout
        self.jobs: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self.proc: subprocess.Popen[bytes] | None = None
        self.connections: set[int] = set()
        # What this process already holds, per connection: its last context
        # state and (uri -> version, text) of documents it was sent.
        self.states: dict[int, CtxState] = {}
        self.docs: dict[tuple[int, str], tuple[int | None, str]] = {}
        self.started = 0
        self.thread = threading.Thread(
            target=self._run, name=f"analysis_{index}", daemon=True
        )

    # -- process ------------------------------------------------------------
    def spawn(self) -> None:
        env = dict(os.environ)
        path = env.get("PYTHONPATH")
        env["PYTHONPATH"] = REPO_ROOT + (os.pathsep + path if path else "")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "lsp.analysis_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            close_fds=True,
        )
        self.states.clear()
        self.docs.clear()
        self.started += 1

    def reap(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        for stream in (proc.stdin, proc.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass
        try:
            proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    @property
    def pid(self) -> int | None:
        return None if self.proc is None else self.proc.pid

    # -- dispatcher thread ----------------------------------------------------
    def _run(self) -> None:
        while True:
            job = self.jobs.get()
            if job is None:
                self.reap()
                return
            if job.future is not None and not job.future.set_running_or_notify_cancel():
                continue  # cancelled while queued: never reaches the worker
            try:
                self._serve(job)
            except BaseException as exc:
                log.exception("analysis dispatcher failed")
                if job.future is not None and not job.future.done():
                    job.future.set_exception(exc)

    def _encode(self, job: Job) -> tuple[Any, ...]:
        """The message with what this process already has left out."""
        if job.conn is None:
            return job.message
        kind, job_id, conn, _state, target, args, kwargs = job.message
        state = job.state
        if state is not None and self.states.get(conn) == state:
            state = None
        docs = {id(d): d for d in job.docs}

        def slim(value: Any) -> Any:
            doc = docs.get(id(value))
            if doc is None or doc.source is None:
                return value
            held = self.docs.get((conn, doc.uri))
            if held is not None and held[0] == doc.version and held[1] == doc.source:
                return DocArg(
                    doc.uri, doc.version, None, doc.path, doc.encoding, doc.language_id
                )
            return value

        args = tuple(slim(a) for a in args)
        kwargs = {k: slim(v) for k, v in kwargs.items()}
        return (kind, job_id, conn, state, target, args, kwargs)

    def _remember(self, job: Job) -> None:
        if job.conn is None:
            return
        if job.state is not None:
            self.states[job.conn] = job.state
        for doc in job.docs:
            if doc.source is not None:
                self.docs[(job.conn, doc.uri)] = (doc.version, doc.source)

    def _send(self, message: tuple[Any, ...]) -> None:
        assert self.proc is not None
        write_message(cast(IO[bytes], self.proc.stdin), message)

    def _read(self) -> Any:
        """The worker's next message; None if it died (or sent garbage)."""
        assert self.proc is not None
        try:
            return read_message(cast(IO[bytes], self.proc.stdout))
        except Exception:
            log.exception("unreadable message from analysis worker %s", self.pid)
            return None

    def _serve(self, job: Job) -> None:
        if job.message[0] == "forget":
            conn = job.message[1]
            self.states.pop(conn, None)
            for key in [k for k in self.docs if k[0] == conn]:
                del self.docs[key]
            if self.proc is not None and self.proc.poll() is None:
                try:
                    self._send(job.message)
                except OSError:
                    self.reap()
            return
        assert job.future is not None
        for _attempt in (1, 2):
            if self.proc is None or self.proc.poll() is not None:
                self.reap()
                self.spawn()
            # The worker acknowledges a job before running it: a process that
            # died while idle (or dies on reading it) fails no request, the
            # job goes to a fresh one.
            try:
                self._send(self._encode(job))
                ack = self._read()
            except OSError:
                ack = None
            if ack is not None:
                break
            self.reap()
        else:
            job.future.set_exception(
                WorkerCrashed(message="analysis worker failed to start")
            )
            return
        self._remember(job)
        proc = self.proc
        assert proc is not None
        timed_out = threading.Event()

        def stop() -> None:
            timed_out.set()
            proc.kill()

        watchdog = threading.Timer(self.job_timeout, stop)
        watchdog.daemon = True
        watchdog.start()
        try:
            reply = self._read()
        finally:
            watchdog.cancel()
        if reply is None and timed_out.is_set():
            log.error(
                "analysis worker %s killed: a request ran over %.0f s",
                proc.pid,
                self.job_timeout,
            )
            self.reap()
            job.future.set_exception(
                JobTimedOut(
                    message=f"analysis took longer than {self.job_timeout:g} s "
                    "and was stopped"
                )
            )
            return
        if reply is None:
            log.error("analysis worker %s died during a request", self.pid)
            self.reap()
            job.future.set_exception(
                WorkerCrashed(message="analysis worker stopped; try again")
            )
            return
        status, _job_id, value = reply
        if status == "ok":
            job.future.set_result(value)
        else:
            job.future.set_exception(value)


class AnalysisPool:
    """``size`` analysis processes, started together on first use."""

    def __init__(self, size: int, job_timeout: float = JOB_TIMEOUT) -> None:
        if size < 1:
            raise ValueError("an analysis pool needs at least one process")
        self.size = size
        self.job_timeout = job_timeout
        self._slots: list[_Slot] = []
        self._assigned: dict[int, _Slot] = {}
        self._lock = threading.Lock()
        self._closed = False
        self._ids = itertools.count(1)

    def _start(self) -> list[_Slot]:
        with self._lock:
            if self._closed:
                raise RuntimeError("analysis pool is closed")
            if not self._slots:
                self._slots = [_Slot(i, self.job_timeout) for i in range(self.size)]
                for slot in self._slots:
                    slot.spawn()
                    slot.thread.start()
            return self._slots

    def slot_for(self, conn: int) -> _Slot:
        """The worker this connection uses; assigned on first use, kept."""
        slots = self._start()
        with self._lock:
            slot = self._assigned.get(conn)
            if slot is None:
                slot = min(slots, key=lambda s: (len(s.connections), s.index))
                slot.connections.add(conn)
                self._assigned[conn] = slot
            return slot

    def submit(
        self,
        conn: int,
        state: CtxState | None,
        target: tuple[str, str, str | None],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> concurrent.futures.Future[Any]:
        """Queue one call for the connection's worker."""
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()
        docs = [a for a in (*args, *kwargs.values()) if isinstance(a, DocArg)]
        message = ("call", next(self._ids), conn, state, target, args, kwargs)
        self.slot_for(conn).jobs.put(Job(message, future, conn, state, docs))
        return future

    def forget(self, conn: int) -> None:
        """Drop a closed connection's state in its worker."""
        with self._lock:
            slot = self._assigned.pop(conn, None)
            if slot is None or self._closed:
                return
            slot.connections.discard(conn)
        slot.jobs.put(Job(("forget", conn)))

    def pids(self) -> list[int]:
        """Process ids of the running workers (for tests and diagnostics)."""
        return [pid for s in self._slots if (pid := s.pid) is not None]

    def worker_pid(self, conn: int) -> int | None:
        """The process id serving ``conn`` right now, if assigned."""
        slot = self._assigned.get(conn)
        return None if slot is None else slot.pid

    def close(self) -> None:
        """Stop every worker and dispatcher thread; queued jobs are cancelled."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            slots, self._slots = self._slots, []
            self._assigned.clear()
        for slot in slots:
            # Jobs still queued will not run: cancel them so callers wake up.
            pending: list[Job] = []
            while True:
                try:
                    job = slot.jobs.get_nowait()
                except queue.Empty:
                    break
                if job is not None:
                    pending.append(job)
            for job in pending:
                if job.future is not None:
                    job.future.cancel()
            # A job running now ends when its process is closed under it.
            if slot.proc is not None and slot.proc.stdin is not None:
                with contextlib.suppress(OSError):
                    slot.proc.stdin.close()
            slot.jobs.put(None)
        for slot in slots:
            slot.thread.join(STOP_TIMEOUT)
            if slot.thread.is_alive() and slot.proc is not None:
                slot.proc.kill()  # stuck in a long job
                slot.thread.join(STOP_TIMEOUT)
