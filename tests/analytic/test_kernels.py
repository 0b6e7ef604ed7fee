import numpy as np
import pytest

import ntklab
from ntklab.analytic.kernels import ntk_and_nngp
from tests._mc import mc_kernels

X = np.array([-1.5, -0.4, 0.0, 0.7, 2.0])


def _two_layer_formula(x, x2):
    """SCIENCE.md's closed form for depth 1, s = 1, written with arccos (not arctan2)."""
    zx, z2 = np.sqrt(x**2 + 1), np.sqrt(x2**2 + 1)
    dot = np.outer(x, x2) + 1
    norms = np.outer(zx, z2)
    phi = np.arccos(np.clip(dot / norms, -1, 1))
    return (norms * np.sin(phi) + 2 * dot * (np.pi - phi)) / (2 * np.pi)


def test_two_layer_matches_closed_form():
    x = np.linspace(-3, 3, 41)
    x2 = np.linspace(-2, 5, 17)
    np.testing.assert_allclose(ntklab.ntk(x, x2), _two_layer_formula(x, x2), atol=1e-7)


@pytest.mark.parametrize("s", [0.1, 1.0, 10.0])
def test_two_layer_diagonal_and_scaling(s):
    x = np.linspace(-4, 4, 33)
    K = ntklab.ntk(x, init_scale=s)
    np.testing.assert_allclose(np.diag(K), s**2 * (x**2 + 1), rtol=1e-13)
    np.testing.assert_allclose(K, s**2 * ntklab.ntk(x), rtol=1e-12)
    S = ntklab.nngp(x, init_scale=s)
    np.testing.assert_allclose(np.diag(S), s**4 * (x**2 + 1) / 2, rtol=1e-13)
    np.testing.assert_allclose(S, s**4 * ntklab.nngp(x), rtol=1e-12)


@pytest.mark.parametrize("depth", [1, 2, 3, 5])
@pytest.mark.parametrize("s", [0.5, 1.0, 3.0])
@pytest.mark.parametrize("out_bias", [False, True])
def test_symmetric_psd_and_consistent(depth, s, out_bias):
    x = np.linspace(-2, 2, 60)
    K, S = ntk_and_nngp(x, depth=depth, init_scale=s, out_bias=out_bias)
    for M in (K, S):
        assert np.all(np.isfinite(M))
        np.testing.assert_array_equal(M, M.T)
        lam = np.linalg.eigvalsh(M)
        assert lam.min() > -1e-10 * lam.max()
    # the general (x, x2) path gives the same numbers as the symmetric fast path
    K2, S2 = ntk_and_nngp(x, x.copy(), depth=depth, init_scale=s, out_bias=out_bias)
    np.testing.assert_allclose(K2, K, rtol=1e-12, atol=1e-12 * np.abs(K).max())
    np.testing.assert_allclose(S2, S, rtol=1e-12, atol=1e-12 * np.abs(S).max())


def test_output_bias_adds_one_to_ntk_and_s2_to_nngp():
    x = np.linspace(-1, 1, 7)
    K0, S0 = ntk_and_nngp(x, depth=2, init_scale=1.7)
    K1, S1 = ntk_and_nngp(x, depth=2, init_scale=1.7, out_bias=True)
    np.testing.assert_allclose(K1 - K0, 1.0, rtol=1e-12)
    np.testing.assert_allclose(S1 - S0, 1.7**2, rtol=1e-12)


@pytest.mark.parametrize(
    "depth,s", [(1, 0.5), (1, 1.0), (1, 3.0), (2, 0.5), (2, 1.0), (2, 3.0), (3, 1.0), (3, 3.0)]
)
def test_monte_carlo_agreement(depth, s):
    """Analytic Θ and Σ against averages over random finite networks.

    The tolerance is statistical: 5 standard errors of the Monte Carlo mean, plus 3% for the
    O(1/m) finite-width bias of the deeper nets.
    """
    rng = np.random.default_rng(1234 + 10 * depth + int(10 * s))
    m, n_nets = (2000, 200) if depth == 1 else (400, 120)
    ntks, ffs = mc_kernels(X, depth, s, m, n_nets, rng)
    K, S = ntk_and_nngp(X, depth=depth, init_scale=s)
    for samples, exact in ((ntks, K), (ffs, S)):
        mean = samples.mean(axis=0)
        se = samples.std(axis=0, ddof=1) / np.sqrt(n_nets)
        bias = 0.0 if depth == 1 else 0.03 * np.abs(exact)
        assert np.all(np.abs(mean - exact) <= 5 * se + bias + 1e-12), (mean, exact, se)


def test_scaling_law_fails_for_deeper_nets():
    """Depth 2 is not a plain power of s (so the s² test above is specific to depth 1)."""
    x = np.linspace(-1, 1, 5)
    ratio = ntklab.ntk(x, depth=2, init_scale=2.0) / ntklab.ntk(x, depth=2)
    assert np.ptp(ratio) > 1e-3


@pytest.mark.parametrize(
    "kwargs,match",
    [
        (dict(x=[np.nan, 1.0]), "finite"),
        (dict(x=[[1.0, 2.0]]), "1-D"),
        (dict(x=[]), "between"),
        (dict(x=[1.0], depth=0), "depth"),
        (dict(x=[1.0], depth=11), "depth"),
        (dict(x=[1.0], depth=1.5), "depth"),
        (dict(x=[1.0], init_scale=0.0), "init_scale"),
        (dict(x=[1.0], init_scale=-1.0), "init_scale"),
        (dict(x=[1.0], init_scale=float("inf")), "init_scale"),
        (dict(x=["a"]), "numbers"),
    ],
)
def test_bad_input(kwargs, match):
    x = kwargs.pop("x")
    with pytest.raises(ValueError, match=match):
        ntklab.ntk(x, **kwargs)


def test_memory_budget_refused_before_allocation():
    x = np.zeros(20_000)
    with pytest.raises(ValueError, match="GiB"):
        ntklab.ntk(x)


@pytest.mark.parametrize("n", [3, 4, 7, 50, 301, 1001, 1200])
@pytest.mark.parametrize("depth", [1, 3])
def test_symmetric_grid_shortcut_matches_the_general_computation(n, depth, monkeypatch):
    """On x = −x[::−1] only a quarter of K(x, x) is computed and the rest is filled in by
    K = Kᵀ and K[i, j] = K[n−1−j, n−1−i]; K(x, x2) with a copy of x computes every entry.
    Small blocks make several row blocks (and both threads) take part."""
    from ntklab.analytic import kernels

    monkeypatch.setattr(kernels, "_BLOCK_ENTRIES", 4096)
    x = ntklab.sample_points(n)
    assert np.array_equal(x, -x[::-1])
    theta, sigma = ntklab.ntk_and_nngp(x, depth=depth, init_scale=1.7)
    ref_theta, ref_sigma = ntklab.ntk_and_nngp(x, x.copy(), depth=depth, init_scale=1.7)
    np.testing.assert_allclose(theta, ref_theta, rtol=1e-14, atol=0)
    np.testing.assert_allclose(sigma, ref_sigma, rtol=1e-14, atol=0)
    assert np.array_equal(theta, theta.T) and np.array_equal(sigma, sigma.T)
    assert np.array_equal(theta, theta[::-1, ::-1].T)


@pytest.mark.parametrize("depth", [1, 2])
def test_doubling_kernel_matches_wide_doubling_nets(depth):
    """The doubling trick's infinite-width NTK against the mean empirical NTK of wide
    doubling nets (ntklab.finite.empirical, exact per net): the plain kernel is off by about 2×."""
    from ntklab import empirical_ntk, init_params

    x = np.linspace(-1, 1, 7)
    K = ntklab.ntk(x, depth=depth, init_scale=0.7, trick="doubling")
    mean = np.mean([empirical_ntk(init_params(seed, 2048, depth=depth, init_scale=0.7,
                                              trick="doubling"), x) for seed in range(4)], 0)
    assert np.abs(mean - K).max() <= 0.05 * np.abs(K).max()
    plain = ntklab.ntk(x, depth=depth, init_scale=0.7)
    if depth == 1:
        np.testing.assert_allclose(K, 2 * plain, rtol=1e-14)
    assert np.abs(plain - K).max() > 0.3 * np.abs(K).max()
    same = ntklab.ntk(x, depth=depth, trick="asi")
    np.testing.assert_array_equal(same, ntklab.ntk(x, depth=depth))
    with pytest.raises(ValueError, match="trick"):
        ntklab.ntk(x, trick="double")
