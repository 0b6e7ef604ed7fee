"""Lazy-training dashboard: a finite net beside its linearization and the infinite-width
prediction while it trains (seeds 000–002). Wiring only: :func:`ntklab.experiments.lazy_run`
and :func:`~ntklab.experiments.lazy_sweep` compute, :mod:`ntklab.figures` draws.

While the net trains, frames show the initial state at once (before the JAX compile), then
after each compiled chunk the outputs f_NN, f_lin, f_∞ at the latest recorded time, the
RMSE gaps and the losses so far; the final frame shows everything at the recorded times.
The sweep button measures RMSE(f_NN, f_lin) against width on log-log axes and reports the
fitted slope (measured, never imposed).
"""

from __future__ import annotations

import ipywidgets as W

from .. import figures
from ..analytic.metrics import rmse
from ..experiments import LAZY_SWEEP_WIDTHS, lazy_run, lazy_sweep
from .controls import Param
from .training import WIDTH_STEP, TrainingDashboard

__all__ = ["LazyDashboard"]

C_NET, C_LIN, C_INF, C_EXTRA = figures.COLORS[0], figures.COLORS[1], figures.COLORS[2], \
    figures.COLORS[3]


class LazyDashboard(TrainingDashboard):
    """Width m, init scale s, sample count n, step η (in units of 1/λ_max), steps, seed.

    URL names: ``m``, ``s``, ``n``, ``lr``, ``steps``, ``seed``, ``lang`` (e.g.
    ``?m=64&s=10``). The sweep (button) uses the widths 64, 256, 1024, 4096.
    """

    TITLE, INTRO = "lazy.title", "lazy.intro"
    PARAMS = (
        Param("m", 512, "int", "lazy.m", lo=16, hi=4096, widget="log_int",
              step=WIDTH_STEP),
        Param("s", 1.0, "float", "lazy.s", lo=0.1, hi=10.0, widget="log_slider"),
        Param("n", 16, "int", "lazy.n", lo=4, hi=32),
        Param("lr", 1.0, "float", "lazy.lr", lo=0.1, hi=1.9, step=0.05),
        Param("steps", 1000, "int", "lazy.steps", lo=100, hi=3000, step=100),
        Param("seed", 0, "int", "lazy.seed", lo=0, hi=9999, widget="int_text"),
    )
    FIGURES = (
        ("fit", "lazy.fit.caption"),
        ("gap", "lazy.gap.caption"),
        ("drift", "lazy.drift.caption"),
        ("loss", "lazy.loss.caption"),
        ("sweep", "lazy.sweep.caption"),
    )

    def __init__(self, **kwargs):
        self._runs: dict = {}
        self._sweeps: dict = {}
        self._sweep_wanted = None
        super().__init__(**kwargs)

    # -- layout: the sweep button under the controls ------------------------------------
    def layout(self):
        self.sweep_button = W.Button(icon="line-chart", layout=W.Layout(width="auto"))
        self.sweep_button.on_click(lambda _: self.run_sweep())
        box = super().layout()
        box.children = (*box.children[:5], self.sweep_button, *box.children[5:])
        return box

    def _relabel(self):
        super()._relabel()
        if hasattr(self, "sweep_button"):
            widths = ", ".join(map(str, LAZY_SWEEP_WIDTHS))
            self.sweep_button.description = self.tr("lazy.sweep.button", widths=widths)

    def run_sweep(self) -> None:
        """Measure RMSE(f_NN, f_lin) against width for the current settings (button)."""
        try:
            self._sweep_wanted = self._sweep_key(self.values())
        except ValueError:
            return
        self.refresh()

    # -- computation ------------------------------------------------------------------
    @staticmethod
    def _run_key(v):
        return (v["m"], v["s"], v["n"], v["lr"], v["steps"], v["seed"])

    @staticmethod
    def _sweep_key(v):
        return (v["s"], v["n"], v["steps"], v["seed"])

    def compute(self, values, token):
        key, skey = self._run_key(values), self._sweep_key(values)
        run = self._runs.get(key)
        if run is None:
            losses = []  # (t, loss_net, loss_lin) after each chunk: the animated frames
            gaps = []  # (t, RMSE(f_NN, f_lin), RMSE(f_lin, f_∞)) at each record reached
            state = {"record": None}

            def on_start(start):
                state["start"] = start
                self.draw_frame(lambda: self._start_figures(start, losses, values), token,
                                force=True)

            def on_frame(p):
                start = state["start"]
                losses.append((start.lr * p.step, p.loss_net, p.loss_lin))
                if p.record_step is not None and p.record_step != state["record"]:
                    t = start.lr * p.record_step
                    f_inf = start.limit_at(t)
                    state.update(record=p.record_step, t=t, f=(p.f_net, p.f_lin, f_inf))
                    gaps.append((t, float(rmse(p.f_net, p.f_lin)), float(rmse(p.f_lin, f_inf))))
                self.draw_frame(lambda: self._frame_figures(start, losses, gaps, state, values),
                                token)

            what = self.tr("lazy.working", m=values["m"], steps=values["steps"])
            token.progress(0.0, what)
            run = lazy_run(values["m"], init_scale=values["s"], n_train=values["n"],
                           lr_factor=values["lr"], steps=values["steps"], seed=values["seed"],
                           on_start=on_start,
                           progress=self.train_progress(token, what, on_frame))
            if run.diverged:
                raise ValueError(self.tr("lazy.diverged"))
            if run.completed:
                self.remember(self._runs, key, run)
        sweep = self._sweeps.get(skey)
        if sweep is None and self._sweep_wanted == skey:
            parts = len(LAZY_SWEEP_WIDTHS)
            seen = {"part": -1, "step": None}

            def sweep_progress(p):  # one training per width, in order
                if seen["step"] is None or p.step <= seen["step"]:
                    seen["part"] += 1
                seen["step"] = p.step
                part = min(seen["part"], parts - 1)
                token.progress((part + p.step / p.steps) / parts, self.tr(
                    "lazy.sweep.working", m=LAZY_SWEEP_WIDTHS[part], i=part + 1, k=parts))

            token.progress(0.0, self.tr("lazy.sweep.working", m=LAZY_SWEEP_WIDTHS[0], i=1,
                                        k=parts))
            sweep = lazy_sweep(LAZY_SWEEP_WIDTHS, init_scale=values["s"], n_train=values["n"],
                               steps=values["steps"], seed=values["seed"],
                               progress=sweep_progress)
            if sweep is not None:
                self.remember(self._sweeps, skey, sweep)
        return run, sweep

    # -- figures (pure builders from ntklab.figures) ----------------------------------
    def _fit_figure(self, start, f_net, f_lin, f_inf, t):
        return figures.curves_over_x_fig(start.x_test, [
            dict(name=self.tr("lazy.fit.target"), y=start.y_test, color=figures.GREY,
                 dash="dot", width=1.5),
            dict(name="f_NN", y=f_net, color=C_NET, width=2.5),
            dict(name="f_lin", y=f_lin, color=C_LIN, dash="dash"),
            dict(name="f_∞", y=f_inf, color=C_INF, dash="dot"),
        ], x_train=start.x_train, y_train=start.y_train, labels={
            "title": self.tr("lazy.fit.title", t=t, m=start.width),
            "y": "f(x, t)", "train": self.tr("lazy.fit.train")})

    def _loss_figure(self, start, losses, values):
        t = [row[0] for row in losses] or None
        return figures.curves_over_time_fig(t, [
            dict(name="f_NN", y=None if t is None else [row[1] for row in losses],
                 color=C_NET),
            dict(name="f_lin", y=None if t is None else [row[2] for row in losses],
                 color=C_LIN, dash="dash"),
        ], labels={"title": self.tr("lazy.loss.title"), "x": self.tr("lazy.t"),
                   "y": "L = ½ Σ (f(x_i) − y_i)²"})

    def _empty_over_time(self, key, names, y_label):
        return figures.curves_over_time_fig(None, [dict(name=n, y=None) for n in names],
                                            labels={"title": self.tr(key),
                                                    "x": self.tr("lazy.t"), "y": y_label})

    def _start_figures(self, start, losses, values):
        return {
            "fit": self._fit_figure(start, start.f0_test, start.f0_test, start.f0_test, 0.0),
            "gap": self._empty_over_time("lazy.gap.title", self._gap_names(), "RMSE"),
            "drift": self._empty_over_time("lazy.drift.title", self._drift_names(), ""),
            "loss": self._loss_figure(start, losses, values),
        }

    def _frame_figures(self, start, losses, gaps, state, values):
        """A frame while training: the latest recorded outputs, RMSEs so far, losses so far."""
        figs = {"loss": self._loss_figure(start, losses, values)}
        if "f" in state:
            figs["fit"] = self._fit_figure(start, *state["f"], state["t"])
            t, net_lin, lin_inf = zip(*gaps, strict=True)
            figs["gap"] = self._gap_figure(t, net_lin, lin_inf)
        return figs

    def _gap_figure(self, t, net_lin, lin_inf):
        return figures.curves_over_time_fig(t, [
            dict(name=n, y=y, color=c) for n, y, c in zip(
                self._gap_names(), (net_lin, lin_inf), (C_NET, C_INF), strict=True)],
            labels={"title": self.tr("lazy.gap.title"), "x": self.tr("lazy.t"), "y": "RMSE"})

    @staticmethod
    def _gap_names():
        return ("RMSE(f_NN, f_lin)", "RMSE(f_lin, f_∞)")

    @staticmethod
    def _drift_names():
        return ("‖θ_t − θ₀‖/‖θ₀‖", "‖K_t − K₀‖_F/‖K₀‖_F")

    def _sweep_figure(self, sweep):
        names = (self.tr("lazy.sweep.rmse"), self.tr("lazy.sweep.weight"))
        if sweep is None:
            series = [dict(name=names[0], y=None, color=C_NET),
                      dict(name=names[1], y=None, color=C_EXTRA)]
            title = self.tr("lazy.sweep.empty")
            u = None
        else:
            series = [dict(name=names[0], y=sweep.rmse, fit=sweep.fit_rmse,
                           slope=sweep.slope_rmse, color=C_NET),
                      dict(name=names[1], y=sweep.weight_change, fit=sweep.fit_weight_change,
                           slope=sweep.slope_weight_change, color=C_EXTRA)]
            title = self.tr("lazy.sweep.title", slope=sweep.slope_rmse, t=sweep.t_end)
            u = sweep.widths
        return figures.loglog_slope_fig(u, series, labels={
            "title": title, "x": self.tr("lazy.m"), "y": self.tr("lazy.sweep.y"),
            "slope": self.tr("lazy.sweep.slope")})

    def build_figures(self, result, values):
        run, sweep = result
        start = run.start
        figs = {
                "fit": self._fit_figure(start, run.f_net[-1], run.f_lin[-1], run.f_inf[-1],
                                        run.t[-1]),
                "gap": self._gap_figure(run.t, run.rmse_net_lin, run.rmse_lin_inf),
                "drift": figures.curves_over_time_fig(run.t, [
                    dict(name=n, y=y, color=c) for n, y, c in zip(
                        self._drift_names(), (run.weight_change, run.kernel_drift),
                        (C_EXTRA, C_LIN), strict=True)], labels={
                    "title": self.tr("lazy.drift.title"), "x": self.tr("lazy.t"),
                    "y": self.tr("lazy.drift.y")}),
                "loss": figures.curves_over_time_fig(run.t, [
                    dict(name="f_NN", y=run.loss_net, color=C_NET),
                    dict(name="f_lin", y=run.loss_lin, color=C_LIN, dash="dash")], labels={
                    "title": self.tr("lazy.loss.title"), "x": self.tr("lazy.t"),
                    "y": "L = ½ Σ (f(x_i) − y_i)²"}),
            }
        figs["sweep"] = self._sweep_figure(sweep)
        return figs
