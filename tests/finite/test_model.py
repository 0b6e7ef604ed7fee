"""The ReLU MLP family (ntklab.finite.model): shapes, the initialization tricks, linearize."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from jax.flatten_util import ravel_pytree

import ntklab
from ntklab.finite.model import forward, layer_norms

X = np.array([-1.5, -0.4, 0.0, 0.7, 2.0])


@pytest.mark.parametrize("depth", [1, 2, 3])
@pytest.mark.parametrize("trick", [None, "asi", "doubling", "rnd"])
def test_shapes_and_widths(depth, trick):
    p = ntklab.init_params(0, 6, depth=depth, trick=trick)
    assert ntklab.apply(p, X).shape == (5,)
    assert p.depth == depth
    last = 12 if trick in ("doubling", "rnd") else 6
    assert p.widths == (6,) * (depth - 1) + (last,)
    assert p.a.shape == (2 if trick == "asi" else 1, last)


def test_seed_and_key_agree_and_are_deterministic():
    p1 = ntklab.init_params(7, 16, depth=2)
    p2 = ntklab.init_params(jax.random.key(7), 16, depth=2)
    p3 = ntklab.init_params(jax.random.PRNGKey(7), 16, depth=2)
    for q in (p2, p3):
        for u, v in zip(jax.tree_util.tree_leaves(p1), jax.tree_util.tree_leaves(q), strict=True):
            np.testing.assert_array_equal(u, v)
    assert not np.array_equal(p1.a, ntklab.init_params(8, 16, depth=2).a)


def test_init_scale_is_the_standard_deviation():
    p = ntklab.init_params(1, 1500, depth=2, init_scale=3.0)
    flat, _ = ravel_pytree(p)
    assert abs(float(jnp.std(flat)) - 3.0) < 0.03
    assert abs(float(jnp.mean(flat))) < 0.03


def test_two_layer_output_is_eq_1_8():
    p = ntklab.init_params(2, 9, init_scale=1.7)
    w, b, a = (np.asarray(t[0]) for t in (p.w[0], p.b[0], p.a))
    ref = np.maximum(np.outer(X, w) + b, 0) @ a / np.sqrt(9)
    np.testing.assert_allclose(ntklab.apply(p, X), ref, rtol=1e-13)


@pytest.mark.parametrize("depth", [1, 2, 3])
@pytest.mark.parametrize("init_scale", [0.1, 1.0, 10.0])
def test_asi_output_is_exactly_zero(depth, init_scale):
    """Exactly 0.0, not round-off: eagerly, under jit, under vmap and in f_lin at θ₀."""
    x = np.concatenate([X, np.linspace(-3, 3, 31)])
    apply_jit = jax.jit(ntklab.apply)
    apply_vmap = jax.jit(jax.vmap(ntklab.apply, in_axes=(None, 0)))
    for width in (1, 16, 301):
        for seed in range(3):
            p = ntklab.init_params(seed, width, depth=depth, init_scale=init_scale, trick="asi",
                                   out_bias=seed == 2)
            plain = ntklab.init_params(seed, width, depth=depth, init_scale=init_scale)
            if width > 1:  # not trivially 0 (one unit may be dead on all of x)
                assert np.abs(np.asarray(ntklab.apply(plain, x))).max() > 0
            outs = [ntklab.apply(p, x), apply_jit(p, x)]
            if seed == 0:  # (each new structure compiles: these two once per width)
                outs += [apply_vmap(p, x.reshape(4, 9)), ntklab.linearize(p)(p, x)]
            for out in outs:
                assert np.all(np.asarray(out) == 0.0), (width, seed)


@pytest.mark.parametrize("depth", [1, 2, 3])
def test_doubling_output_is_zero_to_round_off(depth):
    p = ntklab.init_params(3, 50, depth=depth, init_scale=2.0, trick="doubling")
    plain = ntklab.init_params(3, 50, depth=depth, init_scale=2.0)
    scale = float(np.abs(ntklab.apply(plain, X)).max())
    for out in (ntklab.apply(p, X), jax.jit(ntklab.apply)(p, X)):
        assert float(np.abs(out).max()) <= 1e-13 * scale


def test_tricks_build_on_the_plain_draw():
    plain = ntklab.init_params(4, 8, depth=2)
    asi = ntklab.init_params(4, 8, depth=2, trick="asi")
    dbl = ntklab.init_params(4, 8, depth=2, trick="doubling")
    np.testing.assert_array_equal(asi.w[1][0], plain.w[1][0])
    np.testing.assert_array_equal(asi.w[1][1], plain.w[1][0])
    np.testing.assert_array_equal(dbl.w[0], plain.w[0])
    np.testing.assert_array_equal(dbl.w[1][0], np.concatenate([plain.w[1][0]] * 2))
    np.testing.assert_array_equal(dbl.a[0], np.concatenate([plain.a[0], -plain.a[0]]))


@pytest.mark.parametrize("trick", [None, "asi", "doubling"])
def test_linearize_is_the_first_order_taylor_model(trick):
    p0 = ntklab.init_params(5, 7, depth=2, trick=trick, out_bias=True)
    flat0, unravel = ravel_pytree(p0)
    d = jnp.asarray(np.random.default_rng(1).standard_normal(flat0.shape))
    f_lin = ntklab.linearize(p0)
    np.testing.assert_allclose(f_lin(p0, X), ntklab.apply(p0, X), rtol=1e-14, atol=1e-15)
    # exact: f_lin(θ₀ + d) = f(θ₀) + J d, with J from jax.jacobian (independent path)
    jac = jax.jit(jax.jacobian(lambda f: forward(unravel(f), layer_norms(p0), jnp.asarray(X))))
    np.testing.assert_allclose(
        f_lin(unravel(flat0 + d), X), ntklab.apply(p0, X) + jac(flat0) @ d, rtol=1e-12, atol=1e-12
    )
    moved = [unravel(flat0 + e * d) for e in (1e-2, 1e-3)]
    gaps = [float(np.abs(ntklab.apply(q, X) - f_lin(q, X)).max()) for q in moved]
    assert gaps[1] < gaps[0] / 30


def test_linearize_refuses_other_structures():
    f_lin = ntklab.linearize(ntklab.init_params(0, 4))
    with pytest.raises(ValueError, match="same trick and widths"):
        f_lin(ntklab.init_params(0, 5), X)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(seed=-1, width=4), "seed"),
        (dict(seed="a", width=4), "seed"),
        (dict(seed=1.5, width=4), "seed"),
        (dict(seed=0, width=0), "width"),
        (dict(seed=0, width=2.5), "width"),
        (dict(seed=0, width=4, depth=0), "depth"),
        (dict(seed=0, width=4, depth=11), "depth"),
        (dict(seed=0, width=4, init_scale=-1.0), "init_scale"),
        (dict(seed=0, width=4, init_scale=float("nan")), "init_scale"),
        (dict(seed=0, width=4, trick="ntk"), "trick"),
        (dict(seed=0, width=4, out_bias=1), "out_bias"),
        (dict(seed=0, width=60_000, depth=3), "GiB"),
    ],
)
def test_bad_init_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ntklab.init_params(**kwargs)


def test_bad_apply_arguments():
    p = ntklab.init_params(0, 4)
    for bad in ([[1.0, 2.0]], [np.nan], "abc", []):
        with pytest.raises(ValueError, match="x"):
            ntklab.apply(p, bad)
    with pytest.raises(ValueError, match="params"):
        ntklab.apply({"a": 1}, X)
