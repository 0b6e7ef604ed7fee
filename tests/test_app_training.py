"""The training dashboards (lazy training, initialization, prior and ensemble) driven
headlessly at tiny sizes: set controls, check the figures, URL fallbacks, cancellation."""

from __future__ import annotations

import numpy as np
import pytest

from ntklab.app import LazyDashboard
from ntklab.app._widgets import Cancelled, Token

TINY_LAZY = "m=32&n=8&steps=100"


def data(dash, name, i):
    return np.asarray(dash.figure_widgets[name].data[i].y, dtype=float)


def names(dash, name):
    return [t.name for t in dash.figure_widgets[name].data]


@pytest.fixture(scope="module")
def lazy():
    return LazyDashboard(threaded=False, query=TINY_LAZY)


def test_lazy_draws_every_figure(lazy):
    assert lazy.error is None and lazy.renders == 1 and not lazy.notes
    assert lazy.frames >= 1  # the initial state was drawn before training
    assert names(lazy, "fit")[1:4] == ["f_NN", "f_lin", "f_∞"]
    f_net, f_lin, target = data(lazy, "fit", 1), data(lazy, "fit", 2), data(lazy, "fit", 0)
    assert f_net.shape == (200,) and np.all(np.isfinite(f_net))
    assert np.abs(f_net - f_lin).max() < np.abs(f_net - target).max() + 1.0
    for name in ("gap", "drift", "loss"):
        for i in range(2):
            y = data(lazy, name, i)
            assert y.shape == (41,) and np.all(np.isfinite(y)), (name, i)
    loss = data(lazy, "loss", 0)
    assert loss[-1] < loss[0]  # training reduced the loss
    assert data(lazy, "drift", 0)[0] == pytest.approx(0, abs=1e-12)  # θ_0 − θ_0
    assert lazy.figure_widgets["fit"].layout.title.text.startswith("Outputs at t = ")
    assert "Ready" in lazy.status_html.value
    assert "Press the button" in lazy.figure_widgets["sweep"].layout.title.text


def test_lazy_wider_net_stays_closer_to_its_linearization(lazy):
    gap_narrow = data(lazy, "gap", 0)[-1]
    change_narrow = data(lazy, "drift", 0)[-1]
    lazy.set(m=256)
    assert lazy.error is None and "m = 256" in lazy.figure_widgets["fit"].layout.title.text
    assert data(lazy, "gap", 0)[-1] < gap_narrow
    assert data(lazy, "drift", 0)[-1] < change_narrow
    assert lazy.query_string() == "m=256&n=8&steps=100"
    lazy.set(m=32)  # back: the cached run is drawn again
    assert data(lazy, "gap", 0)[-1] == pytest.approx(gap_narrow)


def test_lazy_sweep_reports_a_measured_slope(lazy, monkeypatch):
    import ntklab.app.lazy as module

    monkeypatch.setattr(module, "LAZY_SWEEP_WIDTHS", (16, 64, 256))
    lazy.run_sweep()
    assert lazy.error is None
    fig = lazy.figure_widgets["sweep"]
    rmse = np.asarray(fig.data[0].y, dtype=float)
    assert list(fig.data[0].x) == [16, 64, 256] and np.all(rmse > 0)
    assert fig.layout.xaxis.type == "log" and fig.layout.yaxis.type == "log"
    slope = np.polyfit(np.log([16, 64, 256]), np.log(rmse), 1)[0]
    assert fig.data[1].name == f"fitted slope {slope:+.2f}"
    assert f"{slope:+.2f}" in fig.layout.title.text
    lazy.set(s=2.0)  # other settings: the old sweep is no longer shown
    assert "Press the button" in lazy.figure_widgets["sweep"].layout.title.text
    lazy.set(s=1.0)


def test_lazy_language_toggle(lazy):
    lazy.set(lang="zh")
    assert lazy.controls["m"].description == "宽度 m"
    assert lazy.figure_widgets["fit"].layout.title.text.startswith("t = ")
    assert "看点" in lazy.caption_html["gap"].value
    lazy.set(lang="en")
    assert lazy.controls["m"].description == "width m"


def test_lazy_bounds_and_bad_url_values():
    dash = LazyDashboard(threaded=False, autostart=False,
                         query="m=5&s=abc&steps=100&n=8&lr=3&foo=1")
    v = dash.values()
    assert v["m"] == 512 and v["s"] == 1.0 and v["lr"] == 1.0 and v["steps"] == 100
    assert len(dash.notes) == 4 and "'foo'" in dash.notes[-1]
    assert "m='5'" in dash.notes[0] and "[16, 4096]" in dash.notes[0]
    for bad in (dict(m=8192), dict(n=64), dict(steps=5000), dict(lr=2.0), dict(s=100.0)):
        with pytest.raises(ValueError):
            dash.set(**bad)


def test_lazy_stale_job_is_cancelled_before_training():
    dash = LazyDashboard(threaded=False, autostart=False, query=TINY_LAZY)
    stale = Token(dash._worker, dash._worker.generation - 1)
    with pytest.raises(Cancelled):
        dash.compute(dash.values(), stale)
    assert not dash._runs and dash.frames == 0


def test_lazy_threaded_burst_draws_only_the_last():
    dash = LazyDashboard(query="m=32&n=8&steps=3000")
    for m in (40, 48, 56, 64):
        dash.controls["m"].value = m  # as a dragged slider would
    assert dash.wait(120)
    assert dash.error is None
    assert "m = 64" in dash.figure_widgets["fit"].layout.title.text
    assert dash.renders <= 2  # the first job may finish before the burst; stale ones never
    assert set(dash._runs) <= {(32, 1.0, 8, 1.0, 3000, 0), (64, 1.0, 8, 1.0, 3000, 0)}
