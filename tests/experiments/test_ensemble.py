"""The ensemble claim's experiment (ntklab.experiments.ensemble), run small."""

import numpy as np
import pytest

import ntklab
from ntklab.experiments import ensemble


def test_closed_forms_and_nets():
    starts = []
    r = ensemble.ensemble_comparison(256, 8, n_train=6, n_test=50, steps=200,
                                     on_start=starts.append)
    st = starts[0]
    assert r.start is st and r.completed and r.f0.shape == r.f_end.shape == (8, 50)
    # the prior band is the NNGP's diagonal, the step 1/λ_max of Θ(X, X)
    np.testing.assert_allclose(st.prior_std**2, np.diag(ntklab.nngp(st.x_test)), rtol=1e-12)
    assert st.lr == pytest.approx(1.0 / np.linalg.eigvalsh(ntklab.ntk(st.x_train))[-1])
    # the closed form at t_end (Lee et al.): ensemble_moments, recomputed here
    K, S = ntklab.ntk_and_nngp(st.x_train)
    Kt, Stx = ntklab.ntk_and_nngp(st.x_test, st.x_train)
    mom = ntklab.ensemble_moments(K, S, st.y_train, [st.t_end], K_test=Kt,
                                  Sigma_test=np.diag(ntklab.nngp(st.x_test)),
                                  Sigma_test_train=Stx)
    np.testing.assert_allclose(st.mean, mom.mean[0], atol=1e-10)
    # the nets' outputs at init are those of init_params(seed + i)
    f0 = np.asarray(ntklab.apply(ntklab.init_params(3, 256), st.x_test))
    np.testing.assert_allclose(r.f0[3], f0, atol=1e-5)
    num = ensemble.summary(r)
    assert num["members"] == 8 and num["max_mean_gap"] >= 0


def test_budget():
    with pytest.raises(ValueError, match="would take about"):
        ensemble.ensemble_comparison(1024, 32, n_train=16, steps=2000, budget=1.5e10)


def test_plot_range_reaches_beyond_the_training_points():
    r = ensemble.ensemble_comparison(64, 4, n_train=6, n_test=41, steps=50,
                                     plot_range=(-2, 2))
    st = r.start
    np.testing.assert_allclose(st.x_test, np.linspace(-2, 2, 41), atol=1e-12)
    np.testing.assert_allclose(st.y_test, np.sin(3 * st.x_test), atol=1e-12)
    assert np.all(np.abs(st.x_train) <= 1) and r.f0.shape == (4, 41)
    np.testing.assert_allclose(st.prior_std**2, np.diag(ntklab.nngp(st.x_test)), rtol=1e-12)
    # the same training points as without a plot range
    plain = ensemble.ensemble_comparison(64, 4, n_train=6, n_test=41, steps=1)
    np.testing.assert_array_equal(plain.start.x_train, st.x_train)
    with pytest.raises(ValueError, match="plot_range"):
        ensemble.ensemble_comparison(64, 4, steps=1, plot_range=(1, -1))


def test_claims_predicates_at_their_thresholds():
    """Each claim of the Prior-and-ensemble captions flips where its threshold says."""
    from dataclasses import replace

    r = ensemble.ensemble_comparison(64, 8, n_train=6, n_test=80, steps=100,
                                     plot_range=(-2, 2))
    st, E = r.start, 8

    def claim(res, name):
        return {c.name: c for c in ensemble.claims(res)}[f"ensemble.{name}"]

    assert claim(replace(r, f0=np.zeros_like(r.f0)), "prior_coverage").holds  # 100 %
    assert not claim(replace(r, f0=3 * np.tile(st.prior_std, (E, 1))), "prior_coverage").holds
    c = claim(r, "prior_widens")
    assert c.holds and c.values["edge"] == pytest.approx(2 * np.sqrt(5 / 2))  # |x| = 2, s = 1
    lo, hi = st.x_train.min(), st.x_train.max()
    between = (st.x_test >= lo) & (st.x_test <= hi)
    level = ensemble.PINCH * np.median(st.prior_std[between])
    flat = np.full_like(st.std, 0.99 * level)
    res = replace(r, start=replace(st, std=flat))
    assert claim(res, "band_pinched").holds and not claim(res, "band_opens").holds
    opened = np.where(between, 0.99 * level, 3.01 * 0.99 * level)
    assert claim(replace(r, start=replace(st, std=opened)), "band_opens").holds
    assert not claim(replace(r, start=replace(st, std=1.02 * flat)), "band_pinched").holds
    noise = np.sqrt(np.mean(st.std**2)) / np.sqrt(E)
    for factor, holds in ((0.99, True), (1.01, False)):
        shifted = replace(r, f_end_mean=st.mean + factor * ensemble.NOISE * noise)
        assert claim(shifted, "mean_within_noise").holds is holds
        off = 1 + factor * ensemble.NOISE / np.sqrt(2 * (E - 1))
        assert claim(replace(r, f0_std=off * st.prior_std), "init_spread").holds is holds
        assert claim(replace(r, f_end_std=off * st.std), "trained_spread").holds is holds
