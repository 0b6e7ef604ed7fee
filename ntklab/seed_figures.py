"""``ntklab figures``: regenerate the seed-figure reproductions as files.

Each figure is written as a self-contained HTML page (plotly's ``write_html``; the plotly
library is written once beside them as ``plotly.min.js``, so the pages open offline) and a
JSON file of the same name holding the function called, its settings and the key numbers
measured in that run. No figure is copied from a seed: every one is recomputed.

    ntklab figures [--out DIR] [--small] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import figures_seed as fs
from . import reproduce as rp
from .analytic.metrics import rmse as _rmse

__all__ = ["FIGURES", "add_figures_subcommand", "write_seed_figures"]


@dataclass(frozen=True)
class _Spec:
    """One reproduction: the experiment, its full and small settings, and how to draw it."""

    name: str
    seed_figure: str
    run: Callable
    full: dict
    small: dict
    draw: Callable  # result -> {file stem: figure}
    measure: Callable  # result -> dict of key numbers


def _spectrum_measure(r):
    k = r.crossings.shape[0]
    return {"n": int(r.x.shape[0]), "k": k,
            "indices_with_i_minus_1_crossings": int(np.sum(r.crossings == np.arange(k))),
            "crossings": r.crossings.tolist(), "lam_first_last": [r.lam[0], r.lam[-1]]}


def _init_measure(r):
    out = {"scales": r.scales.tolist(), "test_rmse": r.test_rmse.tolist(), "lr": r.lr.tolist(),
           "roughness": r.roughness.tolist(), "roughness_target": r.roughness_target,
           "final_loss": r.loss[:, -1].tolist(), "target": r.target, "width": r.width,
           "steps": r.steps}
    if r.decomposition is not None:
        out["rms_prior_term_first_scale"] = float(_rmse(r.decomposition.prior[0]))
    return out


def _trick_measure(r):
    return {"tricks": list(r.tricks), "lr_shared": r.lr, "lam_max": r.lam_max.tolist(),
            "final_loss": r.loss[:, -1].tolist(), "test_rmse": r.test_rmse.tolist(),
            "rms_eq114_vs_plain_net": float(_rmse(r.eq114, r.f_test[0]))}


def _frequency_measure(r):
    out = {"target": r.target, "n": r.n, "freqs": r.freqs.tolist(),
           "t_delta_below_0.1_linearized": rp.time_below(r.t, r.delta_lin, 0.1).tolist()}
    if r.delta_net is not None:
        out["t_delta_below_0.1_net"] = rp.time_below(r.t_net, r.delta_net, 0.1).tolist()
        out["final_delta_net"] = r.delta_net[-1].tolist()
        out["weight_change_net"] = r.weight_change_net
    return out


FIGURES = (
    _Spec("fig_1_1", "seed 003, Fig. 1.1", rp.spectrum_figure,
          dict(n=3000, k=40), dict(n=200, k=12),
          lambda r: dict(zip(("fig_1_1a_eigenvectors", "fig_1_1b_zero_crossings"),
                             fs.spectrum_figure_figs(r), strict=True)),
          _spectrum_measure),
    _Spec("fig_1_2", "seed 003, Fig. 1.2", rp.init_scale_comparison,
          dict(n_train=600, n_test=1200, width=1000, steps=20_000),
          dict(n_train=40, n_test=80, width=64, steps=100),
          lambda r: {"fig_1_2_init_scale": fs.init_comparison_fig(r)}, _init_measure),
    _Spec("fig_1_4", "seed 003, Fig. 1.4", rp.trick_comparison,
          dict(width=5000, depth=2, init_scale=10.0, steps=1000),  # the seed's 1-5000-5000-1
          dict(width=16, depth=2, init_scale=10.0, steps=20, n_test=50),
          lambda r: dict(zip(("fig_1_4a_outputs", "fig_1_4b_prior_term", "fig_1_4c_loss"),
                             fs.trick_comparison_fig(r), strict=True)),
          _trick_measure),
    _Spec("frequency_principle", "seed 003 §1.1 (frequency principle)", rp.frequency_errors,
          dict(target="three_sines", n=201, width=1000, steps=20_000),
          dict(target="three_sines", n=51, width=32, steps=200),
          lambda r: {"frequency_principle": fs.frequency_errors_fig(r)}, _frequency_measure),
)


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def write_seed_figures(out="seed_figures", *, small=False, only=None,
                       progress: Callable[[str], object] | None = print) -> list[Path]:
    """Run each reproduction and write ``<stem>.html`` and ``<stem>.json`` into ``out``.

    Args:
        out: output directory (created).
        small: the reduced settings used by the tests (seconds, not minutes).
        only: names from :data:`FIGURES` to run (``None`` for all).
        progress: receives status lines (``None`` for silence).

    Returns the paths written.
    """
    names = [s.name for s in FIGURES]
    chosen = names if only is None else list(only)
    unknown = sorted(set(chosen) - set(names))
    if unknown:
        raise ValueError(f"unknown figure(s) {unknown}; choose from {names}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for spec in FIGURES:
        if spec.name not in chosen:
            continue
        settings = spec.small if small else spec.full
        if progress:
            progress(f"{spec.name} ({spec.seed_figure}): {spec.run.__name__}({settings})")
        start = time.perf_counter()
        result = spec.run(**settings, progress=progress)
        seconds = time.perf_counter() - start
        for stem, fig in spec.draw(result).items():
            html = out / f"{stem}.html"
            fig.write_html(html, include_plotlyjs="directory", full_html=True)
            meta = {"figure": stem, "reproduces": spec.seed_figure,
                    "function": f"ntklab.{spec.run.__name__}", "settings": settings,
                    "small": small, "seconds": round(seconds, 1),
                    "measured": spec.measure(result)}
            path = out / f"{stem}.json"
            path.write_text(json.dumps(_jsonable(meta), indent=1, ensure_ascii=False) + "\n")
            written += [html, path]
    return written


def _run(args) -> int:
    paths = write_seed_figures(args.out, small=args.small, only=args.only)
    print(f"wrote {len(paths)} files to {args.out}")
    return 0


def add_figures_subcommand(subparsers) -> None:
    """Register ``ntklab figures`` on an argparse subparsers object (see ``ntklab.cli``)."""
    p = subparsers.add_parser("figures", help="regenerate the seed-figure reproductions")
    p.add_argument("--out", default="seed_figures", help="output directory")
    p.add_argument("--small", action="store_true", help="reduced sizes (a quick check)")
    p.add_argument("--only", nargs="+", choices=[s.name for s in FIGURES],
                   help="run only these figures")
    p.set_defaults(func=_run)


def main(argv=None) -> int:  # ``python -m ntklab.seed_figures`` works without ntklab.cli
    parser = argparse.ArgumentParser(prog="ntklab")
    add_figures_subcommand(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
