"""The exact empirical NTK: against jax.jacobian, the analytic limit, and the tricks."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from jax.flatten_util import ravel_pytree

import ntklab
from ntklab.finite.model import forward, layer_norms

X = np.array([-1.5, -0.4, 0.0, 0.7, 2.0])
X2 = np.array([-0.9, 0.3, 1.1])


def _jacobian_ntk(p, x, x2):
    """Reference: K = J(x) J(x2)ᵀ with the full Jacobian from jax.jacobian."""
    flat, unravel = ravel_pytree(p)
    pts = jnp.asarray(np.concatenate([x, x2]))
    J = np.asarray(jax.jacobian(lambda f: forward(unravel(f), layer_norms(p), pts))(flat))
    return J[: len(x)] @ J[len(x) :].T


@pytest.mark.parametrize(
    ("depth", "trick", "out_bias"),
    [(d, t, False) for d in (1, 2, 3) for t in (None, "asi", "doubling", "rnd")]
    + [(2, None, True), (1, "asi", True), (3, "doubling", True)],
)
def test_equals_jacobian_contraction(depth, trick, out_bias):
    p = ntklab.init_params(11, 7, depth=depth, init_scale=1.3, trick=trick, out_bias=out_bias)
    for x2 in (None, X2):
        ref = _jacobian_ntk(p, X, X if x2 is None else x2)
        K = ntklab.empirical_ntk(p, X, x2)
        np.testing.assert_allclose(K, ref, rtol=1e-12, atol=1e-12 * np.abs(ref).max())
        layers = ntklab.empirical_ntk_layers(p, X, x2)
        assert layers.shape == (depth + 1, *ref.shape)
        np.testing.assert_allclose(layers.sum(0), K, rtol=1e-12, atol=1e-14)


def test_two_layer_formula_of_science_md():
    p = ntklab.init_params(2, 33, init_scale=0.7)
    w, b, a = (np.asarray(t[0]) for t in (p.w[0], p.b[0], p.a))
    H = np.outer(X, w) + b
    S, D = np.maximum(H, 0), (H > 0) * a
    K = (S @ S.T + (D @ D.T) * (np.outer(X, X) + 1)) / 33
    np.testing.assert_allclose(ntklab.empirical_ntk(p, X), K, rtol=1e-13)


@pytest.mark.parametrize("depth", [1, 2])
def test_symmetric_psd(depth):
    p = ntklab.init_params(3, 40, depth=depth)
    x = np.linspace(-2, 2, 30)
    K = ntklab.empirical_ntk(p, x)
    np.testing.assert_array_equal(K, K.T)
    assert np.linalg.eigvalsh(K)[0] > -1e-10 * np.abs(K).max()
    np.testing.assert_allclose(ntklab.empirical_ntk(p, x, X), ntklab.empirical_ntk(p, X, x).T,
                               rtol=1e-12)


def test_converges_to_analytic_ntk_with_spread_shrinking_like_inverse_sqrt_width():
    widths, seeds = [64, 256, 1024, 4096], 24
    K_inf = ntklab.ntk(X)
    spread = []
    for m in widths:
        Ks = np.stack([ntklab.empirical_ntk(ntklab.init_params(s, m), X) for s in range(seeds)])
        spread.append(np.mean(np.std(Ks, axis=0)))
        if m == 4096:
            # mean over seeds within 3 standard errors (+ a small floor) of the limit
            se = np.std(Ks, axis=0) / np.sqrt(seeds)
            assert np.all(np.abs(Ks.mean(0) - K_inf) < 3.5 * se + 1e-3 * np.abs(K_inf).max())
    slope = np.polyfit(np.log(widths), np.log(spread), 1)[0]
    assert -0.65 < slope < -0.35, slope


def test_deep_net_converges_to_analytic_ntk():
    K_inf = ntklab.ntk(X, depth=2, init_scale=1.2)
    Ks = [ntklab.empirical_ntk(ntklab.init_params(s, 1024, depth=2, init_scale=1.2), X)
          for s in range(4)]
    err = np.abs(np.mean(Ks, axis=0) - K_inf).max() / np.abs(K_inf).max()
    assert err < 0.05, err


@pytest.mark.parametrize(("width", "depth"), [(1, 1), (3, 2), (500, 1), (200, 2), (20, 3)])
def test_asi_kernel_equals_plain_kernel_at_init(width, depth):
    plain = ntklab.init_params(5, width, depth=depth, init_scale=2.0)
    asi = ntklab.init_params(5, width, depth=depth, init_scale=2.0, trick="asi")
    np.testing.assert_allclose(ntklab.empirical_ntk_layers(asi, X),
                               ntklab.empirical_ntk_layers(plain, X), rtol=1e-13, atol=1e-300)


def test_doubling_doubles_the_two_layer_kernel():
    plain = ntklab.init_params(6, 100, init_scale=1.5)
    dbl = ntklab.init_params(6, 100, init_scale=1.5, trick="doubling")
    K_dbl, K_plain = ntklab.empirical_ntk(dbl, X, X2), ntklab.empirical_ntk(plain, X, X2)
    np.testing.assert_allclose(K_dbl, 2 * K_plain, rtol=1e-13)


def test_doubling_per_layer_in_a_deep_net():
    plain = ntklab.init_params(6, 20, depth=3)
    dbl = ntklab.init_params(6, 20, depth=3, trick="doubling")
    lp, ld = ntklab.empirical_ntk_layers(plain, X), ntklab.empirical_ntk_layers(dbl, X)
    np.testing.assert_allclose(ld[2:], 2 * lp[2:], rtol=1e-12)  # layers L and output double
    assert np.abs(ld[:2]).max() < 1e-12 * np.abs(lp[:2]).max()  # layers ≤ L − 1 vanish


def test_refuses_over_budget_with_estimate():
    p = ntklab.init_params(0, 4)
    with pytest.raises(ValueError, match=r"GiB.*budget"):
        ntklab.empirical_ntk(p, np.zeros(150_000))


def test_bad_inputs():
    p = ntklab.init_params(0, 4)
    with pytest.raises(ValueError, match="params"):
        ntklab.empirical_ntk(np.ones(3), X)
    with pytest.raises(ValueError, match="x2"):
        ntklab.empirical_ntk(p, X, [[1.0]])
    with pytest.raises(ValueError, match="x"):
        ntklab.empirical_ntk(p, [np.inf])
