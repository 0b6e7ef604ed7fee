"""The Frequency principle dashboard's captions at its defaults, its linked presets and
every target of its dropdown: each claim that makes the page's point there holds, and the
captions quote exactly the checked claims; the expression box shows the formula plotted."""

import pytest

from ntklab.analytic.data import TARGETS
from ntklab.app.frequency import FrequencyDashboard

from .claims_util import check

CLEAN = {"low_first": True, "outline_first": True, "small_i_first": True,
         "bands_low_first": True}
EXPECTED = {
    # defaults: sin x + sin 3x + sin 5x on 200 points of [−π, π], t = 2 (k = 1, 3 fit, 5 not)
    "": CLEAN,
    # the index's "Try a step function" and the notebook's URL example
    "target=step&t=30": CLEAN,
    "target=step&n=300&t=30&lang=zh": CLEAN,
    # every target of the dropdown at the default t = 2, and the typed default formula
    **{f"target={name}": CLEAN for name in TARGETS},
    "target=custom": CLEAN,
    # reported: the weighted sines at n = 208 listed a leaked k = 2 that stayed yellow
    "target=three_sines_weighted&n=208": CLEAN,
}
DEFAULTS = {"target", "n", "t", "m"}  # not expr: setting it selects "typed expression"


@pytest.fixture(scope="module")
def dash():
    return FrequencyDashboard(threaded=False, autostart=False)


def reset(dash, **more):
    dash.set(**{p.name: p.default for p in dash.PARAMS if p.name in DEFAULTS}, **more)


@pytest.mark.parametrize("query", list(EXPECTED))
def test_claims_at_defaults_and_presets(dash, query):
    reset(dash, lang="en")
    dash.apply_query(query)
    check(dash, EXPECTED[query])
    dash.set(lang="zh" if dash.lang == "en" else "en")
    check(dash, EXPECTED[query])


def test_heat_map_rows_are_the_targets_frequencies(dash):
    """Reported: leaked rows (k = 2, 6…10 for the sines) with |ŷ_k| ≈ 1–4 % of the largest,
    whose relative error rose to 3–20 and fell out of order."""
    for query, rows in [("", [1, 3, 5]), ("target=three_sines_weighted&n=208", [1, 3, 5]),
                        ("target=custom", [1, 4]), ("target=step&n=128", list(range(1, 32, 2)))]:
        reset(dash)
        dash.apply_query(query)
        assert list(dash.figure_widgets["heat"].data[0].y) == [str(k) for k in rows], query
        assert dash.result[0].delta.max() < 1.5, query  # no relative error blows up


def test_expression_box_shows_the_formula_plotted(dash):
    """Reported: the box said sin(2*pi*x) + 0.5*sin(7*pi*x) while sin x + sin 3x + sin 5x
    was plotted."""
    reset(dash, lang="en")
    box, target = dash.controls["expr"], dash.controls["target"]
    assert target.value == "three_sines" and box.value == TARGETS["three_sines"].expr
    assert FrequencyDashboard(threaded=False, autostart=False).controls["expr"].value == \
        TARGETS["three_sines"].expr  # a fresh page too
    for name in TARGETS:
        dash.set(target=name)
        assert box.value == TARGETS[name].expr and dash.result[0].target == box.value
    assert dash.query_string() == "target=abs"  # the box is no setting of a preset
    dash.set(target="custom")  # the typed formula comes back, and is what is drawn
    assert box.value == dash.params["expr"].default == dash.result[0].target
    box.value = "sin(3*pi*x)"  # typing keeps "typed expression" and draws it
    assert target.value == "custom" and dash.result[0].target == "sin(3*pi*x)"
    dash.set(target="step")
    assert box.value == "sign(x)"
    box.value = "abs(x) + 1"  # typing over a preset's formula selects "typed expression"
    assert target.value == "custom" and dash.result[0].target == "abs(x) + 1"
    dash.set(target="bump")
    dash.set(target="custom")
    assert box.value == "abs(x) + 1"  # the last typed formula, not the default
    assert "expr=abs%28x%29+%2B+1" in dash.query_string()


def test_finite_net_at_defaults_learns_low_frequencies_first():
    """The button at the defaults: a width-1024 net trained to t = 2 brings Δ_1 below 0.1
    (at t ≈ 0.06) and Δ_3 nearer to it than Δ_5; its caption says so with the numbers."""
    dash = FrequencyDashboard(threaded=False)
    dash.train_finite_net()
    check(dash, {**CLEAN, "net_low_first": True})
    net = {c.name: c for c in dash.shown_claims}["frequency.net_low_first"]
    times, final = net.values["times"], net.values["final"]
    assert times[0] < 0.2 and final[1] < final[2]
    assert "Net of width 1024" in dash.caption_text("bands")
    dash.set(lang="zh")
    check(dash, {**CLEAN, "net_low_first": True})
