"""Prior-and-ensemble dashboard: at init the output of a wide net is a Gaussian process (the
NNGP); after training, an ensemble of nets matches the closed-form mean ± 2σ (seeds 001,
002, 004; Lee et al. 2019). Wiring only: :func:`ntklab.experiments.ensemble_view` computes,
:mod:`ntklab.figures` draws.

The closed-form bands are drawn at once, before the nets train (one vmapped ensemble).
"""

from __future__ import annotations

import numpy as np

from .. import figures
from ..experiments import ensemble_view
from .controls import Param
from .training import WIDTH_STEP, TrainingDashboard

__all__ = ["EnsembleDashboard"]


class EnsembleDashboard(TrainingDashboard):
    """Width m, ensemble size E, init scale s, training points n, GD steps and first seed.

    URL names: ``m``, ``members``, ``s``, ``n``, ``steps``, ``seed``, ``lang`` (e.g.
    ``?m=32&members=32``). Some large combinations are refused with a message (the work
    budget of :mod:`ntklab.experiments`), never run for minutes.
    """

    TITLE, INTRO = "ensemble.title", "ensemble.intro"
    PARAMS = (
        Param("m", 256, "int", "ensemble.m", lo=16, hi=1024, widget="log_int",
              step=WIDTH_STEP),
        Param("members", 16, "int", "ensemble.members", lo=4, hi=32),
        Param("s", 1.0, "float", "ensemble.s", lo=0.1, hi=10.0, widget="log_slider"),
        Param("n", 8, "int", "ensemble.n", lo=2, hi=16),
        Param("steps", 1000, "int", "ensemble.steps", lo=100, hi=2000, step=100),
        Param("seed", 0, "int", "ensemble.seed", lo=0, hi=9999, widget="int_text"),
    )
    FIGURES = (
        ("prior", "ensemble.prior.caption"),
        ("trained", "ensemble.trained.caption"),
        ("std", "ensemble.std.caption"),
    )

    def compute(self, values, token):
        what = self.tr("ensemble.working", members=values["members"], m=values["m"])

        def on_start(start):
            self.draw_frame(lambda: self._figures(start, None, values), token, force=True)

        token.progress(0.0, what)
        view = ensemble_view(values["m"], members=values["members"], init_scale=values["s"],
                             n_train=values["n"], steps=values["steps"], seed=values["seed"],
                             on_start=on_start, progress=self.train_progress(token, what))
        if not view.completed:
            raise ValueError(self.tr("ensemble.diverged"))
        return view

    def _figures(self, start, view, values):
        E = values["members"]
        band = dict(band=self.tr("ensemble.band"), mean=self.tr("ensemble.mean"),
                    samples=self.tr("ensemble.samples", E=E, m=values["m"]),
                    samples_mean=self.tr("ensemble.samples_mean"),
                    target=self.tr("ensemble.target"), train=self.tr("ensemble.train"))
        zero = np.zeros_like(start.x_test)
        prior = figures.band_fig(
            start.x_test, zero, start.prior_std,
            samples=None if view is None else view.f0,
            samples_mean=None if view is None else view.f0_mean,
            labels={**band, "title": self.tr("ensemble.prior.title", s=values["s"]),
                    "y": "f(x; θ₀)", "band": self.tr("ensemble.prior.band")})
        trained = figures.band_fig(
            start.x_test, start.mean, start.std,
            samples=None if view is None else view.f_end,
            samples_mean=None if view is None else view.f_end_mean,
            x_train=start.x_train, y_train=start.y_train, x_target=start.x_test,
            y_target=start.y_test,
            labels={**band, "title": self.tr("ensemble.trained.title", t=start.t_end),
                    "y": "f(x, t)"})
        std = figures.curves_over_x_fig(start.x_test, [
            dict(name=self.tr("ensemble.std.prior"), y=start.prior_std,
                 color=figures.COLORS[0], dash="dot", width=1.5),
            dict(name=self.tr("ensemble.std.f0"), y=None if view is None else view.f0_std,
                 color=figures.COLORS[1], dash="dot", width=1.5),
            dict(name=self.tr("ensemble.std.closed"), y=start.std, color=figures.COLORS[0]),
            dict(name=self.tr("ensemble.std.nets"), y=None if view is None else view.f_end_std,
                 color=figures.COLORS[1]),
        ], x_train=start.x_train, y_train=np.zeros_like(start.x_train), labels={
            "title": self.tr("ensemble.std.title", E=E), "y": "σ(x)",
            "train": self.tr("ensemble.train")})
        return {"prior": prior, "trained": trained, "std": std}

    def build_figures(self, view, values):
        return self._figures(view.start, view, values)
