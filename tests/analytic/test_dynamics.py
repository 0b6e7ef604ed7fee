import numpy as np
import pytest

import ntklab


def _problem(n=12, n_test=9, seed=0):
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-1, 1, n))
    xt = np.linspace(-1, 1, n_test)
    return x, xt, ntklab.ntk(x), ntklab.ntk(xt, x), np.sin(3 * x), rng.normal(0, 0.5, n), \
        rng.normal(0, 0.5, n_test)


def test_closed_form_matches_euler_integration():
    """du/dt = −K u and df(x)/dt = −K_x u, integrated with small explicit Euler steps."""
    x, xt, K, Kt, y, f0, f0t = _problem()
    dt, steps = 1e-4, 20_000
    t_check = [0.0, 0.3, 1.0, 2.0]
    u, ft = f0 - y, f0t.copy()
    got_train, got_test = [], []
    for step in range(steps + 1):
        if np.isclose(step * dt, t_check[len(got_train)]):
            got_train.append(u + y)
            got_test.append(ft.copy())
            if len(got_train) == len(t_check):
                break
        ft -= dt * (Kt @ u)
        u -= dt * (K @ u)
    flow = ntklab.gradient_flow(K, y, t_check, f0=f0, K_test=Kt, f0_test=f0t)
    # Euler's global error is O(dt·λ_max) relative: about 1e-3 here
    np.testing.assert_allclose(flow.train, np.array(got_train), atol=2e-3)
    np.testing.assert_allclose(flow.test, np.array(got_test), atol=2e-3)


def test_limits_and_kernel_regression():
    x, xt, K, Kt, y, f0, f0t = _problem()
    flow = ntklab.gradient_flow(K, y, [0.0, np.inf], f0=f0, K_test=Kt, f0_test=f0t)
    np.testing.assert_allclose(flow.train[0], f0, atol=1e-12)
    np.testing.assert_allclose(flow.test[0], f0t, atol=1e-12)
    np.testing.assert_allclose(flow.train[1], y, atol=1e-8)
    # with f0 = 0 the trained infinitely wide net is kernel regression K_x K⁻¹ Y
    zero = ntklab.gradient_flow(K, y, np.inf, K_test=Kt)
    np.testing.assert_allclose(zero.test[0], Kt @ np.linalg.solve(K, y), atol=1e-8)


def test_residual_modes_decay_exponentially():
    x, xt, K, Kt, y, f0, f0t = _problem()
    t = np.array([0.0, 0.5, 3.0])
    flow = ntklab.gradient_flow(K, y, t, f0=f0)
    expected = flow.alpha[0] * np.exp(-np.outer(t, flow.lam))
    np.testing.assert_allclose(flow.alpha, expected, atol=1e-12)
    np.testing.assert_allclose(flow.train - y, flow.alpha @ flow.V.T, atol=1e-12)


def test_zero_eigenvalues_are_stable():
    """Repeated points make K singular: the gain tends to t, never 0/0."""
    x = np.array([-0.5, 0.2, 0.2, 0.9])
    K, Kt = ntklab.ntk(x), ntklab.ntk(np.array([0.0, 0.2]), x)
    y = np.array([1.0, 0.5, 0.5, -1.0])
    flow = ntklab.gradient_flow(K, y, [0.0, 1.0, 1e6, np.inf], K_test=Kt)
    assert np.all(np.isfinite(flow.train)) and np.all(np.isfinite(flow.test))
    np.testing.assert_allclose(flow.train[-1], y, atol=1e-8)
    np.testing.assert_allclose(flow.test[-1], flow.test[-2], atol=1e-6)


def test_eig_reuse_gives_identical_results():
    x, xt, K, Kt, y, f0, f0t = _problem()
    eig = ntklab.eigenpairs(K)
    a = ntklab.gradient_flow(K, y, [0.7], f0=f0, K_test=Kt, f0_test=f0t)
    b = ntklab.gradient_flow(K, y, [0.7], f0=f0, K_test=Kt, f0_test=f0t, eig=eig)
    np.testing.assert_allclose(a.test, b.test, atol=1e-14)


def test_ensemble_moments_match_sampled_initializations():
    """Mean and variance over f_0 ~ GP(0, Σ), sampled and evolved in closed form."""
    x, xt, K, Kt, y, _, _ = _problem(n=8, n_test=6, seed=2)
    xa = np.concatenate([x, xt])
    Sigma_all = ntklab.nngp(xa)
    n = x.shape[0]
    t = np.array([0.0, 0.5, np.inf])
    rng = np.random.default_rng(5)
    L = np.linalg.cholesky(Sigma_all + 1e-12 * np.eye(xa.shape[0]))
    draws = (L @ rng.standard_normal((xa.shape[0], 4000))).T
    outs = np.stack([
        ntklab.gradient_flow(K, y, t, f0=d[:n], K_test=Kt, f0_test=d[n:]).test for d in draws
    ])
    ens = ntklab.ensemble_moments(
        K, Sigma_all[:n, :n], y, t, K_test=Kt, Sigma_test=np.diag(Sigma_all)[n:],
        Sigma_test_train=Sigma_all[n:, :n],
    )
    np.testing.assert_allclose(ens.mean, outs.mean(axis=0), atol=4 * outs.std(axis=0).max() / 63)
    np.testing.assert_allclose(ens.var, outs.var(axis=0), rtol=0.12, atol=1e-6)
    np.testing.assert_allclose(ens.var[0], np.diag(Sigma_all)[n:], rtol=1e-10)


def test_prior_decomposition_eq_1_14():
    x, xt, K, Kt, y, f0, f0t = _problem()
    t = np.array([0.0, 1.0, np.inf])
    d = ntklab.prior_decomposition(K, y, t, f0=f0, K_test=Kt, f0_test=f0t)
    np.testing.assert_allclose(d.total, d.zero_init + d.prior, atol=1e-10)
    # the prior term vanishes on the training points once converged
    d_train = ntklab.prior_decomposition(K, y, [np.inf], f0=f0, K_test=K, f0_test=f0)
    np.testing.assert_allclose(d_train.prior[0], 0, atol=1e-7)


@pytest.mark.parametrize(
    "kwargs,match",
    [
        (dict(t=[-1.0]), ">= 0"),
        (dict(t=[np.nan]), ">= 0"),
        (dict(y=np.ones(3)), "length"),
        (dict(f0=np.ones(2)), "length"),
        (dict(K_test=np.ones((3, 5))), "shape"),
        (dict(eig=(np.ones(4), np.eye(3))), "eig"),
    ],
)
def test_bad_input(kwargs, match):
    K = ntklab.ntk(np.linspace(-1, 1, 4))
    args = dict(K=K, y=np.zeros(4), t=[1.0])
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        ntklab.gradient_flow(args.pop("K"), args.pop("y"), args.pop("t"), **args)
