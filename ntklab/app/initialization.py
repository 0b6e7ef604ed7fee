"""Initialization dashboard: the initial output stays in the trained function unless the
initialization cancels it (seed 003, §1.4–1.6, Fig. 1.4; eq. 1.14). Wiring only:
:func:`ntklab.experiments.init_view` computes, :mod:`ntklab.figures` draws.

The four nets (plain, ASI, doubling, RND) are trained one after the other with one shared η;
the loss curves are drawn as they train. Picking another trick only redraws (the last few
runs are cached).
"""

from __future__ import annotations

import numpy as np

from .. import figures
from ..experiments import TRICK_ORDER, init_view
from .controls import Param
from .training import WIDTH_STEP, TrainingDashboard

__all__ = ["InitDashboard"]

TRICK_COLORS = dict(zip(TRICK_ORDER, (figures.COLORS[0], figures.COLORS[1], figures.COLORS[4],
                                      figures.COLORS[3]), strict=True))


class InitDashboard(TrainingDashboard):
    """Init scale s, width m, depth L (1 or 2), the trick shown, GD steps and seed.

    URL names: ``s``, ``m``, ``depth``, ``trick`` (``plain``, ``asi``, ``doubling``,
    ``rnd``), ``steps``, ``seed``, ``lang`` (e.g. ``?depth=2&m=128&trick=asi``).
    """

    TITLE, INTRO = "init.title", "init.intro"
    PARAMS = (
        Param("s", 10.0, "float", "init.s", lo=0.1, hi=10.0, widget="log_slider"),
        Param("m", 256, "int", "init.m", lo=16, hi=1024, widget="log_int",
              step=WIDTH_STEP),
        Param("depth", 1, "int", "init.depth", lo=1, hi=2),
        Param("trick", "asi", "choice", "init.trick", choices=TRICK_ORDER,
              choice_labels=tuple(f"init.trick.{t}" for t in TRICK_ORDER), widget="toggle"),
        Param("steps", 1000, "int", "init.steps", lo=100, hi=3000, step=100),
        Param("seed", 0, "int", "init.seed", lo=0, hi=9999, widget="int_text"),
    )
    FIGURES = (
        ("trained", "init.trained.caption"),
        ("init", "init.init.caption"),
        ("prior", "init.prior.caption"),
        ("loss", "init.loss.caption"),
    )

    def __init__(self, **kwargs):
        self._runs: dict = {}
        super().__init__(**kwargs)

    @staticmethod
    def _key(v):
        return (v["s"], v["m"], v["depth"], v["steps"], v["seed"])

    def compute(self, values, token):
        key = self._key(values)
        view = self._runs.get(key)
        if view is not None:
            return view
        losses = {name: [] for name in TRICK_ORDER}
        state = {"part": -1, "step": None}

        def on_start(start):
            state["start"] = start
            self.draw_frame(lambda: {"init": self._init_figure(start, values),
                                     "loss": self._loss_figure(None, losses, values)}, token,
                            force=True)

        what = self.tr("init.working", m=values["m"], depth=values["depth"])

        def progress(p):  # the four nets train in TRICK_ORDER, each from step 0
            if state["step"] is None or p.step <= state["step"]:
                state["part"] += 1
            state["step"] = p.step
            part = min(state["part"], len(TRICK_ORDER) - 1)
            name = TRICK_ORDER[part]
            token.progress((part + p.step / max(p.steps, 1)) / len(TRICK_ORDER),
                           f"{what}: {self.tr(f'init.trick.{name}')}")
            losses[name].append((state["start"].lr * p.step, p.loss_net))
            self.draw_frame(lambda: {"loss": self._loss_figure(None, losses, values)}, token)

        token.progress(0.0, what)
        view = init_view(values["m"], depth=values["depth"], init_scale=values["s"],
                         steps=values["steps"], seed=values["seed"], on_start=on_start,
                         progress=progress)
        if not view.result.completed:
            raise ValueError(self.tr("init.diverged"))
        return self.remember(self._runs, key, view)

    # -- figures --------------------------------------------------------------------------
    def _style(self, name, values):
        chosen = name == values["trick"]
        return dict(color=TRICK_COLORS[name], width=3.0 if chosen else 1.2,
                    opacity=1.0 if chosen else 0.55)

    def _init_figure(self, start, values):
        return figures.curves_over_x_fig(start.x_test, [
            dict(name=self.tr(f"init.trick.{name}"), y=start.f0_test[i],
                 **self._style(name, values))
            for i, name in enumerate(TRICK_ORDER)], labels={
            "title": self.tr("init.init.title", s=values["s"]), "y": "f(x; θ₀)",
            "train": self.tr("init.train")})

    def _loss_figure(self, result, losses, values):
        curves = []
        for i, name in enumerate(TRICK_ORDER):
            if result is not None:
                t, y = result.t, result.loss[i]
            else:
                rows = losses[name]
                t, y = [r[0] for r in rows], ([r[1] for r in rows] or None)
            style = self._style(name, values)
            curves.append(dict(name=self.tr(f"init.trick.{name}"), y=y, t=t,
                               color=style["color"], width=style["width"]))
        return figures.curves_over_time_fig(None, curves, labels={
            "title": self.tr("init.loss.title"), "x": self.tr("init.t"),
            "y": "L = ½ Σ (f(x_i) − y_i)²"})

    def build_figures(self, view, values):
        start, res = view.start, view.result
        i = TRICK_ORDER.index(values["trick"])
        trick = self.tr(f"init.trick.{values['trick']}")
        labels = {"train": self.tr("init.train"), "y": "f(x)"}
        trained = figures.curves_over_x_fig(start.x_test, [
            dict(name=self.tr("init.target"), y=start.y_test, color=figures.GREY, dash="dot",
                 width=1.5),
            dict(name=self.tr("init.eq114"), y=res.prediction, color="black", dash="dash",
                 width=1.5),
            dict(name=self.tr("init.zero_init"), y=res.zero_init, color=figures.COLORS[2],
                 dash="dot", width=2.0),
            dict(name=self.tr("init.trained.net", trick=trick), y=res.test_output[i],
                 color=TRICK_COLORS[values["trick"]], width=2.5),
        ], x_train=start.x_train, y_train=start.y_train, labels={
            **labels, "title": self.tr("init.trained.title", trick=trick, t=start.t_end,
                                       rmse=float(res.test_rmse[i]))})
        prior = figures.curves_over_x_fig(start.x_test, [
            dict(name="h_ini", y=res.h_ini, color=TRICK_COLORS["plain"], width=1.2,
                 opacity=0.5),
            dict(name=self.tr("init.prior.term"), y=res.prior, color=figures.COLORS[5],
                 width=2.5),
            dict(name=self.tr("init.prior.gap"), y=view.plain_minus_asi,
                 color=figures.COLORS[1], dash="dash", width=1.5),
        ], x_train=start.x_train, y_train=np.zeros_like(start.x_train), labels={
            **labels, "title": self.tr("init.prior.title")})
        return {"trained": trained, "init": self._init_figure(start, values), "prior": prior,
                "loss": self._loss_figure(res, None, values)}
