"""How ntklab's dashboards are served: the Voila command line (:func:`voila_command`, the
repository's ``voila.json`` plus ntklab's template and plotly.js bundle, run as
:mod:`ntklab.app.serving.server`: Voila whose root ``/`` opens ``index.ipynb``) and its environment
(:func:`voila_env`). Used by ``ntklab app`` (:mod:`ntklab.cli`, which runs it under
:mod:`ntklab.app.serving.process`), the browser tests (:mod:`ntklab.app.testing`), the
Binder/JupyterHub proxy entry (:mod:`ntklab.app.serving.proxy`) and the serving benchmarks.

Two settings for a class:

- **Pool size per dashboard** (``pools``, ``ntklab app --pool spectrum=30``): Voila's
  ``VoilaKernelManager.kernel_pools_config`` (given as ``NtklabVoila.kernel_pools``); every
  other dashboard keeps the default (``pool_size`` or ``voila.json``'s ``default_pool_size``).
- **JAX's persistent compilation cache** (:func:`voila_env`'s ``jax_cache``, on by default
  in :func:`default_jax_cache`, a directory the server owns): the kernels of the training
  dashboards share their compiled XLA programs instead of compiling each in every kernel.
  Every entry is kept (``JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS=0``: the dashboards'
  programs compile in well under JAX's default threshold of 1 s each, but there are many),
  the directory is capped (LRU eviction, which also makes JAX lock the directory, with the
  ``filelock`` package, so that a kernel never reads an entry another one is writing).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

__all__ = ["JAX_CACHE_MAX_BYTES", "REPO", "SERVER_MODULE", "TEMPLATE", "TEMPLATE_ROOT",
           "dashboards_dir", "default_jax_cache", "kernel_transport_args", "pool_config",
           "voila_command", "voila_env"]

REPO = Path(__file__).resolve().parents[3]
# Voila template: "lab" without CDN links (ntklab/app/serving/jupyter/voila/templates/ntklab)
TEMPLATE = "ntklab"
TEMPLATE_ROOT = Path(__file__).resolve().parent / "jupyter"  # put on JUPYTER_PATH
SERVER_MODULE = "ntklab.app.serving.server"  # Voila, with / opening index.ipynb
NEVER_SECONDS = 10**9  # a pool refill delay that never comes (--no-refill)
LAB_ONLY_EXTENSIONS = ("@jupyterhub/jupyter-server-proxy", "jupyterlab-jupytext", "ipylab")
JAX_CACHE_MAX_BYTES = 512 * 2**20  # the shared compilation cache's cap (LRU eviction)
# a kernel's Unix socket: <root>/voila_XXXXXXXX/kernel-<uuid>-ipc-<n> (Voila's mkdtemp, then
# jupyter_client's names); sun_path holds 104 bytes on macOS, 108 on Linux, with the NUL
SOCKET_PATH_MAX = 103
_SOCKET_NAME_LENGTH = len("/voila_XXXXXXXX/kernel-") + 36 + len("-ipc-99")


def dashboards_dir() -> Path:
    """``notebooks/dashboards`` of the source tree (editable install or a checkout)."""
    for root in (REPO, Path.cwd()):
        path = root / "notebooks" / "dashboards"
        if (path / "index.ipynb").is_file():
            return path
    raise SystemExit("ntklab app: cannot find notebooks/dashboards; run it from the ntklab "
                     "repository (or install it with `pip install -e .`)")


def default_jax_cache() -> Path:
    """The server's JAX compilation cache: ``$XDG_CACHE_HOME/ntklab/jax`` (``~/.cache``)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "ntklab" / "jax"


def kernel_transport_args(roots: tuple[str, ...] | None = None) -> list[str]:
    """Voila's kernels talk to the server over Unix sockets in the server's private
    connection directory (``mkdtemp``: mode 0700), not over TCP on localhost.

    With TCP, jupyter_client picks five free ports per kernel and the kernel binds them a
    moment later. A port taken in between (by another user's Voila server starting a kernel
    at the same time, or by any outgoing connection) kills the new kernel ("Address already
    in use"), and the student's page never finishes loading. This happened in the hub test
    under load, two students' servers starting kernels within 0.1 s. Unix sockets are named
    after the kernel's id, so they cannot collide; and a port on localhost is open to every
    user of the machine, where the directory is its owner's alone.

    The socket path must fit ``sun_path``: the first of ``roots`` (the system's temporary
    directory, then ``/tmp``) short enough to hold it is the connection directory's root.
    Where none is, or on Windows, Voila keeps TCP (an empty list)."""
    if os.name != "posix":
        return []
    for root in roots or (tempfile.gettempdir(), "/tmp"):
        if len(root) + _SOCKET_NAME_LENGTH <= SOCKET_PATH_MAX and os.path.isdir(root) \
                and os.access(root, os.W_OK | os.X_OK):
            return ["--KernelManager.transport=ipc", f"--Voila.connection_dir_root={root}"]
    return []


def _notebook(name: str) -> str:
    return name if name.endswith(".ipynb") else f"{name}.ipynb"


def pool_config(pools: dict[str, int], default: int, folder: Path) -> dict:
    """Voila's ``kernel_pools_config`` for per-dashboard pool sizes (``{"spectrum": 30}``);
    the other dashboards keep ``default``. Unknown dashboards are refused."""
    config = {"default": {"pool_size": int(default)}}
    for name, size in pools.items():
        notebook = _notebook(name)
        if not (Path(folder) / notebook).is_file():
            known = sorted(p.stem for p in Path(folder).glob("*.ipynb") if p.stem != "index")
            raise ValueError(f"pool: no dashboard {name!r} in {folder} (known: "
                             f"{', '.join(known)})")
        config[notebook] = {"pool_size": int(size)}
    return config


def _voila_json_default_pool(cwd: Path) -> int:
    try:
        config = json.loads((cwd / "voila.json").read_text())
    except (OSError, ValueError):
        return 1
    return int(config.get("VoilaConfiguration", {}).get("default_pool_size", 1))


def voila_command(port: int = 8866, *, open_browser: bool = True, preheat: bool = True,
                  ip: str = "127.0.0.1", pool_size: int | None = None,
                  pools: dict[str, int] | None = None, base_url: str | None = None,
                  refill: bool = True, folder: Path | None = None) -> tuple[list[str], Path]:
    """The Voila command line and the directory to run it in (where ``voila.json`` is).

    Run it with :func:`voila_env` as the environment. ``pool_size`` overrides
    ``voila.json``'s preheated kernels per dashboard; ``pools`` sets it for some dashboards
    (``{"spectrum": 30}``). ``refill=False``: a taken pool kernel is not replaced (one user
    per server, Binder). ``base_url`` serves below a path prefix (``/user/ada/ntklab/``
    behind jupyter-server-proxy). ``folder`` serves another folder of notebooks with the same
    settings (the benchmarks' bare reference pages).
    """
    from .plotly_bundle import bundle_dir

    dashboards = dashboards_dir()
    cwd = dashboards.parents[1]  # the repository root, home of voila.json
    folder = dashboards if folder is None else Path(folder)
    # Voila with its root redirected to the folder's index.ipynb (serving/server.py)
    argv = [sys.executable, "-m", SERVER_MODULE, str(folder), f"--port={port}", f"--Voila.ip={ip}",
            # a taken port is an error, not a silent move to another one (the proxy, the
            # tests and the teacher's link all expect this port)
            "--Voila.port_retries=0",
            # voila.json's "lab" without its CDN stylesheets (found on voila_env's JUPYTER_PATH)
            f"--VoilaConfiguration.template={TEMPLATE}",
            # ntklab/app/serving/static at <base>/voila/labextensions/: plotly-ntklab.min.js
            f"--VoilaConfiguration.extra_labextensions_path={bundle_dir()}"]
    # JupyterLab-only front-end extensions installed beside Voila: in a dashboard they do
    # nothing but fail to load (a console error, e.g. jupyter-server-proxy's launcher item)
    argv += [f"--VoilaConfiguration.extension_denylist={name}" for name in LAB_ONLY_EXTENSIONS]
    argv += kernel_transport_args()
    if base_url:
        base = "/".join(["", *filter(None, base_url.split("/")), ""])  # "/a/b/" or "/"
        argv.append(f"--Voila.base_url={base}")
    if not open_browser:
        argv.append("--no-browser")
    if not preheat:
        argv.append("--VoilaConfiguration.preheat_kernel=False")
    if pool_size is not None:
        argv.append(f"--VoilaConfiguration.default_pool_size={pool_size}")
    if not refill:  # Voila refills fill_delay seconds after a take: never, in practice
        argv.append(f"--VoilaKernelManager.fill_delay={NEVER_SECONDS}")
    if pools and preheat:
        default = _voila_json_default_pool(cwd) if pool_size is None else pool_size
        config = pool_config(pools, default, folder)
        argv.append(f"--NtklabVoila.kernel_pools={json.dumps(config)}")
    return argv, cwd


def voila_env(base: dict | None = None, *, jax_cache: Path | bool | None = True) -> dict:
    """The environment for :func:`voila_command` (inherited by every kernel): tells the
    dashboards' figures to use their own front end and ntklab's plotly.js bundle, Voila
    where ntklab's template is (``JUPYTER_PATH``), and JAX where the kernels' shared
    compilation cache is (``jax_cache``: a directory, ``True`` for
    :func:`default_jax_cache`, ``False``/``None`` for none)."""
    from .plotly_bundle import ENV, URL_PATH

    env = dict(os.environ if base is None else base)
    env[ENV] = URL_PATH
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(TEMPLATE_ROOT),
                                                        env.get("JUPYTER_PATH")]))
    if jax_cache is True:
        jax_cache = default_jax_cache()
    if jax_cache:
        Path(jax_cache).mkdir(parents=True, exist_ok=True)
        env["JAX_COMPILATION_CACHE_DIR"] = str(jax_cache)
        env["JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS"] = "0"
        env["JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES"] = "0"
        env["JAX_COMPILATION_CACHE_MAX_SIZE"] = str(JAX_CACHE_MAX_BYTES)
    return env
