"""What every claim module shares: frozen results, a small cache of recent results, the
work budget of an interactive view, progress lines for notebooks, and list arguments.

Plain numpy: nothing here imports JAX or plotly.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Callable

import numpy as np

from ..analytic.validate import Refusal, as_int

__all__ = [
    "WORK_BUDGET",
    "Claim",
    "Progress",
    "RecentResults",
    "check_work",
    "frozen",
    "int_list",
    "say",
    "step_callback",
    "train_progress",
]

Progress = Callable[[str], object] | None

# Work budget of one interactive view, in multiply-adds ≈ 6·n·P per GD step summed over nets
# (P parameters, n training points rounded up to their width bucket): about 1.5e10 is 5 s
# on one loaded core of the shared CPU in float32 (benchmarks/bench_finite.py).
WORK_BUDGET = 1.5e10


@dataclasses.dataclass(frozen=True)
class Claim:
    """One statement a caption makes about a plot, checked against the result it shows.

    Every claim module has ``claims(result)``, which returns its :class:`Claim`\\ s next to
    ``summary(result)``. A dashboard's caption for a figure is its static explanation (what
    is drawn) followed by the text of each claim about that figure: the ``holds`` text when
    the predicate holds and the ``fails`` text otherwise, both quoting ``values`` (their
    English and Chinese wording is in :mod:`ntklab.app.strings` under ``claim.<name>``).
    So a caption never asserts what the plot does not show.

    Attributes:
        name: ``"<module>.<statement>"``, e.g. ``"initialization.plain_fits"``.
        figure: the figure it is about, e.g. ``"trained"``.
        holds: the predicate's value at these settings.
        values: the measured numbers the text quotes (plain floats, ints and strings).
    """

    name: str
    figure: str
    holds: bool
    values: dict = dataclasses.field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "holds", bool(self.holds))
        object.__setattr__(self, "values", {
            k: (float(v) if isinstance(v, np.floating) else
                int(v) if isinstance(v, np.integer) else v)
            for k, v in self.values.items()})


def frozen(result):
    """``result`` (a dataclass) with every numpy array among its fields made read-only, so
    that a cached result cannot be changed by whoever holds it. Returns ``result``."""
    for field in dataclasses.fields(result):
        value = getattr(result, field.name)
        if isinstance(value, np.ndarray):
            value.setflags(write=False)
    return result


class RecentResults:
    """A small thread-safe cache of the most recent results (least recently used out)."""

    def __init__(self, size):
        self._size, self._items, self._lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
            return self._items.get(key)

    def put(self, key, value):
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value

    def clear(self):
        with self._lock:
            self._items.clear()


def work(n_params: float, n: int, steps: int) -> float:
    """Multiply-adds of ``steps`` GD steps of nets with ``n_params`` parameters in all on n
    points (padded to their width bucket, as :func:`ntklab.train` does)."""
    from ..finite.training import bucket_size  # JAX: only when a view trains

    return 6.0 * bucket_size(n) * float(n_params) * steps


def check_work(n_params: float, n: int, steps: int, what: str,
               budget: float | None = WORK_BUDGET) -> None:
    """Refuse, before any computation, a training run over ``budget`` (:data:`WORK_BUDGET`:
    about 5 s here), with the estimate in the message; ``budget=None`` accepts any size
    (notebooks and ``ntklab figures``, which say what they run)."""
    if budget is None:
        return
    cost = work(n_params, n, steps)
    if cost > budget:
        raise Refusal(
            f"{what} would take about {cost / WORK_BUDGET * 5:.0f} s here (work "
            f"{cost:.2g} over the budget {budget:.2g}); use fewer steps, points or a "
            "smaller width", "work", seconds=cost / WORK_BUDGET * 5, work=cost,
            budget=budget)


def say(progress: Progress, text: str) -> None:
    """Pass a status line to ``progress`` (a callable such as ``print``), if given."""
    if progress is not None:
        progress(text)


def train_progress(progress: Progress, every=0.1, runs=()):
    """A :func:`ntklab.train` callback that forwards a status line to ``progress`` each time
    another ``every`` of the steps is done (about ten lines per training run), or ``None``.

    One callback may serve consecutive runs (a step count not above the last one seen
    starts a new run); with ``runs``, each run's label is said as it starts.
    """
    if progress is None:
        return None
    state = {"next": every, "last": None, "run": 0}

    def report(p):
        if state["last"] is None or p.step <= state["last"]:  # a new run
            if state["last"] is not None:
                state["run"] += 1
            state["next"] = every
            if state["run"] < len(runs):
                progress(runs[state["run"]])
        state["last"] = p.step
        if p.step >= state["next"] * p.steps or p.step == p.steps:
            progress(f"  step {p.step}/{p.steps}, loss {p.loss_net:.3g}")
            while state["next"] * p.steps <= p.step:
                state["next"] += every

    return report


def step_callback(progress: Progress, on_step=None, runs=()):
    """One :func:`ntklab.train` callback from a notebook's status-line ``progress`` (through
    :func:`train_progress`, with the ``runs`` labels) and a dashboard's ``on_step`` (called
    with each :class:`ntklab.Progress`); ``None`` when neither is given."""
    lines = train_progress(progress, runs=runs)
    if lines is None or on_step is None:
        return lines or on_step

    def both(p):
        lines(p)
        on_step(p)

    return both


def int_list(values, name, lo, hi, *, min_len=1) -> list[int]:
    """A list of integers in [lo, hi] with at least ``min_len`` items, or ``ValueError``."""
    try:
        seq = list(values)
    except TypeError as exc:
        raise ValueError(f"{name} must be a list of integers, got {values!r:.60}") from exc
    if len(seq) < min_len:
        raise ValueError(f"{name} must hold at least {min_len} value(s), got {seq}")
    return [as_int(v, name, lo, hi) for v in seq]
