"""The ReLU MLP family of docs/science.md §1 in JAX: initialization (with the ASI, doubling
and RND tricks of Xu's lecture notes "Understanding deep learning" (2023), §1.5–§1.6),
forward pass and linearization.

Network (NTK parameterization, every parameter ~ N(0, s²) and trained directly), widths
[1, m_1, ..., m_L, 1], ``depth`` = L hidden layers::

    h¹ = w x + b,   h^{l+1} = W relu(h^l)/√m_l + b,   f(x; θ) = a·relu(h^L)/√m_L (+ c)

For L = 1 this is eq. 1.8 of Xu's notes, f(x) = (1/√m) Σ_j a_j relu(w_j x + b_j).

Every trick is written as a sum of copies of that network, f = Σ_c γ_c f(x; θ_c), each copy
with its own parameters (the leading axis, of length C, of every array in :class:`Params`):

``None`` (plain)
    one copy, γ = 1.
``"asi"`` (antisymmetrical initialization: Xu's notes §1.5, after Zhang, Xu, Luo & Ma 2020)
    h_ASI = (√2/2)·h(x; θ) − (√2/2)·h(x; θ′) with θ′(0) = θ(0) and both copies trained:
    C = 2, γ = (√2/2, −√2/2). The empirical NTK is ½K(θ) + ½K(θ′) = K(θ), the plain net's,
    at any width. The output at init is exactly 0.0, not merely round-off: in
    :func:`apply`, under ``jax.jit`` and ``jax.vmap``, in :func:`linearize` at θ₀ and in
    :func:`ntklab.train`'s records (float32 or float64), because :func:`forward` computes it
    in difference form,

        (√2/2)·[((a − a′)·z + a′·(z − z′))/√m_L (+ c − c′)],   z = relu(h^L(θ)), z′ = relu(h^L(θ′)),

    never as a difference of two separately rounded outputs. The two copies' hidden layers
    run the same operations on equal inputs, so z = z′ bit for bit when θ′ = θ, and every
    term is then a product with an exact zero (tests/finite/test_model.py checks depths
    1–3, s = 0.1–10, widths 1–301, with and without an output bias). Subtracting
    f(θ) − f(θ′) is not exact inside one compiled program: XLA's CPU backend fuses the two
    final multiplications by 1/√m_L (at width 1 also the products a·z) with the subtraction
    and contracts one of them into a fused multiply-add, so one copy's output is rounded
    and the other's is not. That left about 1e-16 of the output's scale (up to 3e-13 at
    s = 10, L = 2–3); eager :func:`apply` used to avoid it by running each copy as a
    separate program on numpy copies, which could not be traced.
``"doubling"`` (Chizat & Bach 2018; Xu's notes §1.5)
    every unit of the last hidden layer is copied together with its incoming weights and
    bias, and the copy's output weight is the negated original: last hidden width 2m_L,
    a = (a, −a), and the output keeps the original 1/√m_L normalization
    (f = (1/√m_L) Σ_{j ≤ 2m_L} a_j relu(h^L_j), stored as γ = √2 over the 2m_L-wide layer's
    own 1/√(2m_L)). The output at init is 0 in exact arithmetic but only round-off in
    floating point (a sum of 2m_L terms that cancel in pairs): measured below 1e-14 of the
    plain net's largest output over L = 1–3, s = 0.1–10 (the tests allow 1e-13).
    The kernel terms of the output layer and of the last hidden layer's incoming
    parameters double, those of all earlier layers vanish (for L = 1 the whole kernel
    doubles).
``"rnd"`` (Xu's notes §1.6)
    a plain net, freshly drawn, whose last hidden layer is 2m_L wide (the notes' comparison
    "as wide as the ASI net"; only the last hidden layer is doubled).

Parameterizations (``parameterization=``, two-layer nets only except ``"ntk"``; Luo, Xu, Ma &
Zhang, "Phase diagram for two-layer ReLU neural networks at infinite-width limit", JMLR
22(71), 2021; docs/science.md §3.11). All are f(x) = (1/α) Σ_k a_k relu(w_k x + b_k) with
a_k ~ N(0, β₁²) and (w_k, b_k) ~ N(0, β₂²), every parameter stored and trained directly:

``"ntk"`` (the default, the network above)
    α = √m, β₁ = β₂ = s: Luo et al.'s exponents (γ, γ′) = (½, 0).
``"mean_field"``
    α = m, β₁ = β₂ = s: (γ, γ′) = (1, 0), the critical regime's corner.
``"standard"`` (LeCun's fan-in rule, the input being one number)
    α = 1, β₁ = s/√m, β₂ = s: (γ, γ′) = (½, ½); the output at init is O(1) like NTK's.
``(gamma, gamma_prime)``
    the exponents themselves: α = m, β₁ = s·m^((1−γ−γ′)/2), β₂ = s·m^((1−γ+γ′)/2), so that
    β₁β₂/α = s²·m^(−γ) and β₁/β₂ = m^(−γ′) exactly. ``(1, 0)`` is ``"mean_field"``.

The same seed draws the same standard normals for every parameterization (scaled by β₁ or
β₂), so ``"ntk"`` gives exactly the θ₀ it always gave.

JAX: :class:`Params` is a pytree whose leaves are the arrays; :func:`apply` and the
function returned by :func:`linearize` work inside ``jax.jit``, ``jax.grad``,
``jax.jacobian`` and ``jax.vmap`` (inputs are validated where they are concrete).
:func:`forward`, :func:`layer_norms`, :func:`n_params` and :func:`as_numpy` are helpers for
the other ntklab modules, not part of the package's top-level API.

Side effect on import: JAX's float64 mode is enabled (``jax_enable_x64``), because ntklab's
analysis runs in float64. No compilation happens at import.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import numbers

import jax
import jax.numpy as jnp
import numpy as np

from ..analytic.kernels import MAX_DEPTH
from ..analytic.validate import as_int, as_points, as_positive, check_memory

jax.config.update("jax_enable_x64", True)

__all__ = ["PARAMETERIZATIONS", "TRICKS", "Params", "apply", "exponents", "init_params",
           "linearize"]

TRICKS = (None, "asi", "doubling", "rnd")
PARAMETERIZATIONS = ("ntk", "mean_field", "standard")  # or a pair (γ, γ′)
GAMMA_RANGE = (-1.0, 4.0)  # allowed γ of a pair (beyond, β's over- or underflow at m = 1e5)
GAMMA_PRIME_RANGE = (-3.0, 3.0)  # allowed γ′
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
        parameterization: ``"ntk"``, ``"mean_field"``, ``"standard"`` or a pair of floats
            (γ, γ′) (static): it fixes the output's prefactor 1/α (module docstring).
    """

    w: tuple
    b: tuple
    a: jax.Array
    c: jax.Array | None
    trick: str | None = None
    parameterization: str | tuple = "ntk"

    @property
    def depth(self) -> int:
        return len(self.w)

    @property
    def widths(self) -> tuple[int, ...]:
        return tuple(int(bl.shape[-1]) for bl in self.b)

    @property
    def coef(self) -> tuple[float, ...]:
        return _coef(self.trick)


jax.tree_util.register_dataclass(Params, data_fields=["w", "b", "a", "c"],
                                 meta_fields=["trick", "parameterization"])


def _coef(trick):
    """γ_c of f = Σ_c γ_c f(x; θ_c)."""
    return {None: (1.0,), "rnd": (1.0,), "asi": (_SQRT_HALF, -_SQRT_HALF), "doubling": (
        math.sqrt(2.0),)}[trick]


def n_params(widths, copies=1):
    """Number of parameters of a net with these hidden widths and ``copies`` copies (C), not
    counting an output bias: C·(2 Σ m_l + Σ m_l m_{l+1} + m_L)."""
    return copies * (2 * sum(widths) + sum(p * q for p, q in itertools.pairwise(widths))
                     + widths[-1])


def _check_trick(trick):
    if trick not in TRICKS:
        raise ValueError(f"trick must be one of {TRICKS}, got {trick!r}")
    return trick


def _check_parameterization(parameterization):
    """``"ntk"``, ``"mean_field"``, ``"standard"``, or (γ, γ′) as a pair of Python floats."""
    if isinstance(parameterization, str):
        if parameterization not in PARAMETERIZATIONS:
            raise ValueError(f"parameterization must be one of {PARAMETERIZATIONS} or a pair "
                             f"(gamma, gamma_prime), got {parameterization!r:.60}")
        return parameterization
    try:
        pair = tuple(parameterization)
    except TypeError:
        pair = ()
    ok = len(pair) == 2 and all(isinstance(v, numbers.Real) and not isinstance(v, bool)
                                and math.isfinite(v) for v in pair)
    if not ok:
        raise ValueError(f"parameterization must be one of {PARAMETERIZATIONS} or a pair "
                         f"(gamma, gamma_prime) of finite numbers, got {parameterization!r:.60}")
    gamma, gamma_prime = float(pair[0]), float(pair[1])
    for name, v, (lo, hi) in (("gamma", gamma, GAMMA_RANGE),
                              ("gamma_prime", gamma_prime, GAMMA_PRIME_RANGE)):
        if not lo <= v <= hi:
            raise ValueError(f"parameterization's {name} must lie in [{lo:g}, {hi:g}], "
                             f"got {v!r}")
    return (gamma, gamma_prime)


def exponents(parameterization) -> tuple[float, float]:
    """Luo et al.'s (γ, γ′) of a parameterization (module docstring):
    γ = −log(β₁β₂/α)/log m and γ′ = −log(β₁/β₂)/log m as m → ∞.

    >>> exponents("ntk"), exponents("mean_field"), exponents("standard")
    ((0.5, 0.0), (1.0, 0.0), (0.5, 0.5))
    """
    parameterization = _check_parameterization(parameterization)
    named = {"ntk": (0.5, 0.0), "mean_field": (1.0, 0.0), "standard": (0.5, 0.5)}
    return named[parameterization] if isinstance(parameterization, str) else parameterization


def out_divisor(parameterization, m: int) -> float:
    """α of f = (1/α) Σ_k a_k relu(w_k x + b_k) at width m: √m (``"ntk"``), 1
    (``"standard"``), m (``"mean_field"`` and pairs)."""
    if parameterization == "ntk":
        return math.sqrt(m)
    return 1.0 if parameterization == "standard" else float(m)


def width_norms(widths, parameterization="ntk") -> list[float]:
    """The normalizations of :func:`forward` (``norms``) for hidden ``widths``: 1/√m_l for
    the hidden layers after the first, and 1/α for the output (module docstring)."""
    norms = [1.0 / math.sqrt(m) for m in widths]
    norms[-1] = 1.0 / out_divisor(parameterization, widths[-1])
    return norms


def _init_scales(parameterization, s, m):
    """(β₁, β₂): the standard deviations of a and of (w, b) at width m."""
    if parameterization in ("ntk", "mean_field"):
        return s, s
    if parameterization == "standard":
        return s / math.sqrt(m), s
    gamma, gamma_prime = parameterization
    return (s * m ** ((1.0 - gamma - gamma_prime) / 2.0),
            s * m ** ((1.0 - gamma + gamma_prime) / 2.0))


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


def _draw(key, s, widths, trick, out_bias, s_a=None, parameterization="ntk"):
    """θ₀ as numpy arrays, drawn from numpy's PCG64 seeded with the key's data; the output
    weights a have the standard deviation ``s_a`` (default s), everything else s.

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
    a = (s if s_a is None else s_a) * rng.standard_normal((1, widths[-1]))
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
                  c=None if c is None else jnp.asarray(c), trick=trick,
                  parameterization=parameterization)


def init_params(seed, width, *, depth=1, init_scale=1.0, trick=None, out_bias=False,
                parameterization="ntk"):
    """Draw θ₀ of the ReLU MLP, every parameter ~ N(0, s²) (docs/science.md §1), or of a
    two-layer net in another parameterization (docs/science.md §3.11).

    Args:
        seed: an integer seed or a JAX key (``jax.random.key(0)``); the only randomness.
        width: m, the width of every hidden layer (before a trick doubles the last one).
        depth: L, the number of hidden layers (1 = the two-layer net of eq. 1.8).
        init_scale: s, the standard deviation of every parameter.
        trick: ``None``, ``"asi"``, ``"doubling"`` or ``"rnd"`` (see the module docstring).
        out_bias: add a trained output bias c ~ N(0, s²).
        parameterization: ``"ntk"`` (default), ``"mean_field"``, ``"standard"`` or a pair
            (gamma, gamma_prime) of Luo et al.'s exponents (module docstring); all but
            ``"ntk"`` only for two-layer nets (``depth=1``), no trick and no output bias.

    The same seed gives the same plain θ₀ for every trick except ``"rnd"`` (a fresh,
    wider net): ASI and doubling are built from it. The numbers come from numpy's PCG64
    seeded with the key's data (``jax.random.key_data``), so an int seed and
    ``jax.random.key(seed)`` give the same θ₀, and no compilation is needed per width.

    >>> p = init_params(0, 8, trick="asi")
    >>> float(abs(apply(p, [0.3, -1.0])).max())
    0.0
    >>> q = init_params(0, 8, parameterization=(1.5, 0.0))  # α = m, β₁ = β₂ = m^(−1/4)
    >>> round(float(q.a[0, 0] / init_params(0, 8).a[0, 0]), 6), round(8 ** -0.25, 6)
    (0.594604, 0.594604)
    """
    key = _as_key(seed)
    parameterization = _check_parameterization(parameterization)
    m = as_int(width, "width", 1, MAX_WIDTH)
    depth = as_int(depth, "depth", 1, MAX_DEPTH)
    s = as_positive(init_scale, "init_scale", hi=1e3)
    trick = _check_trick(trick)
    if not isinstance(out_bias, bool):
        raise ValueError(f"out_bias must be True or False, got {out_bias!r:.60}")
    if parameterization != "ntk":
        for name, value, allowed in (("depth", depth, 1), ("trick", trick, None),
                                     ("out_bias", out_bias, False)):
            if value != allowed:
                raise ValueError(
                    f"parameterization {parameterization!r} is for two-layer nets without "
                    f"tricks or output bias ({name}={allowed!r}); got {name}={value!r}")
    widths = [m] * depth
    if trick == "rnd":
        widths[-1] = 2 * m
    copies = 2 if trick == "asi" else 1
    check_memory(2.0 * n_params(widths, copies), f"a depth-{depth}, width-{m} net's parameters")

    if parameterization == "ntk":
        return _draw(key, s, widths, trick, out_bias)
    s_a, s_wb = _init_scales(parameterization, s, m)
    return _draw(key, s_wb, widths, trick, out_bias, s_a=s_a, parameterization=parameterization)


def layer_norms(params):
    """The normalizations 1/√m_l, l = 1..L, of ``params``' hidden widths (read from the
    array shapes, so for unpadded nets), the last one 1/α of the parameterization
    (:func:`width_norms`), as a JAX array of the parameters' dtype: the ``norms`` argument
    of :func:`forward`."""
    return jnp.asarray(width_norms(params.widths, params.parameterization),
                       dtype=params.a.dtype)


def _hidden(params, copy, norms, x):
    """Pre-activations h^L(x; θ_c) of the last hidden layer of copy c, shape (n, m_L)."""
    # h¹ = w x + b written as the product [x, 1] @ [w; b]: its gradient is then a matrix
    # product too, which XLA's CPU backend runs far faster than a column sum.
    x1 = jnp.stack([x, jnp.ones_like(x)], axis=1)
    h = x1 @ jnp.stack([params.w[0][copy], params.b[0][copy]])  # (n, m_1)
    for layer in range(1, len(params.w)):
        z = jax.nn.relu(h)  # relu'(0) = 0: zero-padded units stay inert
        h = (z @ params.w[layer][copy].T) * norms[layer - 1] + params.b[layer][copy]
    return h


def forward(params, norms, x):
    """f(x; θ), shape (n,), for a 1-D JAX array x; traceable (``jit``, ``grad``, ``vmap``)
    and unchecked: :func:`apply` is the validating entry point.

    ``norms[l] = 1/√m_{l+1}`` (true widths; the last is 1/α, see :func:`layer_norms`) is
    separate from the array shapes so that zero-padded nets (used by
    :mod:`ntklab.finite.training` to share compiled code across widths) give the same
    outputs. Each copy uses plain 2-D products
    (faster code than a batch axis). ASI's output is computed in difference form, exactly
    0.0 whenever θ′ = θ (module docstring).
    """
    z = jax.nn.relu(_hidden(params, 0, norms, x))
    if params.trick == "asi":
        # f(θ) − f(θ′) = ((a − a′)·z + a′·(z − z′))/√m_L + (c − c′): never a difference of two
        # separately rounded outputs, so exactly 0 when the copies are equal (module docstring)
        z1 = jax.nn.relu(_hidden(params, 1, norms, x))
        out = (z @ (params.a[0] - params.a[1]) + (z - z1) @ params.a[1]) * norms[-1]
        c = None if params.c is None else params.c[0] - params.c[1]
    else:
        out = (z @ params.a[0]) * norms[-1]
        c = None if params.c is None else params.c[0]
    if c is not None:
        out = out + c
    return _coef(params.trick)[0] * out


def _check_params(params):
    if not isinstance(params, Params):
        raise ValueError(f"params must be ntklab Params from init_params, got {type(params)}")
    return params


def _points(x, dtype):
    """x as a 1-D JAX array of ``dtype``. Concrete input is validated by ``as_points``
    (1-D, 1 to 200 000 finite numbers); a tracer (inside ``jit``, ``grad``, ``vmap``) has no
    values to check, only its shape."""
    if not isinstance(x, jax.core.Tracer):
        return jnp.asarray(as_points(x, "x"), dtype=dtype)
    if x.ndim > 1:
        raise ValueError(f"x must be 1-D of shape (n,), got shape {x.shape}")
    x = jnp.reshape(x, (-1,))
    if x.shape[0] < 1:
        raise ValueError("x must have between 1 and 200000 points, got 0")
    return x.astype(dtype)


@jax.jit
def _apply(params, x):
    return forward(params, layer_norms(params), x)


def apply(params, x):
    """Network outputs f(x; θ) = Σ_c γ_c f(x; θ_c), a JAX array of shape (n,) in the
    parameters' dtype (float64 from :func:`init_params`), for inputs x of shape (n,) (a
    scalar is one point).

    Works inside ``jax.jit``, ``jax.grad`` (with respect to ``params``, a pytree, or x),
    ``jax.jacobian`` and ``jax.vmap``; x is validated when it is concrete.

    >>> p = init_params(0, 8)
    >>> g = jax.grad(lambda q: 0.5 * jnp.sum((apply(q, [0.0, 1.0]) - 1.0) ** 2))(p)
    >>> g.a.shape == p.a.shape
    True
    """
    params = _check_params(params)
    return _apply(params, _points(x, params.a.dtype))


def linearize(params0):
    """The linearized model around θ₀ as a function ``f_lin(params, x)`` (Lee et al. 2019,
    "Wide neural networks of any depth evolve as linear models under gradient descent")::

        f_lin(x; θ) = f(x; θ₀) + ∇_θ f(x; θ₀)·(θ − θ₀)

    computed with one forward-mode product (``jax.jvp``): the n × P Jacobian is never
    formed. ``params`` must have the same structure (trick, widths) as ``params0``.
    ``f_lin`` works inside ``jax.jit``, ``jax.grad``, ``jax.jacobian`` and ``jax.vmap``
    like :func:`apply`; its gradient in θ is ∇_θ f(x; θ₀) at every θ.

    >>> p0 = init_params(1, 16)
    >>> f_lin = linearize(p0)
    >>> bool(jnp.allclose(f_lin(p0, [0.5]), apply(p0, [0.5])))
    True
    """
    params0 = _check_params(params0)

    def f_lin(params, x):
        params = _check_params(params)
        if jax.tree_util.tree_structure(params) != jax.tree_util.tree_structure(params0) or any(
            p.shape != q.shape
            for p, q in zip(jax.tree_util.tree_leaves(params), jax.tree_util.tree_leaves(params0),
                            strict=True)
        ):
            raise ValueError("params must have the same trick and widths as params0 (and its "
                             "parameterization)")
        return _f_lin(params0, params, _points(x, params0.a.dtype))

    return f_lin


@jax.jit
def _f_lin(params0, params, x):
    norms = layer_norms(params0)
    delta = jax.tree_util.tree_map(jnp.subtract, params, params0)
    f0, df = jax.jvp(lambda p: forward(p, norms, x), (params0,), (delta,))
    return f0 + df


def as_numpy(params):
    """``params`` with every array as float64 numpy (for numpy code such as
    :mod:`ntklab.finite.empirical`)."""
    return jax.tree_util.tree_map(lambda t: np.asarray(t, dtype=np.float64), params)
