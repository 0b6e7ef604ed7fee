"""``ntklab app`` inside a Jupyter server, through jupyter-server-proxy (Binder, JupyterHub).

The Voila *server extension* (``/voila/render/...`` of a Jupyter server) has no kernel pool:
every dashboard opened there starts a cold kernel (5-13 s measured), and it serves Voila's
own template (CDN stylesheets, no kernel-start notes, plotly.js inline in every figure). A
Jupyter server with jupyter-server-proxy can instead start ``ntklab app`` (standalone,
preheated Voila) on first request to ``<server>/ntklab/`` and proxy to it: the same
dashboards, with ntklab's template, pool and clean shutdown.

:func:`server_proxy_entry` is the ``c.ServerProxy.servers["ntklab"]`` entry; the Jupyter
config files that use it are ``binder/jupyter-config/jupyter_server_config.py`` (Binder) and
``deploy/jupyterhub/singleuser/jupyter_server_config.py`` (JupyterHub). The JupyterLab
launcher shows it as "ntklab dashboards". ``NTKLAB_APP_ARGS`` in the Jupyter server's
environment adds ``ntklab app`` options (later options win: ``--pool-size=0
--pool=spectrum=1``), for a deployment or a test that wants another pool.

Notes: ``absolute_url`` is on, so Voila sees its full path and is started with ``--base-url``
set to the Jupyter server's base URL + ``ntklab/``. jupyter-server-proxy buffers a proxied
response unless the browser asks for ``text/event-stream``, so a page whose kernel starts
cold arrives whole once its notebook has run: Voila's spinner and ntklab's "server busy"
note do not show through the proxy (a preheated page arrives in about a second anyway).
"""

from __future__ import annotations

import os
import shlex
import sys

__all__ = ["BINDER_POOLS", "NAME", "server_proxy_entry"]

NAME = "ntklab"  # the path below the Jupyter server: <base_url>ntklab/
STARTUP_TIMEOUT = 120.0  # s for Voila to answer (imports on a 1-CPU container)
# Binder's pool (binder/jupyter-config): spectrum (the index's first dashboard) and
# initialization (the slowest to start cold: 16.5 s to a first plot on one CPU, the others
# 4-8 s) preheated; the other five start cold on first open. One preheated kernel per
# dashboard measured 1.86 GB PSS at rest and 2.14 GB with all seven open, over mybinder.org's
# 2 GB limit (benchmarks/bench_binder.py, docs/deploy.md).
BINDER_POOLS = {"spectrum": 1, "initialization": 1}


def server_proxy_entry(*, pool_size: int | None = None, pools: dict[str, int] | None = None,
                       refill: bool = True, title: str = "ntklab dashboards") -> dict:
    """jupyter-server-proxy's entry for ``ntklab app`` (``c.ServerProxy.servers[NAME]``).

    ``pool_size``/``pools`` as ``ntklab app --pool-size``/``--pool``; ``refill=False`` keeps
    the pool from starting a replacement for a taken kernel (one user per server, as on
    Binder: each dashboard's first open is preheated, and the pool's memory is spent once).
    """
    command = [sys.executable, "-m", "ntklab.cli", "app", "--no-browser", "--port={port}",
               "--base-url={base_url}" + NAME + "/"]
    if pool_size is not None:
        command.append(f"--pool-size={pool_size}")
    for name, size in (pools or {}).items():
        command.append(f"--pool={name}={size}")
    if not refill:
        command.append("--no-refill")
    command += shlex.split(os.environ.get("NTKLAB_APP_ARGS", ""))
    return {
        "command": command,
        "timeout": STARTUP_TIMEOUT,
        "absolute_url": True,
        "new_browser_tab": True,
        "launcher_entry": {"enabled": True, "title": title, "path_info": NAME + "/"},
    }
