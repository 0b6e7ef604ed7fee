"""What every ntklab dashboard shares: the :class:`Dashboard` base class (controls, status
line, progress bar, English/Chinese labels, figures refreshed by a latest-wins worker) and
the page's URL presets (:func:`read_query_string`).

The app's machinery, one concern per module:

- :mod:`ntklab.app.controls`: :class:`~ntklab.app.controls.Param`, a control with
  server-side bounds;
- :mod:`ntklab.app.worker`: the latest-wins worker thread (``Worker``, ``Token``,
  ``Cancelled``);
- this module: the :class:`Dashboard` base class and URL presets;
- :mod:`ntklab.app.training`: ``TrainingDashboard``, which also draws frames while a net
  trains;
- :mod:`ntklab.app.strings`: every label, in English and Chinese;
- :mod:`ntklab.app.serving`: the browser side: the figure widget and ``sync_figure``
  (``figure_widget``), ntklab's plotly.js bundle (``plotly_bundle``), the kernel watchdog
  (``watch``) and the Voila template that ``ntklab app`` serves.

How to write a dashboard (see ``spectrum.py`` for a complete one, ~60 lines)::

    from .controls import Param
    from .dashboard import Dashboard

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

        def claims(self, result, values):              # what the captions may say, checked
            return ntklab.experiments.my.claims(result)     # texts: "claim.<name>.yes/.no"

A dashboard that trains a net subclasses ``training.TrainingDashboard`` instead, and may
draw frames from ``compute`` with its ``draw_frame``. List the class in
``ntklab.app.DASHBOARDS`` (class name → module), then write a thin notebook,
``notebooks/dashboards/<module>.ipynb``::

    from ntklab.app import MyDashboard
    dash = MyDashboard()        # builds widgets; starts the default computation
    dash.apply_url()            # presets from the page's query string (see below)
    dash

What the base class guarantees:

- **Bounds in code.** :class:`~ntklab.app.controls.Param` validates every value (from a
  widget, :meth:`Dashboard.set` or the URL) against its kind and bounds before any
  computation; widgets carry the same bounds but are not trusted.
- **URL presets.** ``?n=3000&s=10&lang=zh`` sets controls by ``Param.name``. Invalid
  values fall back to the default and unknown names are ignored, each with a visible note.
  :func:`read_query_string` reads the query in Voila both for a fresh kernel (the
  ``QUERY_STRING`` environment variable) and for a preheated one (it waits, via
  ``voila.utils.get_query_string``, until the page request has reached the kernel).
- **Responsiveness.** Every control change submits a job to a
  :class:`~ntklab.app.worker.Worker`, one thread per dashboard: a new change cancels the
  running job at its next ``token.check()`` / ``token.progress()`` and replaces any queued
  one, so only the latest values are computed (this is the debounce: no fixed delay, no
  backlog). Figures are ``go.FigureWidget``\\ s created once
  (:func:`~ntklab.app.serving.figure_widget.live_figure_widget_class`) and refreshed with
  :func:`~ntklab.app.serving.figure_widget.sync_figure` (one ``batch_update``).
- **Errors never kill anything.** ``ValueError`` from the core (a bad expression, a memory
  refusal) shows in the status line; any other exception shows as an internal error there
  and is logged; the controls keep working. If the kernel itself dies, a banner says so
  (:class:`~ntklab.app.serving.watch.KernelWatch`, shown with every dashboard).
- **Captions are checked claims.** A caption is its static explanation (what is drawn)
  followed by the text of each :class:`~ntklab.experiments.common.Claim` about that figure,
  the ``holds`` or the ``fails`` wording, quoting the measured numbers
  (:meth:`Dashboard.caption_text`, :attr:`Dashboard.shown_claims`).
- **A consistent page after an error.** A refused or failed computation keeps the last
  plots, greyed, with a note naming the settings they show; the link stays on those
  settings (:attr:`Dashboard.drawn_values`).
- **Two languages.** :meth:`Dashboard.tr` looks up ``strings.STRINGS``; the language toggle
  relabels every control, caption, figure and error message.
- **Testable headless.** ``Dashboard(threaded=False)`` computes inline, so
  ``dash.set(n=500)`` returns with the figures updated; with threads, call ``dash.wait()``.
"""

from __future__ import annotations

import html
import logging
import os
import threading
import time
from collections.abc import Mapping
from urllib.parse import parse_qs, urlencode

import ipywidgets as W

from .controls import Param
from .serving.figure_widget import live_figure_widget_class, sync_figure
from .strings import LANGUAGE_NAMES, LANGUAGES, STRINGS, tr
from .worker import Cancelled, Token, Worker

__all__ = ["Dashboard", "read_query_string"]

log = logging.getLogger("ntklab.app")


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
        self.drawn_values: dict | None = None  # the control values of that result
        self.shown_claims: tuple = ()  # the checked claims its captions make
        self.error: str | None = None  # the last error shown, None after a success
        self._error_parts = None  # (exception or message) of that error, to re-translate
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
        self.stale_html = W.HTML(layout=W.Layout(display="none"))
        self.progress = W.FloatProgress(value=0.0, min=0.0, max=1.0,
                                        layout=W.Layout(width="160px", visibility="hidden"))
        self.figure_widgets = {
            name: live_figure_widget_class()(layout=dict(template="plotly_white", height=330))
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

    def claims(self, result, values: dict) -> tuple:
        """The checked statements the captions make about ``result`` (the claim module's
        ``claims(result)``, :class:`ntklab.experiments.common.Claim`); none by default."""
        return ()

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
        self.plots_box = W.GridBox(cells, layout=W.Layout(
            grid_template_columns="repeat(auto-fit, minmax(440px, 1fr))", grid_gap="8px 16px"))
        return W.VBox([header, self.intro_html, self.notes_html, controls, status,
                       self.stale_html, self.plots_box, self.link_html],
                      layout=W.Layout(padding="4px 8px"))

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

    def query_string(self, values: dict | None = None) -> str:
        """The URL query that reproduces ``values`` (default: the current controls),
        naming only non-default ones."""
        current = self.values() if values is None else values
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
            refused = exc  # ``exc`` is unbound after the except block
            self._worker.submit(lambda token: self._fail(token, refused))
            return
        self._worker.submit(lambda token: self._job(values, token))

    def caption_text(self, name: str) -> str:
        """The caption under figure ``name`` as plain text, in the current language: its
        explanation, then each checked claim about it."""
        key = dict(self.FIGURES)[name]
        texts = [self.tr(key)] + [self.claim_text(c) for c in self.shown_claims
                                  if c.figure == name]
        return " ".join(texts)

    def claim_text(self, claim) -> str:
        """What ``claim`` says in the current language: its ``holds`` or ``fails`` text,
        with its measured values."""
        return self.tr(f"claim.{claim.name}.{'yes' if claim.holds else 'no'}",
                       **self.claim_fields(claim))

    def claim_fields(self, claim) -> dict:
        """Hook: ``claim.values`` as its text quotes them (e.g. names translated); lists
        are joined with commas."""
        return {k: ", ".join(map(str, v)) if isinstance(v, tuple) else v
                for k, v in claim.values.items()}

    def wait(self, timeout: float = 60.0) -> bool:
        """Wait until the latest change is drawn (or failed); False on timeout."""
        return self._worker.wait(timeout)

    def _repr_mimebundle_(self, **kwargs):
        # with an invisible watchdog: a banner in the page if the kernel stops answering
        from .serving.watch import KernelWatch

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
            self._show_captions()
            self._show_notes()
            self._show_stale()
            self._show_link()
            if self._error_parts is not None:
                self._status("error", self._error_text())
        finally:
            self._quiet -= 1

    def _show_captions(self) -> None:
        look = html.escape(self.tr("common.what_to_look_for"))
        seen = html.escape(self.tr("common.at_these_settings"))
        for name, key in self.FIGURES:
            claims = "".join(
                f"<span class='ntklab-claim' data-claim='{html.escape(c.name)}' "
                f"data-holds='{int(c.holds)}'>{html.escape(self.claim_text(c))}</span> "
                for c in self.shown_claims if c.figure == name)
            measured = (f"<br><b>{seen}:</b> {claims}" if claims else "")
            self.caption_html[name].value = (
                f"<p class='ntklab-caption' style='margin:0 0 8px 0;font-size:90%;color:#333'>"
                f"<b>{look}:</b> {html.escape(self.tr(key))}{measured}</p>")

    def _changed_settings(self) -> str:
        """The controls whose value differs from the plots', as ``label = value`` pairs."""
        if self.drawn_values is None:
            return ""
        try:
            current = self.values()
        except ValueError:  # a widget holds an invalid value: compare what can be read
            current = {}
            for name, p in self.params.items():
                try:
                    current[name] = p.validate(p.widget_value(self.controls[name]))
                except ValueError:
                    current[name] = p.widget_value(self.controls[name])
        return ", ".join(
            f"{self.tr(self.params[name].label)} = {self.params[name].format(old)}"
            for name, old in self.drawn_values.items() if current.get(name) != old)

    def _show_stale(self) -> None:
        """Say, above the plots, that they show older settings (after a refused or failed
        computation), name those settings, and grey the plots; hide it otherwise."""
        changed = self._changed_settings() if self._error_parts is not None else ""
        if not changed:
            self.stale_html.value = ""
            self.stale_html.layout.display = "none"
            self.plots_box.remove_class("ntklab-stale")
            return
        text = html.escape(self.tr("common.stale", settings=changed))
        self.stale_html.value = (
            "<style>.ntklab-stale .js-plotly-plot{opacity:0.45}</style>"
            "<div class='ntklab-stale-note' style='background:#fdecea;border:1px solid #e5a5a0;"
            f"padding:4px 10px;border-radius:4px;margin:4px 0'>{text}</div>")
        self.stale_html.layout.display = "block"
        self.plots_box.add_class("ntklab-stale")

    def _show_link(self) -> None:
        """The link to the setup the plots show (not to controls that were refused)."""
        if self.drawn_values is None:
            self.link_html.value = ""
            return
        query = self.query_string(self.drawn_values)
        if self.lang != "en":
            query = (query + "&" if query else "") + f"lang={self.lang}"
        self.link_html.value = (
            f"<span class='ntklab-link' style='font-size:85%;color:#666'>"
            f"{html.escape(self.tr('common.link'))}: <code>?{html.escape(query)}</code></span>"
            if query else "")

    def _error_text(self) -> str:
        """The last error in the current language."""
        exc = self._error_parts
        key = getattr(exc, "key", None)
        if isinstance(exc, Exception) and not isinstance(exc, ValueError):
            return self.tr("common.internal_error", kind=type(exc).__name__,
                           message=str(exc)[:200])
        if key is not None and f"error.{key}" in STRINGS:
            message = self.tr(f"error.{key}", **exc.fields)
        else:
            message = str(exc)
        return self.tr("common.error", message=message)

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

        try:
            with for_widgets():  # frames drawn during compute too
                result = self.compute(values, token)
                token.check()
                figs = self.build_figures(result, values)
            claims = tuple(self.claims(result, values))
            token.check()
        except Cancelled:
            raise
        except Exception as exc:  # ValueError: bad input or a refused size; else a bug
            self._fail(token, exc)
            return
        with self._render_lock:
            if token.cancelled:  # a newer job will draw; do not flash stale data
                raise Cancelled
            for name, fig in figs.items():
                widget = self.figure_widgets[name]
                with widget.state_lock:
                    sync_figure(widget, fig)
            self.result, self.error, self._error_parts = result, None, None
            self.drawn_values, self.shown_claims = dict(values), claims
            self.drawn_lang = self.lang
            self.renders += 1
            self._show_captions()
            self._show_stale()
            self._show_link()
        self._finish(token, "ok", self.tr("common.ready", seconds=time.perf_counter() - start))

    def _fail(self, token: Token, exc: Exception) -> None:
        """A computation was refused (``ValueError``) or failed (a bug, logged): say so in
        the status line, keep the last plots but mark them as older settings, keep the link
        on the settings they show, and redraw them in the current language if it changed."""
        if not isinstance(exc, ValueError):
            log.error("dashboard computation failed", exc_info=exc)
        if token.cancelled:
            return
        self._error_parts = exc
        text = self._error_text()
        # the old plots again if this job drew frames of its own (a training dashboard's
        # run that diverged) or the language changed since they were drawn
        framed = getattr(self, "first_frame_s", None) is not None
        if self.result is not None and (framed or getattr(self, "drawn_lang", self.lang)
                                         != self.lang):
            from ..figures.style import for_widgets

            try:
                with for_widgets():
                    figs = self.build_figures(self.result, self.drawn_values)
                with self._render_lock:
                    for name, fig in figs.items():
                        widget = self.figure_widgets[name]
                        with widget.state_lock:
                            sync_figure(widget, fig)
                    self.drawn_lang = self.lang
            except Exception:  # the old view cannot be redrawn: leave it as it is
                log.exception("could not redraw the last view")
        self._show_captions()
        self._show_stale()
        self._show_link()
        self._finish(token, "error", text, error=str(exc) if isinstance(exc, ValueError)
                     else f"{type(exc).__name__}: {exc}")
