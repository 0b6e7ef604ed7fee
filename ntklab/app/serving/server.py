"""The Voila server of ``ntklab app``: standalone Voila, with four changes for a class.

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
- **SIGINT and SIGHUP stop the server like SIGTERM**, also when the server was started with
  SIGINT ignored (a background job of a script: Python then never raises
  ``KeyboardInterrupt``), and pool kernels still waiting to start are cancelled, so the
  shutdown of every kernel (Voila's ``stop``) is not held up by a pool refill.
  ``ntklab app`` runs this server under :mod:`ntklab.app.serving.process`, which forwards
  its signals, waits a bounded time and then kills what is left.

Everything else is Voila's. :func:`ntklab.app.serving.voila.voila_command` runs ``python -m
ntklab.app.serving.server``, which takes Voila's command line and config (``voila.json``).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal

from jupyter_core.utils import ensure_async
from jupyter_server.utils import url_path_join
from tornado import web
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler

__all__ = ["INDEX", "NtklabVoila", "PageHandler", "main"]

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


class NtklabVoila(Voila):
    """Voila with ``/`` redirected to the served folder's ``index.ipynb``, pages that set the
    ``_xsrf`` cookie and free the kernel of a page closed while loading, and SIGINT/SIGHUP
    handled like SIGTERM."""

    def initialize(self, argv=None):
        super().initialize(argv)  # Voila handles SIGTERM; the same for SIGINT and SIGHUP
        for sig in (signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, self._handle_signal_stop)

    def init_handlers(self) -> list:
        handlers = [(pattern, PageHandler if handler is TornadoVoilaHandler else handler,
                     *rest) for pattern, handler, *rest in super().init_handlers()]
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
        super().stop()


main = NtklabVoila.launch_instance

if __name__ == "__main__":
    main()
