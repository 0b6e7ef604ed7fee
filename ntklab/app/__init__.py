"""Voila dashboards (ipywidgets + plotly FigureWidgets) on top of the ntklab core.

Importing this package is light: it imports neither JAX, nor plotly, nor the dashboards;
each dashboard class is imported on first access (``from ntklab.app import
SpectrumDashboard``). How to add a dashboard, and which module holds which part of the
shared machinery: :mod:`ntklab.app.dashboard`.
"""

from __future__ import annotations

import importlib

__all__ = [
    "DASHBOARDS",
    "DigitsDashboard",
    "EnsembleDashboard",
    "FrequencyDashboard",
    "InitDashboard",
    "LazyDashboard",
    "RegimesDashboard",
    "SpectrumDashboard",
]

# class name -> module; the notebook of each is notebooks/dashboards/<module>.ipynb
DASHBOARDS = {
    "SpectrumDashboard": "spectrum",
    "FrequencyDashboard": "frequency",
    "LazyDashboard": "lazy",
    "InitDashboard": "initialization",
    "EnsembleDashboard": "ensemble",
    "RegimesDashboard": "regimes",
    "DigitsDashboard": "digits",
}


def __getattr__(name):
    if name in DASHBOARDS:
        module = importlib.import_module(f".{DASHBOARDS[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *DASHBOARDS])
