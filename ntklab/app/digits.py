"""Digits dashboard: a net on handwritten digits beside its linearization (Lee et al. 2019,
"Wide neural networks of any depth evolve as linear models under gradient descent"). Wiring
only: :func:`ntklab.experiments.digits.digits_run` trains (an MLP on flattened images or a
CNN, MSE or cross-entropy, GD, momentum or SGD, on scikit-learn's bundled digits) and
:func:`~ntklab.experiments.digits.gap_vs_width` measures RMSE(f_NN, f_lin) against width
(the button); the captions quote :func:`ntklab.experiments.digits.claims`.

While the net trains, frames show test accuracy, test loss and RMSE(f_NN, f_lin) so far.
:mod:`ntklab.figures.digits` draws (frames from the records seen so far).
"""

from __future__ import annotations

import numpy as np

from ..experiments.digits import claims, digits_run, gap_vs_width
from ..figures import digits as figures
from .controls import Param
from .training import WIDTH_STEP, SweepDashboard

__all__ = ["DIGITS_SWEEP_WIDTHS", "N_TEST", "DigitsDashboard"]

N_TEST = 50  # test digits of every run (3 and 8: 357 images, so n ≤ 300 leaves 57)
# widths the button measures (small: a few seconds each at the defaults)
DIGITS_SWEEP_WIDTHS = {"mlp": (64, 128, 256, 512), "cnn": (8, 16, 32, 64)}
TASKS = {"38": "3 vs 8", "all": "ten digits"}


class DigitsDashboard(SweepDashboard):
    """Architecture, pooling (CNN only), width, loss, optimizer, task, training-set size,
    steps and the seed.

    URL names: ``arch`` (mlp, cnn), ``pool`` (gap, flatten), ``m``, ``loss`` (mse,
    cross_entropy), ``opt`` (gd, momentum, sgd), ``task`` (38, all), ``n``, ``steps``,
    ``seed``, ``lang`` (e.g. ``?arch=cnn&pool=gap&m=32``).
    """

    TITLE, INTRO = "digits.title", "digits.intro"
    PARAMS = (
        Param("arch", "mlp", "choice", "digits.arch", choices=("mlp", "cnn"),
              choice_labels=("digits.arch.mlp", "digits.arch.cnn"), widget="toggle"),
        Param("pool", "flatten", "choice", "digits.pool", choices=("flatten", "gap"),
              choice_labels=("digits.pool.flatten", "digits.pool.gap"), widget="toggle"),
        Param("m", 1024, "int", "digits.m", lo=8, hi=1024, widget="log_int", step=WIDTH_STEP),
        Param("loss", "mse", "choice", "digits.loss", choices=("mse", "cross_entropy"),
              choice_labels=("digits.loss.mse", "digits.loss.cross_entropy"), widget="toggle"),
        Param("opt", "gd", "choice", "digits.opt", choices=("gd", "momentum", "sgd"),
              choice_labels=("digits.opt.gd", "digits.opt.momentum", "digits.opt.sgd"),
              widget="toggle"),
        Param("task", "38", "choice", "digits.task", choices=tuple(TASKS),
              choice_labels=("digits.task.38", "digits.task.all"), widget="toggle"),
        Param("n", 100, "int", "digits.n", lo=20, hi=300, step=10),
        Param("steps", 200, "int", "digits.steps", lo=50, hi=1000, step=50),
        Param("seed", 0, "int", "digits.seed", lo=0, hi=9999, widget="int_text"),
    )
    # "test" is the gap on the test digits over training (the claims' name for it); the
    # digits heatmap comes fourth (browser tests wait for x data in the first three plots)
    FIGURES = (
        ("accuracy", "digits.accuracy.caption"),
        ("loss", "digits.loss_plot.caption"),
        ("test", "digits.rmse.caption"),
        ("digits", "digits.test.caption"),
        ("sweep", "digits.sweep.caption"),
    )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.control_changed("arch")

    SWEEP_BUTTON = "digits.sweep.button"

    def control_changed(self, name):
        if name == "arch":  # pooling means something for the CNN only
            self.controls["pool"].disabled = self.controls["arch"].value != "cnn"

    # -- computation ------------------------------------------------------------------
    @staticmethod
    def _settings(v):
        """digits_run's keywords for control values ``v`` (pooling only for the CNN)."""
        return dict(task=TASKS[v["task"]], arch=v["arch"],
                    pooling=v["pool"] if v["arch"] == "cnn" else "flatten", loss=v["loss"],
                    optimizer=v["opt"], n_train=v["n"], n_test=N_TEST, steps=v["steps"])

    @classmethod
    def _run_key(cls, v):
        return (*cls._settings(v).values(), v["m"], v["seed"])

    @classmethod
    def _sweep_key(cls, v):
        return (*cls._settings(v).values(), v["seed"])

    def compute(self, values, token):
        key, skey = self._run_key(values), self._sweep_key(values)
        settings = self._settings(values)
        run = self._runs.get(key)
        if run is None:
            state = {"steps": [], "acc_net": [], "acc_lin": [], "loss_net": [], "loss_lin": [],
                     "rmse": [], "loss": values["loss"]}
            self.draw_frame(lambda: self._start_figures(values), token, force=True)
            what = self.tr("digits.working", m=values["m"], n=values["n"])

            def on_frame(p):
                state["steps"].append(p.step)
                for name, v in (("acc_net", p.accuracy_net), ("acc_lin", p.accuracy_lin),
                                ("loss_net", p.loss_net), ("loss_lin", p.loss_lin),
                                ("rmse", p.rmse_net_lin)):
                    state[name].append(float(v))
                self.draw_frame(lambda: self._frame_figures(state, values), token)

            token.progress(0.0, what)
            run = digits_run(**settings, width=values["m"], seed=values["seed"],
                             record_every=max(1, values["steps"] // 20),
                             on_progress=self.train_progress(token, what, on_frame))
            self.remember(self._runs, key, run)
        sweep = self._sweeps.get(skey)
        if sweep is None and self._sweep_wanted == skey:
            widths = DIGITS_SWEEP_WIDTHS[values["arch"]]
            seen = {"i": 0}

            def said(_line):  # gap_vs_width says one line per width, before training it
                i = min(seen["i"], len(widths) - 1)
                token.progress(i / len(widths), self.tr(
                    "digits.sweep.working", m=widths[i], i=i + 1, k=len(widths)))
                seen["i"] += 1

            sweep = gap_vs_width(widths, **settings, seeds=(values["seed"],), progress=said)
            self.remember(self._sweeps, skey, sweep)
        return run, sweep

    def claims(self, result, values):
        run, sweep = result
        return claims(run, sweep)

    # -- figures (ntklab.figures.digits, with translated labels) ------------------------
    def _lab(self, key, values, **extra):
        lab = {"title": self.tr(key, arch=self.tr(f"digits.arch.{values['arch']}"),
                                m=values["m"]),
               "x": self.tr("digits.step"), "net": self.tr("digits.net.test"),
               "lin": self.tr("digits.lin.test")}
        lab.update({k: self.tr(v) for k, v in extra.items()})
        return lab

    def _figures(self, run, values):
        """The four figures of one run (the sweep's apart); ``run`` may be a partial one
        (:func:`_partial_run`) while training."""
        return {
            "accuracy": figures.accuracy_fig(run, labels=self._lab(
                "digits.accuracy.title", values, y="digits.accuracy.y",
                train="digits.net.train", chance="digits.chance")),
            "loss": figures.loss_fig(run, labels=self._lab(
                "digits.loss_plot.title", values, y="digits.loss_plot.y",
                net_train="digits.net.train", lin_train="digits.lin.train",
                net_test="digits.net.test", lin_test="digits.lin.test")),
            "test": figures.gap_over_time_fig(run, labels=self._lab(
                "digits.rmse.title", values, y="digits.rmse.y", gap="digits.rmse.gap",
                weights="digits.rmse.weights")),
        }

    def _digits_figure(self, run):
        lab = {"title": self.tr("digits.test.title"), "label": self.tr("digits.test.true"),
               "net": "NN", "lin": "lin"}
        return figures.digits_fig(run, labels=lab)

    def _sweep_figure(self, sweep, values):
        arch = self.tr(f"digits.arch.{values['arch']}")
        lab = {"title": self.tr("digits.sweep.empty") if sweep is None else
               self.tr("digits.sweep.title", slope=sweep.slope, arch=arch),
               "x": self.tr("digits.m"), "y": self.tr("digits.rmse.y"),
               "rmse": self.tr("digits.rmse.y"), "slope": self.tr("digits.sweep.slope"),
               "source": self.tr("digits.sweep.source")}
        return figures.gap_sweep_fig(sweep, labels=lab,
                                     u_range=DIGITS_SWEEP_WIDTHS[values["arch"]])

    def _start_figures(self, values):
        return self._figures(_partial_run({}), values)

    def _frame_figures(self, state, values):
        return self._figures(_partial_run(state), values)

    def build_figures(self, result, values):
        run, sweep = result
        return {**self._figures(run, values), "digits": self._digits_figure(run),
                "sweep": self._sweep_figure(sweep, values)}


def _partial_run(state):
    """What :mod:`ntklab.figures.digits` reads of a run, from the records seen so far
    while training (the training-set curves and the weight change come at the end)."""
    from types import SimpleNamespace

    empty = np.zeros(0)
    get = lambda name: np.asarray(state.get(name, empty), dtype=np.float64)  # noqa: E731
    steps = get("steps")
    result = SimpleNamespace(
        steps=steps, accuracy_net=get("acc_net"), accuracy_lin=get("acc_lin"),
        loss_net=get("loss_net"), loss_lin=get("loss_lin"), rmse_net_lin=get("rmse"),
        train_accuracy_net=empty, train_loss_net=empty, train_loss_lin=empty,
        weight_change=empty, loss=state.get("loss", "mse"))
    return SimpleNamespace(result=result, chance=float("nan"))
