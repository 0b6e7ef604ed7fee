"""The Digits dashboard's captions at its defaults, its linked presets and after the gap
sweep (button): each claim that makes the page's point there holds (or, where the honest
result is the opposite, is reported as not holding), and the captions quote exactly the
checked claims, in English and Chinese."""

import pytest

from ntklab.app.digits import DigitsDashboard

from .claims_util import check, check_preset, set_defaults, sweep_at_defaults

EXPECTED = {
    # defaults: an MLP of width 1024 on 100 digits (3 vs 8), MSE, GD, 200 steps: net and
    # linearization 9.1 % of the outputs' size apart, the same class for 98 % of the 50 test
    # digits, 96 % and 98 % right
    "": {"learns": True, "same_accuracy": True, "agree": True},
    # sixteen times narrower (the preset the index links): the net gets 100 % of the test
    # digits against its linearization's 96 %, and its outputs are 15 % of their size away
    # from the linearization's (the claim needs ≤ 10 %)
    "m=64": {"learns": True, "same_accuracy": False, "agree": False},
}

# the gap against width 64–512 at the defaults: it falls (slope −0.17), far slower than the
# source's 1/N for fully connected nets
SWEEP_EXPECTED = {"gap_falls": True, "slope_as_source": False}


@pytest.fixture(scope="module")
def dash():
    return DigitsDashboard(threaded=False, autostart=False)


@pytest.mark.parametrize("query", list(EXPECTED))
def test_claims_at_defaults_and_presets(dash, query):
    check_preset(dash, query, EXPECTED[query], later=SWEEP_EXPECTED)


def test_claims_of_the_sweep_at_defaults(dash):
    sweep = sweep_at_defaults(dash, {**EXPECTED[""], **SWEEP_EXPECTED})
    assert f"{sweep.slope:.2f}" in dash.caption_text("sweep")
    names = [t.name for t in dash.figure_widgets["sweep"].data]
    assert f"slope {sweep.slope:+.2f}" in names
    dash.set(lang="zh")
    check(dash, {**EXPECTED[""], **SWEEP_EXPECTED})
    assert "斜率" in dash.caption_text("sweep")


def test_frames_while_training_and_bounded_controls(dash):
    """Frames during training show the curves so far; values beyond the bounds are refused
    before any work, naming what is allowed."""
    set_defaults(dash)
    frames = dash.frames
    dash.set(m=128)
    assert dash.frames > frames
    acc = dash.figure_widgets["accuracy"].data[0]
    assert len(acc.x) == len(dash.result[0].result.steps)
    for bad in (dict(m=4096), dict(n=1000), dict(steps=5000), dict(arch="resnet")):
        with pytest.raises(ValueError, match=next(iter(bad))):
            dash.set(**bad)
    notes = dash.apply_query("n=9999&bogus=1")
    assert len(notes) == 2
    assert dash.values()["n"] == 100


def test_every_widget_figure_passes_plotlys_validation(dash):
    """The figures are built unvalidated (for speed): what the widgets hold must still be
    valid, with trace types ntklab's plotly.js bundle draws."""
    import plotly.graph_objects as go

    from ntklab.app.serving.plotly_bundle import BUNDLE_TRACES

    set_defaults(dash)
    for name, widget in dash.figure_widgets.items():
        checked = go.Figure(widget.to_dict())
        assert len(checked.data) == len(widget.data), name
        assert all(t.type in BUNDLE_TRACES for t in checked.data), name


def test_work_over_the_budget_is_refused_before_training(dash):
    """The largest setting of every control together is refused with the time it would
    take, in the status line of either language; the last plots stay."""
    set_defaults(dash)
    drawn = dash.renders
    dash.set(arch="cnn", m=1024, n=300, steps=1000)
    assert dash.error is not None and "would take about" in dash.error
    assert dash.renders == drawn
    assert (dash.drawn_values["m"], dash.drawn_values["arch"]) == (1024, "mlp")
    dash.set(lang="zh")
    assert "本机约需" in dash.status_html.value
