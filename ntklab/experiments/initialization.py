"""Claim: the initial output stays in the trained function — under gradient flow in the
NTK regime the trained net is h(·; 0, X, Y) plus a prior term h_ini − h(·; 0, X, h_ini(X))
(eq. 1.14 of Xu's lecture notes, *Understanding deep learning*, 2023, §1.4) — unless the
initialization cancels it: the anti-symmetric initialization ASI (Zhang, Xu, Luo & Ma
2020) and the doubling trick (Chizat & Bach 2018) start from output 0; a large init scale
fits the training points but oscillates between them (docs/science.md §3).

Questions: :func:`trick_comparison` (plain, ASI, doubling and RND nets trained with one
shared step, beside eq. 1.14; Fig. 1.4) and :func:`init_scale_comparison` (large against
small init; Fig. 1.2). The Initialization dashboard, notebook 04, the ASI exercise and
``ntklab figures`` ask them at their own sizes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..analytic.data import make_dataset
from ..analytic.dynamics import PriorDecomposition, default_lr, prior_decomposition
from ..analytic.metrics import rmse
from ..analytic.validate import as_int, as_positive
from .common import Progress, check_work, frozen, say, step_callback, train_progress

__all__ = [
    "INIT_TARGET",
    "TRICK_NAMES",
    "InitComparison",
    "TrickComparison",
    "TrickStart",
    "claims",
    "init_scale_comparison",
    "summary",
    "trick_comparison",
]

# The four nets compared, in this order everywhere (None is the plain net for init_params).
TRICK_NAMES = ("plain", "asi", "doubling", "rnd")
INIT_TARGET = "sin4x"  # Fig. 1.4's target, sin 4x on [−1, 1]


def trick_nets(seed, width, depth, init_scale):
    """The four nets of Fig. 1.4 from one seed, in :data:`TRICK_NAMES` order."""
    from ..finite.model import init_params

    return [init_params(seed, width, depth=depth, init_scale=init_scale,
                        trick=None if name == "plain" else name) for name in TRICK_NAMES]


@dataclass(frozen=True)
class TrickStart:
    """Before training: data, each net's output at init and the shared step.

    Attributes: x_train, y_train (n,); x_test, y_test (n_test,); f0_test (4, n_test) outputs
    at init in :data:`TRICK_NAMES` order (0 for ASI and doubling by construction);
    lam_max (4,) of each net's empirical NTK at init on x_train; lr: the shared η;
    steps; t_end = η·steps. With ``lr="adaptive"`` there is no shared step and the times
    are known only after training: lr and t_end are NaN (see ``TrickComparison.t_net``).
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    f0_test: np.ndarray
    lam_max: np.ndarray
    lr: float
    steps: int
    t_end: float


@dataclass(frozen=True)
class TrickComparison:
    """Plain, ASI, doubling and RND nets trained with one shared η, and eq. 1.14 (Fig. 1.4).

    Attributes:
        start: the :class:`TrickStart` (data, outputs at init, λ_max, η, t_end).
        tricks: :data:`TRICK_NAMES`.
        steps_recorded, t: recording steps and times η·steps, shape (R,); with
            ``lr="adaptive"`` t is the plain net's clock Σ_k η_k (each net has its own:
            ``t_net``).
        loss: ½Σ(f − y)² on the training points, shape (4, R) (Fig. 1.4c).
        f_test: outputs on x_test at t_end, shape (4, n_test) (Fig. 1.4a); NaN for a net
            not trained (stopped early).
        test_rmse: RMSE of f_test against the target, shape (4,).
        eq114: eq. 1.14's right-hand side for the plain net at t_end, from its empirical
            NTK at init (Fig. 1.4a, red dashes).
        zero_init, prior: the two eq. 1.14 terms h(·; 0, X, Y) and h_ini − h(·; 0, X,
            h_ini(X)) at t_end (Fig. 1.4b).
        width, depth, init_scale, steps, target; completed: False when stopped early.
        adaptive: True when each net took the adaptive step (``lr="adaptive"``).
        t_net: each net's times at the records, shape (4, R) (NaN for a net not trained):
            the rows equal ``t`` for the shared step.
    """

    start: TrickStart
    tricks: tuple
    steps_recorded: np.ndarray
    t: np.ndarray
    loss: np.ndarray
    f_test: np.ndarray
    test_rmse: np.ndarray
    eq114: np.ndarray
    zero_init: np.ndarray
    prior: np.ndarray
    width: int
    depth: int
    init_scale: float
    steps: int
    target: str
    completed: bool
    adaptive: bool = False
    t_net: np.ndarray | None = None

    def times(self, i: int) -> np.ndarray:
        """Net ``i``'s times at the records: the shared clock, or its own (adaptive step)."""
        return self.t_net[i] if self.adaptive and self.t_net is not None else self.t

    def t_end_of(self, i: int) -> float:
        """Net ``i``'s time at the end of training."""
        return float(self.times(i)[-1]) if self.adaptive else float(self.start.t_end)

    @property
    def h_ini(self) -> np.ndarray:
        """The plain net's output at init on x_test (Fig. 1.4b)."""
        return self.start.f0_test[0]

    @property
    def fit_ini(self) -> np.ndarray:
        """h(·; 0, X, h_ini(X)): the part of h_ini that training removes (Fig. 1.4b)."""
        return self.h_ini - self.prior

    @property
    def plain_minus_asi(self) -> np.ndarray:
        """Trained plain net minus trained ASI net on x_test: by eq. 1.14 about the prior
        term, since both share the kernel at init."""
        return self.f_test[0] - self.f_test[1]


def trick_comparison(width=5000, depth=2, init_scale=10.0, target=INIT_TARGET, n_train=10,
                     n_test=500, steps=1000, lr_factor=1.0, lr=None, record=None, seed=0,
                     data_seed=None, dtype="float32", budget=None, on_start=None,
                     progress: Progress = None, on_step=None, stop=None) -> TrickComparison:
    """Fig. 1.4 of Xu's lecture notes: 1-m-m-1 ReLU nets, s = 10, sin 4x, 10 random and 500
    grid points; from one seed the plain net, its ASI version (same θ₀, two copies), its
    doubling version (last hidden layer copied, output weights negated) and an RND net (last
    hidden layer 2m wide, fresh draw), trained one after the other by full-batch GD.

    The notes use m = 5000, and so does the default (:func:`ntklab.train` pads it to 5120;
    the two-copy ASI net then needs about 1.7 GB); pass m = 4096 on a small machine. They
    give no optimizer, step or step count. Ours: full-batch GD with one shared step
    η = lr_factor/max_j λ_max(K₀ of net j) (so that every net is stable and all reach the
    same t_end), ``steps`` steps, in ``dtype`` (float32 halves the time of the wide nets;
    kernels are float64). Beside them, eq. 1.14's prediction for the plain net at t_end
    from its empirical NTK at init (:func:`ntklab.prior_decomposition`).

    Small init (s ≈ 0.1): the nets' kernels grow several-fold in the first steps, and the
    shared step from the kernels at init overshoots and stalls (measured at width 256,
    1000 steps, depth 1 and 2: final losses 1.5–2.2 against ½Σy² = 2.26 at the start).
    ``lr="adaptive"`` instead trains each net with :func:`ntklab.train`'s adaptive step
    lr_factor/λ_max(K_t) of its own current kernel (re-estimated every 50 steps): the nets
    then fit (final losses 0.002–0.003 at depth 1, 0.03–0.08 at depth 2), each on its own
    clock t = Σ_k η_k (``t_net``), and eq. 1.14 is evaluated at the plain net's final t.
    The shared step stays the default: it puts the four nets on one clock, which the loss
    plot and the "ASI fits first" comparison need.

    Args:
        lr: ``None`` (default) for the shared step above, or ``"adaptive"``.
        record: the steps to record (default: 50 log-spaced), or a count (evenly spaced).
        data_seed: seed of the training points (default: ``seed``).
        budget: refuse more work than this before starting (a dashboard's work budget);
            ``None``: any size.
        on_start: called with the :class:`TrickStart` before training (a dashboard draws
            the outputs at init at once).
        progress: a callable taking status lines (``print``): each net's label and about
            ten lines per net.
        on_step, stop: passed to :func:`ntklab.train` for each net in turn (a dashboard's
            progress bar and frames; its cancellation).
    """
    from ..finite.empirical import empirical_ntk
    from ..finite.model import apply, n_params
    from ..finite.training import train

    width = as_int(width, "width", 1, 100_000)
    depth = as_int(depth, "depth", 1, 3)
    steps = as_int(steps, "steps", 1, 10_000_000)
    lr_factor = as_positive(lr_factor, "lr_factor", hi=1.99)
    adaptive = _adaptive(lr)
    data = make_dataset(target, as_int(n_train, "n_train", 1, 10_000),
                        as_int(n_test, "n_test", 2, 100_000), kind="random",
                        seed=seed if data_seed is None else data_seed)
    x, y, x_test = data.x_train, data.y_train, data.x_test
    nets = trick_nets(seed, width, depth, init_scale)
    check_work(sum(n_params(p.widths, len(p.coef)) for p in nets), x.shape[0], steps,
               f"training four nets of width {width}, depth {depth}", budget)
    kernels = [empirical_ntk(p, x) for p in nets]  # at init, on the training points
    lr = np.nan if adaptive else default_lr(*kernels, factor=lr_factor)
    lam_max = np.array([1.0 / default_lr(K) for K in kernels])
    start = frozen(TrickStart(
        x_train=x, y_train=y, x_test=x_test, y_test=data.y_test,
        f0_test=np.stack([np.asarray(apply(p, x_test), dtype=np.float64) for p in nets]),
        lam_max=lam_max, lr=lr, steps=steps, t_end=lr * steps))
    if on_start is not None:
        on_start(start)
    if record is None:
        record = np.unique(np.geomspace(1, steps, 50).astype(np.int64))
    callback = step_callback(progress, on_step,
                             runs=[f"{name}: {steps} steps" for name in TRICK_NAMES])
    step = dict(lr="adaptive", lr_factor=lr_factor) if adaptive else dict(lr=lr)
    runs = []
    for p in nets:
        runs.append(train(p, x, y, x_eval=x_test, steps=steps, record=record, linear=False,
                          progress=callback, stop=stop, dtype=dtype, **step))
        if not runs[-1].completed:
            break
    completed = len(runs) == len(nets) and all(r.completed for r in runs)
    plain = nets[0]
    eq114 = prior_decomposition(
        kernels[0], y, [runs[0].t[-1] if adaptive else lr * steps],
        f0=np.asarray(apply(plain, x)), K_test=empirical_ntk(plain, x_test, x),
        f0_test=start.f0_test[0])
    R = runs[0].steps.shape[0]
    loss, t_net = np.full((len(nets), R), np.nan), np.full((len(nets), R), np.nan)
    out = np.full((len(nets), x_test.shape[0]), np.nan)
    for i, r in enumerate(runs):
        if r.completed:
            loss[i], out[i], t_net[i] = r.loss_net, r.f_net[-1], r.t
    return frozen(TrickComparison(
        start=start, tricks=TRICK_NAMES, steps_recorded=runs[0].steps, t=runs[0].t,
        loss=loss, f_test=out, test_rmse=rmse(out, data.y_test), eq114=eq114.total[0],
        zero_init=eq114.zero_init[0], prior=eq114.prior[0], width=width, depth=depth,
        init_scale=float(init_scale), steps=steps, target=data.target, completed=completed,
        adaptive=adaptive, t_net=t_net))


def _adaptive(lr) -> bool:
    """True for ``lr="adaptive"``, False for ``None`` (the experiment's fixed step rule)."""
    if lr is None:
        return False
    if isinstance(lr, str) and lr == "adaptive":
        return True
    raise ValueError(f"lr must be None (the fixed step rule) or 'adaptive', got {lr!r:.60}")


@dataclass(frozen=True)
class InitComparison:
    """Two-layer nets trained from large and small init (Fig. 1.2 of Xu's lecture notes).

    For each init scale s (axis 0): f0_test (S, n_test) output at init on the test points;
    f_train (S, n_train), f_test (S, n_test) at the end of training; loss (S, R) training
    loss over the recorded steps; test_rmse (S,); roughness (S,) the RMS second difference
    of the trained output on the uniform test grid (oscillation between training points),
    roughness_target the same for the target. Plus the eq. 1.14 decomposition of the
    first scale's linearized model (``decomposition``), and the setting. lr (S,) is each
    net's step (with ``adaptive``: its first step) and t_end (S,) its time at the end.
    """

    scales: np.ndarray
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    f0_test: np.ndarray
    f_train: np.ndarray
    f_test: np.ndarray
    steps_recorded: np.ndarray
    loss: np.ndarray
    test_rmse: np.ndarray
    roughness: np.ndarray
    roughness_target: float
    lr: np.ndarray
    decomposition: PriorDecomposition | None
    target: str
    width: int
    steps: int
    adaptive: bool = False
    t_end: np.ndarray | None = None


def init_scale_comparison(scales=(10.0, 0.1), target="sin(3*x) + 0.5*sin(6*x)", n_train=600,
                          n_test=1200, width=1000, steps=20_000, seed=0, decompose=True,
                          lr="adaptive", progress: Progress = None) -> InitComparison:
    """Train a two-layer net from each init scale on the same data.

    The lecture notes give no target, width, optimizer or step count: these defaults are ours.
    Each net takes :func:`ntklab.train`'s adaptive step (``lr="adaptive"``, the default):
    η_k = 1/λ_max(K_t) of its current empirical NTK, re-estimated every 50 steps, on its own
    clock t = Σ_k η_k (``t_end``). A small-init net needs it: its K₀ ∝ s² is tiny and grows
    as its weights grow to fit the data, so the fixed η = 1/λ_max(K₀) ∝ 1/s² (``lr=None``:
    each net's own K₀) overshoots from s = 0.1 and stalls (measured at these defaults:
    training loss 194 → 118 in 20 000 steps, against 0.63 at t = 142 with the adaptive step).
    From s = 10 the kernel stays near K₀, and both steps agree (loss 0.64 at t = 0.35).
    With ``decompose``, eq. 1.14 is evaluated for the first scale's linearized model
    with its empirical NTK at init (t = the training time of that net).
    """
    from ..finite.empirical import empirical_ntk
    from ..finite.model import apply, init_params
    from ..finite.training import train

    adaptive = _adaptive(lr)
    data = make_dataset(target, n_train, n_test, kind="random", seed=seed)
    out = {k: [] for k in ("f0", "ftr", "fte", "loss", "lr", "t", "steps")}
    decomposition = None
    for i, s in enumerate(scales):
        say(progress, f"s = {s}: {steps} steps")
        p0 = init_params(seed, width, init_scale=float(s))
        step = "adaptive" if adaptive else None  # None: train's 1/λ_max of p0's K₀
        res = train(p0, data.x_train, data.y_train,
                    x_eval=np.concatenate([data.x_train, data.x_test]), steps=steps, lr=step,
                    record=41, linear=False, progress=train_progress(progress))
        out["f0"].append(np.asarray(apply(p0, data.x_test)))
        out["ftr"].append(res.f_net[-1, :n_train])
        out["fte"].append(res.f_net[-1, n_train:])
        out["loss"].append(res.loss_net)
        out["lr"].append(res.lr)
        out["t"].append(res.t[-1])
        out["steps"] = res.steps
        if i == 0 and decompose:
            say(progress, "eq. 1.14 with the empirical NTK at init")
            K = empirical_ntk(p0, data.x_train)
            decomposition = prior_decomposition(
                K, data.y_train, [res.t[-1]], f0=np.asarray(apply(p0, data.x_train)),
                K_test=empirical_ntk(p0, data.x_test, data.x_train), f0_test=out["f0"][-1])
    f_test = np.stack(out["fte"])
    return frozen(InitComparison(
        scales=np.asarray(scales, dtype=np.float64), x_train=data.x_train,
        y_train=data.y_train, x_test=data.x_test, y_test=data.y_test,
        f0_test=np.stack(out["f0"]), f_train=np.stack(out["ftr"]), f_test=f_test,
        steps_recorded=out["steps"], loss=np.stack(out["loss"]),
        test_rmse=rmse(f_test, data.y_test), roughness=rmse(np.diff(f_test, 2, axis=1)),
        roughness_target=float(rmse(np.diff(data.y_test, 2))),
        lr=np.asarray(out["lr"]), decomposition=decomposition, target=data.target,
        width=int(width), steps=int(steps), adaptive=adaptive, t_end=np.asarray(out["t"])))


def summary(result) -> dict:
    """The numbers a caption or a notebook quotes: for a :class:`TrickComparison`, the
    shared η, each net's λ_max, final loss and test RMSE, and how far the trained plain net
    is from eq. 1.14; for an :class:`InitComparison`, each scale's final loss, test RMSE,
    step and roughness (against the target's), and the size of the prior term. Both say
    whether the step was adaptive, and each net's final time ``t_end_net``."""
    if isinstance(result, TrickComparison):
        return {"tricks": list(result.tricks), "lr_shared": result.start.lr,
                "t_end": result.start.t_end, "lam_max": result.start.lam_max.tolist(),
                "final_loss": result.loss[:, -1].tolist(),
                "test_rmse": result.test_rmse.tolist(),
                "rms_eq114_vs_plain_net": float(rmse(result.eq114, result.f_test[0])),
                "rms_prior_term": float(rmse(result.prior)),
                "max_abs_output_at_init": np.abs(result.start.f0_test).max(axis=1).tolist(),
                "adaptive": result.adaptive, "t_end_net": result.t_net[:, -1].tolist()}
    if isinstance(result, InitComparison):
        out = {"scales": result.scales.tolist(), "test_rmse": result.test_rmse.tolist(),
               "lr": result.lr.tolist(), "roughness": result.roughness.tolist(),
               "roughness_target": result.roughness_target,
               "final_loss": result.loss[:, -1].tolist(), "target": result.target,
               "width": result.width, "steps": result.steps, "adaptive": result.adaptive,
               "t_end_net": result.t_end.tolist()}
        if result.decomposition is not None:
            out["rms_prior_term_first_scale"] = float(rmse(result.decomposition.prior[0]))
        return out
    raise ValueError(f"no summary for {type(result).__name__}")


# --- claims: what a caption may say about a TrickComparison, checked ---------------------
FIT_LOSS = 0.01  # "fits its training points": ½Σ(f − y)² ≤ 0.01 (RMSE ≈ 0.045 on 10 points)
ROUND_OFF = 1e-9  # "zero at init": |f| ≤ ROUND_OFF × the plain net's size (ASI is exactly 0;
# doubling's two halves cancel to ~1e-13 in float32 sums)
CLOSE = 0.25  # "follows" a prediction: RMSE to it ≤ CLOSE × the size of what is predicted


def _first_below(t, loss, level):
    """The first recorded time at which ``loss`` ≤ ``level``, or None."""
    hit = np.nonzero(np.asarray(loss) <= level)[0]
    return float(t[hit[0]]) if hit.size else None


def claims(result: TrickComparison, shown: str = "asi") -> tuple:
    """The checked statements the Initialization captions make, for the net ``shown``.

    - ``fits`` (trained plot): the shown net's final loss ≤ :data:`FIT_LOSS`;
    - ``follows_eq114`` (trained, plain net shown): the trained plain net is within
      :data:`CLOSE` × its distance to h(·; 0, X, Y) of eq. 1.14's prediction, i.e. eq. 1.14
      explains what the zero-init fit does not;
    - ``follows_zero_init`` (trained, ASI or doubling shown): the net is within
      :data:`CLOSE` × the size of h(·; 0, X, Y) of it;
    - ``plain_worse`` (trained): the plain net's test RMSE is at least twice ASI's (the
      initial output costs accuracy between the points);
    - ``zero_at_init`` (init plot): ASI's and doubling's outputs at init are zero to
      round-off (:data:`ROUND_OFF` × the plain net's size);
    - ``prior_is_gap`` (prior plot): trained plain − trained ASI is within :data:`CLOSE` ×
      the prior term's size of the prior term;
    - ``asi_fastest`` (loss plot): ASI is the first net whose loss reaches
      :data:`FIT_LOSS` (Xu's lecture notes report ASI fastest).
    """
    from .common import Claim

    if shown not in TRICK_NAMES:
        raise ValueError(f"shown must be one of {', '.join(TRICK_NAMES)}, got {shown!r}")
    i = TRICK_NAMES.index(shown)
    start, n = result.start, result.start.x_train.shape[0]
    loss = float(result.loss[i, -1])
    out = [Claim("initialization.fits", "trained", loss <= FIT_LOSS,
                 {"trick": shown, "loss": loss, "t": result.t_end_of(i), "steps": result.steps,
                  "n": n})]
    plain = result.f_test[0]
    if shown == "plain":
        to_eq, to_zero = float(rmse(plain, result.eq114)), float(rmse(plain, result.zero_init))
        out.append(Claim("initialization.follows_eq114", "trained", to_eq <= CLOSE * to_zero,
                         {"to_eq114": to_eq, "to_zero_init": to_zero}))
    if shown in ("asi", "doubling"):
        d, size = float(rmse(result.f_test[i], result.zero_init)), float(rmse(result.zero_init))
        out.append(Claim("initialization.follows_zero_init", "trained", d <= CLOSE * size,
                         {"trick": shown, "distance": d, "size": size}))
    plain_rmse, asi_rmse = float(result.test_rmse[0]), float(result.test_rmse[1])
    out.append(Claim("initialization.plain_worse", "trained", plain_rmse >= 2 * asi_rmse,
                     {"plain": plain_rmse, "asi": asi_rmse,
                      "init_size": float(rmse(result.h_ini))}))
    f0 = np.abs(start.f0_test).max(axis=1)
    plain0 = float(rmse(start.f0_test[0]))
    out.append(Claim("initialization.zero_at_init", "init",
                     max(f0[1], f0[2]) <= ROUND_OFF * max(plain0, 1.0),
                     {"largest": float(max(f0[1], f0[2])), "plain": plain0,
                      "rnd": float(rmse(start.f0_test[3]))}))
    prior_size = float(rmse(result.prior))
    gap = float(rmse(result.plain_minus_asi, result.prior))
    out.append(Claim("initialization.prior_is_gap", "prior", gap <= CLOSE * prior_size,
                     {"distance": gap, "size": prior_size}))
    reach = [_first_below(result.times(j), result.loss[j], FIT_LOSS)
             for j in range(len(TRICK_NAMES))]
    ranked = sorted((t, name) for t, name in zip(reach, TRICK_NAMES, strict=True)
                    if t is not None)
    first = ranked[0][1] if ranked else "none"
    out.append(Claim("initialization.asi_fastest", "loss", first == "asi",
                     {"first": first, "level": FIT_LOSS,
                      "t_first": ranked[0][0] if ranked else float("nan"),
                      "t_asi": reach[1] if reach[1] is not None else float("nan"),
                      "order": tuple(name for _, name in ranked),
                      "never": tuple(name for t, name in zip(reach, TRICK_NAMES, strict=True)
                                     if t is None)}))
    return tuple(out)
