"""Figure builders (ntklab.figures): a result in, a figure out, with the same traces whatever
is empty, and fitted lines taken from the experiment (a figure never fits)."""

import numpy as np
import pytest

from ntklab.experiments import spectrum
from ntklab.figures import lazy as lazy_figs
from ntklab.figures import shared, style
from ntklab.figures import spectrum as spectrum_figs


def test_loglog_draws_the_experiments_fit_not_its_own():
    u = np.array([1.0, 10.0, 100.0])
    y = np.array([1.0, 0.2, 0.01])
    fit = np.array([9.0, 8.0, 7.0])  # deliberately not a fit of y: drawn as given
    fig = shared.loglog_fig(u, [dict(name="y", y=y, fit=fit, slope=-0.5)],
                            lines=[dict(name="theory", y=u**-1.0)])
    assert len(fig.data) == 3
    np.testing.assert_array_equal(fig.data[1].y, fit)
    assert fig.data[1].name == "slope -0.50" and fig.layout.xaxis.type == "log"
    empty = shared.loglog_fig(None, [dict(name="y", y=None)])
    assert len(empty.data) == 2 and len(empty.data[0].x) == 0


def test_width_sweep_empty_and_full_have_the_same_traces():
    empty = lazy_figs.width_sweep_fig(None)
    assert len(empty.data) == 4 and all(len(t.x) == 0 for t in empty.data)


def test_spectrum_figs_circle_the_shown_vectors():
    view = spectrum.spectrum_view(200, k=12)
    a, b = spectrum_figs.spectrum_figs(view, shown=(1, 2, 30))
    assert [t.name for t in a.data] == ["v_1", "v_2"]  # 30 > k is dropped
    assert list(b.data[2].x) == [1, 2]
    assert "Fig. 1.1" in a.layout.title.text


def test_for_widgets_builds_plain_dicts():
    with style.for_widgets():
        trace = style.scatter(x=[1], y=[2], name=None)
        assert trace == {"type": "scatter", "x": [1], "y": [2]}
    assert not isinstance(style.scatter(x=[1], y=[2]), dict)


@pytest.mark.parametrize("labels, title", [(None, "Outputs at init f(x; θ₀)"),
                                           ({"title": "T"}, "T")])
def test_labels_override_defaults(labels, title):
    from ntklab.experiments.initialization import TrickStart
    from ntklab.figures.initialization import tricks_at_init_fig

    x = np.linspace(-1, 1, 5)
    start = TrickStart(x_train=x, y_train=x, x_test=x, y_test=x, f0_test=np.zeros((4, 5)),
                       lam_max=np.ones(4), lr=1.0, steps=1, t_end=1.0)
    fig = tricks_at_init_fig(start, "rnd", labels=labels)
    assert fig.layout.title.text == title
    widths = [t.line.width for t in fig.data[:4]]
    assert widths == [1.2, 1.2, 1.2, 3.0]  # the chosen trick is drawn thick


def test_an_empty_sweep_figure_spans_the_widths_to_come():
    """Before the button, a sweep's log-log axes show the widths it will measure (not
    plotly's default decades around nothing); once measured, plotly fits the data."""
    from ntklab.figures.shared import loglog_fig

    empty = loglog_fig(None, [dict(name="rmse", y=None)], u_range=(64, 512))
    lo, hi = empty.layout.xaxis.range
    assert 10 ** lo < 64 < 512 < 10 ** hi < 2 * 512
    drawn = loglog_fig(np.array([64.0, 512.0]), [dict(name="rmse", y=np.array([1.0, 0.5]))],
                       u_range=(64, 512))
    assert drawn.layout.xaxis.range is None
