"""The Regimes dashboard's captions at its defaults, its linked presets and after the RD
sweep (button): each claim that makes the page's point there holds (or, where the honest
result is the opposite, is reported as not holding), and the captions quote exactly the
checked claims, in English and Chinese."""

import pytest

from ntklab.app.regimes import RegimesDashboard

from .claims_util import check, check_preset, set_defaults, sweep_at_defaults

EXPECTED = {
    # defaults: (γ, γ′) = (1.5, 0), m = 1024, condensed: the neurons gather at 4
    # orientations (99.8 % of the output mass), RD = 12.6, the kernel grows 144×, and the
    # net leaves its linearization (62 % of the outputs)
    "": {"fits": True, "follows_lin": False, "moved_little": False, "condensed": True,
         "kernel_grew": True, "map_agrees": True},
    # the NTK's exponents at m = 4096: lazy (RD 5.8 %, f_NN within 7.5 % of f_lin)
    "gamma=0.5&m=4096": {"fits": True, "follows_lin": True, "moved_little": True,
                         "condensed": False, "kernel_grew": False},
    # mean-field, the critical corner: the weights move O(1) (RD 1.8), the kernel grows 5.5×,
    # and the neurons condense too (93 %)
    "gamma=1": {"fits": True, "follows_lin": False, "moved_little": False,
                "condensed": True, "kernel_grew": True},
}

# RD against width at the defaults (one seed): slope +0.26, the condensed regime's sign
SWEEP_EXPECTED = {"slope_as_theory": True}


@pytest.fixture(scope="module")
def dash():
    return RegimesDashboard(threaded=False, autostart=False)


@pytest.mark.parametrize("query", list(EXPECTED))
def test_claims_at_defaults_and_presets(dash, query):
    check_preset(dash, query, EXPECTED[query], later=SWEEP_EXPECTED)


def test_claims_of_the_sweep_at_defaults(dash):
    sweep = sweep_at_defaults(dash, {**EXPECTED[""], **SWEEP_EXPECTED})
    assert f"{sweep.slope:+.2f}" in dash.caption_text("map")
    names = [t.name for t in dash.figure_widgets["sweep"].data]
    assert f"slope {sweep.slope:+.2f}" in names
    dash.set(lang="zh")
    check(dash, {**EXPECTED[""], **SWEEP_EXPECTED})
    assert "凝聚区" in dash.caption_text("map")


def test_the_neurons_are_drawn_while_training(dash):
    """Frames during training show the neurons (init and the latest record)."""
    set_defaults(dash)
    frames = dash.frames
    dash.set(m=256)
    assert dash.frames > frames
    init, now = dash.figure_widgets["neurons"].data
    assert len(init.x) == 256 and len(now.x) == 256
