"""ntklab.rnn_nngp (docs/science.md §3.13) against Monte Carlo averages of wide finite
recurrent nets written here in numpy, independently of ntklab (with W shared across time and
with a fresh W per step), the two-layer MLP's NNGP at T = 1, invariants and bad input."""

import numpy as np
import pytest

import ntklab
from ntklab.analytic.rnn import rnn_nngp


def _mc_rnn(X, s, m, nets, shared, rng):
    """Per net, the output's covariance given its hidden layer, s²·relu(h_T)relu(h_T)ᵀ/m
    (E over the output weights a in closed form), and f(x) itself; (nets, n, n), (nets, n)."""
    n, T = X.shape
    covs, outs = np.empty((nets, n, n)), np.empty((nets, n))
    for k in range(nets):
        u, b, a = rng.normal(0, s, m), rng.normal(0, s, m), rng.normal(0, s, m)
        W = rng.normal(0, s, (m, m))
        h = np.outer(X[:, 0], u) + b
        for t in range(1, T):
            if not shared:
                W = rng.normal(0, s, (m, m))
            h = np.maximum(h, 0) @ W.T / np.sqrt(m) + np.outer(X[:, t], u) + b
        z = np.maximum(h, 0)
        covs[k] = s * s * z @ z.T / m
        outs[k] = z @ a / np.sqrt(m)
    return covs, outs


X3 = np.array([[0.5, -1.0, 0.3], [1.2, 0.4, -0.7], [-0.6, -0.2, 0.9]])


@pytest.mark.parametrize("shared", [True, False], ids=["shared", "fresh"])
def test_rnn_nngp_matches_monte_carlo(shared):
    """Width 1024, 12 nets, T = 3, s = 0.9: the mean conditional covariance within 4 standard
    errors plus 0.5 % (the O(1/m) finite-width bias of a net whose hidden layer is not exactly
    Gaussian; with shared weights also the correlation of W with its own past)."""
    s = 0.9
    sigma = rnn_nngp(X3, init_scale=s)
    covs, _ = _mc_rnn(X3, s, 1024, 12, shared, np.random.default_rng(5 + shared))
    mean, se = covs.mean(0), covs.std(0, ddof=1) / np.sqrt(covs.shape[0])
    assert np.all(np.abs(mean - sigma) <= 4 * se + 0.005 * np.abs(sigma)), (mean, sigma, se)


def test_output_covariance_over_many_nets():
    """f(x)f(x′) itself (a drawn too) over 400 nets of width 256, shared weights."""
    s = 1.0
    sigma = rnn_nngp(X3[:2], init_scale=s)
    _, outs = _mc_rnn(X3[:2], s, 256, 400, True, np.random.default_rng(2))
    prods = outs[:, :, None] * outs[:, None, :]
    mean, se = prods.mean(0), prods.std(0, ddof=1) / np.sqrt(prods.shape[0])
    assert np.all(np.abs(mean - sigma) <= 4 * se + 0.01 * np.abs(sigma)), (mean, sigma, se)


def _batched_covs(X, m, nets, shared, rng, s=1.0):
    """The covariance given the hidden layer of ``nets`` nets at once (numpy, batched)."""
    T = X.shape[1]
    u, b = rng.normal(0, s, (nets, 1, m)), rng.normal(0, s, (nets, 1, m))
    W = rng.normal(0, s, (nets, m, m))
    h = X[None, :, 0, None] * u + b
    for t in range(1, T):
        if not shared:
            W = rng.normal(0, s, (nets, m, m))
        h = np.maximum(h, 0) @ W.transpose(0, 2, 1) / np.sqrt(m) + X[None, :, t, None] * u + b
    z = np.maximum(h, 0)
    return s * s * z @ z.transpose(0, 2, 1) / m


def test_weight_sharing_adds_an_order_one_over_m_bias():
    """The finite-width bias the Monte Carlo tests allow for, measured (T = 5, s = 1, 4000
    nets): sharing W across time adds about +4.5/m to Σ(x, x) (measured +23 … +31 % at
    m = 16, +4.6 … +6.7 % at m = 64: a quarter, as O(1/m) says); a fresh W per step only
    +4-5 % at m = 16. Both vanish in the limit, where Σ is the same."""
    X = np.array([[0.5, -1.0, 0.3, 1.2, -0.4], [0.8, -0.6, 0.1, 1.0, 0.2]])
    sigma = np.diag(rnn_nngp(X))
    rng = np.random.default_rng(0)

    def bias(m, shared):
        covs = _batched_covs(X, m, 4000, shared, rng)
        return np.mean(np.diagonal(covs.mean(0)) / sigma - 1)

    shared16, shared64, fresh16 = bias(16, True), bias(64, True), bias(16, False)
    assert shared16 > 0.15, shared16
    assert 0.12 < shared64 / shared16 < 0.45, (shared16, shared64)
    assert fresh16 < 0.4 * shared16, (fresh16, shared16)


def test_length_one_is_the_two_layer_nngp():
    x = np.linspace(-2.0, 3.0, 9)
    for s in (0.3, 1.0, 2.5):
        np.testing.assert_allclose(rnn_nngp(x[:, None], init_scale=s),
                                   ntklab.nngp(x, init_scale=s), rtol=1e-12, atol=1e-15)


def test_symmetric_psd_and_cross_blocks():
    rng = np.random.default_rng(0)
    X, X2 = rng.normal(size=(12, 6)), rng.normal(size=(5, 6))
    K = rnn_nngp(X, init_scale=1.3)
    np.testing.assert_allclose(K, K.T, rtol=1e-13)
    assert np.linalg.eigvalsh(K).min() > -1e-10 * np.abs(K).max()
    both = rnn_nngp(np.vstack([X, X2]), init_scale=1.3)
    np.testing.assert_allclose(rnn_nngp(X, X2, init_scale=1.3), both[:12, 12:], rtol=1e-12)
    # the variance recursion: q_t = s²q_{t−1}/2 + s²(x_t² + 1), Σ(x, x) = s²q_T/2
    s2, x = 1.3**2, X[0]
    q = s2 * (x[0] ** 2 + 1)
    for t in range(1, 6):
        q = s2 * q / 2 + s2 * (x[t] ** 2 + 1)
    assert K[0, 0] == pytest.approx(s2 * q / 2, rel=1e-12)


@pytest.mark.parametrize(("args", "kwargs", "words"), [
    (([0.1, 0.2],), {}, ["X", "2-D"]),
    (([[0.1, np.nan]],), {}, ["X", "finite"]),
    ((np.zeros((2, 2, 2)),), {}, ["X", "shape"]),
    ((np.zeros((2, 3)), np.zeros((2, 4))), {}, ["X2", "same length", "shared"]),
    ((np.zeros((2, 3)), [1.0, 2.0, 3.0]), {}, ["X2", "2-D"]),
    ((np.zeros((2, 3)), [[1.0, np.inf, 3.0]]), {}, ["X2", "finite"]),
    ((np.zeros((2, 3)),), {"init_scale": 0.0}, ["init_scale", "0"]),
    ((np.zeros((2, 3)),), {"init_scale": -1.0}, ["init_scale"]),
    ((np.zeros((2, 3)),), {"init_scale": np.nan}, ["init_scale"]),
])
def test_bad_input_is_refused(args, kwargs, words):
    with pytest.raises(ValueError) as err:
        rnn_nngp(*args, **kwargs)
    for word in words:
        assert word in str(err.value), (word, str(err.value))
