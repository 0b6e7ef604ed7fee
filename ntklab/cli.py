"""The ``ntklab`` command.

    ntklab app [--port N] [--no-browser] [--no-preheat] [--pool-size K] [--ip ADDR]
    ntklab figures [--out DIR] [--small] [--only NAME ...]   (ntklab.seed_figures)

serves ``notebooks/dashboards/`` with Voila, using the repository's ``voila.json``
(preheated kernels, idle-kernel culling, code and tracebacks hidden), and serves
ntklab's small plotly.js bundle (scatter + heatmap), loaded once per page by URL, with
the figures' own browser front end (:mod:`ntklab.app.serving.plotly_bundle`), in ntklab's Voila
template (Voila's ``lab`` without its CDN stylesheets: no request leaves the server).

Adding a subcommand: write ``_add_<name>(subparsers)`` that creates its parser and sets
``func`` (a callable taking the parsed args and returning an exit code), then list it in
``SUBCOMMANDS``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

__all__ = ["build_parser", "dashboards_dir", "main", "voila_command", "voila_env"]

REPO = Path(__file__).resolve().parents[1]
# Voila template: "lab" without CDN links (ntklab/app/serving/jupyter/voila/templates/ntklab)
TEMPLATE = "ntklab"
TEMPLATE_ROOT = Path(__file__).resolve().parent / "app" / "serving" / "jupyter"  # on JUPYTER_PATH


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
    from .app.serving.plotly_bundle import bundle_dir

    dashboards = dashboards_dir()
    cwd = dashboards.parents[1]  # the repository root, home of voila.json
    folder = dashboards if folder is None else Path(folder)
    argv = [sys.executable, "-m", "voila", str(folder), f"--port={port}", f"--Voila.ip={ip}",
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
    from .app.serving.plotly_bundle import ENV, URL_PATH

    env = dict(os.environ if base is None else base)
    env[ENV] = URL_PATH
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(TEMPLATE_ROOT),
                                                        env.get("JUPYTER_PATH")]))
    return env


def _port(text: str) -> int:
    port = int(text)
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be in 1..65535, got {port}")
    return port


def _pool(text: str) -> int:
    size = int(text)
    if not 0 <= size <= 8:
        raise argparse.ArgumentTypeError(f"pool size must be in 0..8, got {size}")
    return size


def _run_app(args) -> int:
    argv, cwd = voila_command(args.port, open_browser=not args.no_browser,
                              preheat=not args.no_preheat, ip=args.ip,
                              pool_size=args.pool_size)
    print(f"Serving the ntklab dashboards on http://{args.ip}:{args.port}/ (Ctrl-C to stop)",
          flush=True)
    try:
        return subprocess.call(argv, cwd=cwd, env=voila_env())
    except KeyboardInterrupt:
        return 0


def _add_app(subparsers) -> None:
    p = subparsers.add_parser("app", help="serve the dashboards with Voila")
    p.add_argument("--port", type=_port, default=8866, help="port (default 8866)")
    p.add_argument("--ip", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1; 0.0.0.0 for a class network)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser")
    p.add_argument("--no-preheat", action="store_true",
                   help="start a kernel per page instead of keeping preheated ones")
    p.add_argument("--pool-size", type=_pool, default=None, metavar="K",
                   help="preheated kernels kept per dashboard (default: voila.json's, 1); "
                        "each idle kernel holds ~0.2 GB, see docs/deploy.md")
    p.set_defaults(func=_run_app)


def _add_figures(subparsers) -> None:
    from .seed_figures import add_figures_subcommand  # plotly only when asked for

    add_figures_subcommand(subparsers)


SUBCOMMANDS = [_add_app, _add_figures]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ntklab", description=__doc__.splitlines()[0])
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in SUBCOMMANDS:
        add(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
