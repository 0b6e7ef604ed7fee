"""Controls with server-side bounds: :class:`Param` describes one dashboard control (its URL
name, default, kind, bounds and label), validates every value against them, parses and
formats the value's URL text, and makes the ipywidget that shows it.

Widgets carry the same bounds but are not trusted: :class:`~ntklab.app.dashboard.Dashboard`
validates what a widget, :meth:`~ntklab.app.dashboard.Dashboard.set` or the URL gives with
:meth:`Param.validate` before any computation.

Three ipywidgets are replaced by small subclasses that keep what the student typed or the
link said (each found in the browser; tests/app/test_browser.py types and presets them):

- ``"int_text"`` is :class:`IntBox`, a text box read by :meth:`Param.parse`: ipywidgets'
  ``BoundedIntText`` drops the keys ``e . ,`` and space as they are typed, so ``1e3`` became
  seed 13. Now ``1e3`` is 1000 (the box then shows ``1000``); text that is not an integer in
  bounds is refused with a message in the status line.
- ``"log_slider"``/``"log_int"`` are :class:`LogSlider`: ipywidgets' ``FloatLogSlider`` puts
  its handle on a grid of ``step`` in log10 and, on drawing, sends that grid value back, so
  ``?t=30`` became 31.6. :class:`LogSlider` stretches its step a little so that a value set
  from Python (a default, a URL preset) is on its grid, and ignores the browser's copy of that
  value when it differs only by round-off.
- ``"ints"`` is :class:`IntsBox`: ipywidgets' tag inputs (``IntsInput``) draw no description,
  so the box puts a label beside one.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ipywidgets as W
import traitlets

from ..analytic.validate import Refusal
from .strings import STRINGS, tr

__all__ = ["IntBox", "IntsBox", "LogSlider", "Param"]

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
        step: slider step (log sliders: in log10, stretched a little so that the value set
            lands on the slider's grid; see :class:`LogSlider`).
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

    def _refuse(self, key: str, what: str, got=None) -> Refusal:
        tail = "" if got is None else f", got {got}"
        return Refusal(f"{self.name} must be {what} in {self._bounds()}{tail}", key,
                       name=self.name, lo=self.lo, hi=self.hi)

    def _int(self, value) -> int:
        if isinstance(value, bool) or not isinstance(value, int | float):
            # (text: what was typed in an IntBox that is no integer)
            raise self._refuse("int_range", "an integer",
                               repr(value[:40]) if isinstance(value, str) else None)
        if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
            raise self._refuse("int_range", "an integer")
        value = int(value)
        if not self.lo <= value <= self.hi:
            raise self._refuse("int_range", "an integer", value)
        return value

    def validate(self, value):
        """The canonical value, or ``ValueError`` saying what is allowed."""
        if self.kind == "int":
            return self._int(value)
        if self.kind == "float":
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise self._refuse("number_range", "a number")
            value = float(value)
            if not (math.isfinite(value) and self.lo <= value <= self.hi):
                raise self._refuse("number_range", "a number", value)
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
                return _integer(text)
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
            return LogSlider(value=v, base=10, min=math.log10(self.lo), max=math.log10(self.hi),
                             grid_step=self.step or 0.05, readout_format=".3g", **common)
        if self.widget == "int_text":
            return IntBox(value=str(v), continuous_update=False, **common)
        if self.widget in ("toggle", "dropdown"):
            cls = W.ToggleButtons if self.widget == "toggle" else W.Dropdown
            if cls is W.ToggleButtons:
                common["style"] = {"description_width": "initial", "button_width": "auto"}
            return cls(options=self.options(lang), value=v, **common)
        if self.widget == "text":
            return W.Text(value=v, continuous_update=False, **common)
        if self.widget == "ints":
            return IntsBox(value=list(v), min=self.lo, max=self.hi,
                           description=common["description"], layout=common["layout"])
        raise ValueError(f"unknown widget {self.widget!r}")

    def options(self, lang: str) -> list[tuple[str, Any]]:
        labels = self.choice_labels or (None,) * len(self.choices)
        # a label is a key of strings.STRINGS, or literal text (e.g. a formula), or None
        return [(tr(k, lang) if k in STRINGS else (k or str(c)), c)
                for c, k in zip(self.choices, labels, strict=True)]

    def widget_value(self, widget: W.Widget):
        """The value a widget holds, not yet validated (an :class:`IntBox`'s text when it
        is no integer: :meth:`validate` refuses it)."""
        value = widget.value
        if self.widget == "int_text":  # the text typed: 1e3 is 1000; "1.5" stays text,
            try:                        # which validate() refuses
                return _integer(value)
            except ValueError:
                return value
        if self.widget == "log_int":
            value = round(value)
        if self.kind == "ints":
            value = list(value)
        return value


def _integer(text: str) -> int:
    """An integer from text, also when written as a float with no fraction: ``1e3``,
    ``1000.0``, ``1_000``. ``ValueError`` otherwise."""
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        number = float(text)  # ValueError for text that is no number
        if not (math.isfinite(number) and number.is_integer()):
            raise ValueError(f"not an integer: {text!r}") from None
        return int(number)


# ---------------------------------------------------------------------------------------
# ipywidgets that keep what was typed or preset (see the module docstring)


class IntBox(W.Text):
    """A text box for an integer, read with :meth:`Param.parse` (``1e3`` is 1000).

    Its ``value`` is the text; setting it to an int (``Dashboard.set``, a URL preset) shows
    that int. Text that reads as an integer is shown as one (``1e3`` → ``1000``, in the same
    update: the dashboard computes once); other text stays as typed, and
    :meth:`Param.widget_value` refuses it, which the dashboard shows in its status line.
    """

    value = traitlets.CUnicode(help="the text in the box").tag(sync=True)

    @traitlets.validate("value")
    def _canonical(self, proposal):
        text = proposal["value"]
        try:
            return str(_integer(text))
        except ValueError:
            return text


class LogSlider(W.FloatLogSlider):
    """``FloatLogSlider`` whose grid goes through the value set from Python, so that a default
    or a URL preset stays exactly as given (in the kernel and in the readout).

    The browser's slider (noUiSlider) puts its handle on ``min + k·step`` (log10) and, when it
    draws, sends that value back: a value between two grid points was replaced by the nearer
    one (``?t=30`` → 31.6). Here each value set from Python gets a step close to
    ``grid_step`` that puts it on the grid (``(log10(value) − min) / k``, ``k`` whole), sent
    to the browser in the same message as the value; the browser's copy of a value, which can
    differ from it by float round-off (10^log10(30) = 29.999999999999996), is ignored. Values
    the slider sends (a drag, a key press) are on the grid already and keep the step.
    """

    def __init__(self, *, grid_step: float = 0.05, **kwargs):
        self.grid_step = float(grid_step)
        self._send_step = False
        super().__init__(step=self.grid_step, **kwargs)

    def _step_through(self, value: float) -> float:
        """The step whose grid, from ``min``, goes through ``value`` (the current one when
        it already does, or when ``value`` is an end of the slider)."""
        if not value > 0:
            return self.step
        span = math.log(value, self.base) - self.min
        steps = round(span / self.grid_step)
        on_grid = span / self.step
        if steps < 1 or abs(math.log(value, self.base) - self.max) < 1e-12 \
                or abs(on_grid - round(on_grid)) < 1e-6:
            return self.step
        return span / steps

    @traitlets.validate("value")
    def _validate_value(self, proposal):
        value = super()._validate_value(proposal)  # FloatLogSlider: within [base^min, base^max]
        step = self._step_through(value)
        if step != self.step:
            # set quietly: notify_change sends it in the same message as the value
            self._trait_values["step"] = step
            self._send_step = True
        return value

    def notify_change(self, change):
        if change["name"] != "value" or not self._send_step:
            super().notify_change(change)
            return
        self._send_step = False
        if self.comm is not None and getattr(self.comm, "kernel", True) is not None:
            # one message, step first: the browser moves its grid, then the handle onto it
            # (with two messages it would snap the value to the old grid and send that back)
            keys = ["step"]
            if self._should_send_property("value", change["new"]):
                keys.append("value")
            self.send_state(keys)
        traitlets.HasTraits.notify_change(self, change)  # the observers; Widget's send is done

    def set_state(self, sync_data):
        value = sync_data.get("value")
        if isinstance(value, int | float) and not isinstance(value, bool) and self.value \
                and math.isclose(value, self.value, rel_tol=1e-9, abs_tol=0.0):
            # the browser's copy of our value (float round-off): keep ours, compute nothing
            sync_data = {k: v for k, v in sync_data.items() if k != "value"}
            if not sync_data:
                return
        super().set_state(sync_data)


class IntsBox(W.HBox):
    """``IntsInput`` (the tags) with a visible label: ipywidgets draws no description for tag
    inputs. ``value`` and ``description`` are the control's, kept in step with the parts."""

    value = traitlets.List(traitlets.Int())
    description = traitlets.Unicode("")

    def __init__(self, *, value, min, max, description="", layout=None):
        self.label = W.Label(description, layout=W.Layout(flex="0 0 auto"))
        self.label.add_class("ntklab-ints-label")
        self.tags = W.IntsInput(value=list(value), min=min, max=max,
                                layout=W.Layout(flex="1 1 auto"))
        super().__init__([self.label, self.tags], value=list(value), description=description,
                         layout=layout or W.Layout())
        self.layout.align_items = "center"
        traitlets.link((self.tags, "value"), (self, "value"))
        traitlets.dlink((self, "description"), (self.label, "value"))
