"""Lazy-regime experiments (ntklab.lazy), run small."""

import threading

import numpy as np
import pytest

import ntklab
from ntklab import lazy


def test_convergence_vs_width_small():
    r = lazy.convergence_vs_width((64, 256, 1024), seeds=(0, 1), n_train=8, n_test=40, steps=200)
    assert r.rmse.shape == (3, 2) and r.weight_change.shape == (3, 2)
    assert np.all(np.diff(r.weight_change.mean(1)) < 0)
    assert r.slope_weight_change < 0 and r.slope_rmse < 0
    assert r.t_end == pytest.approx(r.lr * 200)


def test_convergence_vs_samples_small():
    r = lazy.convergence_vs_samples((4, 8, 16), width=128, seeds=(0, 1), n_test=30, steps=100)
    assert r.rmse.shape == (3, 2) and r.weight_change.shape == (3, 2)
    assert np.isfinite(r.slope_rmse) and np.isfinite(r.slope_weight_change)
    assert np.all(r.weight_change > 0)
    # one η for every n, from the stiffest problem (the largest λ_max of K₀ over all n and
    # nets, computed here independently): every n reaches the same t
    lam = max(np.linalg.eigvalsh(np.asarray(ntklab.empirical_ntk(
        ntklab.init_params(seed, 128), ntklab.sample_points(n, kind="random", seed=0))))[-1]
        for n in (4, 8, 16) for seed in (0, 1))
    assert r.lr == pytest.approx(1.0 / lam, rel=1e-9)
    assert r.t_end == pytest.approx(r.lr * 100)


def test_asi_experiment_small():
    a = lazy.asi_experiment(width=32, n_train=6, n_test=40, steps=60, record=3, dtype="float64")
    assert a.completed and a.names == ("plain", "asi", "doubling", "rnd")
    assert a.loss.shape == (4, 3) and a.test_output.shape == (4, 40)
    # ASI and doubling start from zero output; ASI's initial loss is ½Σy²
    np.testing.assert_allclose(a.loss[1, 0], 0.5 * np.sum(a.y_train**2), rtol=1e-12)
    np.testing.assert_allclose(a.loss[2, 0], 0.5 * np.sum(a.y_train**2), rtol=1e-9)
    # eq. 1.14 terms add up: prediction = zero_init + prior
    np.testing.assert_allclose(a.prediction, a.zero_init + a.prior, atol=1e-9)
    np.testing.assert_array_equal(a.h_ini, ntklab.apply(ntklab.init_params(
        0, 32, depth=2, init_scale=10.0), a.x_test))


def test_asi_experiment_stops():
    stop = threading.Event()
    stop.set()
    a = lazy.asi_experiment(width=16, n_train=4, n_test=10, steps=50, record=3, stop=stop)
    assert not a.completed and np.all(np.isnan(a.test_output))


def test_train_beside_limit():
    x = np.linspace(-1, 1, 6)
    b = lazy.train_beside_limit(x, np.sin(4 * x), np.linspace(-1, 1, 20), width=512, seed=3,
                                steps=100, record=3, dtype="float64")
    assert b.f_inf.shape == b.run.f_net.shape == (3, 20)
    np.testing.assert_allclose(b.f_inf[0], b.run.f_net[0], rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(b.f_inf_mean[0], 0.0)


def test_bad_inputs():
    with pytest.raises(ValueError, match="widths"):
        lazy.convergence_vs_width((64,))
    with pytest.raises(ValueError, match="n_train"):
        lazy.convergence_vs_samples((0, 4))
    with pytest.raises(ValueError, match="width"):
        lazy.asi_experiment(width=0)
    with pytest.raises(ValueError, match="y_train"):
        lazy.train_beside_limit([0.0, 1.0], [1.0], [0.0], width=8, seed=0)
