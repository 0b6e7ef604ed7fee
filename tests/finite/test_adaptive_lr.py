"""The adaptive step of ntklab.train: η_k = lr_factor/λ_max(K_t(X, X)), re-estimated in training."""

import threading

import numpy as np
import pytest

import ntklab
from ntklab.analytic.data import make_dataset
from ntklab.experiments.initialization import INIT_TARGET

X = np.linspace(-1, 1, 8)
Y = np.sin(3 * X)
XE = np.linspace(-1, 1, 25)


def lam_max(p, x):
    return np.linalg.eigvalsh(np.asarray(ntklab.empirical_ntk(p, x)))[-1]


def clock(res, steps):
    """t at ``steps`` from the reported schedule: Σ_j η_j · (steps in segment j)."""
    starts = np.append(res.estimate_steps, np.iinfo(np.int64).max)
    return np.array([sum(lr * max(0, min(k, starts[j + 1]) - starts[j])
                         for j, lr in enumerate(res.estimate_lr)) for k in steps])


def test_lazy_net_adaptive_matches_fixed_step():
    """s = 1, width 512: the kernel barely moves, so η_k stays near 1/λ_max(K₀) and the
    adaptive run follows the fixed-step run as a function of t."""
    p = ntklab.init_params(3, 512)
    fixed = ntklab.train(p, X, Y, x_eval=XE, steps=400, record=51, dtype="float64")
    ad = ntklab.train(p, X, Y, x_eval=XE, steps=400, record=9, lr="adaptive", dtype="float64")
    assert ad.adaptive and ad.lr_every == 50 and not fixed.adaptive
    assert ad.lr == fixed.lr == ad.estimate_lr[0]  # the first step is the fixed step
    assert 0.97 < ad.estimate_lr[-1] / ad.estimate_lr[0] < 1.0  # K grows by about 2 %
    f_at = np.stack([[np.interp(t, fixed.t, fixed.f_net[:, j]) for j in range(XE.size)]
                     for t in ad.t])  # the fixed run's outputs at the adaptive times
    np.testing.assert_allclose(ad.f_net, f_at, atol=2e-3 * np.abs(fixed.f_net).max())
    for got, ref in ((ad.loss_net, fixed.loss_net), (ad.loss_lin, fixed.loss_lin)):
        # losses decay about exponentially: interpolate their logarithms
        np.testing.assert_allclose(got, np.exp(np.interp(ad.t, fixed.t, np.log(ref))),
                                   rtol=2e-3)


@pytest.fixture(scope="module")
def small_init():
    """The initialization experiment's setting (10 random points of sin 4x, seed 0),
    width 256, s = 0.1, 1000 steps: the fixed and the adaptive step, depth 1 and 2."""
    data = make_dataset(INIT_TARGET, 10, 2, kind="random", seed=0)
    runs = {}
    for depth in (1, 2):
        p = ntklab.init_params(0, 256, depth=depth, init_scale=0.1)
        runs[depth] = [ntklab.train(p, data.x_train, data.y_train, steps=1000, record=11,
                                    linear=False, lr=lr) for lr in (None, "adaptive")]
    return runs


@pytest.mark.parametrize(("depth", "reached"), [(1, 0.01), (2, 0.2)])
def test_small_init_fixed_step_stalls_adaptive_step_fits(small_init, depth, reached):
    fixed, ad = small_init[depth]
    start = fixed.loss_net[0]  # ½Σy² ≈ 2.3: the nets start near 0
    assert ad.loss_net[0] == start and fixed.completed and ad.completed
    # measured: 2.27 → 2.26 (depth 1), 2.30 → 2.26 (depth 2) in 1000 steps: the first
    # steps of η = 1/λ_max(K₀) ∝ 1/s² overshoot, the kernel grows 5× and the net stalls
    assert fixed.loss_net[-1] > 0.9 * start
    # measured: 0.0027 (depth 1), 0.09 (depth 2)
    assert ad.loss_net[-1] < reached
    # the kernel grew during training (measured 40× and 65×), so the step shrank
    assert ad.estimate_lr[-1] < ad.estimate_lr[0] / 10
    assert ad.t[-1] < fixed.t[-1] / 10


def test_recorded_time_is_the_cumulative_sum_of_the_steps(small_init):
    ad = small_init[2][1]
    steps = ad.estimate_steps
    assert steps[0] == 0 and np.all(np.diff(steps) > 0) and np.all(np.diff(steps) <= 50)
    assert np.any(np.diff(steps) < 50)  # some estimates came from the guard
    np.testing.assert_allclose(ad.t, clock(ad, ad.steps), rtol=1e-12)
    # the step used by the last step before each record (the first step at step 0)
    seg = np.searchsorted(steps, np.maximum(ad.steps - 1, 0), side="right") - 1
    np.testing.assert_array_equal(ad.lr_record, ad.estimate_lr[seg])
    np.testing.assert_allclose(ad.estimate_lr, 1.0 / ad.estimate_lam_max, rtol=1e-6)
    fixed = small_init[2][0]
    np.testing.assert_array_equal(fixed.t, fixed.lr * fixed.steps)
    assert np.all(fixed.lr_record == fixed.lr) and fixed.estimate_steps.tolist() == [0]


@pytest.mark.parametrize("depth", [1, 2])
def test_estimates_equal_lam_max_of_the_empirical_ntk(depth):
    """Every λ_max estimate equals eigvalsh of the empirical NTK of the net at that step
    (float64; the estimate is a warm-started Lanczos method on J Jᵀ)."""
    p = ntklab.init_params(1, 48, depth=depth, init_scale=0.1)
    kw = dict(lr="adaptive", lr_every=20, linear=False, dtype="float64", lr_factor=0.8)
    res = ntklab.train(p, X, Y, steps=60, record=2, **kw)
    assert res.estimate_lam_max[0] == pytest.approx(lam_max(p, X), rel=1e-12)
    assert res.estimate_lr[0] == pytest.approx(0.8 / lam_max(p, X), rel=1e-12)
    assert len(res.estimate_steps) >= 4
    for k, lam in zip(res.estimate_steps[1:4], res.estimate_lam_max[1:4], strict=True):
        at = ntklab.train(p, X, Y, steps=int(k), record=2, **kw).params  # θ at step k
        assert lam == pytest.approx(lam_max(at, X), rel=1e-8)
    np.testing.assert_allclose(res.estimate_lr, 0.8 / res.estimate_lam_max, rtol=1e-12)


def test_linearization_runs_on_the_same_clock():
    """f_lin follows f ← f − η_k K₀ (f − Y) with the net's η_k (a numpy recursion)."""
    p = ntklab.init_params(2, 48, init_scale=0.3)
    res = ntklab.train(p, X, Y, x_eval=XE, steps=120, record=7, lr="adaptive", lr_every=10,
                       dtype="float64")
    K0 = np.asarray(ntklab.empirical_ntk(p, X))
    starts = np.append(res.estimate_steps, 120)
    f, losses = np.asarray(ntklab.apply(p, X)), {}
    for j, lr in enumerate(res.estimate_lr):
        for k in range(starts[j], starts[j + 1]):
            losses[k] = 0.5 * np.sum((f - Y) ** 2)
            f = f - lr * K0 @ (f - Y)
    losses[120] = 0.5 * np.sum((f - Y) ** 2)
    np.testing.assert_allclose(res.loss_lin, [losses[k] for k in res.steps], rtol=1e-10)
    assert np.all(res.weight_change_lin >= 0) and res.weight_change_lin[-1] > 0


def test_ensemble_shares_one_step_and_one_clock():
    a, b = ntklab.init_params(0, 48, init_scale=0.3), ntklab.init_params(1, 48)
    ens = ntklab.train([a, b], X, Y, x_eval=XE, steps=60, record=4, lr="adaptive",
                       lr_every=15, dtype="float64")
    assert ens.estimate_lam_max.shape == (2, ens.estimate_steps.size)
    np.testing.assert_allclose(ens.estimate_lr, 1.0 / ens.estimate_lam_max.max(axis=0),
                               rtol=1e-12)
    assert ens.estimate_lr[0] == pytest.approx(ntklab.shared_lr([a, b], X), rel=1e-12)
    assert ens.t.shape == (4,) and ens.f_net.shape == (2, 4, XE.size)
    # two copies of one net: the same step as the net alone, so the same run
    two = ntklab.train([a, a], X, Y, x_eval=XE, steps=60, record=4, lr="adaptive",
                       lr_every=15, dtype="float64")
    one = ntklab.train(a, X, Y, x_eval=XE, steps=60, record=4, lr="adaptive", lr_every=15,
                       dtype="float64")
    np.testing.assert_allclose(two.t, one.t, rtol=1e-10)
    np.testing.assert_allclose(two.f_net[1], one.f_net, rtol=1e-9, atol=1e-12)
    np.testing.assert_array_equal(two.estimate_steps, one.estimate_steps)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_continuing_from_params_continues_the_run(dtype):
    p = ntklab.init_params(4, 48)
    kw = dict(lr="adaptive", lr_every=25, dtype=dtype, linear=False)
    once = ntklab.train(p, X, Y, steps=100, record=3, **kw)
    first = ntklab.train(p, X, Y, steps=50, record=2, **kw)
    cont = ntklab.train(first.params, X, Y, steps=50, record=2, **kw)
    tol = dict(rtol=1e-7, atol=1e-9) if dtype == "float64" else dict(rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(cont.f_net[-1], once.f_net[-1], **tol)
    assert first.t[-1] + cont.t[-1] == pytest.approx(once.t[-1], rel=tol["rtol"])
    assert once.dtype == dtype and once.f_net.dtype == np.float64


def test_progress_and_stop_see_the_adaptive_clock():
    p = ntklab.init_params(5, 48, init_scale=0.3)
    seen = []
    res = ntklab.train(p, X, Y, steps=300, record=4, lr="adaptive", lr_every=30,
                       linear=False, progress=seen.append)
    for info in seen:
        if info.record_step == info.step:
            j = res.steps.tolist().index(info.step)
            assert info.t == pytest.approx(res.t[j], rel=1e-12) and info.lr == res.lr_record[j]
    assert seen[-1].step == 300 and seen[-1].t == pytest.approx(res.t[-1])
    event = threading.Event()
    event.set()
    stopped = ntklab.train(p, X, Y, steps=300, record=4, lr="adaptive", stop=event)
    assert not stopped.completed and stopped.steps.tolist() == [0]
    assert 0 < stopped.params_step < 300 and stopped.estimate_steps[0] == 0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(lr="fast"), "lr must be None, a positive number or 'adaptive'"),
        (dict(lr="Adaptive"), "'adaptive'"),
        (dict(lr=[0.1]), "lr must be"),
        (dict(lr=True), "lr must be"),
        (dict(lr=-0.1), "lr"),
        (dict(lr=float("inf")), "lr"),
        (dict(lr="adaptive", lr_every=0), "lr_every"),
        (dict(lr="adaptive", lr_every=2.5), "lr_every"),
        (dict(lr_every=10), "lr_every applies only"),
        (dict(lr=0.1, lr_every=10), "lr_every applies only"),
        (dict(lr="adaptive", lr_factor=2.5), "lr_factor"),
        (dict(lr="adaptive", lr_factor=0.0), "lr_factor"),
        (dict(lr=0.1, lr_factor=0.5), "lr_factor applies only"),
    ],
)
def test_bad_step_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ntklab.train(ntklab.init_params(0, 8), X, Y, steps=10, **kwargs)
