"""The ``ntklab`` command.

    ntklab app [--port N] [--no-browser] [--no-preheat] [--pool-size K] [--ip ADDR]
    ntklab figures [--out DIR] [--small] [--only NAME ...]   (ntklab.export)

serves ``notebooks/dashboards/`` with Voila, using the repository's ``voila.json``
(preheated kernels, idle-kernel culling, code and tracebacks hidden), and serves
ntklab's small plotly.js bundle (scatter + heatmap), loaded once per page by URL, with
the figures' own browser front end (:mod:`ntklab.app.serving.plotly_bundle`), in ntklab's
Voila template (Voila's ``lab`` without its CDN stylesheets: no request leaves the server).
The command line and environment come from :mod:`ntklab.app.serving.voila`.

Adding a subcommand: write ``_add_<name>(subparsers)`` that creates its parser and sets
``func`` (a callable taking the parsed args and returning an exit code), then list it in
``SUBCOMMANDS``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

from .app.serving.voila import voila_command, voila_env

__all__ = ["build_parser", "main"]

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
    from .export import add_figures_subcommand  # plotly only when asked for

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
