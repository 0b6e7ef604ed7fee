"""The spectrum claim's experiment (ntklab.experiments.spectrum) against direct core calls."""

import numpy as np
import pytest

from ntklab import eigenpairs, ntk, zero_crossings
from ntklab.experiments import spectrum
from ntklab.experiments.spectrum import spectrum_view


def test_spectrum_view_matches_direct_core_calls_and_scaling_shortcut():
    view = spectrum_view(300, kind="random", seed=3, depth=1, init_scale=2.5)
    x = np.sort(np.random.default_rng(3).uniform(-1, 1, 300))
    np.testing.assert_allclose(view.x, x)
    lam, V = eigenpairs(ntk(x, init_scale=2.5))
    np.testing.assert_allclose(view.lam, lam, rtol=1e-9, atol=1e-9 * lam[0])
    np.testing.assert_allclose(np.abs(view.V[:, :10]), np.abs(V[:, :10]), atol=1e-6)
    np.testing.assert_array_equal(view.crossings[:10], zero_crossings(V[:, :10]))
    assert not view.V.flags.writeable  # cached arrays are shared: read-only


def test_spectrum_view_started_from_a_previous_view_gives_the_same_result():
    """The dashboard passes the view shown before (other depth, s, points or n) as
    ``previous``: the result must not depend on it beyond the solver's tolerances."""
    before = spectrum_view(700, depth=1)
    cases = [dict(n=700, depth=2, init_scale=0.5), dict(n=650, kind="random", seed=2),
             dict(n=900, depth=3, init_scale=2.0)]
    for case in cases:
        warm = spectrum_view(**case, previous=before)
        spectrum.forget()
        cold = spectrum_view(**case)
        np.testing.assert_allclose(warm.lam, cold.lam, rtol=1e-3)  # residuals ≤ 1e-2·λ_i
        assert np.abs(np.sum(warm.V * cold.V, axis=0)).min() > 0.999
        np.testing.assert_array_equal(warm.crossings, cold.crossings)
        np.testing.assert_array_equal(warm.crossings, np.arange(40))
        before = warm
    with pytest.raises(ValueError, match="previous"):
        spectrum_view(700, previous="not a view")


def test_spectrum_view_top_k_for_large_n_and_bounds():
    view = spectrum_view(800, depth=2, init_scale=0.5)
    assert view.lam.shape == (40,) and view.V.shape == (800, 40)
    assert np.all(np.diff(view.lam) <= 0)
    np.testing.assert_array_equal(view.crossings[:10], np.arange(10))
    for bad in (dict(n=3001), dict(n=100, depth=0), dict(n=100, init_scale=0.0),
                dict(n=100, kind="sobol")):
        with pytest.raises(ValueError):
            spectrum_view(**{"n": 100, **bad})


def test_summary_quotes_the_crossing_count():
    num = spectrum.summary(spectrum_view(200, k=12))
    assert num["n"] == 200 and num["k"] == 12
    assert num["indices_with_i_minus_1_crossings"] == 12 and num["crossings"] == list(range(12))
    assert num["lam_ratio"] == pytest.approx(num["lam_first"] / num["lam_last"])


# --- claims (what the Spectrum captions say), checked against settings where they fail --
def _names(claims):
    return {c.name.split(".", 1)[1]: c for c in claims}


def test_claims_at_the_default_grid_hold_and_count_no_noise():
    view = spectrum_view(200)
    got = _names(spectrum.claims(view, shown=(1, 2, 10)))
    assert got["decay"].holds and got["decay"].values["ratio"] == pytest.approx(
        view.lam[0] / view.lam[-1])
    assert got["smoother_first"].holds and got["smoother_first"].values["crossings"] == (0, 1, 9)
    assert got["crossings_exact"].holds and got["crossings_exact"].values["upto"] == 200
    assert "crossings_noise" not in got  # nothing departs: no noise claim
    np.testing.assert_array_equal(spectrum.perturbed_crossings(view), view.crossings)


def test_decay_claim_fails_on_a_flat_spectrum():
    x = np.linspace(-1, 1, 3)
    flat = spectrum.SpectrumView(x=x, lam=np.array([1.0, 0.5, 0.2]), V=np.eye(3),
                                 crossings=np.arange(3), depth=1, init_scale=1.0)
    got = _names(spectrum.claims(flat, shown=(1,)))
    assert not got["decay"].holds and got["decay"].values["ratio"] == pytest.approx(5.0)
    assert "smoother_first" not in got  # one vector shown: nothing to compare


def test_random_points_depart_from_i_minus_1_for_real():
    """n = 50 random points: v_21 crosses zero 19 times, stably under a round-off change of
    K (not noise), and the shown v_20, v_21 are not ordered by their crossings."""
    got = _names(spectrum.claims(spectrum_view(50, kind="random"), shown=(20, 21, 22)))
    assert not got["smoother_first"].holds
    assert got["smoother_first"].values["crossings"] == (19, 19, 21)
    exact, noise = got["crossings_exact"], got["crossings_noise"]
    assert not exact.holds and exact.values["upto"] == 20 and exact.values["first"] == 21
    assert not noise.holds and noise.values["perturbed"] == noise.values["count"] == 19
    assert noise.values["gap"] > 1e4 * spectrum.PERTURB


def test_deep_kernel_at_small_scale_departs_by_round_off():
    got = _names(spectrum.claims(spectrum_view(200, depth=5, init_scale=0.1)))
    exact, noise = got["crossings_exact"], got["crossings_noise"]
    assert not exact.holds and exact.values["first"] == 199
    assert noise.holds and noise.values["gap"] <= spectrum.PERTURB  # λ_199 ≈ λ_200
