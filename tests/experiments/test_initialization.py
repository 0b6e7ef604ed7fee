"""The initialization claim's experiments (ntklab.experiments.initialization), run small."""

import threading

import numpy as np
import pytest

import ntklab
from ntklab.experiments import initialization as ini


@pytest.fixture(scope="module")
def tricks():
    starts = []
    res = ini.trick_comparison(width=32, n_train=6, n_test=40, steps=60, record=3,
                               dtype="float64", on_start=starts.append)
    assert starts == [res.start]
    return res


def test_four_nets_one_step(tricks):
    t = tricks
    assert t.completed and t.tricks == ("plain", "asi", "doubling", "rnd")
    assert t.loss.shape == (4, 3) and t.f_test.shape == (4, 40)
    # one shared step: lr_factor / the largest λ_max of the four kernels at init
    lam = [np.linalg.eigvalsh(np.asarray(ntklab.empirical_ntk(p, t.start.x_train)))[-1]
           for p in ini.trick_nets(0, 32, 2, 10.0)]
    np.testing.assert_allclose(t.start.lam_max, lam, rtol=1e-9)
    assert t.start.lr == pytest.approx(1.0 / max(lam), rel=1e-9)
    assert t.start.t_end == pytest.approx(60 * t.start.lr)


def test_asi_and_doubling_start_from_zero(tricks):
    t = tricks
    np.testing.assert_allclose(t.loss[1, 0], 0.5 * np.sum(t.start.y_train**2), rtol=1e-12)
    np.testing.assert_allclose(t.loss[2, 0], 0.5 * np.sum(t.start.y_train**2), rtol=1e-9)
    assert np.abs(t.start.f0_test[1]).max() < 1e-9 and np.abs(t.start.f0_test[2]).max() < 1e-9
    np.testing.assert_array_equal(t.h_ini, ntklab.apply(ntklab.init_params(
        0, 32, depth=2, init_scale=10.0), t.start.x_test))


def test_eq114_terms_add_up(tricks):
    t = tricks
    np.testing.assert_allclose(t.eq114, t.zero_init + t.prior, atol=1e-9)
    np.testing.assert_allclose(t.fit_ini, t.h_ini - t.prior)
    np.testing.assert_allclose(t.plain_minus_asi, t.f_test[0] - t.f_test[1])
    num = ini.summary(t)
    assert num["lr_shared"] == t.start.lr and len(num["test_rmse"]) == 4


def test_stopped_before_training():
    stop = threading.Event()
    stop.set()
    t = ini.trick_comparison(width=16, n_train=4, n_test=10, steps=50, record=3, stop=stop)
    assert not t.completed and np.all(np.isnan(t.f_test))


def test_budget_and_bounds():
    with pytest.raises(ValueError, match="would take about"):
        ini.trick_comparison(width=4096, steps=100_000, budget=1.5e10)
    with pytest.raises(ValueError, match="width"):
        ini.trick_comparison(width=0)
    with pytest.raises(ValueError, match="depth"):
        ini.trick_comparison(width=8, depth=4)


def test_init_scale_comparison_steps():
    """Fig. 1.2's steps: a net at s ≥ 1 uses 1/λ_max of its own K₀; a small-init net
    uses that of the same seed's s = 1 net (``step_scale_min``), or its own when 0."""
    def step(s, x):
        K = ntklab.empirical_ntk(ntklab.init_params(0, 32, init_scale=s), x)
        return 1.0 / np.linalg.eigvalsh(np.asarray(K))[-1]

    small = dict(scales=(10.0, 0.1), n_train=12, n_test=24, width=32, steps=5, decompose=False)
    r = ntklab.init_scale_comparison(**small)
    assert r.lr[0] == pytest.approx(step(10.0, r.x_train), rel=1e-6)
    assert r.lr[1] == pytest.approx(step(1.0, r.x_train), rel=1e-6)
    own = ntklab.init_scale_comparison(**small, step_scale_min=0.0)
    assert own.lr[1] == pytest.approx(step(0.1, r.x_train), rel=1e-6)
    assert own.lr[1] > 50 * r.lr[1]  # K₀ ∝ s²: the own step is ~100× larger
    assert ini.summary(r)["scales"] == [10.0, 0.1]


def test_trick_comparison_adaptive_step():
    """lr="adaptive": each net takes its own step 1/λ_max(K_t), on its own clock t_net;
    eq. 1.14 is taken at the plain net's final time."""
    kw = dict(width=32, n_train=6, n_test=40, steps=60, record=3, dtype="float64")
    res = ini.trick_comparison(init_scale=0.1, lr="adaptive", **kw)
    assert res.completed and res.adaptive and res.t_net.shape == (4, 3)
    assert np.isnan(res.start.lr) and np.isnan(res.start.t_end)
    np.testing.assert_array_equal(res.t, res.t_net[0])
    for i, p in enumerate(ini.trick_nets(0, 32, 2, 0.1)):  # the same run through train
        one = ntklab.train(p, res.start.x_train, res.start.y_train, steps=60, record=3,
                           lr="adaptive", linear=False, dtype="float64")
        np.testing.assert_allclose(res.t_net[i], one.t, rtol=1e-12)
        np.testing.assert_allclose(res.loss[i], one.loss_net, rtol=1e-12)
    assert len(set(res.t_net[:, -1])) > 1  # different kernels, different clocks
    plain, x, xt = ini.trick_nets(0, 32, 2, 0.1)[0], res.start.x_train, res.start.x_test
    eq = ntklab.prior_decomposition(
        ntklab.empirical_ntk(plain, x), res.start.y_train, [res.t[-1]],
        f0=np.asarray(ntklab.apply(plain, x)), K_test=ntklab.empirical_ntk(plain, xt, x),
        f0_test=res.start.f0_test[0])
    np.testing.assert_allclose(res.eq114, eq.total[0], rtol=1e-12)
    num = ini.summary(res)
    assert num["adaptive"] and num["t_end_net"] == res.t_net[:, -1].tolist()
    shared = ini.trick_comparison(init_scale=0.1, **kw)
    assert not shared.adaptive and np.all(shared.t_net == shared.t)
    with pytest.raises(ValueError, match="'adaptive'"):
        ini.trick_comparison(lr="fast", **kw)


def test_init_scale_comparison_adaptive_step():
    small = dict(scales=(10.0, 0.1), n_train=12, n_test=24, width=32, steps=40,
                 decompose=False)
    r = ntklab.init_scale_comparison(**small, lr="adaptive")
    own = ntklab.init_scale_comparison(**small, step_scale_min=0.0)
    assert r.adaptive and not own.adaptive
    np.testing.assert_allclose(r.lr, own.lr, rtol=1e-12)  # the first step: 1/λ_max(K₀)
    np.testing.assert_allclose(own.t_end, own.lr * 40, rtol=1e-12)
    assert r.t_end[1] < own.t_end[1]  # the small-init kernel grew: smaller steps
    assert ini.summary(r)["adaptive"]
    with pytest.raises(ValueError, match="lr must be"):
        ntklab.init_scale_comparison(**small, lr=0.1)
