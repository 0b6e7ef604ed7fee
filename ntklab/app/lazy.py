"""Lazy-training dashboard: a finite net beside its linearization and the infinite-width
prediction while it trains (Lee et al. 2019). Wiring only:
:func:`ntklab.experiments.lazy.lazy_run` and
:func:`~ntklab.experiments.lazy.convergence_vs_width` compute, :mod:`ntklab.figures.lazy`
draws.

While the net trains, frames show the initial state at once (before the JAX compile), then
after each compiled chunk the outputs f_NN, f_lin, f_∞ at the latest recorded time, the
RMSE gaps and the losses so far; the final frame shows everything at the recorded times.
The sweep button measures RMSE(f_NN, f_lin), the weight change and the kernel drift against
width on log-log axes and reports the fitted slopes (measured, never imposed). The captions
quote :func:`ntklab.experiments.lazy.claims`, checked on the run shown (and on the sweep, once
run for the same settings).
"""

from __future__ import annotations

from ..analytic.metrics import rmse
from ..experiments.common import WORK_BUDGET
from ..experiments.lazy import SWEEP_WIDTHS, claims, convergence_vs_width, lazy_run
from ..figures import lazy as figures
from .controls import Param
from .training import WIDTH_STEP, SweepDashboard

__all__ = ["LazyDashboard"]

class LazyDashboard(SweepDashboard):
    """Width m, init scale s, sample count n, step η (in units of 1/λ_max), steps, seed.

    URL names: ``m``, ``s``, ``n``, ``lr``, ``steps``, ``seed``, ``lang`` (e.g.
    ``?m=32&s=3``). The sweep (button) uses the widths 64, 256, 1024, 4096. The default
    width is the widest, 4096, where f_NN and f_lin stay within a few per cent of each
    other; narrower nets part from their linearization.
    """

    TITLE, INTRO = "lazy.title", "lazy.intro"
    PARAMS = (
        Param("m", 4096, "int", "lazy.m", lo=16, hi=4096, widget="log_int",
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

    SWEEP_BUTTON = "lazy.sweep.button"

    def sweep_label_fields(self) -> dict:
        return {"widths": ", ".join(map(str, SWEEP_WIDTHS))}

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
                           on_step=self.train_progress(token, what, on_frame))
            if run.diverged:
                raise ValueError(self.tr("lazy.diverged"))
            if run.completed:
                self.remember(self._runs, key, run)
        sweep = self._sweeps.get(skey)
        if sweep is None and self._sweep_wanted == skey:
            parts = len(SWEEP_WIDTHS)
            seen = {"part": -1, "step": None}

            def sweep_progress(p):  # one training per width, in order
                if seen["step"] is None or p.step <= seen["step"]:
                    seen["part"] += 1
                seen["step"] = p.step
                part = min(seen["part"], parts - 1)
                token.progress((part + p.step / p.steps) / parts, self.tr(
                    "lazy.sweep.working", m=SWEEP_WIDTHS[part], i=part + 1, k=parts))

            token.progress(0.0, self.tr("lazy.sweep.working", m=SWEEP_WIDTHS[0], i=1,
                                        k=parts))
            sweep = convergence_vs_width(SWEEP_WIDTHS, init_scale=values["s"],
                                         n_train=values["n"], steps=values["steps"],
                                         seeds=(values["seed"],), kernel_drift=True,
                                         budget=WORK_BUDGET, on_step=sweep_progress)
            if sweep is not None:
                self.remember(self._sweeps, skey, sweep)
        return run, sweep

    def claims(self, result, values):
        run, sweep = result
        return claims(run, sweep)

    # -- figures (ntklab.figures.lazy, with translated labels) --------------------------
    def _fit_figure(self, start, f_net, f_lin, f_inf, t):
        return figures.lazy_fit_fig(start.x_test, start.y_test, start.x_train, start.y_train,
                                    f_net, f_lin, f_inf, labels={
                                        "title": self.tr("lazy.fit.title", t=t, m=start.width),
                                        "target": self.tr("lazy.fit.target"),
                                        "train": self.tr("lazy.fit.train")})

    def _time_labels(self, key, y=None):
        labels = {"title": self.tr(key), "x": self.tr("lazy.t")}
        if y is not None:
            labels["y"] = y
        return labels

    def _loss_figure(self, t, loss_net, loss_lin):
        return figures.loss_fig(t, loss_net, loss_lin,
                                labels=self._time_labels("lazy.loss.title"))

    def _gap_figure(self, t, net_lin, lin_inf):
        return figures.gap_fig(t, net_lin, lin_inf, labels=self._time_labels("lazy.gap.title"))

    def _drift_figure(self, t, weight_change, kernel_drift):
        return figures.drift_fig(t, weight_change, kernel_drift,
                                 labels=self._time_labels("lazy.drift.title",
                                                          self.tr("lazy.drift.y")))

    def _start_figures(self, start, losses, values):
        return {
            "fit": self._fit_figure(start, start.f0_test, start.f0_test, start.f0_test, 0.0),
            "gap": self._gap_figure(None, None, None),
            "drift": self._drift_figure(None, None, None),
            "loss": self._losses_so_far(losses),
        }

    def _losses_so_far(self, losses):
        if not losses:
            return self._loss_figure(None, None, None)
        t, net, lin = zip(*losses, strict=True)
        return self._loss_figure(t, net, lin)

    def _frame_figures(self, start, losses, gaps, state, values):
        """A frame while training: the latest recorded outputs, RMSEs so far, losses so far."""
        figs = {"loss": self._losses_so_far(losses)}
        if "f" in state:
            figs["fit"] = self._fit_figure(start, *state["f"], state["t"])
            t, net_lin, lin_inf = zip(*gaps, strict=True)
            figs["gap"] = self._gap_figure(t, net_lin, lin_inf)
        return figs

    def _sweep_figure(self, sweep):
        labels = {"title": self.tr("lazy.sweep.empty") if sweep is None else self.tr(
                      "lazy.sweep.title", slope=sweep.slope_rmse, t=sweep.t_end),
                  "x": self.tr("lazy.m"), "y": self.tr("lazy.sweep.y"),
                  "slope": self.tr("lazy.sweep.slope"), "rmse": self.tr("lazy.sweep.rmse"),
                  "weight_change": self.tr("lazy.sweep.weight"),
                  "kernel_drift": self.tr("lazy.sweep.kernel")}
        return figures.width_sweep_fig(sweep, ("rmse", "weight_change", "kernel_drift"),
                                       labels=labels, u_range=SWEEP_WIDTHS)

    def build_figures(self, result, values):
        run, sweep = result
        return {
            "fit": self._fit_figure(run.start, run.f_net[-1], run.f_lin[-1], run.f_inf[-1],
                                    run.t[-1]),
            "gap": self._gap_figure(run.t, run.rmse_net_lin, run.rmse_lin_inf),
            "drift": self._drift_figure(run.t, run.weight_change, run.kernel_drift),
            "loss": self._loss_figure(run.t, run.loss_net, run.loss_lin),
            "sweep": self._sweep_figure(sweep),
        }
