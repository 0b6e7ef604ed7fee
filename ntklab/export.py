"""``ntklab figures``: reproduce the figures of the source texts as files.

For each entry of :data:`FIGURES`: claim → experiment (:mod:`ntklab.experiments`) →
figures (:mod:`ntklab.figures`) → a self-contained HTML page per figure (plotly's
``write_html``; plotly.js is written once beside them as ``plotly.min.js``, so the pages
open offline) and a JSON file of the same name: the function called, its settings, and
the experiment's ``summary`` — the numbers measured in that run. Nothing is copied from a
source: every figure is recomputed.

    ntklab figures [--out DIR] [--small] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import inspect
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .experiments import frequency, initialization, regimes, spectrum
from .figures import frequency as frequency_figs
from .figures import initialization as init_figs
from .figures import regimes as regimes_figs
from .figures import spectrum as spectrum_figs

__all__ = ["FIGURES", "add_figures_subcommand", "write_figures"]


@dataclass(frozen=True)
class Reproduction:
    """One reproduction: what it reproduces, the experiment with its full and small
    settings, how to draw it and what it measured."""

    name: str
    reproduces: str
    run: Callable
    full: dict
    small: dict
    draw: Callable  # result -> {file stem: figure}
    measure: Callable  # result -> dict of key numbers
    calls: str = ""  # the experiment functions run, when ``run`` combines several

    @property
    def function(self) -> str:
        return self.calls or f"{self.run.__module__}.{self.run.__name__}"


def _frequency_run(*, target, n, width, steps, progress=None):
    """The linearized model's Δ_k(t) on an n-point grid and a width-m net trained beside it."""
    view = frequency.frequency_view(target, n)
    net = frequency.frequency_finite(view, steps=steps, width=width, budget=None,
                                     progress=progress)
    return view, net


def _frequency_draw(result):
    view, net = result
    cols = frequency.strongest_freqs(view, 3)
    return {"frequency_principle": frequency_figs.frequency_bands_fig(
        view.t_grid, view.delta[:, cols], view.freqs[cols], t_net=net.t,
        delta_net=net.delta[:, cols], labels={
            "title": f"Relative error per frequency, target {view.target}",
            "lin": "infinite width (linearized)", "net": f"width-{net.width} net (GD)"})}


def _frequency_measure(result):
    view, net = result
    return {"linearized": frequency.summary(view), "net": frequency.summary(net)}


def _tricks_draw(r):
    return {"fig_1_4a_outputs": init_figs.tricks_trained_fig(r, "plain"),
            "fig_1_4b_prior_term": init_figs.prior_term_fig(r),
            "fig_1_4c_loss": init_figs.trick_losses_fig(r, "asi")}


FIGURES = (
    Reproduction("fig_1_1", "Xu, Understanding deep learning (2023), Fig. 1.1",
                 spectrum.spectrum_view, dict(n=3000, k=40), dict(n=200, k=12),
                 lambda r: dict(zip(("fig_1_1a_eigenvectors", "fig_1_1b_zero_crossings"),
                                    spectrum_figs.spectrum_figs(r), strict=True)),
                 spectrum.summary),
    Reproduction("fig_1_2", "Xu, Understanding deep learning (2023), Fig. 1.2",
                 initialization.init_scale_comparison,
                 dict(n_train=600, n_test=1200, width=1000, steps=20_000),
                 dict(n_train=40, n_test=80, width=64, steps=100),
                 lambda r: {"fig_1_2_init_scale": init_figs.init_comparison_fig(r)},
                 initialization.summary),
    Reproduction("fig_1_4", "Xu, Understanding deep learning (2023), Fig. 1.4",
                 initialization.trick_comparison,
                 dict(width=5000, depth=2, init_scale=10.0, steps=1000),  # 1-5000-5000-1
                 dict(width=16, depth=2, init_scale=10.0, steps=20, n_test=50),
                 _tricks_draw, initialization.summary),
    Reproduction("frequency_principle",
                 "Xu, Understanding deep learning (2023), §1.1 (the frequency principle)",
                 _frequency_run, dict(target="three_sines", n=201, width=1000, steps=20_000),
                 dict(target="three_sines", n=51, width=32, steps=200),
                 _frequency_draw, _frequency_measure,
                 calls="ntklab.experiments.frequency.frequency_view, frequency_finite"),
    # a finer map than the 7 × 7 one shipped with the dashboard (docs/science.md §3.11)
    Reproduction("phase_diagram",
                 "Luo, Xu, Ma & Zhang, Phase diagram for two-layer ReLU neural networks at "
                 "infinite-width limit (2021), measured",
                 regimes.phase_diagram,
                 dict(gammas=tuple(0.25 + 0.125 * i for i in range(13)),
                      gamma_primes=tuple(-0.75 + 0.125 * i for i in range(13)),
                      max_steps=16_000),
                 dict(gammas=(0.5, 1.5), gamma_primes=(0.0,), widths=(64, 256)),
                 lambda r: {"phase_diagram": regimes_figs.map_fig(r)}, regimes.summary),
)


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def _accepts_progress(fn) -> bool:
    return "progress" in inspect.signature(fn).parameters


def write_figures(out="figures-out", *, small=False, only=None,
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
        function = spec.function
        if progress:
            progress(f"{spec.name} ({spec.reproduces}): {function}({settings})")
        start = time.perf_counter()
        extra = {"progress": progress} if _accepts_progress(spec.run) else {}
        result = spec.run(**settings, **extra)
        seconds = time.perf_counter() - start
        measured = spec.measure(result)
        for stem, fig in spec.draw(result).items():
            html = out / f"{stem}.html"
            fig.write_html(html, include_plotlyjs="directory", full_html=True)
            meta = {"figure": stem, "reproduces": spec.reproduces, "function": function,
                    "settings": settings, "small": small, "seconds": round(seconds, 1),
                    "measured": measured}
            path = out / f"{stem}.json"
            path.write_text(json.dumps(_jsonable(meta), indent=1, ensure_ascii=False) + "\n")
            written += [html, path]
    return written


def _run(args) -> int:
    paths = write_figures(args.out, small=args.small, only=args.only)
    print(f"wrote {len(paths)} files to {args.out}")
    return 0


def add_figures_subcommand(subparsers) -> None:
    """Register ``ntklab figures`` on an argparse subparsers object (see ``ntklab.cli``)."""
    p = subparsers.add_parser("figures", help="reproduce the source texts' figures as files")
    p.add_argument("--out", default="figures-out", help="output directory (default: figures-out)")
    p.add_argument("--small", action="store_true", help="reduced sizes (a quick check)")
    p.add_argument("--only", nargs="+", choices=[s.name for s in FIGURES],
                   help="run only these figures")
    p.set_defaults(func=_run)


def main(argv=None) -> int:  # ``python -m ntklab.export`` works without ntklab.cli
    parser = argparse.ArgumentParser(prog="ntklab")
    add_figures_subcommand(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
