"""How ntklab's dashboards are served: the Voila command line (:func:`voila_command`, the
repository's ``voila.json`` plus ntklab's template and plotly.js bundle, run as
:mod:`ntklab.app.serving.server`: Voila whose root ``/`` opens ``index.ipynb``) and its environment
(:func:`voila_env`). Used by ``ntklab app`` (:mod:`ntklab.cli`), the browser tests
(:mod:`ntklab.app.testing`) and the serving benchmarks.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

__all__ = ["REPO", "SERVER_MODULE", "TEMPLATE", "TEMPLATE_ROOT", "dashboards_dir",
           "voila_command", "voila_env"]

REPO = Path(__file__).resolve().parents[3]
# Voila template: "lab" without CDN links (ntklab/app/serving/jupyter/voila/templates/ntklab)
TEMPLATE = "ntklab"
TEMPLATE_ROOT = Path(__file__).resolve().parent / "jupyter"  # put on JUPYTER_PATH
SERVER_MODULE = "ntklab.app.serving.server"  # Voila, with / opening index.ipynb


def dashboards_dir() -> Path:
    """``notebooks/dashboards`` of the source tree (editable install or a checkout)."""
    for root in (REPO, Path.cwd()):
        path = root / "notebooks" / "dashboards"
        if (path / "index.ipynb").is_file():
            return path
    raise SystemExit("ntklab app: cannot find notebooks/dashboards; run it from the ntklab "
                     "repository (or install it with `pip install -e .`)")


def voila_command(port: int = 8866, *, open_browser: bool = True, preheat: bool = True,
                  ip: str = "127.0.0.1", pool_size: int | None = None,
                  folder: Path | None = None) -> tuple[list[str], Path]:
    """The Voila command line and the directory to run it in (where ``voila.json`` is).

    Run it with :func:`voila_env` as the environment. ``pool_size`` overrides
    ``voila.json``'s preheated kernels per dashboard. ``folder`` serves another folder of
    notebooks with the same settings (the benchmarks' bare reference pages).
    """
    from .plotly_bundle import bundle_dir

    dashboards = dashboards_dir()
    cwd = dashboards.parents[1]  # the repository root, home of voila.json
    folder = dashboards if folder is None else Path(folder)
    # Voila with its root redirected to the folder's index.ipynb (serving/server.py)
    argv = [sys.executable, "-m", SERVER_MODULE, str(folder), f"--port={port}", f"--Voila.ip={ip}",
            # voila.json's "lab" without its CDN stylesheets (found on voila_env's JUPYTER_PATH)
            f"--VoilaConfiguration.template={TEMPLATE}",
            # ntklab/app/serving/static at <base>/voila/labextensions/: plotly-ntklab.min.js
            f"--VoilaConfiguration.extra_labextensions_path={bundle_dir()}"]
    if not open_browser:
        argv.append("--no-browser")
    if not preheat:
        argv.append("--VoilaConfiguration.preheat_kernel=False")
    if pool_size is not None:
        argv.append(f"--VoilaConfiguration.default_pool_size={pool_size}")
    return argv, cwd


def voila_env(base: dict | None = None) -> dict:
    """The environment for :func:`voila_command` (inherited by every kernel): tells the
    dashboards' figures to use their own front end and ntklab's plotly.js bundle, and
    Voila where ntklab's template is (``JUPYTER_PATH``)."""
    from .plotly_bundle import ENV, URL_PATH

    env = dict(os.environ if base is None else base)
    env[ENV] = URL_PATH
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(TEMPLATE_ROOT),
                                                        env.get("JUPYTER_PATH")]))
    return env
