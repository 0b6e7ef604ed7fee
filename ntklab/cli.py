"""The ``ntklab`` command.

    ntklab app [--port N] [--no-browser] [--no-preheat] [--pool-size K] [--pool NAME=K ...]
               [--no-refill] [--ip ADDR] [--base-url PATH] [--jax-cache DIR | --no-jax-cache]
    ntklab figures [--out DIR] [--small] [--only NAME ...]   (ntklab.export)

serves ``notebooks/dashboards/`` with Voila, using the repository's ``voila.json``
(preheated kernels, idle-kernel culling, code and tracebacks hidden), and serves
ntklab's small plotly.js bundle (scatter + heatmap), loaded once per page by URL, with
the figures' own browser front end (:mod:`ntklab.app.serving.plotly_bundle`), in ntklab's
Voila template (Voila's ``lab`` without its CDN stylesheets: no request leaves the server).
The command line and environment come from :mod:`ntklab.app.serving.voila`; the server runs
under :mod:`ntklab.app.serving.process`: SIGTERM, SIGINT (Ctrl-C) or SIGHUP stop it and every
kernel (a bounded wait, then kill).

Adding a subcommand: write ``_add_<name>(subparsers)`` that creates its parser and sets
``func`` (a callable taking the parsed args and returning an exit code), then list it in
``SUBCOMMANDS``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .app.serving.process import exec_supervisor
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


def _pool_entry(text: str) -> tuple[str, int]:
    name, sep, size = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"expected DASHBOARD=K (e.g. spectrum=30), got {text!r}")
    try:
        count = int(size)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"pool size must be a whole number, got {size!r}") from None
    if not 0 <= count <= 64:
        raise argparse.ArgumentTypeError(f"pool size must be in 0..64, got {count}")
    return name.strip().removesuffix(".ipynb"), count


def _run_app(args) -> int:
    try:
        argv, cwd = voila_command(args.port, open_browser=not args.no_browser,
                                  preheat=not args.no_preheat, ip=args.ip,
                                  pool_size=args.pool_size, pools=dict(args.pool or ()),
                                  base_url=args.base_url, refill=not args.no_refill)
    except ValueError as exc:
        print(f"ntklab app: {exc}", file=sys.stderr)
        return 2
    jax_cache = False if args.no_jax_cache else (args.jax_cache or True)
    base = "/".join(["", *filter(None, (args.base_url or "").split("/")), ""])
    print(f"Serving the ntklab dashboards on http://{args.ip}:{args.port}{base} (Ctrl-C to stop)",
          flush=True)
    # becomes the small supervisor (serving/process.py), which runs Voila until a signal
    return exec_supervisor(argv, cwd=cwd, env=voila_env(jax_cache=jax_cache))


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
    p.add_argument("--pool", type=_pool_entry, action="append", metavar="NAME=K",
                   help="preheated kernels for one dashboard, e.g. --pool spectrum=30 for a "
                        "class opening the spectrum page at once (repeatable; others keep "
                        "--pool-size)")
    p.add_argument("--no-refill", action="store_true",
                   help="do not replace a preheated kernel once taken (one user per server, "
                        "as on Binder: the pool's memory is spent once)")
    p.add_argument("--base-url", default=None, metavar="PATH",
                   help="serve below a path prefix (behind a proxy, e.g. /user/ada/ntklab/)")
    cache = p.add_mutually_exclusive_group()
    cache.add_argument("--jax-cache", type=Path, default=None, metavar="DIR",
                       help="JAX compilation cache shared by the kernels "
                            "(default ~/.cache/ntklab/jax)")
    cache.add_argument("--no-jax-cache", action="store_true",
                       help="no shared JAX compilation cache")
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
