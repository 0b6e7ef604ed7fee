"""Finite-width nets beyond the MLP, in JAX (docs/science.md §3.13): a recurrent ReLU net with
weights shared across time, a residual ReLU MLP, their exact empirical NTK at init, and the
backward pass of an MLP with and without the "gradient independence assumption".

Yang (2019), "Scaling limits of wide neural networks with weight sharing", shows that the
NTK at init of wide nets of essentially any architecture converges to a deterministic
kernel; these nets let a notebook watch that happen beyond the MLP.

**Recurrent net** (scalar sequences x = (x₁, …, x_T), :func:`ntklab.rnn_nngp` has its
limit)::

    h₀ = 0,   h_t = W relu(h_{t−1})/√m + u x_t + b,   f(x) = a·relu(h_T)/√m

every entry of W, u, b, a ~ N(0, s²); W is shared across time (``length=None``), or a fresh
W_t is drawn for every step (``length=T``: the comparison of docs/science.md §3.13).

**Residual MLP** (scalar input x, ``depth`` = L ≥ 1 residual layers)::

    h¹ = w x + b,   h^{l+1} = h^l + W^l relu(h^l)/√m,   f(x) = a·relu(h^L)/√m

every entry ~ N(0, s²). Parameters are dicts of arrays (JAX pytrees); :func:`rnn_apply`
and :func:`residual_apply` work inside ``jax.jit``, ``jax.grad`` and ``jax.jacobian``.
:func:`jacobian_ntk` is the empirical NTK ∇_θf(x)·∇_θf(x′) summed over every parameter,
by ``jax.jacobian`` (exact; fine at these sizes).

**Gradient independence** (:func:`backward_kernels`): the backward pass of ntklab's ReLU MLP
(:func:`ntklab.init_params`), δ^L = relu′(h^L) ⊙ a, δ^l = relu′(h^l) ⊙ (W^{l+1})ᵀδ^{l+1}/√m
(√m·∂f/∂h^l), and the same pass with an independent copy of every W in place of W, which is
what the infinite-width formulas of the NTK assume. Each returns the backward kernels
B^l(x, x′) = δ^l(x)·δ^l(x′)/m of every layer.

Randomness: ``seed`` (an int) seeds numpy's generator, which draws every parameter in
float64; the same seed gives the same net at every call.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np

from ..analytic.rnn import as_sequences
from ..analytic.validate import as_int, as_points, as_positive, check_memory
from .model import init_params

jax.config.update("jax_enable_x64", True)

__all__ = [
    "MAX_WIDTH",
    "backward_kernels",
    "init_residual",
    "init_rnn",
    "jacobian_ntk",
    "residual_apply",
    "rnn_apply",
    "rnn_hidden",
]

MAX_WIDTH = 8192


def _seed(seed):
    return as_int(seed, "seed", 0, 2**63 - 1)


def init_rnn(seed, width, *, init_scale=1.0, length=None) -> dict:
    """Parameters of the recurrent net: ``{"W", "u", "b", "a"}``, every entry ~ N(0, s²).

    ``length=None``: one W of shape (m, m), shared across time. ``length=T``: a fresh
    W_t for each of T steps, shape (T, m, m) (sequences must then have length T).
    """
    rng = np.random.default_rng(_seed(seed))
    m = as_int(width, "width", 1, MAX_WIDTH)
    s = as_positive(init_scale, "init_scale", hi=1e3)
    T = 1 if length is None else as_int(length, "length", 1, 1000)
    check_memory(T * m * m, f"{T} weight matrices of width {m}")
    u, b, a = (s * rng.standard_normal(m) for _ in range(3))
    W = s * rng.standard_normal((m, m) if length is None else (T, m, m))
    return {"W": jnp.asarray(W), "u": jnp.asarray(u), "b": jnp.asarray(b),
            "a": jnp.asarray(a)}


def rnn_hidden(params, X):
    """relu(h_T) of every sequence, shape (n, m) (X of shape (n, T))."""
    if not isinstance(X, jax.core.Tracer):
        X = as_sequences(X, "X")
    W = params["W"]
    m = W.shape[-1]
    shared = W.ndim == 2
    T = X.shape[1]
    if not shared and W.shape[0] != T:
        raise ValueError(f"X must have length {W.shape[0]} (one fresh W per step), got {T}")
    X = jnp.asarray(X)
    h = jnp.outer(X[:, 0], params["u"]) + params["b"]  # h₁ (h₀ = 0)
    for t in range(1, T):
        Wt = W if shared else W[t]
        h = jax.nn.relu(h) @ Wt.T / math.sqrt(m) + jnp.outer(X[:, t], params["u"]) + params["b"]
    return jax.nn.relu(h)


def rnn_apply(params, X):
    """f(x) = a·relu(h_T)/√m for each sequence of X (shape (n, T)): shape (n,)."""
    z = rnn_hidden(params, X)
    return z @ params["a"] / math.sqrt(z.shape[-1])


def init_residual(seed, width, *, depth=2, init_scale=1.0) -> dict:
    """Parameters of the residual MLP: ``{"w", "b", "W", "a"}`` with W of shape
    (depth − 1, m, m), every entry ~ N(0, s²)."""
    rng = np.random.default_rng(_seed(seed))
    m = as_int(width, "width", 1, MAX_WIDTH)
    depth = as_int(depth, "depth", 1, 10)
    s = as_positive(init_scale, "init_scale", hi=1e3)
    check_memory((depth - 1) * m * m, f"{depth - 1} weight matrices of width {m}")
    w, b, a = (s * rng.standard_normal(m) for _ in range(3))
    W = s * rng.standard_normal((depth - 1, m, m))
    return {"w": jnp.asarray(w), "b": jnp.asarray(b), "W": jnp.asarray(W), "a": jnp.asarray(a)}


def residual_apply(params, x):
    """f(x) of the residual MLP at points x (shape (n,)): shape (n,)."""
    if not isinstance(x, jax.core.Tracer):
        x = as_points(x, "x")
    m = params["a"].shape[0]
    h = jnp.outer(jnp.asarray(x), params["w"]) + params["b"]
    for W in params["W"]:
        h = h + jax.nn.relu(h) @ W.T / math.sqrt(m)
    return jax.nn.relu(h) @ params["a"] / math.sqrt(m)


def jacobian_ntk(apply_fn, params, x, x2=None) -> np.ndarray:
    """The empirical NTK Σ_θ ∂f(x)/∂θ·∂f(x′)/∂θ over every parameter, by ``jax.jacobian``:
    numpy float64 of shape (n, n2). ``apply_fn(params, x)`` returns one output per input.
    """
    def jac(points):
        J = jax.jacobian(apply_fn)(params, points)
        return [np.asarray(j).reshape(j.shape[0], -1) for j in jax.tree_util.tree_leaves(J)]

    J1 = jac(x)
    J2 = J1 if x2 is None else jac(x2)
    return sum(a @ b.T for a, b in zip(J1, J2, strict=True))


def backward_kernels(x, width, *, depth=3, init_scale=1.0, seed=0, output="zero_mean",
                     independent=False) -> np.ndarray:
    """Backward kernels B^l(x, x′) = δ^l(x)·δ^l(x′)/m of ntklab's ReLU MLP at init
    (:func:`ntklab.init_params` with this seed), l = 1 … depth: shape (depth, n, n).

    Args:
        x: points, shape (n,).
        output: ``"zero_mean"`` (the output weights a as drawn, N(0, s²)) or
            ``"constant"`` (every a_j = s: the same second moment, mean s).
        independent: backpropagate through an independent copy of every hidden W (drawn
            from a second generator), as the gradient independence assumption does.

    δ^l = √m·∂f/∂h^l is computed by hand; with ``independent=False`` it equals JAX's
    gradient of f with respect to each hidden layer's bias (tests/finite/test_architectures.py).
    """
    x = as_points(x, "x")
    m = as_int(width, "width", 1, MAX_WIDTH)
    depth = as_int(depth, "depth", 1, 10)
    s = as_positive(init_scale, "init_scale", hi=1e3)
    seed = _seed(seed)
    if output not in ("zero_mean", "constant"):
        raise ValueError(f"output must be 'zero_mean' or 'constant', got {output!r}")
    p = init_params(seed, m, depth=depth, init_scale=s)
    w = [np.asarray(t[0], dtype=np.float64) for t in p.w]
    b = [np.asarray(t[0], dtype=np.float64) for t in p.b]
    a = np.asarray(p.a[0], dtype=np.float64) if output == "zero_mean" else np.full(m, s)
    hs = [np.multiply.outer(x, w[0]) + b[0]]
    for l in range(1, depth):
        hs.append(np.maximum(hs[-1], 0.0) @ w[l].T / math.sqrt(m) + b[l])
    if independent:
        rng = np.random.default_rng([seed, 1])
        w = [w[0]] + [s * rng.standard_normal(wl.shape) for wl in w[1:]]
    delta = (hs[-1] > 0) * a
    out = [delta @ delta.T / m]
    for l in range(depth - 1, 0, -1):
        delta = (delta @ w[l] / math.sqrt(m)) * (hs[l - 1] > 0)
        out.append(delta @ delta.T / m)
    return np.array(out[::-1])
