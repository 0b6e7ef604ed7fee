"""The ReLU MLP family of SCIENCE.md §1 in JAX: initialization (with the ASI, doubling and
RND tricks of seed 003 §1.5), forward pass and linearization.

Network (NTK parameterization, every parameter ~ N(0, s²) and trained directly), widths
[1, m_1, ..., m_L, 1], ``depth`` = L hidden layers::

    h¹ = w x + b,   h^{l+1} = W relu(h^l)/√m_l + b,   f(x; θ) = a·relu(h^L)/√m_L (+ c)

For L = 1 this is the seeds' eq. 1.8, f(x) = (1/√m) Σ_j a_j relu(w_j x + b_j).

Every trick is written as a sum of copies of that network, f = Σ_c γ_c f(x; θ_c), each copy
with its own parameters (the leading axis, of length C, of every array in :class:`Params`):

``None`` (plain)
    one copy, γ = 1.
``"asi"`` (antisymmetrical initialization, seed 003 §1.5, Zhang et al. 2020)
    h_ASI = (√2/2)·h(x; θ) − (√2/2)·h(x; θ′) with θ′(0) = θ(0) and both copies trained:
    C = 2, γ = (√2/2, −√2/2). The output at init is exactly 0 and the empirical NTK is
    ½K(θ) + ½K(θ′) = K(θ), the plain net's, at any width.
``"doubling"`` (Chizat & Bach 2018, seed 003 §1.5)
    every unit of the last hidden layer is copied together with its incoming weights and
    bias, and the copy's output weight is the negated original: last hidden width 2m_L,
    a = (a, −a), and the output keeps the original 1/√m_L normalization
    (f = (1/√m_L) Σ_{j ≤ 2m_L} a_j relu(h^L_j), stored as γ = √2 over the 2m_L-wide layer's
    own 1/√(2m_L)). Output 0 at init; the kernel terms of the output layer and of the last
    hidden layer's incoming parameters double, those of all earlier layers vanish (for
    L = 1 the whole kernel doubles).
``"rnd"`` (seed 003 §1.6)
    a plain net, freshly drawn, whose last hidden layer is 2m_L wide (the seed's comparison
    "same width as the ASI net"; only the last hidden layer is doubled).

Side effect on import: JAX's float64 mode is enabled (``jax_enable_x64``), because ntklab's
analysis runs in float64. No compilation happens at import.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import math
import numbers

import jax
import jax.numpy as jnp
import numpy as np

from ..analytic.validate import as_int, as_points, as_positive, check_memory
from ..analytic.kernels import MAX_DEPTH

jax.config.update("jax_enable_x64", True)

__all__ = ["TRICKS", "Params", "apply", "init_params", "linearize"]

TRICKS = (None, "asi", "doubling", "rnd")
MAX_WIDTH = 100_000
_SQRT_HALF = math.sqrt(0.5)


@dataclasses.dataclass(frozen=True)
class Params:
    """Parameters of a (possibly multi-copy) ReLU MLP; a JAX pytree.

    Attributes (C copies, layer widths m_1..m_L):
        w: hidden-layer weights, a tuple of L arrays: ``w[0]`` of shape (C, m_1) (input is
           a scalar), ``w[l]`` of shape (C, m_{l+1}, m_l).
        b: hidden-layer biases, a tuple of L arrays of shape (C, m_l).
        a: output weights, shape (C, m_L).
        c: output bias, shape (C,), or ``None`` for no output bias (the default).
        trick: ``None``, ``"asi"``, ``"doubling"`` or ``"rnd"`` (static, not trained).
    """

    w: tuple
    b: tuple
    a: jax.Array
    c: jax.Array | None
    trick: str | None = None

    @property
    def depth(self) -> int:
        return len(self.w)

    @property
    def widths(self) -> tuple[int, ...]:
        return tuple(int(bl.shape[-1]) for bl in self.b)

    @property
    def coef(self) -> tuple[float, ...]:
        return _coef(self.trick)


jax.tree_util.register_dataclass(Params, data_fields=["w", "b", "a", "c"], meta_fields=["trick"])


def _coef(trick):
    """γ_c of f = Σ_c γ_c f(x; θ_c)."""
    return {None: (1.0,), "rnd": (1.0,), "asi": (_SQRT_HALF, -_SQRT_HALF), "doubling": (
        math.sqrt(2.0),)}[trick]


def _n_params(widths, copies):
    """Number of parameters of a net with these hidden widths (no output bias)."""
    return copies * (2 * sum(widths) + sum(p * q for p, q in itertools.pairwise(widths))
                     + widths[-1])


def _check_trick(trick):
    if trick not in TRICKS:
        raise ValueError(f"trick must be one of {TRICKS}, got {trick!r}")
    return trick


def _as_key(seed):
    """An int seed in [0, 2³² − 1] or a JAX key (typed or raw uint32[2])."""
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool):
        return jax.random.key(as_int(seed, "seed", 0, 2**32 - 1))
    if isinstance(seed, jax.Array):
        if jnp.issubdtype(seed.dtype, jax.dtypes.prng_key) and seed.shape == ():
            return seed
        if seed.dtype == jnp.uint32 and seed.shape == (2,):
            return jax.random.wrap_key_data(seed)
    raise ValueError(
        f"seed must be an integer in [0, {2**32 - 1}] or a single JAX key, got {seed!r:.60}"
    )


def _draw(key, s, widths, trick, out_bias):
    """θ₀ as numpy arrays, drawn from numpy's PCG64 seeded with the key's data.

    Drawing with numpy rather than ``jax.random`` avoids one XLA compilation per
    architecture (seconds on a busy CPU, paid at every new slider width); the stream is
    still a pure function of the explicit key.
    """
    rng = np.random.default_rng(np.asarray(jax.random.key_data(key)).ravel().tolist())
    w, b, fan_in = [], [], None
    for m_l in widths:
        w.append(s * rng.standard_normal((1, m_l) if fan_in is None else (1, m_l, fan_in)))
        b.append(s * rng.standard_normal((1, m_l)))
        fan_in = m_l
    a = s * rng.standard_normal((1, widths[-1]))
    c = s * rng.standard_normal(1) if out_bias else None
    if trick == "doubling":
        # copy the last hidden layer's units with their incoming weights and bias
        w[-1] = np.concatenate([w[-1], w[-1]], axis=1)
        b[-1] = np.concatenate([b[-1], b[-1]], axis=1)
        a = np.concatenate([a, -a], axis=1)
    if trick == "asi":  # θ′(0) = θ(0)
        w, b = ([np.concatenate([t, t]) for t in arrs] for arrs in (w, b))
        a = np.concatenate([a, a])
        c = None if c is None else np.concatenate([c, c])
    as_jax = lambda arrs: tuple(jnp.asarray(t) for t in arrs)  # noqa: E731
    return Params(w=as_jax(w), b=as_jax(b), a=jnp.asarray(a),
                  c=None if c is None else jnp.asarray(c), trick=trick)


def init_params(seed, width, *, depth=1, init_scale=1.0, trick=None, out_bias=False):
    """Draw θ₀ of the ReLU MLP, every parameter ~ N(0, s²) (SCIENCE.md §1).

    Args:
        seed: an integer seed or a JAX key (``jax.random.key(0)``); the only randomness.
        width: m, the width of every hidden layer (before a trick doubles the last one).
        depth: L, the number of hidden layers (1 = the seeds' two-layer net).
        init_scale: s, the standard deviation of every parameter.
        trick: ``None``, ``"asi"``, ``"doubling"`` or ``"rnd"`` (see the module docstring).
        out_bias: add a trained output bias c ~ N(0, s²).

    The same seed gives the same plain θ₀ for every trick except ``"rnd"`` (a fresh,
    wider net): ASI and doubling are built from it. The numbers come from numpy's PCG64
    seeded with the key's data (``jax.random.key_data``), so an int seed and
    ``jax.random.key(seed)`` give the same θ₀, and no compilation is needed per width.

    >>> p = init_params(0, 8, trick="asi")
    >>> float(abs(apply(p, [0.3, -1.0])).max())
    0.0
    """
    key = _as_key(seed)
    m = as_int(width, "width", 1, MAX_WIDTH)
    depth = as_int(depth, "depth", 1, MAX_DEPTH)
    s = as_positive(init_scale, "init_scale", hi=1e3)
    trick = _check_trick(trick)
    if not isinstance(out_bias, bool):
        raise ValueError(f"out_bias must be True or False, got {out_bias!r:.60}")
    widths = [m] * depth
    if trick == "rnd":
        widths[-1] = 2 * m
    copies = 2 if trick == "asi" else 1
    check_memory(2.0 * _n_params(widths, copies), f"a depth-{depth}, width-{m} net's parameters")

    return _draw(key, s, widths, trick, out_bias)


def _norms(params):
    """1/√m_l for l = 1..L, taken from the array shapes (unpadded nets)."""
    return jnp.asarray([1.0 / math.sqrt(m) for m in params.widths])


def _copy_out(params, copy, norms, x):
    """Output f(x; θ_c) of one copy c, before the trick's coefficient γ_c."""
    # h¹ = w x + b written as the product [x, 1] @ [w; b]: its gradient is then a matrix
    # product too, which XLA's CPU backend runs far faster than a column sum.
    x1 = jnp.stack([x, jnp.ones_like(x)], axis=1)
    h = x1 @ jnp.stack([params.w[0][copy], params.b[0][copy]])  # (n, m_1)
    for layer in range(1, len(params.w)):
        z = jax.nn.relu(h)  # relu'(0) = 0: zero-padded units stay inert
        h = (z @ params.w[layer][copy].T) * norms[layer - 1] + params.b[layer][copy]
    out = (jax.nn.relu(h) @ params.a[copy]) * norms[-1]
    return out if params.c is None else out + params.c[copy]


def _combine(trick, outs):
    if trick == "asi":  # (√2/2)(f(θ) − f(θ′)): exactly 0 when both outputs are equal
        return _SQRT_HALF * (outs[0] - outs[1])
    return _coef(trick)[0] * outs[0]


def _forward(params, norms, x):
    """f(x; θ) given explicit normalizations ``norms[l] = 1/√m_{l+1}`` (true widths).

    ``norms`` is separate from the array shapes so that zero-padded nets (used by
    :mod:`ntklab.finite.training` to share compiled code across widths) give the same outputs.
    """
    # C ≤ 2 copies, each with plain 2-D products (compiles to faster code than a batch axis)
    return _combine(params.trick, [_copy_out(params, c, norms, x) for c in range(len(
        _coef(params.trick)))])


@functools.partial(jax.jit, static_argnames=("copy",))
def _copy_out_jit(params, copy, norms, x):
    # one compiled program per copy index, so identical copies give bit-identical outputs
    # (XLA may round two copies differently inside one program)
    return _copy_out(params, copy, norms, x)


def _one_copy(params, copy):
    """Copy ``copy`` of a multi-copy net as a one-copy Params (same shapes for every copy)."""
    return jax.tree_util.tree_map(lambda t: jnp.asarray(np.asarray(t)[copy : copy + 1]), params)


def _check_params(params):
    if not isinstance(params, Params):
        raise ValueError(f"params must be ntklab Params from init_params, got {type(params)}")
    return params


def apply(params, x):
    """Network outputs f(x; θ) = Σ_c γ_c f(x; θ_c), shape (n,), for inputs x of shape (n,)."""
    params = _check_params(params)
    x = jnp.asarray(as_points(x, "x"), dtype=params.a.dtype)
    single = lambda c: _copy_out_jit(_one_copy(params, c), 0, _norms(params), x)  # noqa: E731
    return _combine(params.trick, [single(c) for c in range(len(params.coef))])


def linearize(params0):
    """The linearized model around θ₀ as a function ``f_lin(params, x)`` (seeds 000, 001)::

        f_lin(x; θ) = f(x; θ₀) + ∇_θ f(x; θ₀)·(θ − θ₀)

    computed with one forward-mode product (``jax.jvp``): the n × P Jacobian is never
    formed. ``params`` must have the same structure (trick, widths) as ``params0``.

    >>> p0 = init_params(1, 16)
    >>> f_lin = linearize(p0)
    >>> bool(jnp.allclose(f_lin(p0, [0.5]), apply(p0, [0.5])))
    True
    """
    params0 = _check_params(params0)
    norms = _norms(params0)

    def f_lin(params, x):
        params = _check_params(params)
        if jax.tree_util.tree_structure(params) != jax.tree_util.tree_structure(params0) or any(
            p.shape != q.shape
            for p, q in zip(jax.tree_util.tree_leaves(params), jax.tree_util.tree_leaves(params0),
                            strict=True)
        ):
            raise ValueError("params must have the same trick and widths as params0")
        return _f_lin(params0, params, norms, jnp.asarray(as_points(x, "x"), params0.a.dtype))

    return f_lin


@jax.jit
def _f_lin(params0, params, norms, x):
    delta = jax.tree_util.tree_map(jnp.subtract, params, params0)
    f0, df = jax.jvp(lambda p: _forward(p, norms, x), (params0,), (delta,))
    return f0 + df


def _as_numpy(params):
    """Arrays of ``params`` as float64 numpy (for :mod:`ntklab.finite.empirical`)."""
    return jax.tree_util.tree_map(lambda t: np.asarray(t, dtype=np.float64), params)
