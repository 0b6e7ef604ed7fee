"""The training dashboards (lazy training, initialization, prior and ensemble) driven
headlessly at tiny sizes: set controls, check the figures, URL fallbacks, cancellation."""

from __future__ import annotations

import numpy as np
import pytest

from ntklab.app import EnsembleDashboard, InitDashboard, LazyDashboard
from ntklab.app.worker import Cancelled, Token

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
            # 41 records; an exact zero at t = 0 is left out of the log axis
            assert y.shape in ((40,), (41,)) and np.all(y > 0), (name, i)
    loss = data(lazy, "loss", 0)
    assert loss[-1] < loss[0]  # training reduced the loss
    assert data(lazy, "drift", 0).shape == (40,)  # θ_0 − θ_0 = 0 at t = 0: not drawn
    assert lazy.figure_widgets["drift"].data[0].x[0] > 0
    assert lazy.figure_widgets["fit"].layout.title.text.startswith("Outputs at t = ")
    assert "Ready" in lazy.status_html.value
    assert "Press the button" in lazy.figure_widgets["sweep"].layout.title.text


def test_lazy_animates_outputs_while_training():
    frames = []

    class Watched(LazyDashboard):
        FRAME_EVERY = 0.0  # draw after every compiled chunk

        def draw_frame(self, make_figs, token, *, force=False):
            def recorded():
                figs = make_figs()
                frames.append(figs)
                return figs
            return super().draw_frame(recorded, token, force=force)

    dash = Watched(threaded=False, query="m=32&n=8&steps=2000")
    assert dash.error is None
    fits = [f["fit"] for f in frames if "fit" in f]
    # the start frame (t = 0) and at least one frame of a later time before the final draw
    titles = [fig.layout.title.text for fig in fits]
    assert titles[0].startswith("Outputs at t = 0")
    moving = [fig for fig in fits[1:] if not fig.layout.title.text.startswith("Outputs at t = 0")]
    assert moving, titles
    f_net = np.asarray(moving[0].data[1].y)
    f_inf = np.asarray(moving[0].data[3].y)
    assert np.all(np.isfinite(f_net)) and np.all(np.isfinite(f_inf))
    assert not np.allclose(f_net, fits[0].data[1].y)  # the net moved since t = 0
    gaps = [f["gap"] for f in frames if "gap" in f][1:]
    assert gaps and len(gaps[-1].data[0].x) >= 1


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

    monkeypatch.setattr(module, "SWEEP_WIDTHS", (16, 64, 256))
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
    assert v["m"] == 4096 and v["s"] == 1.0 and v["lr"] == 1.0 and v["steps"] == 100
    assert dash.controls["m"].value == pytest.approx(4096)  # on the slider's grid
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


# --- initialization -----------------------------------------------------------------------

TINY_INIT = "m=24&steps=200"


@pytest.fixture(scope="module")
def init():
    return InitDashboard(threaded=False, query=TINY_INIT)


def test_init_draws_tricks_eq114_and_losses(init):
    assert init.error is None and init.frames >= 1 and not init.notes
    f0 = [data(init, "init", i) for i in range(4)]  # plain, ASI, doubling, RND
    assert np.abs(f0[0]).max() > 1.0  # s = 10: a large random initial output
    assert np.abs(f0[1]).max() == 0.0 and np.abs(f0[2]).max() < 1e-10  # ASI, doubling: zero
    assert names(init, "loss") == ["plain", "ASI", "doubling", "RND"]
    losses = [data(init, "loss", i) for i in range(4)]
    assert all(y.shape == (41,) and y[-1] < y[0] for y in losses)
    assert names(init, "trained")[1:4] == ["eq. 1.14 (plain, linearized)", "h(·; 0, X, Y)",
                                           "trained ASI net"]
    assert init.figure_widgets["trained"].layout.title.text.startswith("ASI net at t = ")
    prior = data(init, "prior", 1)
    assert prior.shape == (200,) and np.all(np.isfinite(prior))
    assert init.figure_widgets["loss"].data[1].line.width > init.figure_widgets["loss"] \
        .data[0].line.width  # the trick shown is drawn thick


def test_init_trick_switch_only_redraws(init):
    renders, runs = init.renders, dict(init._runs)
    asi = data(init, "trained", 3)
    init.set(trick="plain")
    assert init.renders == renders + 1 and init._runs == runs  # no new training
    plain = data(init, "trained", 3)
    assert not np.allclose(plain, asi)
    assert init.figure_widgets["loss"].data[0].line.width == 3.0
    init.set(s=0.1)  # small init: the plain net's initial output nearly vanishes
    assert np.abs(data(init, "init", 0)).max() < 0.1
    init.set(s=10.0, trick="asi")


def test_init_url_fallbacks():
    dash = InitDashboard(threaded=False, autostart=False, query="depth=3&trick=magic&m=24")
    v = dash.values()
    assert v["depth"] == 1 and v["trick"] == "asi" and v["m"] == 24 and len(dash.notes) == 2
    with pytest.raises(ValueError):
        dash.set(m=2048)


def test_init_cancelled_job_trains_nothing():
    dash = InitDashboard(threaded=False, autostart=False, query=TINY_INIT)
    with pytest.raises(Cancelled):
        dash.compute(dash.values(), Token(dash._worker, dash._worker.generation - 1))
    assert not dash._runs


# --- prior and ensemble -------------------------------------------------------------------

TINY_ENSEMBLE = "m=64&members=8&steps=200"


@pytest.fixture(scope="module")
def ensemble():
    return EnsembleDashboard(threaded=False, query=TINY_ENSEMBLE)


def test_ensemble_bands_and_nets(ensemble):
    assert ensemble.error is None and ensemble.frames >= 1
    prior = ensemble.figure_widgets["prior"].data
    top, bottom = np.asarray(prior[0].y, dtype=float), np.asarray(prior[1].y, dtype=float)
    np.testing.assert_allclose(top, -bottom)  # 0 ± 2√Σ
    samples = np.asarray(prior[3].y, dtype=float)
    assert samples.shape == (8 * 201,)  # 8 nets, NaN-separated
    inside = np.mean(np.abs(samples[np.isfinite(samples)]) <= np.tile(top, 8))
    assert inside > 0.7  # most of the prior samples lie in the ±2σ band
    trained = ensemble.figure_widgets["trained"].data
    mean, net_mean = (np.asarray(trained[i].y, dtype=float) for i in (2, 4))
    assert np.abs(net_mean - mean).max() < 0.5
    sd = [data(ensemble, "std", i) for i in range(4)]
    assert all(y.shape == (200,) and np.all(y >= 0) for y in sd)
    assert sd[2].mean() < sd[0].mean()  # training removes part of the prior's spread


def test_ensemble_scale_and_refusal(ensemble):
    top = np.asarray(ensemble.figure_widgets["prior"].data[0].y, dtype=float)
    ensemble.set(s=2.0)
    np.testing.assert_allclose(np.asarray(ensemble.figure_widgets["prior"].data[0].y,
                                          dtype=float), 4 * top, rtol=1e-9)  # Σ ∝ s⁴
    renders = ensemble.renders
    ensemble.set(m=1024, members=32, steps=2000, n=16)  # over the work budget: refused
    assert "would take about" in ensemble.error and ensemble.renders == renders
    assert "Could not update" in ensemble.status_html.value
    ensemble.set(m=64, members=8, steps=200, n=8, s=1.0)
    assert ensemble.error is None


def test_ensemble_url_fallbacks():
    dash = EnsembleDashboard(threaded=False, autostart=False, query="members=1000&m=x&s=2")
    v = dash.values()
    assert v["members"] == 16 and v["m"] == 256 and v["s"] == 2.0 and len(dash.notes) == 2


def test_every_widget_figure_passes_plotlys_validation(lazy, init, ensemble):
    """The dashboards build their figures without plotly's validation (for speed,
    ``figures.for_widgets``): what the widgets hold must still be a valid figure. And
    every trace is of a type that ntklab's plotly.js bundle (core + heatmap) can draw."""
    import plotly.graph_objects as go

    from ntklab.app import FrequencyDashboard, SpectrumDashboard
    from ntklab.app.serving.plotly_bundle import BUNDLE_TRACES

    dashboards = [lazy, init, ensemble, SpectrumDashboard(threaded=False, query="n=100"),
                  FrequencyDashboard(threaded=False, query="n=64")]
    for dash in dashboards:
        assert dash.error is None
        for name, widget in dash.figure_widgets.items():
            state = widget.to_dict()
            checked = go.Figure(state)  # raises on any invalid property
            assert len(checked.data) == len(widget.data), name
            for got, want in zip(checked.data, widget.data, strict=True):
                assert got.type == want.type and got.name == want.name, name
                assert got.type in BUNDLE_TRACES, (name, got.type)


def test_redrawing_the_same_view_sends_nothing(init, ensemble):
    """Each redraw sends only what changed: building the figures of the view already shown
    must change nothing in the widgets. (A heat map's colour scale given by name differed
    from the widget's stored form at every redraw, so every time step re-rendered it.)"""
    from ntklab.app import FrequencyDashboard, SpectrumDashboard
    from ntklab.app.serving.figure_widget import sync_figure
    from ntklab.figures.style import for_widgets

    dashboards = [init, ensemble, SpectrumDashboard(threaded=False, query="n=100"),
                  FrequencyDashboard(threaded=False, query="n=64")]
    for dash in dashboards:
        with for_widgets():
            figs = dash.build_figures(dash.result, dash.values())
        for name, fig in figs.items():
            assert not sync_figure(dash.figure_widgets[name], fig), (type(dash).__name__, name)
