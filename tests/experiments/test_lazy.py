"""The lazy-training claim's experiments (ntklab.experiments.lazy), run small."""

import threading

import numpy as np
import pytest

import ntklab
from ntklab.experiments import lazy


def _lam_max(widths, seeds, x):
    """λ_max over the nets' empirical NTKs at init, computed here independently."""
    return max(np.linalg.eigvalsh(np.asarray(ntklab.empirical_ntk(
        ntklab.init_params(seed, m), x)))[-1] for m in widths for seed in seeds)


def test_convergence_vs_width_small():
    r = lazy.convergence_vs_width((64, 256, 1024), seeds=(0, 1), n_train=8, n_test=40,
                                  steps=200, kernel_drift=True)
    assert r.rmse.shape == r.weight_change.shape == r.kernel_drift.shape == (3, 2, 2)
    assert r.f_net.shape == r.f_lin.shape == (3, 2, 40)
    assert np.all(np.diff(r.at_end("weight_change")) < 0)
    assert r.slope_weight_change < 0 and r.slope_rmse < 0 and r.slope_kernel_drift < 0
    # one shared step, from the stiffest net: every width reaches the same t
    assert r.lr == pytest.approx(1.0 / _lam_max((64, 256, 1024), (0, 1), r.x_train), rel=1e-9)
    assert r.t_end == pytest.approx(r.lr * 200) and r.t[-1] == pytest.approx(r.t_end)
    # the fits are the least-squares power laws of the seed means (measured, not imposed)
    slope, icpt = np.polyfit(np.log(r.widths), np.log(r.at_end("rmse")), 1)
    assert r.slope_rmse == pytest.approx(slope)
    np.testing.assert_allclose(r.fit_rmse, np.exp(icpt) * r.widths**slope, rtol=1e-9)
    # the gap at t = 0 is zero: the net and its linearization start from the same θ₀
    np.testing.assert_array_equal(r.rmse[:, :, 0], 0.0)
    num = lazy.summary(r)
    assert num["slope_rmse"] == r.slope_rmse and len(num["kernel_drift"]) == 3


def test_convergence_vs_width_refuses_over_budget_and_stops():
    with pytest.raises(ValueError, match="budget"):
        lazy.convergence_vs_width((64, 4096), steps=100_000, budget=1.5e10)
    stop = threading.Event()
    stop.set()
    assert lazy.convergence_vs_width((16, 32), steps=50, stop=stop) is None


def test_convergence_vs_samples_small():
    r = lazy.convergence_vs_samples((4, 8, 16), width=128, seeds=(0, 1), n_test=30, steps=100)
    assert r.rmse.shape == (3, 2) and r.weight_change.shape == (3, 2)
    assert np.isfinite(r.slope_rmse) and np.isfinite(r.slope_weight_change)
    assert np.all(r.weight_change > 0) and r.fit_rmse.shape == (3,)
    # one η for every n, from the stiffest problem: every n reaches the same t
    lam = max(_lam_max((128,), (0, 1), ntklab.sample_points(n, kind="random", seed=0))
              for n in (4, 8, 16))
    assert r.lr == pytest.approx(1.0 / lam, rel=1e-9)
    assert r.t_end == pytest.approx(r.lr * 100)


def test_lazy_run_starts_together_and_matches_the_closed_form():
    starts = []
    run = lazy.lazy_run(512, n_train=6, steps=100, record=3, seed=3, dtype="float64",
                        on_start=starts.append)
    start = starts[0]
    assert run.start is start and run.completed and not run.diverged
    assert run.f_inf.shape == run.f_net.shape == (3, 200)
    # at t = 0 the net, its linearization and the closed form all equal f_0
    np.testing.assert_allclose(run.f_inf[0], run.f_net[0], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(run.f_net[0], start.f0_test, rtol=1e-12, atol=1e-12)
    # limit_at is gradient flow with the analytic NTK from the net's own f_0
    K, Kt = ntklab.ntk(start.x_train), ntklab.ntk(start.x_test, start.x_train)
    flow = ntklab.gradient_flow(K, start.y_train, run.t, f0=start.f0_train, K_test=Kt,
                                f0_test=start.f0_test)
    np.testing.assert_allclose(run.f_inf, flow.test, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(start.limit_at(run.t[-1]), flow.test[-1], atol=1e-10)
    # the trained parameters come back: the net evaluated at them is the last record
    np.testing.assert_allclose(np.asarray(ntklab.apply(run.params, start.x_test)),
                               run.f_net[-1], rtol=1e-9, atol=1e-9)
    assert lazy.summary(run)["rmse_net_lin"] == run.rmse_net_lin[-1]


def test_lazy_run_refuses_over_budget():
    with pytest.raises(ValueError, match="would take about"):
        lazy.lazy_run(4096, n_train=32, steps=1_000_000)
    with pytest.raises(ValueError, match="lr_factor"):
        lazy.lazy_run(64, lr_factor=2.5)


def test_kernel_regression_check_small():
    r = lazy.kernel_regression_check(width=2048, n_train=6, n_test=30, steps=200)
    assert r.f_net.shape == r.f_kernel.shape == (30,)
    assert r.rmse < 0.1 * np.abs(r.f_kernel).max()  # a wide ASI net ≈ kernel regression


def test_bad_inputs():
    with pytest.raises(ValueError, match="widths"):
        lazy.convergence_vs_width((64,))
    with pytest.raises(ValueError, match="n_train"):
        lazy.convergence_vs_samples((0, 4))
    with pytest.raises(ValueError, match="width"):
        lazy.lazy_run(0)
    with pytest.raises(ValueError, match="no summary"):
        lazy.summary("a result")


def test_claims_predicates_at_their_thresholds():
    """Each claim of the Lazy captions flips where its documented threshold says."""
    from dataclasses import replace
    from types import SimpleNamespace

    run = lazy.lazy_run(128, n_train=6, steps=60, record=5, seed=1)
    n, t = 6, run.t

    def claim(r, name, sweep=None):
        return {c.name: c for c in lazy.claims(r, sweep)}[f"lazy.{name}"]

    size = float(np.sqrt(np.mean(run.f_lin[-1] ** 2)))
    ramp = np.linspace(0.0, 1.0, t.shape[0]) * lazy.CLOSE * size
    assert claim(replace(run, rmse_net_lin=0.99 * ramp), "close").holds
    assert not claim(replace(run, rmse_net_lin=1.01 * ramp), "close").holds
    bump = 0.5 * ramp.copy()
    bump[2] = 1.5 * lazy.CLOSE * size  # parts on the way, back together at the end
    assert claim(replace(run, rmse_net_lin=bump), "close").holds
    c = claim(replace(run, rmse_net_lin=bump), "gap_small")
    assert not c.holds and c.values["t_peak"] == t[2] and c.values["percent"] == \
        pytest.approx(150 * lazy.CLOSE)
    moved = np.full(t.shape, 0.099)
    assert claim(replace(run, weight_change=moved, kernel_drift=moved / 2), "small_change").holds
    assert not claim(replace(run, weight_change=moved, kernel_drift=moved + 0.002),
                     "small_change").holds
    fit_loss = n * lazy.FIT_RMSE**2 / 2
    for factor, holds in ((0.98, True), (1.02, False)):
        loss = run.loss_net.copy()
        loss[-1] = factor * fit_loss
        assert claim(replace(run, loss_net=loss), "fits").holds is holds
    together = run.loss_net.copy()
    assert claim(replace(run, loss_lin=together), "losses_together").values["worst"] == 1.0
    for k in (2.5, 1 / 2.5):  # apart either way
        lin = together.copy()
        lin[2] = together[2] * k
        c = claim(replace(run, loss_lin=lin), "losses_together")
        assert not c.holds and c.values["worst"] == pytest.approx(2.5)
        assert c.values["t_worst"] == t[2]
    # without a sweep no claim about width is made; with one, its slopes decide
    assert {c.name for c in lazy.claims(run)} == {
        "lazy.close", "lazy.gap_small", "lazy.small_change", "lazy.fits", "lazy.losses_together"}
    sweep = SimpleNamespace(widths=np.array([64, 256]), slope_rmse=-0.9,
                            slope_weight_change=-0.45, slope_kernel_drift=0.1, t_end=5.0,
                            at_end=lambda name: np.array([0.2, 0.1]))
    assert claim(run, "gap_falls", sweep).holds and claim(run, "slope_as_source", sweep).holds
    assert claim(run, "weight_rate", sweep).holds
    assert not claim(run, "drift_shrinks", sweep).holds  # the kernel drift's slope is > 0
    sweep.slope_rmse, sweep.slope_weight_change, sweep.slope_kernel_drift = 0.05, -0.75, -0.5
    assert not claim(run, "gap_falls", sweep).holds
    assert not claim(run, "slope_as_source", sweep).holds
    assert not claim(run, "weight_rate", sweep).holds and claim(run, "drift_shrinks", sweep).holds
