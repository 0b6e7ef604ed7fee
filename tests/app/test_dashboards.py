"""The spectrum and frequency dashboards driven headlessly: set controls, check the figures."""

from __future__ import annotations

import numpy as np
import pytest

from ntklab.app import FrequencyDashboard, SpectrumDashboard


def traces(dash, name):
    return dash.figure_widgets[name].data


@pytest.fixture(scope="module")
def spectrum():
    return SpectrumDashboard(threaded=False)


@pytest.fixture(scope="module")
def frequency():
    return FrequencyDashboard(threaded=False)


def test_spectrum_draws_defaults(spectrum):
    assert spectrum.error is None and spectrum.renders >= 1
    lam = np.asarray(traces(spectrum, "decay")[0].y)
    assert lam.shape == (500,) and np.all(np.diff(lam) <= 1e-12 * lam[0])
    vecs = traces(spectrum, "vectors")
    assert [t.name for t in vecs if t.visible] == ["v_1", "v_2", "v_3", "v_4"]
    assert len(vecs[0].x) == 500
    crossings = np.asarray(traces(spectrum, "crossings")[1].y)
    np.testing.assert_array_equal(crossings[:10], np.arange(10))
    assert "Ready" in spectrum.status_html.value


def test_spectrum_controls_update_figures(spectrum):
    lam1 = np.asarray(traces(spectrum, "decay")[0].y)
    spectrum.set(s=10.0)
    np.testing.assert_allclose(np.asarray(traces(spectrum, "decay")[0].y), 100 * lam1,
                               rtol=1e-9)
    spectrum.set(vecs=[1, 10])
    assert [t.name for t in traces(spectrum, "vectors") if t.visible] == ["v_1", "v_10"]
    spectrum.set(n=3000)
    assert len(traces(spectrum, "decay")[0].y) == 40  # top eigenpairs only
    assert len(traces(spectrum, "vectors")[0].x) == 3000
    assert "λ_1…λ_40" in spectrum.figure_widgets["decay"].layout.title.text
    spectrum.set(n=200, kind="random", seed=7, depth=3)
    x = np.asarray(traces(spectrum, "vectors")[0].x)
    assert x.shape == (200,) and not np.allclose(np.diff(x), np.diff(x)[0])
    assert spectrum.query_string() == "n=200&kind=random&seed=7&depth=3&s=10&vecs=1%2C10"


def test_spectrum_rejects_out_of_bounds_values(spectrum):
    for bad in (dict(n=3010), dict(n=10), dict(depth=6), dict(s=0.01), dict(vecs=[41]),
                dict(kind="sobol"), dict(width=3), dict(lang="fr")):
        with pytest.raises(ValueError):
            spectrum.set(**bad)


def test_spectrum_url_presets_and_notes():
    dash = SpectrumDashboard(threaded=False, query="n=3000&s=abc&depth=9&vecs=1,2,30&foo=1")
    v = dash.values()
    assert v["n"] == 3000 and v["s"] == 1.0 and v["depth"] == 1 and v["vecs"] == [1, 2, 30]
    assert len(dash.notes) == 3
    assert "s='abc'" in dash.notes[0] and "'foo'" in dash.notes[2]
    assert "display" in str(dash.notes_html.layout.display) or dash.notes_html.value
    assert "s=&#x27;abc&#x27;" in dash.notes_html.value  # escaped, visible
    assert len(traces(dash, "vectors")[0].x) == 3000


def test_url_preset_recomputes_only_when_it_sets_a_control():
    # a page opened without a query (Voila's preheated kernel drew the defaults already)
    dash = SpectrumDashboard(threaded=False)
    drawn = dash.renders
    assert dash.apply_query("") == [] and dash.renders == drawn
    dash.apply_query("foo=1")  # only an unknown name: a note, nothing recomputed
    assert dash.renders == drawn and len(dash.notes) == 1
    dash.apply_query("n=120")
    assert dash.renders == drawn + 1 and len(traces(dash, "vectors")[0].x) == 120
    assert dash.notes == []


def test_language_toggle_relabels_everything():
    dash = SpectrumDashboard(threaded=False, query="lang=zh&n=100")
    assert dash.controls["n"].description == "样本数 n"
    assert dash.figure_widgets["decay"].layout.title.text.startswith("特征值衰减")
    assert dict(dash.controls["kind"].options)["均匀网格"] == "grid"
    assert "看点" in dash.caption_html["vectors"].value
    dash.lang_toggle.value = "en"  # the user clicks the toggle
    assert dash.controls["n"].description == "points n"
    assert dash.figure_widgets["decay"].layout.title.text.startswith("Eigenvalue decay")
    assert dash.controls["kind"].value == "grid"


def test_frequency_time_slider_moves_fit_and_marker(frequency):
    assert frequency.error is None
    fit = np.asarray(traces(frequency, "fit")[2].y)
    frequency.set(t=1e3)
    fit_late = np.asarray(traces(frequency, "fit")[2].y)
    target = np.asarray(traces(frequency, "fit")[0].y)
    assert np.abs(fit_late - target).max() < np.abs(fit - target).max()
    assert frequency.figure_widgets["heat"].layout.shapes[0].x0 == pytest.approx(1e3)
    alpha = np.asarray(traces(frequency, "alpha")[1].y)
    alpha0 = np.asarray(traces(frequency, "alpha")[0].y)
    assert alpha[0] < 1e-6 * alpha0[0]  # the top component is gone by t = 1000


def test_frequency_target_presets_and_expressions(frequency):
    frequency.set(target="step", n=64)
    assert frequency.controls["expr"].value == "sign(x)"
    heat = traces(frequency, "heat")[0]
    assert list(heat.y)[:3] == ["1", "3", "5"]  # a step has odd harmonics only
    frequency.controls["expr"].value = "sin(5*pi*x)"  # typing selects "custom"
    assert frequency.controls["target"].value == "custom" and frequency.error is None
    frequency.controls["expr"].value = "sin(3*x"  # bad text: a status message, no crash
    assert "cannot parse" in frequency.error and "Could not update" in frequency.status_html.value
    frequency.controls["expr"].value = "x**2"
    assert frequency.error is None
    with pytest.raises(ValueError):
        frequency.set(n=501)


def test_frequency_url_expression_implies_custom_and_bad_one_falls_back():
    dash = FrequencyDashboard(threaded=False, query="expr=abs(x)&t=10")
    assert dash.values()["target"] == "custom" and dash.values()["expr"] == "abs(x)"
    assert not dash.notes
    dash = FrequencyDashboard(threaded=False, query="expr=__import__('os').system('ls')&t=-1")
    assert len(dash.notes) == 2 and dash.values()["t"] == dash.params["t"].default
    assert dash.error is None  # the default expression is drawn


def test_threaded_dashboard_draws_only_the_last_of_a_burst():
    dash = SpectrumDashboard(query="n=200")
    for n in range(200, 400, 10):
        dash.controls["n"].value = n  # as a dragged slider would
    assert dash.wait(60)
    assert len(traces(dash, "vectors")[0].x) == 390
    assert dash.renders < 20  # stale values were skipped


def test_sync_figure_turns_nan_and_inf_into_gaps():
    import json

    import plotly.graph_objects as go

    from ntklab.app.serving.figure_widget import sync_figure

    widget = go.FigureWidget()
    y = np.array([1.0, np.nan, 3.0, np.inf])
    fig = go.Figure(go.Scatter(x=np.arange(4.0), y=y), layout=dict(yaxis=dict(range=[0, 5])))
    assert sync_figure(widget, fig)  # new traces
    assert list(widget.data[0].y) == [1.0, None, 3.0, None]
    assert not sync_figure(widget, fig)  # the same figure again: nothing to send
    fig.data[0].y = np.array([np.nan, 2.0, 3.0, 4.0])
    assert sync_figure(widget, fig)  # an update in place
    assert list(widget.data[0].y) == [None, 2.0, 3.0, 4.0]
    # the whole state is valid JSON (a NaN token is not)
    json.dumps(widget.to_plotly_json(), allow_nan=False, default=lambda a: a.tolist())


def test_frequency_trains_a_finite_net_on_demand():
    dash = FrequencyDashboard(query="n=32&m=64&t=0.2")  # threaded, like the page
    assert dash.wait(60) and dash.error is None
    assert not dash.finite_button.disabled
    assert len(traces(dash, "fit")[3].x) == 0  # no net before the button
    assert all(len(t.x) == 0 for t in traces(dash, "bands")[1::2])
    assert "Press" in dash.figure_widgets["bands"].layout.title.text
    dash.train_finite_net()  # what the button calls
    assert dash.wait(120) and dash.error is None
    net_fit = traces(dash, "fit")[3]
    assert "m = 64" in net_fit.name and len(net_fit.x) == 400
    assert np.all(np.isfinite(np.asarray(net_fit.y, dtype=float)))
    solid = traces(dash, "bands")[1::2]
    assert all(t.line.dash is None and len(t.x) > 3 for t in solid)
    assert all(np.all(np.asarray(t.y) > 0) for t in solid)
    assert "m = 64" in dash.figure_widgets["bands"].layout.title.text
    net = dash.result[2]
    dash.set(t=0.05)  # earlier t: the same net, at its latest record ≤ t, no retraining
    assert dash.wait(60) and dash.result[2] is net
    assert f"t = {net.t[net.index_at(0.05)]:.3g}" in traces(dash, "fit")[3].name
    dash.set(n=36)  # another grid: the net's traces go
    assert dash.wait(60) and dash.error is None and dash.result[2] is None
    assert len(traces(dash, "fit")[3].x) == 0
    assert all(len(t.x) == 0 for t in traces(dash, "bands")[1::2])


# --- the status line: only the latest job writes it ---------------------------------------


def test_a_late_progress_write_never_covers_ready():
    from ntklab.app.worker import Token

    dash = SpectrumDashboard(threaded=False, query="n=50")
    assert "Ready" in dash.status_html.value
    dash._progress_state, dash._job_start = (0.5, "late"), 0.0
    dash._draw_progress(dash._finished)  # the job's BUSY_AFTER timer, firing after it ended
    assert "Ready" in dash.status_html.value and dash.progress.layout.visibility == "hidden"
    stale = Token(dash._worker, dash._worker.generation - 1)
    dash._show_progress(stale, 0.5, "stale")  # progress from a job a newer one replaced
    assert "Ready" in dash.status_html.value and dash.progress.layout.visibility == "hidden"
    dash._finish(stale, "error", "stale error")
    assert "Ready" in dash.status_html.value


def test_an_invalid_value_cancels_a_running_job_and_its_error_stays():
    import threading

    dash = SpectrumDashboard(threaded=True, query="n=50", autostart=False)
    started, gate = threading.Event(), threading.Event()
    compute = dash.compute

    def slow(values, token):
        started.set()
        gate.wait(10)
        return compute(values, token)

    dash.compute = slow
    dash.refresh()
    assert started.wait(10)

    def bad():
        raise ValueError("n must be at most 3000")

    dash.values = bad
    dash.refresh()  # invalid controls while the older job still runs
    gate.set()
    assert dash.wait(20)
    assert dash.error == "n must be at most 3000" and dash.renders == 0
    assert "Could not update" in dash.status_html.value
