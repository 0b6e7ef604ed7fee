"""Controls with server-side bounds: :class:`Param` describes one dashboard control (its URL
name, default, kind, bounds and label), validates every value against them, parses and
formats the value's URL text, and makes the ipywidget that shows it.

Widgets carry the same bounds but are not trusted: :class:`~ntklab.app.dashboard.Dashboard`
validates what a widget, :meth:`~ntklab.app.dashboard.Dashboard.set` or the URL gives with
:meth:`Param.validate` before any computation.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ipywidgets as W

from ..analytic.validate import Refusal
from .strings import STRINGS, tr

__all__ = ["Param"]

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

    def _refuse(self, key: str, what: str, got=None) -> Refusal:
        tail = "" if got is None else f", got {got}"
        return Refusal(f"{self.name} must be {what} in {self._bounds()}{tail}", key,
                       name=self.name, lo=self.lo, hi=self.hi)

    def _int(self, value) -> int:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._refuse("int_range", "an integer")
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
