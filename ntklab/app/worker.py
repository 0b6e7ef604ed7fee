"""The latest-wins worker: one thread per dashboard, on which its jobs run one at a time.

:meth:`Worker.submit` replaces any queued job and cancels the running one; a job notices at
its next ``token.check()`` / ``token.progress()`` (:class:`Token`), which raise
:class:`Cancelled`. So a burst of control changes computes only the last values: this is the
dashboards' debounce, with no fixed delay and no backlog.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

__all__ = ["Cancelled", "Token", "Worker"]

log = logging.getLogger("ntklab.app")


class Cancelled(Exception):
    """Raised inside a job whose values are no longer current."""


class Token:
    """Handed to a job: ``check()`` raises :class:`Cancelled` once a newer job exists;
    ``progress(fraction, what)`` reports progress (and checks)."""

    def __init__(self, worker: Worker, generation: int, on_progress=None):
        self._worker, self._generation, self._on_progress = worker, generation, on_progress

    @property
    def cancelled(self) -> bool:
        return self._worker.generation != self._generation

    def check(self) -> None:
        if self.cancelled:
            raise Cancelled

    def progress(self, fraction: float, what: str = "") -> None:
        self.check()
        if self._on_progress is not None:
            self._on_progress(self, fraction, what)


class Worker:
    """Runs ``job(token)`` callables one at a time on a daemon thread.

    :meth:`submit` replaces any queued job and cancels the running one (cooperatively,
    at its next ``token.check()``), so a burst of control changes computes only the last.
    With ``threaded=False`` jobs run inline in :meth:`submit` (tests, scripts).
    """

    def __init__(self, *, threaded: bool = True, on_progress=None, name: str = "ntklab-worker"):
        self.threaded = threaded
        self.generation = 0
        self._on_progress = on_progress
        self._cond = threading.Condition()
        self._pending: Callable | None = None
        self._busy = False
        self._name = name
        self._thread: threading.Thread | None = None

    def submit(self, job: Callable[[Token], None]) -> None:
        with self._cond:
            self.generation += 1
            token = Token(self, self.generation, self._on_progress)
            if not self.threaded:
                self._pending = None
            else:
                self._pending = (job, token)
                if self._thread is None:
                    self._thread = threading.Thread(target=self._loop, name=self._name,
                                                    daemon=True)
                    self._thread.start()
                self._cond.notify_all()
                return
        self._run(job, token)

    def wait(self, timeout: float = 60.0) -> bool:
        """Block until no job is queued or running; False on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._pending is not None or self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
        return True

    @property
    def idle(self) -> bool:
        return self._pending is None and not self._busy

    def _run(self, job, token):
        try:
            job(token)
        except Cancelled:
            pass
        except Exception:  # a job must handle its own errors; never let the loop die
            log.exception("unhandled error in a dashboard job")

    def _loop(self):
        while True:
            with self._cond:
                while self._pending is None:
                    self._cond.wait()
                job, token = self._pending
                self._pending, self._busy = None, True
            try:
                self._run(job, token)
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()
