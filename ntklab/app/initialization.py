"""Initialization dashboard: the initial output stays in the trained function unless the
initialization cancels it (Xu's lecture notes, *Understanding deep learning*, 2023,
§1.4–1.6, Fig. 1.4; eq. 1.14). Wiring only:
:func:`ntklab.experiments.initialization.trick_comparison` computes,
:mod:`ntklab.figures.initialization` draws.

The four nets (plain, ASI, doubling, RND) are trained one after the other, each with the
adaptive step η_k = 1/λ_max of its current kernel (so that a small init, s = 0.1, trains
too; :func:`ntklab.train`), each on its own clock t = Σ η_k; the loss curves are drawn as
they train. Picking another trick only redraws (the last few
runs are cached).
"""

from __future__ import annotations

from ..experiments.common import WORK_BUDGET
from ..experiments.initialization import INIT_TARGET, TRICK_NAMES, claims, trick_comparison
from ..figures import initialization as figures
from .controls import Param
from .training import WIDTH_STEP, TrainingDashboard

__all__ = ["InitDashboard"]

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
        Param("trick", "asi", "choice", "init.trick", choices=TRICK_NAMES,
              choice_labels=tuple(f"init.trick.{t}" for t in TRICK_NAMES), widget="toggle"),
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
        losses = {name: ([], []) for name in TRICK_NAMES}  # (times, losses) so far
        state = {"part": -1, "step": None}

        def on_start(start):
            state["start"] = start
            self.draw_frame(lambda: {"init": self._init_figure(start, values),
                                     "loss": self._loss_figure(losses, values)}, token,
                            force=True)

        what = self.tr("init.working", m=values["m"], depth=values["depth"])

        def on_step(p):  # the four nets train in TRICK_NAMES order, each from step 0
            if state["step"] is None or p.step <= state["step"]:
                state["part"] += 1
            state["step"] = p.step
            part = min(state["part"], len(TRICK_NAMES) - 1)
            name = TRICK_NAMES[part]
            token.progress((part + p.step / max(p.steps, 1)) / len(TRICK_NAMES),
                           f"{what}: {self.tr(f'init.trick.{name}')}")
            losses[name][0].append(p.t)  # the net's own clock Σ η_k (adaptive step)
            losses[name][1].append(p.loss_net)
            self.draw_frame(lambda: {"loss": self._loss_figure(losses, values)}, token)

        token.progress(0.0, what)
        view = trick_comparison(values["m"], depth=values["depth"], init_scale=values["s"],
                                target=INIT_TARGET, n_train=10, n_test=200,
                                steps=values["steps"], lr="adaptive", record=41,
                                seed=values["seed"],
                                data_seed=0, budget=WORK_BUDGET, on_start=on_start,
                                on_step=on_step)
        if not view.completed:
            raise ValueError(self.tr("init.diverged"))
        return self.remember(self._runs, key, view)

    def claims(self, view, values):
        return claims(view, shown=values["trick"])

    def claim_fields(self, claim):
        name = self._trick_labels()
        fields = dict(claim.values)
        for key in ("trick", "first"):
            if key in fields:
                fields[key] = name.get(fields[key], self.tr("claim.none"))
        if "order" in fields:
            fields["order"] = " < ".join(name[t] for t in fields["order"]) or self.tr(
                "claim.none")
        if "never" in fields:
            fields["never"] = (self.tr("claim.never", names=", ".join(
                name[t] for t in fields["never"])) if fields["never"] else "")
        return fields

    # -- figures (ntklab.figures.initialization, with translated labels) ----------------
    def _trick_labels(self):
        return {name: self.tr(f"init.trick.{name}") for name in TRICK_NAMES}

    def _init_figure(self, start, values):
        return figures.tricks_at_init_fig(start, values["trick"], labels={
            **self._trick_labels(), "title": self.tr("init.init.title", s=values["s"]),
            "train": self.tr("init.train")})

    def _loss_figure(self, curves, values):
        return figures.trick_losses_fig(curves, values["trick"], labels={
            **self._trick_labels(), "title": self.tr("init.loss.title"),
            "x": self.tr("init.t")})

    def build_figures(self, view, values):
        chosen = values["trick"]
        i = TRICK_NAMES.index(chosen)
        trick = self.tr(f"init.trick.{chosen}")
        trained = figures.tricks_trained_fig(view, chosen, labels={
            **self._trick_labels(), "train": self.tr("init.train"),
            "target": self.tr("init.target"), "eq114": self.tr("init.eq114"),
            "zero_init": self.tr("init.zero_init"),
            "net": self.tr("init.trained.net", trick=trick),
            "title": self.tr("init.trained.title", trick=trick, t=view.t_end_of(i),
                             rmse=float(view.test_rmse[i]))})
        prior = figures.prior_term_fig(view, labels={
            "title": self.tr("init.prior.title"), "term": self.tr("init.prior.term"),
            "gap": self.tr("init.prior.gap"), "train": self.tr("init.train")})
        return {"trained": trained, "init": self._init_figure(view.start, values),
                "prior": prior, "loss": self._loss_figure(view, values)}
