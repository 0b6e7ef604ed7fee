"""Plotly figures of ntklab, one module per claim (the same names as
:mod:`ntklab.experiments`): a result in, ``go.Figure`` out, no science.

:mod:`~ntklab.figures.style` holds the shared look (colours, layouts, the fast path the
dashboards build in, :func:`~ntklab.figures.style.for_widgets`) and
:mod:`~ntklab.figures.shared` the figures several claims draw (curves over x and over time,
log-log power laws with their fitted lines, bands). Dashboards pass translated ``labels``;
notebooks and ``ntklab figures`` show the same figures with English ones.
"""
