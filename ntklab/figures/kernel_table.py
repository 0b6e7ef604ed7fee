"""Figure of the kernel table (:mod:`ntklab.experiments.kernel_table`): test accuracy of
each model (rows: FC-NTK, CNTK-flatten, CNTK-GAP, and the trained CNNs at each width) at
each depth (columns), the numbers written in the cells, the seconds each took (and a net's
training accuracy) on hover:
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
                        "seconds": "s", "train": "training accuracy"}, labels)
    models = list(dict.fromkeys(r.model for r in table.rows))  # the table's model order
    keys = sorted({(r.model, r.width) for r in table.rows},
                  key=lambda k: (models.index(k[0]), k[1]))  # nets by width
    depths = sorted({r.depth for r in table.rows})
    z = np.full((len(keys), len(depths)), np.nan)
    hover = [[""] * len(depths) for _ in keys]  # seconds, and a net's training accuracy
    for r in table.rows:
        i, j = keys.index((r.model, r.width)), depths.index(r.depth)
        z[i, j] = 100 * r.accuracy
        hover[i][j] = f"{r.seconds:.1f} {lab['seconds']}" + (
            "" if math.isnan(r.train_accuracy)
            else f"<br>{lab['train']} {100 * r.train_accuracy:.1f} %")
    text = [["" if np.isnan(v) else f"{v:.1f}" for v in row] for row in z]
    ylabels = [_row_label(m, w, lab) for m, w in keys]
    trace = heatmap(
        x=[str(d) for d in depths], y=ylabels, z=z, text=text, texttemplate="%{text}",
        customdata=hover, colorscale="Viridis", zmin=float(np.nanmin(z)) if z.size else 0,
        zmax=float(np.nanmax(z)) if z.size else 100, xgap=2, ygap=2,
        hovertemplate="%{y}, depth %{x}: %{z:.1f} %<br>%{customdata}<extra></extra>",
        colorbar=dict(title=dict(text=lab["accuracy"], side="right"), thickness=12))
    fig_layout = layout(lab)
    fig_layout.pop("template", None)
    fig_layout.update(height=max(260, 40 * len(keys) + 120),
                      margin=dict(l=150, r=20, t=40, b=50))
    fig_layout["yaxis"].update(autorange="reversed", type="category")
    fig_layout["xaxis"].update(type="category")
    return make_figure([trace], fig_layout)
