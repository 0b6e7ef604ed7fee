"""The Voila server of ``ntklab app``: standalone Voila, with six changes for a class.

- **The root opens the dashboards.** Standalone Voila serving a folder answers ``/`` with its
  file list (the "tree" page), where a student who opens ``http://localhost:8866/`` expected
  the dashboards. Voila has no setting for the page at ``/`` (and runs no Jupyter server
  extensions), so one handler in front of Voila's own redirects ``/`` (302, with the query
  string) to ``voila/render/index.ipynb`` when the served folder has an ``index.ipynb``.
- **Every page gets the ``_xsrf`` cookie.** Voila's page sends a shutdown beacon for its
  kernel on ``beforeunload``, which the server accepts only with an ``_xsrf`` token equal to
  the ``_xsrf`` cookie; standalone Voila never sets that cookie. The dashboards' watchdog
  (:mod:`ntklab.app.serving.watch`) sets one in the browser, but only once a dashboard has
  drawn: a student who opened the index first, or closed a tab while it loaded, left a kernel
  for the idle cull (5 minutes). The page handler now sets it with the page.
- **A page closed while it loads frees its kernel.** Voila keeps running the notebook of a
  page whose browser went away before the page arrived (no beacon can come: the page's
  scripts never ran). The page handler notices the closed connection, stops sending and
  shuts that kernel down.
- **A websocket client of the older (unnamed) kernel protocol cannot hang the server.**
  Voila's kernel websocket reads the header of every binary message as the v1 protocol's
  (8-byte offsets); a message of the older protocol, which any client that asks for no
  subprotocol gets (a script; browsers ask for v1), read that way gave a count of ~10^18
  offsets: the server spun at 100 % CPU with its memory growing, and no page on it answered
  again. One widget-state request was enough (seen with the class benchmark's client).
  :class:`KernelWebsocketHandler` reads such messages in their own format.
- **SIGINT and SIGHUP stop the server like SIGTERM**, also when the server was started with
  SIGINT ignored (a background job of a script: Python then never raises
  ``KeyboardInterrupt``), and pool kernels still waiting to start are cancelled, so the
  shutdown of every kernel (Voila's ``stop``) is not held up by a pool refill.
  ``ntklab app`` runs this server under :mod:`ntklab.app.serving.process`, which forwards
  its signals, waits a bounded time and then kills what is left.

- **Pool kernels start a few at a time.** Voila refills its pool ``fill_delay`` after each
  take, every refill at once: thirty students taking thirty preheated kernels within 10 s
  started thirty kernels, each running its dashboard's notebook, together on two cores. Every
  one of them then waited longer than ``VoilaExecutor.iopub_timeout`` for its last cell's
  output ("Timeout waiting for IOPub output" thirty times in the server log), and a kernel
  that misses that output can leave a page without its dashboard. Pool kernels now start at
  most ``NtklabVoila.pool_starts`` (default: the number of CPUs) at a time, each holding its
  turn while it starts and runs the cells before the URL-preset cell (at most 10 s); the
  others wait their turn (a student who arrives while the pool refills gets a ready kernel if
  there is one, else waits for the next).

Everything else is Voila's. :func:`ntklab.app.serving.voila.voila_command` runs ``python -m
ntklab.app.serving.server``, which takes Voila's command line and config (``voila.json``).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import os
import re
import signal
import struct

from jupyter_core.utils import ensure_async
from jupyter_server.utils import url_path_join
from tornado import web
from traitlets import Int, Unicode
from voila import app as voila_app
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

__all__ = ["INDEX", "KernelWebsocketHandler", "NtklabVoila", "PageHandler", "main"]

V1_PROTOCOL = "v1.kernel.websocket.jupyter.org"  # what browsers (JupyterLab, Voila) ask for

INDEX = "index.ipynb"  # the page opened at the server's root, when the folder has one

# Voila's page config, sent before the notebook runs: {"baseUrl": ..., "kernelId": "<uuid>"}
_KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')
_PENDING: set = set()


class PageHandler(TornadoVoilaHandler):
    """Voila's page handler (``/voila/render/...``), which also sets the ``_xsrf`` cookie and
    shuts down the kernel of a page whose browser left before the page was sent."""

    _gone = False
    _kernel_id: str | None = None
    _shutting_down = False

    def on_connection_close(self) -> None:
        self._gone = True
        self._free_kernel()
        super().on_connection_close()

    def _free_kernel(self) -> None:
        if self._kernel_id is None or self._shutting_down:
            return
        self._shutting_down = True
        self.log.info("Page closed before it was sent: shutting down kernel %s",
                      self._kernel_id)

        async def shutdown(kernel_id=self._kernel_id):
            with contextlib.suppress(Exception):  # KeyError, RuntimeError: already gone
                await ensure_async(self.kernel_manager.shutdown_kernel(kernel_id))

        task = asyncio.ensure_future(shutdown())
        _PENDING.add(task)  # the loop holds tasks weakly
        task.add_done_callback(_PENDING.discard)

    @web.authenticated
    async def get(self, path=None):
        self.xsrf_token  # noqa: B018  (tornado sets the cookie when the request has none)
        pages = self.get_generator(path=path)
        try:
            async for html in pages:
                if self._kernel_id is None and (found := _KERNEL_ID.search(html)):
                    self._kernel_id = found.group(1)
                if self._gone:
                    break
                self.write(html)
                self.flush()
        except Exception:
            if not self._gone:
                raise  # the kernel was shut down under the page's rendering: expected
        finally:
            if self._gone:
                with contextlib.suppress(Exception):
                    await pages.aclose()
                self._free_kernel()


def legacy_header(message: bytes) -> dict | None:
    """The header of a binary websocket message of the older kernel protocol (jupyter_server's
    ``serialize_binary_message``: a big-endian count, the parts' offsets, the JSON message
    first), or None when it is not one."""
    try:
        count = struct.unpack("!I", message[:4])[0]
        if not 1 <= count <= 1024 or len(message) < 4 * (count + 1):
            return None
        offsets = [*struct.unpack("!" + "I" * count, message[4:4 * (count + 1)]), len(message)]
        return json.loads(message[offsets[0]:offsets[1]]).get("header")
    except (struct.error, ValueError, UnicodeDecodeError, AttributeError):
        return None


class KernelWebsocketHandler(VoilaKernelWebsocketHandler):
    """Voila's kernel websocket, reading binary messages of the older protocol in their own
    format (Voila reads every binary message as v1: see the module docstring)."""

    def write_message(self, message, binary: bool = False):
        if isinstance(message, bytes) and self.selected_subprotocol != V1_PROTOCOL:
            header = legacy_header(message)
            if header and header.get("msg_type") == "execute_input":
                return None  # Voila hides the code a kernel echoes
            # Voila's own filter would misread this message: skip to jupyter_server's
            return super(VoilaKernelWebsocketHandler, self).write_message(message, binary)
        return super().write_message(message, binary)


POOL_START_HOLD_S = 10.0  # a pool kernel holds its turn this long at most: its notebook stops at
# the dashboard's URL-preset cell until a student takes it (voila.utils.get_query_string waits
# for the page request), so the render task ends only then; by 10 s the kernel has started and
# run the cells before that one (imports, the default view's computation: ~3 CPU-s)


def _bounded_kernel_manager_factory(*args, **kwargs):
    """Voila's kernel manager class, whose pool kernels start at most ``parent.pool_starts`` at
    a time. Voila's ``_initialize`` starts a pool kernel and returns its notebook's render
    task; the turn is held until that task ends or for ``POOL_START_HOLD_S``, whichever comes
    first."""
    manager = _voila_kernel_manager_factory(*args, **kwargs)
    if not hasattr(manager, "_initialize"):  # no preheating: nothing to bound
        return manager

    class BoundedPoolKernelManager(manager):
        _pool_turns: asyncio.Semaphore | None = None

        async def _initialize(self, notebook_path, kernel_id=None, **kwargs):
            if self._pool_turns is None:
                limit = getattr(self.parent, "pool_starts", 0) or os.cpu_count() or 1
                self._pool_turns = asyncio.Semaphore(limit)
            turns = self._pool_turns
            await turns.acquire()
            released = False

            def release(*_):
                nonlocal released
                if not released:
                    released = True
                    turns.release()

            try:
                content = await super()._initialize(notebook_path, kernel_id, **kwargs)
            except BaseException:
                release()
                raise
            content["task"].add_done_callback(release)
            asyncio.get_running_loop().call_later(POOL_START_HOLD_S, release)
            return content

    BoundedPoolKernelManager.__name__ = manager.__name__
    return BoundedPoolKernelManager


_voila_kernel_manager_factory = voila_app.voila_kernel_manager_factory
# Voila's app builds its kernel manager class through this module-level name (init_settings);
# this module runs as the server's own process (python -m ntklab.app.serving.server)
voila_app.voila_kernel_manager_factory = _bounded_kernel_manager_factory


class NtklabVoila(Voila):
    """Voila with ``/`` redirected to the served folder's ``index.ipynb``, pages that set the
    ``_xsrf`` cookie and free the kernel of a page closed while loading, a kernel websocket
    that older-protocol clients cannot hang, and SIGINT/SIGHUP handled like SIGTERM."""

    kernel_pools = Unicode(
        "", config=True,
        help="VoilaKernelManager.kernel_pools_config as JSON ({notebook: {pool_size: k}}); "
             "traitlets deprecates dicts given as JSON on the command line")

    pool_starts = Int(
        0, config=True,
        help="pool kernels that start and run their notebook at the same time (0: one per "
             "CPU); the others wait their turn")

    def initialize(self, argv=None):
        super().initialize(argv)  # Voila handles SIGTERM; the same for SIGINT and SIGHUP
        for sig in (signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, self._handle_signal_stop)
        if self.kernel_pools:  # read by the kernel manager, created when the server starts
            self.config.VoilaKernelManager.kernel_pools_config = json.loads(self.kernel_pools)

    def init_handlers(self) -> list:
        ours = {TornadoVoilaHandler: PageHandler,
                VoilaKernelWebsocketHandler: KernelWebsocketHandler}
        handlers = [(pattern, ours.get(handler, handler), *rest)
                    for pattern, handler, *rest in super().init_handlers()]
        if self.notebook_path or not os.path.isfile(os.path.join(self.root_dir, INDEX)):
            return handlers  # one notebook served, or no index: Voila's own root
        index = url_path_join(self.base_url, "voila/render", INDEX)
        # first: tornado takes the first handler whose pattern matches the path
        return [(url_path_join(self.server_url, "/"), web.RedirectHandler,
                 {"url": index, "permanent": False}), *handlers]

    def stop(self):
        # Voila's shutdown_all awaits every pool task, including refills still in their
        # fill_delay (8 s) that would then start a kernel and run its notebook: cancel those.
        for pool in getattr(self.kernel_manager, "_pools", {}).values():
            for task in pool:
                if isinstance(task, asyncio.Task) and not task.done():
                    task.cancel()
        # Kernels end at once (now=True: killed, no shutdown request). A pool kernel waits in
        # its dashboard's URL-preset cell; asked to shut down, it closed its sockets under
        # that cell's pending reply and printed a ZMQError traceback per kernel into the
        # teacher's terminal. Nothing in a dashboard kernel needs saving.
        manager = self.kernel_manager
        if manager is not None:
            manager.shutdown_all = functools.partial(manager.shutdown_all, now=True)
        super().stop()


main = NtklabVoila.launch_instance

if __name__ == "__main__":
    main()
