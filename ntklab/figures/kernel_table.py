"""Figure of the kernel table (:mod:`ntklab.experiments.kernel_table`): test accuracy of
each model (rows: FC-NTK, CNTK-flatten, CNTK-GAP, and the trained CNNs at each width) at
each depth (columns), the numbers written in the cells, the seconds each took on hover:
the digits analogue of Table 1 of Arora et al. 2019."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from .style import heatmap, layout, make_figure, merge_labels

__all__ = ["table_fig"]


def _row_label(model, width, lab):
    return model if width == math.inf else f"{model}, {lab['width']} {int(width)}"


def table_fig(table, *, labels=None) -> go.Figure:
    """The table as a heatmap of test accuracy (%) with the value in each cell; one row per
    model and width, one column per depth; cells not computed are blank. One trace."""
    lab = merge_labels({"title": "", "x": "depth (conv or hidden layers)", "y": "",
                        "accuracy": "test accuracy (%)", "width": "width",
                        "seconds": "s"}, labels)
    keys = []
    for r in table.rows:
        if (r.model, r.width) not in keys:
            keys.append((r.model, r.width))
    depths = sorted({r.depth for r in table.rows})
    z = np.full((len(keys), len(depths)), np.nan)
    secs = np.full_like(z, np.nan)
    for r in table.rows:
        i, j = keys.index((r.model, r.width)), depths.index(r.depth)
        z[i, j], secs[i, j] = 100 * r.accuracy, r.seconds
    text = [["" if np.isnan(v) else f"{v:.1f}" for v in row] for row in z]
    ylabels = [_row_label(m, w, lab) for m, w in keys]
    trace = heatmap(
        x=[str(d) for d in depths], y=ylabels, z=z, text=text, texttemplate="%{text}",
        customdata=secs, colorscale="Viridis", zmin=float(np.nanmin(z)) if z.size else 0,
        zmax=float(np.nanmax(z)) if z.size else 100, xgap=2, ygap=2,
        hovertemplate="%{y}, depth %{x}: %{z:.1f} %<br>%{customdata:.1f} "
                      + lab["seconds"] + "<extra></extra>",
        colorbar=dict(title=dict(text=lab["accuracy"], side="right"), thickness=12))
    fig_layout = layout(lab)
    fig_layout.pop("template", None)
    fig_layout.update(height=max(260, 40 * len(keys) + 120),
                      margin=dict(l=150, r=20, t=40, b=50))
    fig_layout["yaxis"].update(autorange="reversed", type="category")
    fig_layout["xaxis"].update(type="category")
    return make_figure([trace], fig_layout)
