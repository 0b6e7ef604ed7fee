"""Parameterizations of the two-layer net (Luo, Xu, Ma & Zhang 2021; docs/science.md §3.11):
the prefactor and init scales, gradients and kernels against independent computations, the
output's spread at init against width, "ntk" unchanged, and refused input."""

import hashlib

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from jax.flatten_util import ravel_pytree

import ntklab
from ntklab.analytic.metrics import fit_slope
from ntklab.finite.model import exponents

X = np.array([-1.5, -0.4, 0.0, 0.7, 2.0])
KINDS = ["ntk", "mean_field", "standard", (1.5, 0.0), (0.75, -0.5), (2.0, 1.5)]


def _alpha_betas(kind, m, s):
    """α, β₁ (of a), β₂ (of w, b) written out from the definitions (not the module's code)."""
    return {"ntk": (np.sqrt(m), s, s), "mean_field": (m, s, s),
            "standard": (1.0, s / np.sqrt(m), s)}.get(kind) or (
        m, s * m ** ((1 - kind[0] - kind[1]) / 2), s * m ** ((1 - kind[0] + kind[1]) / 2))


def _numpy_net(p, kind, s):
    w, b, a = (np.asarray(t[0]) for t in (p.w[0], p.b[0], p.a))
    alpha, _, _ = _alpha_betas(kind, w.shape[0], s)
    return w, b, a, alpha


@pytest.mark.parametrize("kind", KINDS)
def test_output_is_the_prefactor_times_the_sum(kind):
    p = ntklab.init_params(4, 11, init_scale=0.7, parameterization=kind)
    w, b, a, alpha = _numpy_net(p, kind, 0.7)
    ref = np.maximum(np.outer(X, w) + b, 0) @ a / alpha
    np.testing.assert_allclose(ntklab.apply(p, X), ref, rtol=1e-13, atol=1e-300)
    # same standard normals as the NTK net of the same seed, scaled by β₁ and β₂
    q = ntklab.init_params(4, 11, init_scale=1.0)
    _, beta1, beta2 = _alpha_betas(kind, 11, 0.7)
    np.testing.assert_allclose(a, beta1 * np.asarray(q.a[0]), rtol=1e-14)
    np.testing.assert_allclose(w, beta2 * np.asarray(q.w[0][0]), rtol=1e-14)
    np.testing.assert_allclose(b, beta2 * np.asarray(q.b[0][0]), rtol=1e-14)


def test_exponents_of_the_named_parameterizations():
    """(γ, γ′) from their definitions: −log(β₁β₂/α)/log m, −log(β₁/β₂)/log m (exact here,
    at any m, for s = 1)."""
    for kind in KINDS:
        for m in (10, 1000):
            alpha, b1, b2 = _alpha_betas(kind, m, 1.0)
            g, gp = -np.log(b1 * b2 / alpha) / np.log(m), -np.log(b1 / b2) / np.log(m)
            assert exponents(kind) == pytest.approx((g, gp), abs=1e-12)
    assert exponents("mean_field") == exponents((1, 0))


@pytest.mark.parametrize("kind", KINDS)
def test_gradients_are_the_hand_derivatives(kind):
    """jax.grad through apply equals ∂f/∂a = relu(h)/α, ∂f/∂w = a·1[h > 0]·x/α,
    ∂f/∂b = a·1[h > 0]/α, summed against a residual."""
    p = ntklab.init_params(1, 13, init_scale=1.3, parameterization=kind)
    w, b, a, alpha = _numpy_net(p, kind, 1.3)
    r = np.array([0.3, -1.0, 0.5, 2.0, -0.7])
    g = jax.grad(lambda q: jnp.dot(ntklab.apply(q, X), r))(p)
    h = np.outer(X, w) + b
    on = (h > 0) * a
    for got, ref in ((g.a[0], r @ np.maximum(h, 0) / alpha), (g.w[0][0], (r * X) @ on / alpha),
                     (g.b[0][0], r @ on / alpha)):
        np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-14 * np.abs(ref).max())


@pytest.mark.parametrize("kind", KINDS)
def test_empirical_ntk_is_the_jacobian_contraction(kind):
    p = ntklab.init_params(2, 17, init_scale=0.9, parameterization=kind)
    flat, unravel = ravel_pytree(p)
    J = np.asarray(jax.jacobian(lambda v: ntklab.apply(unravel(v), X))(flat))
    K = ntklab.empirical_ntk(p, X)
    np.testing.assert_allclose(K, J @ J.T, rtol=1e-11, atol=1e-14 * np.abs(K).max())
    K2 = ntklab.empirical_ntk(p, X, X[:2])
    np.testing.assert_allclose(K2, J @ J[:2].T, rtol=1e-11, atol=1e-14 * np.abs(K).max())


@pytest.mark.parametrize("kind", ["mean_field", (1.5, 0.0)])
def test_training_steps_are_gradient_descent_through_apply(kind):
    """train's padded, compiled steps (float64, fixed step) equal GD written with jax.grad
    of ½Σ(apply − y)², and its linearization follows linearize; the trained params keep
    the parameterization."""
    x, y = X[:4], np.array([0.2, -0.3, 0.5, 0.1])
    p = ntklab.init_params(3, 10, parameterization=kind)
    lr = 0.5 / float(np.linalg.eigvalsh(ntklab.empirical_ntk(p, x))[-1])
    res = ntklab.train(p, x, y, steps=5, lr=lr, record=2, dtype="float64")
    loss = lambda q: 0.5 * jnp.sum((ntklab.apply(q, x) - y) ** 2)  # noqa: E731
    q = p
    for _ in range(5):
        q = jax.tree_util.tree_map(lambda u, g: u - lr * g, q, jax.grad(loss)(q))
    assert res.params.parameterization == p.parameterization
    for u, v in zip(jax.tree_util.tree_leaves(res.params), jax.tree_util.tree_leaves(q),
                    strict=True):
        np.testing.assert_allclose(u, v, rtol=1e-10, atol=1e-14)
    f_lin = ntklab.linearize(p)
    ql = p
    for _ in range(5):
        gl = jax.grad(lambda t: 0.5 * jnp.sum((f_lin(t, x) - y) ** 2))(ql)
        ql = jax.tree_util.tree_map(lambda u, g: u - lr * g, ql, gl)
    np.testing.assert_allclose(res.f_lin[-1], f_lin(ql, x), rtol=1e-9, atol=1e-14)
    # RD: the relative change of (w, b) alone
    dw = [np.asarray(u - v) for u, v in ((q.w[0], p.w[0]), (q.b[0], p.b[0]))]
    ref = np.sqrt(sum((d**2).sum() for d in dw)
                  / sum((np.asarray(t) ** 2).sum() for t in (p.w[0], p.b[0])))
    assert res.input_change_net[-1] == pytest.approx(ref, rel=1e-9)
    assert res.input_change_net[0] == 0.0


def test_jit_and_vmap_work_for_a_pair():
    p = ntklab.init_params(0, 8, parameterization=(1.5, 0.25))
    ref = ntklab.apply(p, X)
    np.testing.assert_allclose(jax.jit(ntklab.apply)(p, X), ref, rtol=1e-14)
    np.testing.assert_allclose(jax.vmap(ntklab.apply, in_axes=(None, 0))(p, X[:, None])[:, 0],
                               ref, rtol=1e-14)


@pytest.mark.parametrize(("kind", "slope"), [("ntk", 0.0), ("mean_field", -0.5),
                                             ("standard", 0.0), ((1.5, 0.0), -1.0)])
def test_output_spread_at_init_against_width(kind, slope):
    """The spread over seeds of f(x) at init ∝ β₁β₂√m/α = s²·m^(½ − γ): independent of m
    for NTK (and standard), ∝ m^(−1/2) for mean-field; the fitted slope within ±0.15
    (300 seeds: the spread's sampling error is about 4 %, a slope error of about 0.03)."""
    widths = (64, 256, 1024, 4096)
    x = np.array([0.5])
    spread = []
    for m in widths:
        outs = [float(ntklab.apply(ntklab.init_params(seed, m, parameterization=kind), x)[0])
                for seed in range(300)]
        spread.append(np.std(outs))
    assert fit_slope(widths, spread) == pytest.approx(slope, abs=0.15)


def test_ntk_is_unchanged():
    """θ₀ of "ntk" is bit for bit what it was before parameterizations existed (hashes taken
    with the previous code), with and without the keyword."""
    before = {(0, 7, 1, 1.0, None): "95bc0254328c2650", (3, 16, 2, 0.5, None): "e954670bf5bc3ac1",
              (11, 5, 1, 10.0, "asi"): "e742dc4553df18e9",
              (5, 9, 3, 2.0, "doubling"): "9f2968cd2516d242",
              (2, 6, 1, 1.0, "rnd"): "1b3eeb6f1a09c806"}
    for (seed, m, depth, s, trick), digest in before.items():
        for kw in ({}, {"parameterization": "ntk"}):
            p = ntklab.init_params(seed, m, depth=depth, init_scale=s, trick=trick, **kw)
            h = hashlib.sha256()
            for leaf in jax.tree_util.tree_leaves(p):
                h.update(np.asarray(leaf, dtype=np.float64).tobytes())
            assert h.hexdigest()[:16] == digest
            assert p.parameterization == "ntk"


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"parameterization": "xavier"}, "parameterization must be one of"),
    ({"parameterization": "NTK"}, "parameterization must be one of"),
    ({"parameterization": (1.0,)}, "pair"),
    ({"parameterization": (1.0, 0.0, 2.0)}, "pair"),
    ({"parameterization": (1.0, float("nan"))}, "finite"),
    ({"parameterization": (True, 0.0)}, "pair"),
    ({"parameterization": ("1", 0.0)}, "pair"),
    ({"parameterization": 1.5}, "pair"),
    ({"parameterization": (9.0, 0.0)}, r"gamma must lie in \[-1, 4\]"),
    ({"parameterization": (1.0, -7.0)}, r"gamma_prime must lie in \[-3, 3\]"),
    ({"parameterization": "mean_field", "depth": 2}, "two-layer.*depth=2"),
    ({"parameterization": (1.5, 0.0), "depth": 3}, "two-layer.*depth=3"),
    ({"parameterization": "standard", "trick": "asi"}, "trick='asi'"),
    ({"parameterization": "mean_field", "out_bias": True}, "out_bias=True"),
])
def test_bad_parameterizations_are_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ntklab.init_params(0, 8, **kwargs)


def test_other_parameterizations_do_not_mix():
    p = ntklab.init_params(0, 8, parameterization="mean_field")
    q = ntklab.init_params(0, 8)
    with pytest.raises(ValueError, match="parameterization"):
        ntklab.linearize(q)(p, X)
    with pytest.raises(ValueError, match="parameterization"):
        ntklab.train([p, q], X, X, steps=1)


@pytest.mark.parametrize("kind", ["mean_field", (1.5, 0.0), "ntk"])
def test_hessian_bound_is_the_residual_part_of_the_hessian(kind):
    """lr_bound='hessian': the first step is lr_factor/(λ_max(K₀) + λ_res), where λ_res is
    the spectral norm of H − JᵀJ = Σ_i r_i ∇²f(x_i), here from jax.hessian; and
    λ_max(K₀) + λ_res bounds ‖H‖."""
    x, y = X[:4], np.array([0.2, -0.3, 0.5, 0.1])
    p = ntklab.init_params(5, 6, parameterization=kind)
    flat, unravel = ravel_pytree(p)
    loss = lambda v: 0.5 * jnp.sum((ntklab.apply(unravel(v), x) - y) ** 2)  # noqa: E731
    H = np.asarray(jax.hessian(loss)(flat))
    J = np.asarray(jax.jacobian(lambda v: ntklab.apply(unravel(v), x))(flat))
    lam_res = np.abs(np.linalg.eigvalsh(H - J.T @ J)).max()
    lam_k = np.linalg.eigvalsh(J @ J.T)[-1]
    res = ntklab.train(p, x, y, steps=1, lr="adaptive", lr_factor=0.5, lr_bound="hessian",
                       record=2, dtype="float64")
    assert res.lr == pytest.approx(0.5 / (lam_k + lam_res), rel=1e-9)
    assert np.abs(np.linalg.eigvalsh(H)).max() <= (lam_k + lam_res) * (1 + 1e-12)
    with pytest.raises(ValueError, match="two-layer"):
        ntklab.train(ntklab.init_params(0, 6, depth=2), x, y, steps=1, lr="adaptive",
                     lr_bound="hessian")
    with pytest.raises(ValueError, match="lr_bound"):
        ntklab.train(p, x, y, steps=1, lr=0.1, lr_bound="hessian")


def test_record_params_keeps_the_net_at_every_record():
    x, y = X[:4], np.array([0.2, -0.3, 0.5, 0.1])
    p = ntklab.init_params(1, 8, parameterization=(1.25, 0.0))
    seen = []
    res = ntklab.train(p, x, y, steps=40, lr="adaptive", lr_bound="hessian", record=5,
                       record_params=True, dtype="float64",
                       progress=lambda q: seen.append((q.record_step, q.params)))
    assert len(res.params_record) == 5
    for i, q in enumerate(res.params_record):
        np.testing.assert_allclose(ntklab.apply(q, res.x_eval), res.f_net[i], rtol=1e-12)
    assert seen[-1][1] is res.params_record[-1]
    assert res.params_record[-1].parameterization == (1.25, 0.0)
