"""Shared wiring of the training dashboards (lazy training, initialization, ensemble):
frames drawn while a job still runs, and progress from :func:`ntklab.train`'s callback.

The base :class:`~ntklab.app.dashboard.Dashboard` draws once, when ``compute`` returns.
Training views also draw *frames* from inside ``compute`` (the initial state before the
JAX compile, then the loss so far after each compiled chunk), throttled to
:attr:`TrainingDashboard.FRAME_EVERY`, and never after a newer control change. JAX is
imported by the core on the first training call, on the worker thread, not by this module.

Compiled training programs are kept on disk by JAX's persistent compilation cache
(:func:`enable_compile_cache`): a fresh kernel then loads, instead of recompiling, what any
earlier kernel compiled (measured here: a cold first run 3.3 s → 1.3 s, a new width bucket
2.3 s → 0.6 s).
"""

from __future__ import annotations

import math
import os
import time
from pathlib import Path

import ipywidgets as W

from .dashboard import Dashboard
from .serving.figure_widget import sync_figure
from .worker import Cancelled, Token

__all__ = ["WIDTH_STEP", "TrainingDashboard", "enable_compile_cache"]

# Width sliders step by a quarter octave in log10: with a power-of-two lower bound, their
# grid 16·2^(k/4) holds every power of two (the defaults) and the width buckets. The
# browser snaps a log slider's value to its grid, so a default off the grid would change.
WIDTH_STEP = math.log10(2) / 4

_CACHE_DONE = False


def enable_compile_cache() -> str | None:
    """Point JAX's persistent compilation cache at ``$NTKLAB_JAX_CACHE`` (default
    ``~/.cache/ntklab/jax``; ``off`` disables it) unless JAX already has one. Returns the
    directory used, or None. Called once, on the worker thread, before the first training.
    """
    global _CACHE_DONE
    import jax  # already imported by the ntklab core

    if _CACHE_DONE:
        return jax.config.jax_compilation_cache_dir
    _CACHE_DONE = True
    if jax.config.jax_compilation_cache_dir:
        return jax.config.jax_compilation_cache_dir
    where = os.environ.get("NTKLAB_JAX_CACHE", "")
    if where.lower() == "off":
        return None
    cache_home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    path = Path(where) if where else cache_home / "ntklab" / "jax"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only home: compile every time, as without the cache
        return None
    jax.config.update("jax_compilation_cache_dir", str(path))
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.2)
    return str(path)


class TrainingDashboard(Dashboard):
    """A :class:`Dashboard` whose ``compute`` may call :meth:`draw_frame`."""

    FRAME_EVERY = 0.2  # seconds between frames drawn during training

    def __init__(self, **kwargs):
        self.frames = 0  # frames drawn while jobs ran (tests and benchmarks watch it)
        self.first_frame_s: float | None = None  # job start → first frame of the last job
        self._last_frame = 0.0
        super().__init__(**kwargs)
        for p in self.PARAMS:  # widths on a log slider: show the integer actually used
            if p.widget == "log_int":
                self.controls[p.name].readout_format = ".0f"

    def draw_frame(self, make_figs, token: Token, *, force: bool = False) -> bool:
        """Show the figures ``make_figs()`` returns (``{name: go.Figure}``) unless the job
        is stale or the last frame is too recent. ``make_figs`` is only called for a frame
        that is drawn: building plotly figures costs tens of milliseconds each."""
        now = time.perf_counter()
        if not force and now - self._last_frame < self.FRAME_EVERY:
            return False
        token.check()
        figs = make_figs()
        with self._render_lock:
            if token.cancelled:
                raise Cancelled
            for name, fig in figs.items():
                widget = self.figure_widgets[name]
                with widget.state_lock:
                    sync_figure(widget, fig)
            self.frames += 1
        self._last_frame = time.perf_counter()
        if self.first_frame_s is None:
            self.first_frame_s = self._last_frame - self._job_start
        return True

    def _job(self, values, token):
        enable_compile_cache()
        self.first_frame_s = None
        self._last_frame = 0.0
        super()._job(values, token)

    def train_progress(self, token: Token, what: str, on_frame=None, *, part=0, parts=1):
        """A ``progress`` callback for :func:`ntklab.train`: moves the progress bar (the
        ``part``-th of ``parts`` runs), raises :class:`Cancelled` once a newer change
        exists, and calls ``on_frame(progress)`` after every chunk."""

        def callback(p):
            token.progress((part + p.step / max(p.steps, 1)) / parts, what)
            if on_frame is not None:
                on_frame(p)

        return callback


class SweepDashboard(TrainingDashboard):
    """A training dashboard with a button under its controls that measures something against
    width at the current settings (lazy, regimes, digits). A subclass defines
    ``_sweep_key(values)`` (raises ``ValueError`` for settings it refuses), its button's
    string key ``SWEEP_BUTTON`` and, if that text has fields, ``sweep_label_fields()``."""

    SWEEP_BUTTON = ""

    def __init__(self, **kwargs):
        self._runs: dict = {}
        self._sweeps: dict = {}
        self._sweep_wanted = None
        super().__init__(**kwargs)

    def layout(self):
        self.sweep_button = W.Button(icon="line-chart", layout=W.Layout(width="auto"))
        self.sweep_button.on_click(lambda _: self.run_sweep())
        box = super().layout()
        box.children = (*box.children[:5], self.sweep_button, *box.children[5:])
        return box

    def sweep_label_fields(self) -> dict:
        return {}

    def _relabel(self):
        super()._relabel()
        if hasattr(self, "sweep_button"):
            self.sweep_button.description = self.tr(self.SWEEP_BUTTON,
                                                    **self.sweep_label_fields())

    def run_sweep(self) -> None:
        """Run the sweep for the current settings (the button)."""
        try:
            self._sweep_wanted = self._sweep_key(self.values())
        except ValueError:
            return
        self.refresh()
