"""The Spectrum dashboard's captions at its defaults, its linked presets and the settings
its captions suggest: each claim that makes the page's point there holds (or, where the
honest result is the opposite, is reported as not holding), and the captions quote exactly
the checked claims."""

import pytest

from ntklab.app.spectrum import SpectrumDashboard

from .claims_util import check

ALL_EXACT = {"decay": True, "smoother_first": True, "crossings_exact": True}
EXPECTED = {
    # defaults: n = 500 on a grid, depth 1, s = 1, v_1…v_4: all 500 counts exact
    "": ALL_EXACT,
    # the index's "Try Fig. 1.1 of Xu's lecture notes" and the notebooks' URL examples:
    # n = 3000, top 40 eigenpairs, λ_1/λ_40 = 2.3e4, v_i with exactly i − 1 crossings
    "n=3000&vecs=1,2,3,10": ALL_EXACT,
    "n=3000&s=10&lang=zh": ALL_EXACT,
    "n=3000&s=10&vecs=1,2,10&lang=zh": ALL_EXACT,
    # the crossings caption's suggestions (at n = 500): a deep kernel at small s, where
    # the count turns to round-off noise from v_404 on ...
    "depth=5&s=0.1": {"decay": True, "smoother_first": True, "crossings_exact": False,
                      "crossings_noise": True},
    # ... and random points, where v_49 really crosses zero 47 times (not noise)
    "kind=random": {"decay": True, "smoother_first": True, "crossings_exact": False,
                    "crossings_noise": False},
}
NOT_MADE = {"": {"crossings_noise"}, "n=3000&vecs=1,2,3,10": {"crossings_noise"}}


@pytest.fixture(scope="module")
def dash():
    return SpectrumDashboard(threaded=False, autostart=False)


@pytest.mark.parametrize("query", list(EXPECTED))
def test_claims_at_defaults_and_presets(dash, query):
    dash.set(**{p.name: p.default for p in dash.PARAMS}, lang="en")
    dash.apply_query(query)
    check(dash, EXPECTED[query])
    made = {c.name.split(".", 1)[1] for c in dash.shown_claims}
    assert not made & NOT_MADE.get(query, set())
    dash.set(lang="zh" if dash.lang == "en" else "en")
    check(dash, EXPECTED[query])


def test_the_numbers_quoted(dash):
    """The captions quote what the plots show: λ_1/λ_k, the crossings of the v_i drawn, and
    where the exact count ends."""
    dash.set(**{p.name: p.default for p in dash.PARAMS}, lang="en")
    dash.apply_query("n=3000&vecs=1,2,3,10")
    claims = {c.name.split(".", 1)[1]: c for c in dash.shown_claims}
    assert claims["decay"].values["ratio"] == pytest.approx(
        dash.result.lam[0] / dash.result.lam[39])
    assert "2.27e+04" in dash.caption_text("decay")
    assert "v_10: 9" in dash.caption_text("vectors")
    dash.set(**{p.name: p.default for p in dash.PARAMS})
    dash.apply_query("depth=5&s=0.1")
    text = dash.caption_text("crossings")
    assert "i = 1…403" in text and "v_404" in text and "round-off noise" in text
