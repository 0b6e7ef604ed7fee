"""Shared machinery of every ntklab dashboard: controls with server-side bounds, URL presets,
English/Chinese labels, a status line, a progress bar and a latest-wins worker.

How to write a dashboard (see ``spectrum.py`` for a complete one, ~100 lines)::

    class MyDashboard(Dashboard):
        TITLE, INTRO = "my.title", "my.intro"          # keys of strings.STRINGS
        PARAMS = (                                     # every control, with its bounds
            Param("m", 64, "int", "my.m", lo=8, hi=4096, widget="log_int"),
            Param("s", 1.0, "float", "my.s", lo=0.1, hi=10.0, widget="log_slider"),
        )
        FIGURES = (("curve", "my.curve.caption"),)     # one FigureWidget per name

        def compute(self, values, token):              # worker thread: ONE core call
            return ntklab.experiments.my_result(**values)   # may call token.progress(...)

        def build_figures(self, result, values):       # pure builders, translated labels
            return {"curve": figures.my_fig(result, labels={"title": self.tr("my.t")})}

Then a thin notebook::

    from ntklab.app import MyDashboard
    dash = MyDashboard()        # builds widgets; starts the default computation
    dash.apply_url()            # presets from the page's query string (see below)
    dash

What the base class guarantees:

- **Bounds in code.** :class:`Param` validates every value (from a widget, :meth:`Dashboard.set`
  or the URL) against its kind and bounds before any computation; widgets carry the same
  bounds but are not trusted.
- **URL presets.** ``?n=3000&s=10&lang=zh`` sets controls by :attr:`Param.name`. Invalid
  values fall back to the default and unknown names are ignored, each with a visible note.
  :func:`read_query_string` reads the query in Voila both for a fresh kernel (the
  ``QUERY_STRING`` environment variable) and for a preheated one (it waits, via
  ``voila.utils.get_query_string``, until the page request has reached the kernel).
- **Responsiveness.** Every control change submits a job to a :class:`Worker`, one thread
  per dashboard: a new change cancels the running job at its next ``token.check()`` /
  ``token.progress()`` and replaces any queued one, so only the latest values are computed
  (this is the debounce: no fixed delay, no backlog). Figures are ``go.FigureWidget``\\ s
  created once and refreshed with :func:`ntklab.figures.sync_figure` (one
  ``batch_update``).
- **Errors never kill anything.** ``ValueError`` from the core (a bad expression, a memory
  refusal) shows in the status line; any other exception shows as an internal error there
  and is logged; the controls keep working.
- **Two languages.** :meth:`Dashboard.tr` looks up ``strings.STRINGS``; the language toggle
  relabels every control, caption and figure.
- **Testable headless.** ``Dashboard(threaded=False)`` computes inline, so
  ``dash.set(n=500)`` returns with the figures updated; with threads, call ``dash.wait()``.
"""

from __future__ import annotations

import html
import logging
import math
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode

import ipywidgets as W

from .strings import LANGUAGE_NAMES, LANGUAGES, STRINGS, tr

__all__ = [
    "Cancelled",
    "Dashboard",
    "Param",
    "Token",
    "Worker",
    "read_query_string",
]

log = logging.getLogger("ntklab.app")

_WIDGET_KINDS = {
    "int": ("slider", "log_int", "int_text"),
    "float": ("slider", "log_slider"),
    "choice": ("toggle", "dropdown"),
    "text": ("text",),
    "ints": ("ints",),
}


@dataclass(frozen=True)
class Param:
    """One control: its URL name, default, kind, bounds and label.

    Args:
        name: keyword for :meth:`Dashboard.set` and key in the URL query string.
        default: initial value (must itself be valid).
        kind: ``"int"``, ``"float"``, ``"choice"`` (one of ``choices``), ``"text"`` (a
            string, checked by ``check``) or ``"ints"`` (a list of ints, e.g. ``1,2,5``).
        label: key of the control's description in ``strings.STRINGS``.
        lo, hi: inclusive bounds of ints/floats (and of each item of ``"ints"``).
        step: slider step.
        choices: allowed values of a ``"choice"``; ``choice_labels`` are their string keys
            (``None`` entries show the value itself).
        widget: how it looks: ``"slider"``, ``"log_slider"`` (floats), ``"log_int"`` (ints
            on a log slider, e.g. widths), ``"int_text"``, ``"toggle"``, ``"dropdown"``,
            ``"text"``, ``"ints"``.
        max_items: largest list for ``"ints"``.   max_len: longest ``"text"``.
        check: extra validation of a ``"text"`` value; raises ``ValueError``.
    """

    name: str
    default: Any
    kind: str
    label: str
    lo: float | None = None
    hi: float | None = None
    step: float | None = None
    choices: tuple = ()
    choice_labels: tuple = ()
    widget: str = "slider"
    max_items: int = 6
    max_len: int = 200
    check: Callable[[str], Any] | None = None

    def __post_init__(self):
        if self.widget not in _WIDGET_KINDS.get(self.kind, ()):
            raise ValueError(f"Param {self.name}: widget {self.widget!r} does not suit "
                             f"{self.kind!r}")
        self.validate(self.default)

    # -- validation --------------------------------------------------------------------
    def _bounds(self) -> str:
        return f"[{self.lo:g}, {self.hi:g}]"

    def _int(self, value) -> int:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{self.name} must be an integer in {self._bounds()}")
        if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
            raise ValueError(f"{self.name} must be an integer in {self._bounds()}")
        value = int(value)
        if not self.lo <= value <= self.hi:
            raise ValueError(f"{self.name} must be an integer in {self._bounds()}, got {value}")
        return value

    def validate(self, value):
        """The canonical value, or ``ValueError`` saying what is allowed."""
        if self.kind == "int":
            return self._int(value)
        if self.kind == "float":
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"{self.name} must be a number in {self._bounds()}")
            value = float(value)
            if not (math.isfinite(value) and self.lo <= value <= self.hi):
                raise ValueError(f"{self.name} must be a number in {self._bounds()}, got {value}")
            return value
        if self.kind == "choice":
            if value not in self.choices:
                allowed = ", ".join(map(str, self.choices))
                raise ValueError(f"{self.name} must be one of {allowed}")
            return value
        if self.kind == "text":
            if not isinstance(value, str) or len(value) > self.max_len:
                raise ValueError(f"{self.name} must be text of at most {self.max_len} characters")
            if self.check is not None:
                self.check(value)
            return value
        if self.kind == "ints":
            if isinstance(value, str | bytes) or not hasattr(value, "__iter__"):
                raise ValueError(f"{self.name} must be a list of integers")
            items = list(dict.fromkeys(self._int(v) for v in value))
            if not 1 <= len(items) <= self.max_items:
                raise ValueError(f"{self.name} needs 1 to {self.max_items} integers")
            return items
        raise ValueError(f"unknown kind {self.kind!r}")

    def parse(self, text: str):
        """A value from URL text (then :meth:`validate` it)."""
        text = text.strip()
        try:
            if self.kind == "int":
                return int(text)
            if self.kind == "float":
                return float(text)
            if self.kind == "ints":
                return [int(v) for v in text.replace(";", ",").split(",") if v.strip()]
        except ValueError as exc:
            what = {"int": "an integer", "float": "a number", "ints": "integers like 1,2,5"}
            raise ValueError(f"{self.name} must be {what[self.kind]}") from exc
        return text

    def format(self, value) -> str:
        """The URL text of a value (inverse of :meth:`parse`)."""
        if self.kind == "ints":
            return ",".join(map(str, value))
        if self.kind == "float":
            return f"{value:.6g}"
        return str(value)

    # -- widgets -----------------------------------------------------------------------
    def make_widget(self, lang: str) -> W.Widget:
        common = dict(description=tr(self.label, lang), style={"description_width": "initial"},
                      layout=W.Layout(width="auto", min_width="260px"))
        v = self.default
        if self.widget == "slider" and self.kind == "int":
            return W.IntSlider(value=v, min=self.lo, max=self.hi, step=self.step or 1, **common)
        if self.widget == "slider":
            return W.FloatSlider(value=v, min=self.lo, max=self.hi, step=self.step or 0.01,
                                 readout_format=".3g", **common)
        if self.widget in ("log_slider", "log_int"):
            # ipywidgets has no integer log slider: log_int rounds in validate()/values()
            return W.FloatLogSlider(value=v, base=10, min=math.log10(self.lo),
                                    max=math.log10(self.hi), step=self.step or 0.05,
                                    readout_format=".3g", **common)
        if self.widget == "int_text":
            return W.BoundedIntText(value=v, min=self.lo, max=self.hi, **common)
        if self.widget in ("toggle", "dropdown"):
            cls = W.ToggleButtons if self.widget == "toggle" else W.Dropdown
            if cls is W.ToggleButtons:
                common["style"] = {"description_width": "initial", "button_width": "auto"}
            return cls(options=self.options(lang), value=v, **common)
        if self.widget == "text":
            return W.Text(value=v, continuous_update=False, **common)
        if self.widget == "ints":
            return W.IntsInput(value=list(v), min=self.lo, max=self.hi, **common)
        raise ValueError(f"unknown widget {self.widget!r}")

    def options(self, lang: str) -> list[tuple[str, Any]]:
        labels = self.choice_labels or (None,) * len(self.choices)
        # a label is a key of strings.STRINGS, or literal text (e.g. a formula), or None
        return [(tr(k, lang) if k in STRINGS else (k or str(c)), c)
                for c, k in zip(self.choices, labels, strict=True)]

    def widget_value(self, widget: W.Widget):
        value = widget.value
        if self.widget == "log_int":
            value = round(value)
        if self.kind == "ints":
            value = list(value)
        return value


# ---------------------------------------------------------------------------------------
# Worker: one thread per dashboard, latest job wins


class Cancelled(Exception):
    """Raised inside a job whose values are no longer current."""


class Token:
    """Handed to a job: ``check()`` raises :class:`Cancelled` once a newer job exists;
    ``progress(fraction, what)`` reports progress (and checks)."""

    def __init__(self, worker: Worker, generation: int, on_progress=None):
        self._worker, self._generation, self._on_progress = worker, generation, on_progress

    @property
    def cancelled(self) -> bool:
        return self._worker.generation != self._generation

    def check(self) -> None:
        if self.cancelled:
            raise Cancelled

    def progress(self, fraction: float, what: str = "") -> None:
        self.check()
        if self._on_progress is not None:
            self._on_progress(self, fraction, what)


class Worker:
    """Runs ``job(token)`` callables one at a time on a daemon thread.

    :meth:`submit` replaces any queued job and cancels the running one (cooperatively,
    at its next ``token.check()``), so a burst of control changes computes only the last.
    With ``threaded=False`` jobs run inline in :meth:`submit` (tests, scripts).
    """

    def __init__(self, *, threaded: bool = True, on_progress=None, name: str = "ntklab-worker"):
        self.threaded = threaded
        self.generation = 0
        self._on_progress = on_progress
        self._cond = threading.Condition()
        self._pending: Callable | None = None
        self._busy = False
        self._name = name
        self._thread: threading.Thread | None = None

    def submit(self, job: Callable[[Token], None]) -> None:
        with self._cond:
            self.generation += 1
            token = Token(self, self.generation, self._on_progress)
            if not self.threaded:
                self._pending = None
            else:
                self._pending = (job, token)
                if self._thread is None:
                    self._thread = threading.Thread(target=self._loop, name=self._name,
                                                    daemon=True)
                    self._thread.start()
                self._cond.notify_all()
                return
        self._run(job, token)

    def wait(self, timeout: float = 60.0) -> bool:
        """Block until no job is queued or running; False on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._pending is not None or self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
        return True

    @property
    def idle(self) -> bool:
        return self._pending is None and not self._busy

    def _run(self, job, token):
        try:
            job(token)
        except Cancelled:
            pass
        except Exception:  # a job must handle its own errors; never let the loop die
            log.exception("unhandled error in a dashboard job")

    def _loop(self):
        while True:
            with self._cond:
                while self._pending is None:
                    self._cond.wait()
                job, token = self._pending
                self._pending, self._busy = None, True
            try:
                self._run(job, token)
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()


# ---------------------------------------------------------------------------------------
# URL query string

_QUERY: str | None = None


def read_query_string() -> str:
    """The query string of the Voila page this kernel serves ('' outside Voila).

    A fresh kernel gets it in the ``QUERY_STRING`` environment variable. A preheated kernel
    (Voila's ``preheat_kernel``) runs the notebook before any page is requested; there
    ``voila.utils.get_query_string`` blocks until Voila hands the kernel its request, so
    call this after the expensive set-up. The value is cached for the kernel's lifetime.
    """
    global _QUERY
    if _QUERY is None:
        if os.environ.get("VOILA_PREHEAT", "False") not in ("", "False", "false", "0"):
            from voila.utils import get_query_string  # only in preheated Voila kernels

            _QUERY = get_query_string() or ""
        else:
            _QUERY = os.environ.get("QUERY_STRING", "")
    return _QUERY


# ---------------------------------------------------------------------------------------
# FigureWidget that a page opened later still sees correctly

_LIVE_FIGURE_WIDGET = None
_FIGURE_STATE = ("_widget_data", "_widget_layout")  # what LiveFigureWidget refreshes


def _live_figure_widget_class():
    """``go.FigureWidget`` whose synced state is brought up to date whenever a page asks.

    plotly sends updates to open views as messages (restyle, relayout) and syncs its
    ``_widget_data``/``_widget_layout`` state only at construction and when the figure
    itself is displayed. Inside a dashboard the figure is displayed as part of a box, and
    in Voila the page connects after the notebook ran while the worker may already have
    drawn: the view would start from the empty state. Refreshing the state in
    ``get_state`` (called when a page requests widget states) fixes this at no cost per
    update.
    """
    global _LIVE_FIGURE_WIDGET
    if _LIVE_FIGURE_WIDGET is None:
        import copy

        from ._plotly_bundle import front_end_esm, import_graph_objects

        go = import_graph_objects()  # with the widgets, not at package import; fast path

        class LiveFigureWidget(go.FigureWidget):
            state_lock = None

            def __init__(self, *args, **kwargs):
                self.state_lock = threading.RLock()
                super().__init__(*args, **kwargs)
                # Updates come from ntklab.figures' builders, which plotly has validated
                # (in notebooks) and tests check: validating each update again cost about
                # 10 ms per 3000-point trace.
                self._validate = False

            def get_state(self, key=None, drop_defaults=False):
                # ipywidgets also calls this for every single-trait message (each
                # figure update): refresh only when the figure's state is asked for
                keys = (key,) if isinstance(key, str) else key
                wanted = keys is None or any(k in _FIGURE_STATE for k in keys)
                if wanted and getattr(self, "_layout_obj", None) is not None \
                        and self.state_lock:
                    with self.state_lock:
                        # set without notification: no extra message, only fresh state
                        self._trait_values["_widget_data"] = copy.deepcopy(self._data)
                        self._trait_values["_widget_layout"] = copy.deepcopy(
                            self._layout_obj._props)
                return super().get_state(key=key, drop_defaults=drop_defaults)

        front_end = front_end_esm()  # under `ntklab app`: ntklab's plotly.js by URL
        if front_end is not None:
            LiveFigureWidget._esm = front_end
        _LIVE_FIGURE_WIDGET = LiveFigureWidget
    return _LIVE_FIGURE_WIDGET


# ---------------------------------------------------------------------------------------
# Dashboard base class

_STATUS_STYLE = {
    "ok": "color:#2b6e2b",
    "busy": "color:#555",
    "error": "color:#b00020;font-weight:600",
}


class Dashboard:
    """Base class: subclasses set ``TITLE``, ``INTRO``, ``PARAMS``, ``FIGURES`` and implement
    :meth:`compute` and :meth:`build_figures` (see the module docstring).

    Args:
        lang: ``"en"`` or ``"zh"``.
        query: a URL query string (or mapping) to preset controls; ``None`` for none (call
            :meth:`apply_url` to read the page's own).
        threaded: compute on a worker thread (dashboards) or inline (tests).
        autostart: compute the default view right away.
    """

    TITLE = ""
    INTRO = ""
    PARAMS: tuple[Param, ...] = ()
    FIGURES: tuple[tuple[str, str], ...] = ()  # (figure name, caption key)
    WORKING = "common.working"  # key of the "what" shown while computing

    def __init__(self, *, lang: str = "en", query: str | Mapping | None = None,
                 threaded: bool = True, autostart: bool = True):
        if lang not in LANGUAGES:
            raise ValueError(f"lang must be one of {LANGUAGES}, got {lang!r}")
        self.lang = lang
        self.params = {p.name: p for p in self.PARAMS}
        self.controls = {p.name: p.make_widget(lang) for p in self.PARAMS}
        self.notes: list[str] = []
        self.result = None  # the last result drawn
        self.error: str | None = None  # the last error shown, None after a success
        self.renders = 0  # completed figure updates (tests and benchmarks watch it)

        self.lang_toggle = W.ToggleButtons(
            options=[(LANGUAGE_NAMES[code], code) for code in LANGUAGES], value=lang,
            style={"button_width": "64px"}, layout=W.Layout(width="auto"),
        )
        self.title_html = W.HTML()
        self.intro_html = W.HTML()
        self.notes_html = W.HTML(layout=W.Layout(display="none"))
        self.status_html = W.HTML(layout=W.Layout(flex="1 1 auto"))
        self.link_html = W.HTML()
        self.progress = W.FloatProgress(value=0.0, min=0.0, max=1.0,
                                        layout=W.Layout(width="160px", visibility="hidden"))
        self.figure_widgets = {
            name: _live_figure_widget_class()(layout=dict(template="plotly_white", height=330))
            for name, _ in self.FIGURES
        }
        self.caption_html = {name: W.HTML() for name, _ in self.FIGURES}
        self._quiet = 0
        self._job_start, self._progress_state = 0.0, (0.0, "")
        self._worker = Worker(threaded=threaded, on_progress=self._show_progress)
        self._render_lock = threading.Lock()
        # the status line and progress bar are written from the worker, from each job's
        # BUSY_AFTER timer and from the kernel's thread: every write checks, under this lock,
        # that its job is still current and unfinished (see :meth:`_finish`)
        self._status_lock = threading.RLock()
        self._finished: Token | None = None
        self.widget = self.layout()
        self._relabel()
        for name, control in self.controls.items():
            control.observe(lambda change, name=name: self._on_control(name), names="value")
        self.lang_toggle.observe(self._on_lang, names="value")
        if query is not None:
            self.apply_query(query, refresh=False)
        if autostart:
            self.refresh()

    CACHE = 4  # results kept by :meth:`remember` per cache (runs, sweeps, trained nets)

    def remember(self, cache: dict, key, value):
        """Put ``value`` in ``cache`` under ``key``, dropping the oldest entries beyond
        :attr:`CACHE`, so a control moved back or a button pressed again is instant.
        Returns ``value``."""
        cache[key] = value
        while len(cache) > self.CACHE:
            cache.pop(next(iter(cache)))
        return value

    # -- subclass API ------------------------------------------------------------------
    def compute(self, values: dict, token: Token):
        """The one core call for ``values``; runs on the worker thread."""
        raise NotImplementedError

    def build_figures(self, result, values: dict) -> dict:
        """``{figure name: go.Figure}`` from ``result`` with :mod:`ntklab.figures`."""
        raise NotImplementedError

    def control_changed(self, name: str) -> None:
        """Hook: called on the kernel's thread when control ``name`` changed (before the
        refresh); e.g. to switch a preset to "custom" when an expression is typed."""

    def layout(self) -> W.Widget:
        """The dashboard's widget tree; override to arrange controls differently."""
        header = W.HBox([self.title_html, self.lang_toggle],
                        layout=W.Layout(justify_content="space-between", align_items="center"))
        controls = W.GridBox(
            list(self.controls.values()),
            layout=W.Layout(grid_template_columns="repeat(auto-fill, minmax(300px, 1fr))",
                            grid_gap="4px 16px"),
        )
        status = W.HBox([self.progress, self.status_html], layout=W.Layout(align_items="center"))
        cells = [W.VBox([self.figure_widgets[name], self.caption_html[name]],
                        layout=W.Layout(min_width="0"))
                 for name, _ in self.FIGURES]
        plots = W.GridBox(cells, layout=W.Layout(
            grid_template_columns="repeat(auto-fit, minmax(440px, 1fr))", grid_gap="8px 16px"))
        return W.VBox([header, self.intro_html, self.notes_html, controls, status, plots,
                       self.link_html], layout=W.Layout(padding="4px 8px"))

    # -- public API --------------------------------------------------------------------
    def tr(self, key: str, **fields) -> str:
        """``key`` of ``strings.STRINGS`` in the dashboard's current language."""
        return tr(key, self.lang, **fields)

    def values(self) -> dict:
        """Current control values, each validated against its :class:`Param`."""
        return {name: p.validate(p.widget_value(self.controls[name]))
                for name, p in self.params.items()}

    def set(self, **values) -> None:
        """Set controls programmatically (validated; ``ValueError`` names what is allowed),
        then recompute once. ``lang=`` switches the language."""
        lang = values.pop("lang", None)
        checked = {}
        for name, value in values.items():
            if name not in self.params:
                raise ValueError(f"unknown control {name!r}; controls: {', '.join(self.params)}")
            checked[name] = self.params[name].validate(value)
        self._quiet += 1
        try:
            if lang is not None:
                if lang not in LANGUAGES:
                    raise ValueError(f"lang must be one of {LANGUAGES}, got {lang!r}")
                self.lang_toggle.value = lang
                self._set_lang(lang)
            for name, value in checked.items():
                self.controls[name].value = value
                self.control_changed(name)
        finally:
            self._quiet -= 1
        self.refresh()

    def apply_query(self, query: str | Mapping | None, *, refresh: bool = True) -> list[str]:
        """Preset controls from a URL query (``"n=3000&s=10"`` or a mapping).

        Invalid values keep the default and unknown names are ignored; each adds a note
        shown above the controls. With ``refresh``, recomputes once if a control was set
        (a query that sets nothing leaves the view as it is). Returns the notes.
        """
        if query is None:
            query = ""
        if isinstance(query, str):
            pairs = {k: v[-1] for k, v in parse_qs(query.lstrip("?"), keep_blank_values=True)
                     .items()}
        else:
            pairs = {str(k): str(v) for k, v in query.items()}
        pairs = self.adjust_query(pairs)
        good, notes = {}, []
        for key, raw in pairs.items():
            if key == "lang":
                if raw in LANGUAGES:
                    good["lang"] = raw
                else:
                    notes.append(("common.bad_query", dict(name=key, value=raw,
                                  reason=" / ".join(LANGUAGES), default=self.lang)))
                continue
            param = self.params.get(key)
            if param is None:
                notes.append(("common.unknown_query", dict(name=key)))
                continue
            try:
                good[key] = param.validate(param.parse(raw))
            except ValueError as exc:
                notes.append(("common.bad_query", dict(name=key, value=raw[:80],
                              reason=str(exc), default=param.default)))
        self._query_notes = notes
        self._quiet += 1
        try:
            if not refresh:
                self._set_silently(good)
            elif good:  # nothing to apply (a page without a query): the view stands
                self.set(**good)
        finally:
            self._quiet -= 1
        self._show_notes()
        return list(self.notes)

    def apply_url(self) -> list[str]:
        """:meth:`apply_query` with the page's own query string (:func:`read_query_string`)."""
        return self.apply_query(read_query_string())

    def adjust_query(self, pairs: dict[str, str]) -> dict[str, str]:
        """Hook: rewrite raw query pairs before validation (e.g. aliases)."""
        return pairs

    def query_string(self) -> str:
        """The URL query that reproduces the current controls (non-default ones only)."""
        current = self.values()
        pairs = {name: p.format(current[name]) for name, p in self.params.items()
                 if current[name] != p.validate(p.default)}
        if self.lang != "en":
            pairs["lang"] = self.lang
        return urlencode(pairs)

    def refresh(self) -> None:
        """Recompute and redraw for the current controls (on the worker)."""
        try:
            values = self.values()
        except ValueError as exc:
            # through the worker: it cancels a job still running for older values, which
            # would otherwise write "Ready" over this message
            message = str(exc)
            self._worker.submit(lambda token: self._finish(
                token, "error", self.tr("common.error", message=message), error=message))
            return
        self._worker.submit(lambda token: self._job(values, token))

    def wait(self, timeout: float = 60.0) -> bool:
        """Wait until the latest change is drawn (or failed); False on timeout."""
        return self._worker.wait(timeout)

    def _repr_mimebundle_(self, **kwargs):
        # with an invisible watchdog: a banner in the page if the kernel stops answering
        from ._watch import KernelWatch

        return W.VBox([self.widget, KernelWatch()])._repr_mimebundle_(**kwargs)

    # -- internals ---------------------------------------------------------------------
    def _set_silently(self, good: dict) -> None:
        lang = good.pop("lang", None)
        if lang is not None:
            self.lang_toggle.value = lang
            self._set_lang(lang)
        for name, value in good.items():
            self.controls[name].value = value
            self.control_changed(name)

    def _on_control(self, name: str) -> None:
        if self._quiet:
            return
        self._quiet += 1
        try:
            self.control_changed(name)
        finally:
            self._quiet -= 1
        self.refresh()

    def _on_lang(self, change) -> None:
        if self._quiet:
            return
        self._set_lang(change["new"])
        self.refresh()

    def _set_lang(self, lang: str) -> None:
        self.lang = lang
        self._relabel()

    def _relabel(self) -> None:
        self._quiet += 1
        try:
            title = html.escape(self.tr(self.TITLE))
            self.title_html.value = f"<h3 style='margin:4px 0'>{title}</h3>"
            self.intro_html.value = (f"<p style='margin:2px 0 6px 0;max-width:60em'>"
                                     f"{html.escape(self.tr(self.INTRO))}</p>")
            for name, p in self.params.items():
                control = self.controls[name]
                control.description = self.tr(p.label)
                if p.kind == "choice":
                    value = control.value
                    control.options = p.options(self.lang)
                    control.value = value
            look = html.escape(self.tr("common.what_to_look_for"))
            for name, key in self.FIGURES:
                self.caption_html[name].value = (
                    f"<p style='margin:0 0 8px 0;font-size:90%;color:#333'><b>{look}:</b> "
                    f"{html.escape(self.tr(key))}</p>")
            self._show_notes()
        finally:
            self._quiet -= 1

    def _show_notes(self) -> None:
        notes = [self.tr(key, **fields) for key, fields in getattr(self, "_query_notes", [])]
        self.notes = notes
        if notes:
            items = "".join(f"<li>{html.escape(n)}</li>" for n in notes)
            self.notes_html.value = (
                "<div class='ntklab-notes' style='background:#fff6d5;border:1px solid #e0c96b;"
                f"padding:4px 10px;border-radius:4px'><ul style='margin:2px 0'>{items}</ul></div>")
            self.notes_html.layout.display = "block"
        else:
            self.notes_html.value = ""
            self.notes_html.layout.display = "none"

    def _status(self, kind: str, text: str) -> None:
        self.status_html.value = (f"<span class='ntklab-status ntklab-{kind}' "
                                  f"style='{_STATUS_STYLE[kind]}'>{html.escape(text)}</span>")

    BUSY_AFTER = 0.3  # seconds: quicker jobs never flash the progress bar

    def _show_progress(self, token: Token, fraction: float, what: str) -> None:
        self._progress_state = (max(0.0, min(1.0, fraction)), what)
        if time.perf_counter() - self._job_start >= self.BUSY_AFTER:
            self._draw_progress(token)

    def _draw_progress(self, token: Token) -> None:
        with self._status_lock:
            # a timer or a stale job must not write "Computing…" over a newer job's
            # "Ready" (it did once in CI: the status stayed busy after the last draw)
            if token.cancelled or self._finished is token:
                return
            fraction, what = self._progress_state
            self.progress.value = fraction
            self.progress.layout.visibility = "visible"
            if what:
                self._status("busy", self.tr("common.working", what=what))

    def _finish(self, token: Token, kind: str, text: str, *, error: str | None = None) -> None:
        """The job ``token`` ended: hide the progress bar and show ``text`` (and set
        :attr:`error` when given), unless a newer job exists (it will write its own)."""
        with self._status_lock:
            if token.cancelled:
                return
            self._finished = token
            if error is not None:
                self.error = error
            if self.progress.layout.visibility != "hidden":
                self.progress.layout.visibility = "hidden"
            self._status(kind, text)

    def _job(self, values: dict, token: Token) -> None:
        start = self._job_start = time.perf_counter()
        self._progress_state = (0.0, "")
        # a job still running after BUSY_AFTER shows the progress bar and what it computes
        busy = threading.Timer(self.BUSY_AFTER, lambda: self._draw_progress(token))
        busy.daemon = True
        if self._worker.threaded:
            busy.start()
        try:
            self._run_job(values, token, start)
        finally:
            busy.cancel()

    def _run_job(self, values: dict, token: Token, start: float) -> None:
        from ..figures.style import for_widgets
        from ..figures.sync_tmp import sync_figure

        try:
            with for_widgets():  # frames drawn during compute too
                result = self.compute(values, token)
                token.check()
                figs = self.build_figures(result, values)
            token.check()
        except Cancelled:
            raise
        except ValueError as exc:  # bad input or a refused size: tell the student
            self._finish(token, "error", self.tr("common.error", message=str(exc)),
                         error=str(exc))
            return
        except Exception as exc:  # a bug: report it, keep the dashboard alive
            log.exception("dashboard computation failed")
            self._finish(token, "error", self.tr("common.internal_error",
                                                 kind=type(exc).__name__,
                                                 message=str(exc)[:200]),
                         error=f"{type(exc).__name__}: {exc}")
            return
        with self._render_lock:
            if token.cancelled:  # a newer job will draw; do not flash stale data
                raise Cancelled
            for name, fig in figs.items():
                widget = self.figure_widgets[name]
                with widget.state_lock:
                    sync_figure(widget, fig)
            self.result, self.error = result, None
            self.renders += 1
        self._finish(token, "ok", self.tr("common.ready", seconds=time.perf_counter() - start))
        query = self.query_string()
        self.link_html.value = (
            f"<span style='font-size:85%;color:#666'>{html.escape(self.tr('common.link'))}: "
            f"<code>?{html.escape(query)}</code></span>" if query else "")
