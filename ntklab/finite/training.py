"""Full-batch gradient descent of a net and of its linearization, side by side (docs/science.md §2).

Both start from the same θ₀ and minimize L(θ) = ½ Σ_i (f(x_i; θ) − y_i)² (a sum) with
θ ← θ − η_k ∇L(θ); time is t = Σ_k η_k, which is η·steps for a fixed step. The linearized
model is
f_lin(x; θ) = f(x; θ₀) + J₀(x)·(θ − θ₀), J₀ = ∇_θ f(·; θ₀) (Lee et al. 2019, "Wide neural
networks of any depth evolve as linear models under gradient descent").

The net steps in weight space with reverse-mode autodiff. The linearization steps in
function space: its GD step θ ← θ − η J₀(X)ᵀ r (r = f_lin(X) − Y) changes its outputs by
exactly −η K₀(·, X) r with K₀ the empirical NTK at θ₀ (:mod:`ntklab.finite.empirical`), so the
iterates are those of weight-space GD to round-off (``tests/finite/test_train.py`` checks this
against GD through :func:`ntklab.linearize`) at O(n²) per step instead of O(nP);
‖θ_t − θ₀‖ = √(Rᵀ K₀ R) with R = Σ_k η_k r_k the step-weighted sum of past residuals.

Design choices:

* Compiled chunks: ``jit`` + ``lax.scan`` over a fixed number of steps per call (a power of
  two sized from the work per step, so that a chunk takes a fraction of a second); a
  ``lax.cond`` skips the tail of a chunk, so the number of steps and the recording steps
  never trigger a recompile. Between chunks the progress callback runs and early stop is
  checked.
* Width buckets: each hidden layer is zero-padded to the next size in
  {8, 12, 16, 24, 32, 48, ..., 2048} (powers of two and 1.5× powers of two; at most 50 %
  extra work), and above 2048 to the next multiple of 512 (at most 25 %); the 1/√m
  normalizations are passed as traced numbers with the true widths.
  Zero-padded units have zero pre-activation, relu(0) = 0 and relu'(0) = 0, so they stay
  exactly zero and inert under GD for the net and its linearization alike: no mask is
  needed. Training and evaluation points are padded the same way, with a 0/1 mask in the
  loss. A slider over widths thus compiles once per bucket, not once per position.
* Precision: training runs in float32 by default, because float64 missed the issue's
  speed targets on the shared 2-core CPU (m = 4096, n = 20, 4000 steps: about 3.7 s in
  float64 against 1.5 s in float32; ``benchmarks/bench_finite.py``). ``dtype="float64"``
  is available and is what the scaling experiments in :mod:`ntklab.lazy` and the exact
  tests use. The analysis is always float64: the empirical NTK K₀, λ_max and the default
  η; results are returned as float64 arrays.
* Ensembles: a list of parameter sets (for example one per seed) trains together under
  ``vmap``, with one shared learning rate, so that all members run on one clock t.
* Default learning rate: η = 1/λ_max, where λ_max is the largest eigenvalue of the
  empirical NTK K₀(X, X) at init (largest over an ensemble): half the stability bound
  η < 2/λ_max, leaving room for the kernel's drift during training. It is reported back.
* Adaptive step (``lr="adaptive"``): η_k = lr_factor/λ_max(K_t(X, X)) of the net's current
  empirical NTK, re-estimated every ``lr_every`` steps (default :data:`LR_EVERY`), for nets
  whose kernel grows during training (small init, mean-field and condensed regimes:
  6×–170×), where 1/λ_max(K₀) becomes unstable and the fit stalls. λ_max(K_t) is
  computed on the device inside the compiled chunk by the Lanczos method with
  :data:`KRYLOV_DIM` products K_t q = J (Jᵀ q) (one forward-mode and one reverse-mode
  product each, never the n × P Jacobian), warm-started from the previous top eigenvector
  (at step 0: the exact one of K₀, whose float64 λ_max gives the first step, as for
  ``lr=None``). Measured: within 1e-8 of numpy's eigvalsh of the empirical NTK, for 3–5
  GD steps' work per estimate (6–10 % of 50 steps). The kernel can outgrow the step between
  estimates (from s = 0.1 it grows 5× in the first step), so as a guard, a step that
  would follow one that raised the loss (by more than :data:`_RISE`) is not taken and
  λ_max is re-estimated at once (if that estimate finds the kernel no larger, the rise was
  not instability and the guard rests until the next scheduled estimate). For an
  ensemble, λ_max is the largest over the members (as for the fixed step,
  :func:`shared_lr`), so members share the step sequence and the clock; a guarded step is
  skipped for all members. The linearization steps with the same sequence η_k (on the
  same clock as the net), with its fixed kernel K₀: it is stable while
  lr_factor·λ_max(K₀)/λ_max(K_t) < 2, which holds when the net's kernel grows. Time is the
  cumulative t = Σ_k η_k; the estimates and steps are reported (:class:`TrainResult`).
* The Hessian's bound (``lr_bound="hessian"``, two-layer nets): the loss Hessian is
  H = JᵀJ + Σ_i r_i ∇²f(x_i); its first part has the norm λ_max(K) and the second, for
  f = (1/α) Σ_k a_k relu(w_k x + b_k), is block-diagonal over neurons with blocks
  (1/α)·[[0, g_kᵀ], [g_k, 0]] coupling a_k with (w_k, b_k), g_k = Σ_i r_i 1[h_ik > 0](x_i, 1),
  of norm λ_res = max_k ‖g_k‖/α. The step is then lr_factor/(λ_max(K) + λ_res), at most
  lr_factor/‖H‖ since ‖H‖ ≤ λ_max(K) + λ_res. From a small init (the condensed regime of
  Luo, Xu, Ma & Zhang 2021) λ_res is the larger by far (√m-fold at γ = 3/2 at init): a and
  (w, b) grow together out of the saddle at θ = 0 at the rate ‖g_k‖/α, which the kernel
  alone does not see, so a step 1/λ_max(K_t) is hundreds of times that rate's time scale
  and GD does not follow gradient flow (the relative change of (w, b) then depended on
  lr_factor by 10–30 %; docs/science.md §3.11).
"""

from __future__ import annotations

import dataclasses
import functools
import numbers
from collections.abc import Callable
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from ..analytic.dynamics import default_lr
from ..analytic.validate import as_int, as_points, as_positive, as_vector, check_memory
from .empirical import empirical_ntk, empirical_ntk_padded
from .model import Params, forward, n_params, width_norms

__all__ = ["KRYLOV_DIM", "LR_EVERY", "Progress", "TrainResult", "bucket_size", "shared_lr",
           "train"]

LR_EVERY = 50  # default steps between re-estimates of λ_max(K_t) for lr="adaptive"
KRYLOV_DIM = 4  # products K q per estimate (Lanczos, warm-started): 3–5 GD steps' work
_RISE = 1e-3  # the guard's relative loss rise: above float32 round-off of the loss
_MIN_BUCKET = 8
_COARSE_UNTIL, _FINE_STEP = 2048, 512  # wide nets: pad by at most 512 units (≤ 25 %)
_CHUNK_FLOPS = 3e8  # work per compiled chunk: about 0.05–0.2 s on one CPU core
_MAX_CHUNK = 1024
_RECORD_FLOATS = 6  # floats kept per record, evaluation point and net (with slack)


def bucket_size(m: int) -> int:
    """Smallest size ≥ m in {8, 12, 16, 24, 32, 48, ..., 2048} (2^k and 3·2^(k−1)), and
    above 2048 the next multiple of 512 (so the m = 5000 of Fig. 1.4 in Xu's lecture notes
    pads to 5120, not 6144)."""
    m = max(int(m), _MIN_BUCKET)
    if m > _COARSE_UNTIL:
        return -(-m // _FINE_STEP) * _FINE_STEP
    p = 1 << (m - 1).bit_length()  # next power of two ≥ m
    return 3 * p // 4 if 3 * p // 4 >= m else p


class Progress(NamedTuple):
    """What the progress callback receives between chunks.

    ``loss_net`` and ``loss_lin`` are ½Σ(f − y)² at the last step taken (mean over an
    ensemble); ``loss_lin`` is NaN when the linearization is not trained.

    ``record_step``, ``f_net`` and ``f_lin`` are the latest *recorded* state (the step and
    the outputs on ``x_eval``, float64, shape (n_eval,) or (E, n_eval) for an ensemble), so
    that a caller can draw the outputs while training runs; ``None`` before the first record
    (``f_lin`` also without the linearization). The arrays are the ones the result will
    hold: read them, don't change them.

    ``t`` is the time Σ η_k reached at ``step`` and ``lr`` the step η in use (with
    ``lr="adaptive"`` t is not η·step). ``loss_worst`` is the largest member's ``loss_net``
    (equal to it for one net); ``params`` the latest recorded parameters when
    ``train(..., record_params=True)`` (as in :attr:`TrainResult.params_record`), else None.
    """

    step: int
    steps: int
    loss_net: float
    loss_lin: float
    record_step: int | None = None
    f_net: np.ndarray | None = None
    f_lin: np.ndarray | None = None
    t: float | None = None
    lr: float | None = None
    loss_worst: float | None = None
    params: object = None


@dataclasses.dataclass(frozen=True)
class TrainResult:
    """Recorded training history (numpy arrays). With an ensemble of E nets every
    per-net array gains a leading axis of length E.

    Attributes:
        steps: GD steps at which records were taken, shape (R,).
        t: times at the records, shape (R,): t = Σ_k η_k over the steps taken, which is
            ``lr·steps`` for a fixed step.
        lr: the step η used; with ``lr="adaptive"`` the first step, lr_factor/λ_max(K₀).
        lam_max: λ_max of K₀(X, X) at init (max over the ensemble).
        x_eval: evaluation points, shape (n_eval,).
        f_net, f_lin: outputs on x_eval of the net and of its linearization, (R, n_eval).
        loss_net, loss_lin: ½Σ_i (f(x_i) − y_i)² on the training points, shape (R,).
        weight_change_net, weight_change_lin: ‖θ_t − θ₀‖/‖θ₀‖ (all parameters), (R,).
        input_change_net: ‖θ_w(t) − θ_w(0)‖/‖θ_w(0)‖ of the net's first-layer weights and
            biases θ_w = (w, b) alone, shape (R,): Luo et al.'s RD (its largest value over
            the records estimates their sup over t; docs/science.md §3.11).
        kernel_drift: ‖K_t − K₀‖_F/‖K₀‖_F of the net's empirical NTK on the training
            points, shape (R,), or ``None`` when not asked for.
        completed: False when stopped early (callback, event or divergence).
        diverged: True when a loss became non-finite (η too large).
        dtype: training precision, ``"float64"`` or ``"float32"``.
        params: the trained parameters, to inspect or to train on from (``train(res.params,
            ...)`` with the same ``lr`` continues the run): :class:`Params` of the true
            (unpadded) widths, as float64 JAX arrays like :func:`ntklab.init_params` gives
            (after float32 training they hold float32 values); for an ensemble a list of
            them, one per member in the order given. They are θ after ``params_step`` steps.
        params_step: GD steps taken by ``params``: ``steps`` when completed; when stopped
            early, the steps of the last completed chunk (at or after the last record);
            when diverged, those of the chunk in which a loss became non-finite (``params``
            may then hold inf or NaN).
        adaptive: True for ``lr="adaptive"``.   lr_every: its re-estimation period, or
            ``None``.
        lr_record: the step η_k of the last step taken before each record (at step 0: of
            the first step), shape (R,); constant for a fixed step.
        estimate_steps: the steps at which λ_max(K_t(X, X)) was estimated and the step set,
            shape (J,): 0, then (adaptive) every ``lr_every`` steps and after guarded steps;
            η = estimate_lr[j] for the steps from estimate_steps[j] to the next one.
        estimate_lam_max: those λ_max, shape (J,) (per member for an ensemble: (E, J));
            at step 0 exact (float64 eigenvalues of K₀), later by the Lanczos method in
            the training precision.
        estimate_lr: the step set at each estimate, lr_factor/max over members, shape (J,).
        lr_bound: ``"kernel"`` or ``"hessian"`` (what the step's λ_max bounds).
        params_record: with ``record_params=True``, the parameters at every record (a list
            of R :class:`Params`, or for an ensemble of R lists, one per member), else None.
    """

    steps: np.ndarray
    t: np.ndarray
    lr: float
    lam_max: float
    x_eval: np.ndarray
    f_net: np.ndarray
    f_lin: np.ndarray | None
    loss_net: np.ndarray
    loss_lin: np.ndarray | None
    weight_change_net: np.ndarray
    weight_change_lin: np.ndarray | None
    input_change_net: np.ndarray
    kernel_drift: np.ndarray | None
    completed: bool
    diverged: bool
    dtype: str
    params: Params | list[Params]
    params_step: int
    adaptive: bool = False
    lr_every: int | None = None
    lr_record: np.ndarray | None = None
    estimate_steps: np.ndarray | None = None
    estimate_lam_max: np.ndarray | None = None
    estimate_lr: np.ndarray | None = None
    lr_bound: str = "kernel"
    params_record: list | None = None


# ---------------------------------------------------------------- padding to width buckets


def _pad_params(p: Params, widths) -> Params:
    """Zero-pad every hidden layer of ``p`` to ``widths`` units (labelled ``"ntk"`` whatever
    ``p``'s parameterization: the normalizations travel separately, see :func:`_unpad`)."""
    def pad(arr, axes):
        cfg = [(0, 0)] * arr.ndim
        for axis, target in axes:
            cfg[axis] = (0, target - arr.shape[axis])
        return jnp.pad(arr, cfg)

    w = [pad(p.w[0], [(1, widths[0])])]
    w += [pad(p.w[i], [(1, widths[i]), (2, widths[i - 1])]) for i in range(1, len(p.w))]
    b = [pad(bl, [(1, m)]) for bl, m in zip(p.b, widths, strict=True)]
    return Params(w=tuple(w), b=tuple(b), a=pad(p.a, [(1, widths[-1])]), c=p.c, trick=p.trick)


def _pad_points(v, size):
    return np.concatenate([v, np.zeros(size - v.shape[0])])


# ---------------------------------------------------------------- compiled pieces


def _tree_sub(p, q):
    return jax.tree_util.tree_map(jnp.subtract, p, q)


def _sq_norm(tree):
    return sum(jnp.sum(leaf * leaf) for leaf in jax.tree_util.tree_leaves(tree))


def _step_one(tn, lin, last, norms, X, Y, mask, K0, KE, lr, guard, linear, axis):
    """One GD step of a net and of its linearization; the losses are those before it.

    The net steps in weight space, θ ← θ − η J(θ)ᵀ r. The linearization steps in function
    space: f_lin is linear in θ with Jacobian J₀, so θ ← θ − η J₀ᵀ r moves its outputs by
    −η K₀(·, X) r, K₀ = J₀ J₀ᵀ. These are the same GD iterates (to round-off) at O(n²)
    instead of O(nP); ``lin`` = (f_lin(X), f_lin(x_eval), R = Σ_k η_k r_k).

    ``guard`` (``None``: none): when set and the net's loss exceeds ``last`` by the relative
    :data:`_RISE` (for any member: ``axis`` names the ensemble's vmap axis), the step is not
    taken (η = 0, which leaves θ and lin unchanged exactly). Returns (θ, lin, loss_net,
    loss_lin, held).
    """
    f, pull = jax.vjp(lambda th: forward(th, norms, X), tn)
    r = (f - Y) * mask
    loss_n = 0.5 * jnp.sum(r * r)
    held = jnp.zeros((), bool)
    if guard is not None:
        held = guard & (loss_n > last * (1.0 + _RISE))
        if axis is not None:  # any member
            held = jax.lax.pmax(held.astype(jnp.int32), axis) > 0
        lr = jnp.where(held, jnp.zeros_like(lr), lr)
    (g,) = pull(r)
    tn = jax.tree_util.tree_map(lambda p, d: p - lr * d, tn, g)
    loss_l = jnp.asarray(jnp.nan, r.dtype)
    if linear:
        fX, fE, R = lin
        rl = (fX - Y) * mask
        lin = (fX - lr * (K0 @ rl), fE - lr * (KE @ rl), R + lr * rl)
        loss_l = 0.5 * jnp.sum(rl * rl)
    return tn, lin, loss_n, loss_l, held


def _top_eig_one(tn, v, norms, X, mask, dim):
    """λ_max of the empirical NTK K = J Jᵀ on the (unmasked) training points and its unit
    eigenvector, by the Lanczos method: the Rayleigh–Ritz values of K on the Krylov space
    span{v, K v, ..., K^(dim−1) v} (orthonormalized twice at every step, as in "full
    reorthogonalization"), from ``dim`` products K q.

    K q = J (Jᵀ q) is one forward-mode and one reverse-mode product through the net, never
    the n × P Jacobian. The Ritz value never exceeds λ_max, and it converges much faster
    than power iteration's ‖K v‖ (which missed λ_max by up to 1e-3 after three warm-started
    steps on small nets whose kernel grows quickly; 4 Lanczos products: below 1e-9).
    """
    _, jvp = jax.linearize(lambda th: forward(th, norms, X), tn)
    vjp = jax.linear_transpose(jvp, tn)

    def unit(w, fallback):
        norm = jnp.linalg.norm(w)
        return jnp.where(norm > 0, w / jnp.where(norm > 0, norm, 1.0), fallback), norm

    q0, _ = unit(v * mask, mask / jnp.sqrt(jnp.sum(mask)))
    Q = jnp.zeros((dim + 1, X.shape[0]), X.dtype).at[0].set(q0)
    KQ = jnp.zeros((dim, X.shape[0]), X.dtype)
    for i in range(dim):  # dim is small and static: unrolled
        (u,) = vjp(Q[i])
        w = jvp(u) * mask
        KQ = KQ.at[i].set(w)
        for _ in range(2):  # project out the basis so far, twice for round-off
            w = w - Q.T @ (Q @ w)
        Q = Q.at[i + 1].set(unit(w, jnp.zeros_like(w))[0])  # 0 on breakdown: K q ∈ span
    T = Q[:dim] @ KQ.T  # T_ij = q_i·K q_j, the projection of K on the Krylov space
    lam, V = jnp.linalg.eigh(0.5 * (T + T.T))
    return lam[-1], V[:, -1] @ Q[:dim]


def _members(fn, single, in_axes):
    """``fn`` over the ensemble axis (leading axis of the arguments with in_axes 0): ``vmap``
    with the axis name ``"members"``, or for a single net the unbatched ``fn``, which
    compiles to faster code."""
    if not single:
        return jax.vmap(fn, in_axes=in_axes, axis_name="members")

    def call(*args):
        first = [jax.tree_util.tree_map(lambda a: a[0], x) if ax == 0 else x
                 for x, ax in zip(args, in_axes, strict=True)]
        return jax.tree_util.tree_map(lambda a: a[None], fn(*first))

    return call


def _residual_one(tn, norms, X, Y, mask):
    """λ_res = max_k ‖g_k‖/α, g_k = Σ_i r_i 1[h_ik > 0](x_i, 1): the norm of the residual
    part Σ_i r_i ∇²f(x_i) of the loss Hessian of a two-layer net (module docstring)."""
    h = X[:, None] * tn.w[0][0] + tn.b[0][0]
    r = (forward(tn, norms, X) - Y) * mask
    on = (h > 0).astype(X.dtype)
    g_w, g_b = (r * X) @ on, r @ on
    return jnp.sqrt(jnp.max(g_w * g_w + g_b * g_b)) * norms[-1]


def _residual_curvature(p, norms64, x, y):
    """:func:`_residual_one` at θ₀ in float64 numpy."""
    w, b, a = (np.asarray(t[0], dtype=np.float64) for t in (p.w[0], p.b[0], p.a))
    h = np.multiply.outer(x, w) + b
    on = (h > 0).astype(np.float64)
    r = (np.maximum(h, 0.0) @ a) * norms64[-1] - y
    return float(np.sqrt(np.max(((r * x) @ on) ** 2 + (r @ on) ** 2)) * norms64[-1])


@functools.partial(jax.jit, static_argnames=("length", "linear", "adaptive", "hessian"))
def _chunk(tn, lin, v, last, norms, X, Y, mask, K0, KE, lr, k, estimate, guard, factor, *,
           length, linear, adaptive, hessian=False):
    """Up to ``length`` GD steps (the first ``k`` taken) of every member, with the shared
    step ``lr``.

    Adaptive (``adaptive``): when ``estimate`` is set, λ_max of every member's current
    kernel is first estimated (warm-started from the eigenvectors ``v``) and the step becomes
    ``factor``/max over members (kept when that is not a positive number; with ``hessian``,
    ``factor``/max over members of λ_max + λ_res, :func:`_residual_one`); with ``guard``
    set, a step is not taken (and the chunk ends) once some member's loss before it exceeds
    its loss before the previous step (``last``) by the relative :data:`_RISE`.

    ``last`` = (net's, linearization's) losses before the last step taken, per member.
    Returns (θ, lin, v, last, taken, lam, lr): ``taken`` the number of steps taken, ``lam``
    the estimates (NaN when none was made).
    """
    single = K0.shape[0] == 1
    axis = None if single else "members"
    step_all = _members(
        lambda t, li, la, k0, ke, lr_, g: _step_one(
            t, li, la, norms, X, Y, mask, k0, ke, lr_, g if adaptive else None, linear, axis),
        single, (0, 0, 0, 0, 0, None, None))
    nan = jnp.full(K0.shape[0], jnp.nan, Y.dtype)
    lam = nan
    if adaptive:
        top_all = _members(lambda t, u: _top_eig_one(t, u, norms, X, mask, KRYLOV_DIM),
                           single, (0, 0))

        res_all = _members(lambda t: _residual_one(t, norms, X, Y, mask), single, (0,))

        def fresh(_):
            lam_e, v_e = top_all(tn, v)
            top = jnp.max(lam_e + res_all(tn)) if hessian else jnp.max(lam_e)
            return lam_e, v_e, jnp.where(jnp.isfinite(top) & (top > 0), factor / top, lr)

        lam, v, lr = jax.lax.cond(estimate, fresh, lambda _: (nan, v, lr), None)
        last = (jnp.where(estimate, jnp.inf, last[0]), last[1])  # compare within one step

    def take(carry):
        tn, lin, last_n, last_l, taken, _ = carry
        tn, lin, loss_n, loss_l, held = step_all(tn, lin, last_n, K0, KE, lr, guard)
        held = held[0]  # the same for every member
        return (tn, lin, jnp.where(held, last_n, loss_n), jnp.where(held, last_l, loss_l),
                taken + jnp.where(held, 0, 1), held)

    def body(carry, i):  # a scan, not a while_loop: at length 1 (wide nets) it compiles
        go = (i < k) & ~carry[-1]  # to straight code, a while_loop copies the carry
        return jax.lax.cond(go, take, lambda c: c, carry), None

    carry = (tn, lin, *last, jnp.zeros((), jnp.int32), jnp.zeros((), bool))
    (tn, lin, last_n, last_l, taken, _), _ = jax.lax.scan(body, carry, jnp.arange(length))
    return tn, lin, v, (last_n, last_l), taken, lam, lr


def _record_one(tn, lin, th0, norms, X, Y, mask, Xe, K0):
    """Outputs on the evaluation points, losses and relative weight changes of both models,
    and the relative change of the net's first layer (w, b) alone (RD).

    For the linearization θ_t − θ₀ = −J₀ᵀ Σ_k η_k r_k = −J₀ᵀ R, so ‖θ_t − θ₀‖ = √(Rᵀ K₀ R).
    """
    fX, fE, R = lin
    rn = (forward(tn, norms, X) - Y) * mask
    rl = (fX - Y) * mask
    norm0 = jnp.sqrt(_sq_norm(th0))
    change_net = jnp.sqrt(_sq_norm(_tree_sub(tn, th0))) / norm0
    change_lin = jnp.sqrt(jnp.maximum(R @ (K0 @ R), 0.0)) / norm0
    return (forward(tn, norms, Xe), 0.5 * jnp.sum(rn * rn), change_net,
            fE, 0.5 * jnp.sum(rl * rl), change_lin,
            jnp.sqrt(_sq_norm(_tree_sub(_input(tn), _input(th0))) / _sq_norm(_input(th0))))


def _input(th):
    """The first layer's weights and biases θ_w = (w, b) (zero padding adds nothing)."""
    return (th.w[0], th.b[0])


@jax.jit
def _record(tn, lin, th0, norms, X, Y, mask, Xe, K0):
    axes = (0, 0, 0, None, None, None, None, None, 0)
    return jax.vmap(_record_one, in_axes=axes)(tn, lin, th0, norms, X, Y, mask, Xe, K0)


# ---------------------------------------------------------------- driver


def _check_ensemble(params):
    members = [params] if isinstance(params, Params) else list(params)
    if not members or not all(isinstance(p, Params) for p in members):
        raise ValueError("params must be Params from init_params or a non-empty list of them")
    shapes = [[leaf.shape for leaf in jax.tree_util.tree_leaves(p)] for p in members]
    if any(s != shapes[0] for s in shapes) or any(
            (p.trick, p.parameterization) != (members[0].trick, members[0].parameterization)
            for p in members):
        raise ValueError("every member of an ensemble must have the same widths, depth, trick "
                         "and parameterization")
    return members


def _record_steps(record, steps):
    if isinstance(record, numbers.Integral) and not isinstance(record, bool):
        count = as_int(record, "record", 2, 100_000)
        return np.unique(np.round(np.linspace(0, steps, count)).astype(np.int64))
    try:
        arr = np.asarray(record)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"record must be a count or a list of steps, got {record!r:.60}") from exc
    if arr.ndim != 1 or arr.size == 0 or not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(f"record must be a count or a 1-D list of integer steps, got {arr!r:.60}")
    if arr.min() < 0 or arr.max() > steps:
        raise ValueError(f"record steps must lie in [0, {steps}], got {arr.min()}..{arr.max()}")
    return np.unique(arr.astype(np.int64))


def _chunk_length(n_b, widths, copies):
    """Steps per compiled chunk: a power of two with about _CHUNK_FLOPS of work."""
    flops = 6.0 * n_b * n_params(widths, copies)
    k = max(1, int(_CHUNK_FLOPS / max(flops, 1.0)))
    return min(_MAX_CHUNK, 1 << (k.bit_length() - 1))


def _check_lr(lr, lr_every, lr_factor):
    """(fixed step or None, adaptive, lr_every, lr_factor) from train's arguments."""
    if isinstance(lr, str):
        if lr != "adaptive":
            raise ValueError(f"lr must be None, a positive number or 'adaptive', got {lr!r:.60}")
        adaptive, lr = True, None
    else:
        adaptive = False
        if lr is not None:
            if isinstance(lr, bool) or not isinstance(lr, numbers.Real):
                raise ValueError(
                    f"lr must be None, a positive number or 'adaptive', got {lr!r:.60}")
            lr = as_positive(lr, "lr", hi=1e6)
    if lr_every is not None and not adaptive:
        raise ValueError("lr_every applies only to lr='adaptive'")
    lr_every = as_int(LR_EVERY if lr_every is None else lr_every, "lr_every", 1, 1_000_000)
    lr_factor = as_positive(lr_factor, "lr_factor", hi=1.99)
    if lr is not None and lr_factor != 1.0:
        raise ValueError("lr_factor applies only to lr=None or lr='adaptive', not to a given step")
    return lr, adaptive, (lr_every if adaptive else None), lr_factor


def _top_eigen(K):
    """λ_max and its unit eigenvector of a symmetric matrix (float64)."""
    lam, V = np.linalg.eigh(K)
    return float(lam[-1]), V[:, -1]


def train(
    params,
    x,
    y,
    *,
    x_eval=None,
    steps: int = 1000,
    lr: float | str | None = None,
    lr_every: int | None = None,
    lr_factor: float = 1.0,
    lr_bound: str = "kernel",
    record=101,
    linear: bool = True,
    kernel_drift: bool = False,
    record_params: bool = False,
    progress: Callable[[Progress], object] | None = None,
    stop=None,
    dtype: str = "float32",
) -> TrainResult:
    """Train a net and its linearization from the same θ₀ by full-batch GD.

    Args:
        params: θ₀ from :func:`ntklab.init_params` (any parameterization), or a list of
            them (an ensemble, e.g. one per seed, trained together with ``vmap``; same
            widths, trick and parameterization).
        x, y: training points X and targets Y, shape (n,).
        x_eval: points where outputs are recorded, shape (n_eval,); ``None`` means x.
        steps: number of GD steps (time t = Σ_k η_k, which is lr·steps for a fixed step).
        lr: the step η: a positive number (fixed); ``None`` (default) for the fixed
            lr_factor/λ_max(K₀(X, X)) (stable: η < 2/λ_max); or ``"adaptive"`` for
            η_k = lr_factor/λ_max(K_t(X, X)) of the current kernel, re-estimated every
            ``lr_every`` steps (module docstring: for nets whose kernel grows in training,
            e.g. from a small init scale; the linearization follows the same η_k).
            For an ensemble λ_max is the largest over the members (:func:`shared_lr`).
        lr_every: steps between estimates for ``lr="adaptive"`` (default :data:`LR_EVERY`;
            an error with another ``lr``).
        lr_factor: the step is lr_factor/λ_max (``lr=None`` or ``"adaptive"``; stable for
            lr_factor < 2, which is enforced).
        lr_bound: ``"kernel"`` (default): λ_max is the NTK's; ``"hessian"``: λ_max(K) + λ_res,
            a bound on the loss Hessian's norm (module docstring), for two-layer nets without
            trick; with ``lr=None`` at init, with ``"adaptive"`` at every estimate.
        record: number of evenly spaced recording steps (0 and ``steps`` included), or
            the list of steps at which to record.
        linear: also train the linearized model (``False`` skips it and K₀(x_eval, X)).
        kernel_drift: record ‖K_t − K₀‖_F/‖K₀‖_F of the net on the training points.
        record_params: keep the parameters at every record (:attr:`TrainResult.params_record`,
            and the latest in :attr:`Progress.params`), e.g. to draw neurons moving.
        progress: called as ``progress(Progress(...))`` between compiled chunks (at least
            every record, and as often as without ``lr="adaptive"``), from the calling
            thread; returning ``False`` stops training early.
        stop: an object with ``is_set()`` (e.g. ``threading.Event``); training stops at the
            next chunk boundary once it is set.
        dtype: ``"float32"`` (default, for speed) or ``"float64"`` for training.

    Continuing a run: ``train(res.params, ...)`` starts a new clock at t = 0 (add
    ``res.t[-1]``); with ``lr="adaptive"`` it estimates λ_max afresh at once, so it equals
    the longer run when ``res.params_step`` is a multiple of ``lr_every`` (and no guarded
    step fell in between).

    Returns:
        :class:`TrainResult`, truncated to the records taken when stopped early.
    """
    members = _check_ensemble(params)
    ensemble = not isinstance(params, Params)
    x = as_points(x, "x", max_len=20_000)
    n = x.shape[0]
    y = as_vector(y, "y", n)
    x_eval = x if x_eval is None else as_points(x_eval, "x_eval", max_len=200_000)
    steps = as_int(steps, "steps", 0, 100_000_000)
    rec = _record_steps(record, steps)
    lr, adaptive, lr_every, lr_factor = _check_lr(lr, lr_every, lr_factor)
    if lr_bound not in ("kernel", "hessian"):
        raise ValueError(f"lr_bound must be 'kernel' or 'hessian', got {lr_bound!r:.60}")
    hessian = lr_bound == "hessian"
    if dtype not in ("float64", "float32"):
        raise ValueError(f"dtype must be 'float64' or 'float32', got {dtype!r:.60}")
    for name, flag in (("linear", linear), ("kernel_drift", kernel_drift),
                       ("record_params", record_params)):
        if not isinstance(flag, bool):
            raise ValueError(f"{name} must be True or False, got {flag!r:.60}")

    p0 = members[0]
    widths = p0.widths
    if hessian and (p0.depth != 1 or p0.trick is not None):
        raise ValueError("lr_bound='hessian' is for two-layer nets without trick, got depth "
                         f"{p0.depth}, trick {p0.trick!r}")
    if hessian and lr is not None:
        raise ValueError("lr_bound applies only to lr=None or lr='adaptive', not to a given step")
    copies = len(p0.coef)
    E = len(members)
    padded = tuple(bucket_size(m) for m in widths)
    n_b, ne_b = bucket_size(n), bucket_size(x_eval.shape[0])
    n_par = n_params(padded, copies)
    check_memory(
        E * (4 * n_par + 4 * copies * (n_b + ne_b) * sum(padded)
             + _RECORD_FLOATS * rec.size * ne_b + ne_b * n_b),
        f"training {E} net(s) of widths {widths} on {n} points",
    )

    # float64 analysis: the empirical NTK at init, its λ_max, and K₀(x_eval, X)
    norms64 = np.array(width_norms(widths, p0.parameterization))
    K0 = [empirical_ntk_padded(p, norms64, x) for p in members]
    own_lr = default_lr(*K0, factor=lr_factor)  # lr_factor/λ_max over the ensemble at init
    top0 = [_top_eigen(K) for K in K0]
    lam0 = np.array([lam for lam, _ in top0])
    lam_max = float(lam0.max())
    if hessian:  # lr_factor/(λ_max + λ_res), max over the ensemble
        own_lr = lr_factor / max(lam + _residual_curvature(p, norms64, x, y)
                                 for lam, p in zip(lam0, members, strict=True))
    lr = own_lr if lr is None else lr

    dt = jnp.float64 if dtype == "float64" else jnp.float32
    stacked = jax.tree_util.tree_map(
        lambda *leaves: jnp.stack(leaves).astype(dt), *[_pad_params(p, padded) for p in members]
    )
    th0 = tn = stacked
    norms = jnp.asarray(norms64, dt)
    X = jnp.asarray(_pad_points(x, n_b), dt)
    Y = jnp.asarray(_pad_points(y, n_b), dt)
    mask = jnp.asarray(np.arange(n_b) < n, dt)
    Xe = jnp.asarray(_pad_points(x_eval, ne_b), dt)
    if linear:
        K0_j = jnp.asarray(np.stack([_pad_kernel(K, n_b, n_b) for K in K0]), dt)
        KE_j = jnp.asarray(np.stack([
            _pad_kernel(empirical_ntk_padded(p, norms64, x_eval, x), ne_b, n_b) for p in members
        ]), dt)
    else:  # unused placeholders keep one code path
        K0_j, KE_j = jnp.zeros((E, n_b, n_b), dt), jnp.zeros((E, ne_b, n_b), dt)
    f0X = _forward_stacked(th0, norms, X)
    lin = (f0X, _forward_stacked(th0, norms, Xe), jnp.zeros_like(f0X))
    # adaptive state: top eigenvectors (warm start), the guard's last losses, the schedule
    v = jnp.asarray(np.stack([_pad_points(u, n_b) for _, u in top0]), dt)
    last = (jnp.full(E, jnp.inf, dt), jnp.full(E, jnp.nan, dt))
    factor_j = jnp.asarray(lr_factor, dt)
    lr_j = jnp.asarray(lr, dt)
    length = _chunk_length(n_b, padded, copies)  # steps per call, between progress calls
    # adaptive: chunks end at the estimates, so a shorter compiled length wastes fewer of
    # the skipped (but carry-copying) steps
    run_length = min(length, 1 << (lr_every - 1).bit_length()) if adaptive else length
    estimates = [(0, lam0, lr)]  # (step, λ_max per member, step set)
    next_estimate = lr_every if adaptive else steps + 1
    pending, guard, scheduled, lr_now, t_now = False, True, False, float(lr), 0.0
    rows, drift_rows, t_rows, lr_rows, param_rows = [], [], [], [], []
    done, called, completed, diverged = 0, 0, True, False

    def take_record():
        out = [np.asarray(o, dtype=np.float64)
               for o in _record(tn, lin, th0, norms, X, Y, mask, Xe, K0_j)]
        out[0], out[3] = out[0][:, : x_eval.shape[0]], out[3][:, : x_eval.shape[0]]
        rows.append(out)
        t_rows.append(t_now)
        lr_rows.append(lr_now)
        if record_params:
            kept = _unpad(tn, widths, E, p0.parameterization)
            param_rows.append(kept if ensemble else kept[0])
        if kernel_drift:
            drift_rows.append([
                np.linalg.norm(empirical_ntk_padded(_member(tn, i), norms64, x) - K0[i])
                / np.linalg.norm(K0[i]) for i in range(E)
            ])

    def latest():  # the newest record, as the progress callback sees it
        if not rows:
            return None, None, None
        pick = (lambda a: a) if ensemble else (lambda a: a[0])
        return (int(rec[len(rows) - 1]), pick(rows[-1][0]),
                pick(rows[-1][3]) if linear else None)

    for i, target in enumerate(rec):
        while done < target:
            scheduled = done >= next_estimate
            if scheduled or pending:  # estimate at the start of this chunk
                pending, next_estimate = True, done + lr_every
            k = min(run_length, int(min(target, next_estimate) - done))
            tn, lin, v, last, taken, lam, lr_j = _chunk(
                tn, lin, v, last, norms, X, Y, mask, K0_j, KE_j, lr_j, jnp.asarray(k),
                jnp.asarray(pending), jnp.asarray(guard), factor_j,
                length=run_length, linear=linear, adaptive=adaptive, hessian=hessian,
            )
            taken = int(taken)
            if pending:  # (a non-finite λ_max keeps the step and ends training below)
                lam = np.asarray(lam, dtype=np.float64)
                lr_new = float(lr_j)
                # a scheduled estimate re-arms the guard; a guard's estimate that finds no
                # larger kernel shows that the rise was not instability, so the guard rests
                # until the next scheduled estimate
                guard = scheduled or lr_new < 0.95 * lr_now
                estimates.append((done, lam, lr_new))
                lr_now, pending = lr_new, False
                diverged = not np.all(np.isfinite(lam))
            if taken < k:  # the guard stopped the chunk: estimate before the next step
                pending = True
            done += taken
            t_now = t_now + lr_now * taken if adaptive else lr * done  # t = Σ_k η_k
            ln, ll = float(jnp.mean(last[0])), float(jnp.mean(last[1]))
            if diverged or not np.isfinite(ln) or (linear and not np.isfinite(ll)):
                diverged = True
                break
            recorded = done == target
            if recorded:  # before the callback, so that it can show this record
                take_record()
            if progress is not None and (recorded or done - called >= length):
                called = done
                worst = float(jnp.max(last[0]))
                kept = param_rows[-1] if param_rows else None
                if progress(Progress(done, steps, ln, ll, *latest(), t_now, lr_now, worst,
                                     kept)) is False:
                    completed = False
            if stop is not None and stop.is_set():
                completed = False
            if not completed:
                break
        if diverged:
            break
        if len(rows) == i:  # this record is not taken yet
            if done < target:  # stopped between records
                break
            take_record()  # step 0, which no chunk reaches
        if not completed:
            break
    completed = completed and not diverged
    trained = _unpad(tn, widths, E, p0.parameterization)
    return _result(rows, drift_rows, rec[: len(rows)], t_rows, lr_rows, lr, lam_max, x_eval,
                   linear, kernel_drift, completed, diverged, dtype, ensemble, E,
                   params=trained if ensemble else trained[0], params_step=done,
                   adaptive=adaptive, lr_every=lr_every, estimates=estimates,
                   lr_bound=lr_bound, params_record=param_rows if record_params else None)


def shared_lr(nets, x, *, factor=1.0) -> float:
    """η = factor/λ_max over the empirical NTKs at init of all ``nets`` on the points x
    (:func:`ntklab.default_lr`): the one step with which several nets reach the same time
    t = η·steps, each stable for factor < 2. With one net it is :func:`train`'s default.
    ``train(nets, ..., lr="adaptive", lr_factor=factor)`` applies the same rule to the
    members' current kernels every ``lr_every`` steps (its first step is this one).
    """
    if isinstance(nets, Params):
        nets = [nets]
    return default_lr(*(empirical_ntk(p, x) for p in nets), factor=factor)


def _pad_kernel(K, rows, cols):
    return np.pad(K, [(0, rows - K.shape[0]), (0, cols - K.shape[1])])


@jax.jit
def _forward_stacked(th, norms, X):
    return jax.vmap(lambda t: forward(t, norms, X))(th)


def _unpad(tree, widths, E, parameterization):
    """Every member of a stacked, zero-padded ensemble as float64 Params of ``widths`` (the
    padded tree is always NTK-labelled: its normalizations are passed separately, so one
    compiled program serves every parameterization)."""
    def cut(arr, i, *sizes):  # member i, its axes after the copy axis cut to ``sizes``
        idx = (i, slice(None), *(slice(0, m) for m in sizes))
        return jnp.asarray(np.asarray(arr[idx], dtype=np.float64))

    out = []
    for i in range(E):
        w = [cut(tree.w[0], i, widths[0])]
        w += [cut(tree.w[k], i, widths[k], widths[k - 1]) for k in range(1, len(widths))]
        out.append(Params(
            w=tuple(w), b=tuple(cut(bl, i, m) for bl, m in zip(tree.b, widths, strict=True)),
            a=cut(tree.a, i, widths[-1]), c=None if tree.c is None else cut(tree.c, i),
            trick=tree.trick, parameterization=parameterization))
    return out


def _member(tree, i):
    """Member i of a stacked ensemble, as float64 Params (padded)."""
    return jax.tree_util.tree_map(lambda a: np.asarray(a[i], dtype=np.float64), tree)


def _result(rows, drift_rows, rec, t_rows, lr_rows, lr, lam_max, x_eval, linear,
            kernel_drift, completed, diverged, dtype, ensemble, E, *, params, params_step,
            adaptive, lr_every, estimates, lr_bound="kernel", params_record=None):
    ne = x_eval.shape[0]

    def col(i, tail):  # (E, R, *tail)
        if not rows:
            return np.empty((E, 0, *tail))
        return np.stack([r[i] for r in rows], axis=1)

    fields = dict(f_net=col(0, (ne,)), loss_net=col(1, ()), weight_change_net=col(2, ()))
    fields.update(
        f_lin=col(3, (ne,)) if linear else None,
        loss_lin=col(4, ()) if linear else None,
        weight_change_lin=col(5, ()) if linear else None, input_change_net=col(6, ()),
        estimate_lam_max=np.stack([lam for _, lam, _ in estimates], axis=1),
    )
    if kernel_drift:
        fields["kernel_drift"] = np.asarray(drift_rows, dtype=np.float64).reshape(-1, E).T
    else:
        fields["kernel_drift"] = None
    if not ensemble:
        fields = {k: None if v is None else v[0] for k, v in fields.items()}
    rec = np.asarray(rec, dtype=np.int64)
    return TrainResult(
        steps=rec, t=np.asarray(t_rows, dtype=np.float64), lr=float(lr), lam_max=lam_max,
        x_eval=x_eval, completed=completed, diverged=diverged, dtype=dtype, params=params,
        params_step=int(params_step), adaptive=adaptive, lr_every=lr_every, lr_bound=lr_bound,
        params_record=params_record,
        lr_record=np.asarray(lr_rows, dtype=np.float64),
        estimate_steps=np.array([k for k, _, _ in estimates], dtype=np.int64),
        estimate_lr=np.array([e for _, _, e in estimates], dtype=np.float64), **fields)
