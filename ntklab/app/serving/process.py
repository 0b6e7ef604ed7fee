"""Run ``ntklab app``'s Voila server and stop it, with every kernel, on SIGTERM or SIGINT.

Before this, ``ntklab app`` ran Voila with :func:`subprocess.call`: SIGTERM ended only the
``ntklab`` process (Python's default action), and Voila with its kernels (15 of them, 0.1 to
0.4 GB private memory each) kept running; a Voila started with SIGINT ignored (a background
job of a script) ignored Ctrl-C. :func:`run_server` instead:

- starts the server in its own session (process group), so that a terminal's Ctrl-C reaches
  only ``ntklab app``, which stops the server in order; on Linux the server also gets SIGTERM
  if ``ntklab app`` dies without doing so (``PR_SET_PDEATHSIG``);
- on SIGTERM, SIGINT or SIGHUP sends SIGTERM to the server's group (Voila shuts its kernels
  down: :class:`ntklab.app.serving.server.NtklabVoila`), waits at most ``grace`` seconds,
  then kills the group; a second signal kills at once;
- then ends every kernel still alive: the kernels start in sessions of their own (jupyter
  _client does that), so the group does not hold them. It notes the server's descendants
  before signalling, and, on Linux, is the "child subreaper" of its descendants, so that a
  kernel orphaned by the server is re-parented to ``ntklab app`` and found there too.

The kernels would also exit by themselves about a second after their server is gone
(ipykernel polls its parent), unless busy in code that holds the interpreter; this module
does not rely on it.

``ntklab app`` execs this file as a script (:func:`exec_supervisor`): the supervisor then
holds only the standard library and psutil (about 15 MB), not ntklab's imports (numpy and
the rest: about 50 MB private memory, which would stay for the server's whole life).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time

__all__ = ["GRACE_SECONDS", "STOP_SIGNALS", "exec_supervisor", "run_server", "stop_server"]

GRACE_SECONDS = 20.0  # Voila's own shutdown: kernels get 5 s each to exit (in parallel)
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP")
                     if hasattr(signal, name))

_PR_SET_PDEATHSIG = 1
_PR_SET_CHILD_SUBREAPER = 36


def _prctl(option: int, value: int) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _in_child() -> None:
    """Runs in the server's process between fork and exec."""
    _prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)  # ntklab app gone: stop, do not linger
    for sig in STOP_SIGNALS:  # the server installs its own handlers for these
        signal.signal(sig, signal.SIG_DFL)


def _descendants(pid: int) -> list:
    """psutil processes below ``pid`` (kernels of the server, children of ntklab app)."""
    import psutil

    with contextlib.suppress(psutil.Error):
        return psutil.Process(pid).children(recursive=True)
    return []


def _reap() -> None:
    """Collect exited children (orphaned kernels re-parented here as subreaper)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def stop_server(proc: subprocess.Popen, grace: float = GRACE_SECONDS,
                hurry=lambda: False) -> None:
    """SIGTERM to the server's process group, at most ``grace`` seconds (or until
    ``hurry()``) for it to exit, then SIGKILL; then end every kernel left."""
    import psutil

    noted = _descendants(proc.pid) + _descendants(os.getpid())
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while proc.poll() is None and time.monotonic() < deadline and not hurry():
        time.sleep(0.1)
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    # what is left: kernels noted before, and any orphan re-parented here since
    left = {p.pid: p for p in noted}
    left.update({p.pid: p for p in _descendants(os.getpid())})
    left = [p for p in left.values() if p.pid != proc.pid]
    for p in left:
        with contextlib.suppress(psutil.Error):
            p.terminate()
    _, alive = psutil.wait_procs(left, timeout=0 if hurry() else 5)
    for p in alive:
        with contextlib.suppress(psutil.Error):
            p.kill()
    psutil.wait_procs(alive, timeout=5)
    _reap()


def run_server(argv: list[str], *, cwd, env: dict, grace: float = GRACE_SECONDS) -> int:
    """Run the server command until it exits or a stop signal comes; return its exit code
    (0 after a stop signal)."""
    if os.name != "posix":  # no process groups or fork: Voila's own Ctrl-C handling
        try:
            return subprocess.call(argv, cwd=cwd, env=env)
        except KeyboardInterrupt:
            return 0
    _prctl(_PR_SET_CHILD_SUBREAPER, 1)
    received: list[int] = []
    previous = {sig: signal.signal(sig, lambda signum, _frame: received.append(signum))
                for sig in STOP_SIGNALS}
    try:
        proc = subprocess.Popen(argv, cwd=cwd, env=env, start_new_session=True,
                                preexec_fn=_in_child)
        while proc.poll() is None and not received:
            time.sleep(0.2)  # a signal cuts the sleep short
        code = 0 if received else proc.returncode
        if received:
            name = signal.Signals(received[0]).name
            print(f"\nntklab app: {name}: stopping the server and its kernels "
                  f"(at most {grace:.0f} s; again to kill now)", file=sys.stderr, flush=True)
        stop_server(proc, grace, hurry=lambda: len(received) > 1)
        return code
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def exec_supervisor(argv: list[str], *, cwd, env: dict, grace: float = GRACE_SECONDS):
    """Replace this process by ``python <this file>``, which runs :func:`run_server`
    (on POSIX; elsewhere :func:`run_server` runs here). Returns only in the latter case."""
    if os.name != "posix":
        return run_server(argv, cwd=cwd, env=env, grace=grace)
    sys.stdout.flush()
    sys.stderr.flush()
    os.chdir(cwd)
    os.execve(sys.executable, [sys.executable, "-I", os.path.abspath(__file__),
                               f"--grace={grace}", "--", *argv], env)


def _main(args: list[str]) -> int:
    grace = GRACE_SECONDS
    while args and args[0] != "--":
        option = args.pop(0)
        if option.startswith("--grace="):
            grace = float(option.split("=", 1)[1])
    return run_server(args[1:], cwd=os.getcwd(), env=dict(os.environ), grace=grace)


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
