"""ntklab.apply and linearize as JAX functions: jit, grad, jacobian and vmap."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from jax.flatten_util import ravel_pytree

import ntklab

X = np.array([-1.7, -0.6, 0.05, 0.8, 1.9])
X2 = np.array([-1.1, 0.4, 1.3])
Y = np.sin(2 * X)
NETS = [(m, depth, trick) for m, depth in ((16, 1), (48, 1), (24, 2))
        for trick in (None, "asi", "doubling")]


def _net(m, depth, trick, seed=3):
    return ntklab.init_params(seed, m, depth=depth, init_scale=1.2, trick=trick)


def _loss(p, x=X, y=Y):
    return 0.5 * jnp.sum((ntklab.apply(p, x) - y) ** 2)


def _moved(p, scale=0.1, seed=0):
    """θ₀ plus a random step: a generic point away from init (ASI's copies then differ)."""
    flat, unravel = ravel_pytree(p)
    step = np.random.default_rng(seed).standard_normal(flat.shape)
    return unravel(flat + scale * jnp.asarray(step))


def _same(u, v, rtol=1e-13):
    for a, b in zip(jax.tree_util.tree_leaves(u), jax.tree_util.tree_leaves(v), strict=True):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=rtol,
                                   atol=rtol * max(1.0, float(np.abs(np.asarray(b)).max())))


@pytest.mark.parametrize(("m", "depth", "trick"), NETS)
def test_grad_of_the_loss_equals_finite_differences(m, depth, trick):
    p = _moved(_net(m, depth, trick))
    grad = jax.grad(_loss)(p)
    assert isinstance(grad, ntklab.Params) and grad.trick == trick
    g_flat, _ = ravel_pytree(grad)
    flat, unravel = ravel_pytree(p)
    for i in np.random.default_rng(1).choice(flat.size, 6, replace=False):
        eps = 1e-6 * max(1.0, abs(float(flat[i])))
        e = jnp.zeros_like(flat).at[i].set(eps)
        fd = (_loss(unravel(flat + e)) - _loss(unravel(flat - e))) / (2 * eps)
        assert float(g_flat[i]) == pytest.approx(float(fd), rel=1e-6, abs=1e-8), i


@pytest.mark.parametrize(("m", "depth", "trick"), NETS)
def test_jacobian_of_apply_gives_the_empirical_ntk(m, depth, trick):
    """∇_θ f(x)·∇_θ f(x') from jax.jacobian of apply is the layer-by-layer empirical NTK, and
    the gradient of the loss is Jᵀ r."""
    for p in (_net(m, depth, trick), _moved(_net(m, depth, trick))):
        J1, J2 = (jax.jacobian(ntklab.apply)(p, x) for x in (X, X2))
        assert isinstance(J1, ntklab.Params)
        K = sum(jnp.tensordot(a, b, axes=(tuple(range(1, a.ndim)),) * 2) for a, b in zip(
            jax.tree_util.tree_leaves(J1), jax.tree_util.tree_leaves(J2), strict=True))
        ref = ntklab.empirical_ntk(p, X, X2)
        np.testing.assert_allclose(K, ref, rtol=1e-12, atol=1e-12 * np.abs(ref).max())
        r = ntklab.apply(p, X) - Y
        _same(jax.grad(_loss)(p), jax.tree_util.tree_map(lambda j, r=r: jnp.tensordot(r, j, 1),
                                                         J1), rtol=1e-12)


@pytest.mark.parametrize(("m", "depth", "trick"), NETS)
def test_jit_and_vmap_of_apply(m, depth, trick):
    p = _moved(_net(m, depth, trick))
    out = ntklab.apply(p, X)
    assert isinstance(out, jax.Array) and out.dtype == jnp.float64 and out.shape == X.shape
    np.testing.assert_allclose(jax.jit(ntklab.apply)(p, X), out, rtol=1e-14, atol=1e-15)
    batch = np.stack([X, X[::-1] * 0.7, X + 0.3])  # (3, n): one row per call
    rows = np.stack([ntklab.apply(p, row) for row in batch])
    vm = jax.vmap(ntklab.apply, in_axes=(None, 0))(p, batch)
    np.testing.assert_allclose(vm, rows, rtol=1e-13, atol=1e-14)
    np.testing.assert_allclose(jax.jit(jax.vmap(ntklab.apply, in_axes=(None, 0)))(p, batch),
                               rows, rtol=1e-13, atol=1e-14)
    # vmap over an ensemble of parameter sets (stacked pytrees)
    nets = [_net(m, depth, trick, seed=s) for s in range(3)]
    stacked = jax.tree_util.tree_map(lambda *t: jnp.stack(t), *nets)
    np.testing.assert_allclose(jax.vmap(ntklab.apply, in_axes=(0, None))(stacked, X),
                               np.stack([ntklab.apply(q, X) for q in nets]),
                               rtol=1e-13, atol=1e-14)


def test_grad_with_respect_to_x_and_float32_params():
    p = _moved(_net(24, 2, None))
    dfdx = jax.vmap(jax.grad(lambda x: ntklab.apply(p, x)[0]))(jnp.asarray(X))
    eps = 1e-6
    fd = (np.asarray(ntklab.apply(p, X + eps)) - np.asarray(ntklab.apply(p, X - eps))) / (2 * eps)
    np.testing.assert_allclose(dfdx, fd, rtol=1e-6, atol=1e-8)
    p32 = jax.tree_util.tree_map(lambda t: t.astype(jnp.float32), p)
    out32 = ntklab.apply(p32, X)
    assert out32.dtype == jnp.float32
    np.testing.assert_allclose(out32, ntklab.apply(p, X), rtol=1e-4, atol=1e-4)


def test_traced_x_is_shape_checked():
    p = _net(8, 1, None)
    with pytest.raises(ValueError, match="1-D"):
        jax.jit(ntklab.apply)(p, jnp.ones((2, 3)))
    with pytest.raises(ValueError, match="between 1"):
        jax.jit(ntklab.apply)(p, jnp.ones(0))
    f_lin = ntklab.linearize(p)
    with pytest.raises(ValueError, match="1-D"):
        jax.jit(f_lin)(p, jnp.ones((2, 3)))
    # a traced scalar is one point, as a concrete one is
    assert jax.jit(ntklab.apply)(p, 0.5).shape == (1,)


@pytest.mark.parametrize(("m", "depth", "trick"), NETS)
def test_linearize_under_jit_grad_and_vmap(m, depth, trick):
    p0 = _net(m, depth, trick)
    f_lin = ntklab.linearize(p0)
    p = _moved(p0, scale=0.05)
    out = f_lin(p, X)
    assert isinstance(out, jax.Array) and out.dtype == jnp.float64
    np.testing.assert_allclose(jax.jit(f_lin)(p, X), out, rtol=1e-13, atol=1e-14)
    batch = np.stack([X, X * 0.5])
    np.testing.assert_allclose(jax.vmap(f_lin, in_axes=(None, 0))(p, batch),
                               np.stack([f_lin(p, row) for row in batch]), rtol=1e-13,
                               atol=1e-14)
    # f_lin is linear in θ: its gradient anywhere is that of the net at θ₀
    v = jnp.asarray(np.random.default_rng(2).standard_normal(X.size))
    g_lin = jax.jit(jax.grad(lambda q: jnp.dot(f_lin(q, X), v)))(p)
    g_net = jax.grad(lambda q: jnp.dot(ntklab.apply(q, X), v))(p0)
    _same(g_lin, g_net, rtol=1e-12)
    J_lin = jax.jacobian(f_lin)(p, X)
    _same(J_lin, jax.jacobian(ntklab.apply)(p0, X), rtol=1e-12)
