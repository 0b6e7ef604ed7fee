"""Prior-and-ensemble dashboard: at init the output of a wide net is a Gaussian process (the
NNGP); after training, an ensemble of nets against the closed-form mean ± 2σ (Lee et al.
2019). Wiring only: :func:`ntklab.experiments.ensemble.ensemble_comparison` computes,
:mod:`ntklab.figures.ensemble` draws.

The closed-form bands are drawn at once, before the nets train (one vmapped ensemble). The
captions quote :func:`ntklab.experiments.ensemble.claims`, checked on the ensemble shown; the
last few ensembles are kept, so a language switch or a control moved back does not retrain.
"""

from __future__ import annotations

from ..experiments.common import WORK_BUDGET
from ..experiments.ensemble import claims, ensemble_comparison
from ..figures.ensemble import ensemble_figs
from .controls import Param
from .training import WIDTH_STEP, TrainingDashboard

__all__ = ["EnsembleDashboard"]

# The plots reach twice as far as the training points (random on the target's [−1, 1]), so
# that the bands can be seen beyond them: the trained band opens there, the prior widens.
PLOT_RANGE = (-2.0, 2.0)


class EnsembleDashboard(TrainingDashboard):
    """Width m, ensemble size E, init scale s, training points n, GD steps and first seed.

    URL names: ``m``, ``members``, ``s``, ``n``, ``steps``, ``seed``, ``lang`` (e.g.
    ``?m=32&members=32``). Some large combinations are refused with a message (the work
    budget of :mod:`ntklab.experiments.common`), never run for minutes.
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

    def __init__(self, **kwargs):
        self._runs: dict = {}
        super().__init__(**kwargs)

    def compute(self, values, token):
        key = tuple(sorted(values.items()))
        view = self._runs.get(key)
        if view is not None:
            return view
        what = self.tr("ensemble.working", members=values["members"], m=values["m"])

        def on_start(start):
            self.draw_frame(lambda: self._figures(start, None, values), token, force=True)

        token.progress(0.0, what)
        view = ensemble_comparison(values["m"], values["members"], init_scale=values["s"],
                                   n_train=values["n"], n_test=200, steps=values["steps"],
                                   seed=values["seed"], plot_range=PLOT_RANGE,
                                   budget=WORK_BUDGET, bucket=True,
                                   on_start=on_start, on_step=self.train_progress(token, what))
        if not view.completed:
            raise ValueError(self.tr("ensemble.diverged"))
        return self.remember(self._runs, key, view)

    def claims(self, view, values):
        return claims(view)

    def _figures(self, start, view, values):
        E = values["members"]
        return ensemble_figs(start, view, labels={
            "band": self.tr("ensemble.band"), "mean": self.tr("ensemble.mean"),
            "samples": self.tr("ensemble.samples", E=E, m=values["m"]),
            "samples_mean": self.tr("ensemble.samples_mean"),
            "target": self.tr("ensemble.target"), "train": self.tr("ensemble.train"),
            "prior_title": self.tr("ensemble.prior.title", s=values["s"]),
            "prior_band": self.tr("ensemble.prior.band"),
            "trained_title": self.tr("ensemble.trained.title", t=start.t_end),
            "std_title": self.tr("ensemble.std.title", E=E),
            "std_prior": self.tr("ensemble.std.prior"), "std_f0": self.tr("ensemble.std.f0"),
            "std_closed": self.tr("ensemble.std.closed"),
            "std_nets": self.tr("ensemble.std.nets")})

    def build_figures(self, view, values):
        return self._figures(view.start, view, values)
