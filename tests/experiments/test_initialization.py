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
    """Fig. 1.2's steps: by default every net takes the adaptive step, whose first step is
    1/λ_max of its own K₀; ``lr=None`` keeps that step fixed (t = η·steps)."""
    def step(s, x):
        K = ntklab.empirical_ntk(ntklab.init_params(0, 32, init_scale=s), x)
        return 1.0 / np.linalg.eigvalsh(np.asarray(K))[-1]

    small = dict(scales=(10.0, 0.1), n_train=12, n_test=24, width=32, steps=5, decompose=False)
    r = ntklab.init_scale_comparison(**small)
    assert r.adaptive and ini.summary(r)["adaptive"]
    assert r.lr[0] == pytest.approx(step(10.0, r.x_train), rel=1e-6)
    assert r.lr[1] == pytest.approx(step(0.1, r.x_train), rel=1e-6)
    fixed = ntklab.init_scale_comparison(**small, lr=None)
    assert not fixed.adaptive
    np.testing.assert_allclose(fixed.lr, r.lr, rtol=1e-12)
    np.testing.assert_allclose(fixed.t_end, fixed.lr * 5, rtol=1e-12)
    assert fixed.lr[1] / fixed.lr[0] == pytest.approx(1e4, rel=1e-6)  # K₀ ∝ s² at depth 1
    assert ini.summary(r)["scales"] == [10.0, 0.1]
    with pytest.raises(TypeError, match="step_scale_min"):  # the old s = 1 step rule is gone
        ntklab.init_scale_comparison(**small, step_scale_min=1.0)


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
    """At s = 0.1 the fixed 1/λ_max(K₀) ∝ 1/s² stalls as the kernel grows; the adaptive step
    follows the kernel and fits. At s = 10 the kernel stays near K₀ and the two agree."""
    kw = dict(scales=(10.0, 0.1), n_train=20, n_test=40, width=64, steps=300, decompose=False)
    r = ntklab.init_scale_comparison(**kw)
    fixed = ntklab.init_scale_comparison(**kw, lr=None)
    # measured: fixed 5.59 → 5.55, adaptive 0.25 at t = 60 (fixed: t = 1414)
    assert fixed.loss[1, -1] > 0.9 * fixed.loss[1, 0]  # stalled near its initial loss
    assert r.loss[1, -1] < 0.1 * fixed.loss[1, -1]
    assert r.test_rmse[1] < 0.5 * fixed.test_rmse[1]
    assert r.t_end[1] < 0.1 * fixed.t_end[1]  # the small-init kernel grew: smaller steps
    assert r.loss[0, -1] == pytest.approx(fixed.loss[0, -1], rel=0.1)
    assert r.t_end[0] == pytest.approx(fixed.t_end[0], rel=0.1)
    one = ntklab.train(ntklab.init_params(0, 64, init_scale=0.1), r.x_train, r.y_train,
                       steps=300, record=41, lr="adaptive", linear=False)  # the same run
    np.testing.assert_allclose(r.loss[1], one.loss_net, rtol=1e-6)
    assert r.t_end[1] == pytest.approx(one.t[-1], rel=1e-12)
    with pytest.raises(ValueError, match="lr must be"):
        ntklab.init_scale_comparison(**kw, lr=0.1)
