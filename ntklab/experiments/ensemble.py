"""Claim: at initialization a wide net's output is a Gaussian process with the NNGP
covariance Σ, and an ensemble of trained wide nets is Gaussian too, with a mean and a
covariance in closed form (Lee et al. 2019; docs/science.md §3, §4).

One question, :func:`ensemble_comparison`: E finite nets at init and after training
against the closed forms — the prior band 0 ± 2√Σ(x, x) and the trained ensemble's
mean ± 2σ at the same time t. The Prior-and-ensemble dashboard and notebook 05 ask it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from ..analytic.data import make_dataset
from ..analytic.dynamics import default_lr, ensemble_moments
from ..analytic.kernels import nngp, ntk_and_nngp
from ..analytic.spectrum import eigenpairs
from ..analytic.validate import as_int, as_positive
from .common import Progress, check_work, frozen, say, step_callback

__all__ = ["ENSEMBLE_TARGET", "EnsembleComparison", "EnsembleStart", "claims",
           "ensemble_comparison", "summary"]

ENSEMBLE_TARGET = "sin(3*x)"
DATA_SEED = 0  # the training points are the same for every net seed


@dataclass(frozen=True)
class EnsembleStart:
    """The closed forms (infinite width) of the prior and of the trained ensemble.

    Attributes: x_train, y_train (n,); x_test, y_test (n_test,); prior_std: √Σ(x, x) of the
    NNGP (the band at init is 0 ± 2·prior_std); mean, std: closed-form trained-ensemble
    mean and standard deviation at t_end (:func:`ntklab.ensemble_moments`); lr = η of
    Θ(X, X) (:func:`ntklab.default_lr`); steps; t_end = η·steps.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    prior_std: np.ndarray
    mean: np.ndarray
    std: np.ndarray
    lr: float
    steps: int
    t_end: float


@dataclass(frozen=True)
class EnsembleComparison:
    """E finite nets at init and after training, beside the closed forms.

    Attributes: start (:class:`EnsembleStart`); f0 (E, n_test) outputs at init; f_end
    (E, n_test) outputs at t_end (NaN when stopped early); f0_mean, f0_std, f_end_mean,
    f_end_std (n_test,): their mean and standard deviation over the E nets (ddof 1);
    width; members; init_scale; completed.
    """

    start: EnsembleStart
    f0: np.ndarray
    f_end: np.ndarray
    f0_mean: np.ndarray
    f0_std: np.ndarray
    f_end_mean: np.ndarray
    f_end_std: np.ndarray
    width: int
    members: int
    init_scale: float
    completed: bool


def ensemble_comparison(width=1024, members=64, *, init_scale=1.0, target=ENSEMBLE_TARGET,
                        n_train=8, n_test=200, steps=2000, lr_factor=1.0, seed=0,
                        plot_range=None, budget=None, bucket=False, on_start=None,
                        progress: Progress = None, on_step=None,
                        stop=None) -> EnsembleComparison:
    """The prior (NNGP band) and the trained ensemble (:func:`ntklab.ensemble_moments`) in
    closed form, and ``members`` two-layer nets (seeds seed…seed+E−1) trained together
    (vmap, float32, no linearization) with η = lr_factor/λ_max of the analytic Θ(X, X) for
    ``steps`` steps; the closed form is evaluated at the same t = η·steps.

    Training points: ``n_train`` uniform random points (seed 0) on the target's interval;
    test points: an ``n_test`` grid on the same interval, or on ``plot_range`` = (lo, hi)
    (a wider range shows the bands beyond the training points). ``on_start(EnsembleStart)``
    is called before training, so the bands can be drawn at once. ``budget`` refuses more
    work before starting (``None``: any size); ``progress`` takes status lines,
    ``on_step``/``stop`` go to :func:`ntklab.train`.

    The ensemble is a leading axis of one compiled program. With ``bucket`` (a dashboard's
    slider over E), a bucket's worth of nets (8, 12, 16, 24, 32, …; :func:`ntklab.train`'s
    width buckets) is trained and the first ``members`` kept, so that moving E within a
    bucket reuses the compiled program instead of recompiling (seconds) for every E.
    """
    from ..finite.model import init_params, n_params
    from ..finite.training import bucket_size, train

    width = as_int(width, "width", 1, 100_000)
    members = as_int(members, "members", 2, 1000)
    steps = as_int(steps, "steps", 1, 10_000_000)
    s = as_positive(init_scale, "init_scale", hi=1e3)
    trained = bucket_size(members) if bucket else members
    data = make_dataset(target, as_int(n_train, "n_train", 1, 1000),
                        as_int(n_test, "n_test", 2, 100_000), kind="random", seed=DATA_SEED)
    if plot_range is not None:
        lo, hi = (float(v) for v in plot_range)
        if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
            raise ValueError(f"plot_range must be (lo, hi) with lo < hi, got {plot_range!r}")
        grid = make_dataset(target, 1, data.x_test.shape[0], lo=lo, hi=hi)
        data = dataclasses.replace(data, x_test=grid.x_test, y_test=grid.y_test)
    x, y, x_test = data.x_train, data.y_train, data.x_test
    check_work(trained * n_params((width,), 1), x.shape[0], steps,
               f"training {members} nets of width {width}", budget)
    K, Sigma = ntk_and_nngp(x, init_scale=s)
    K_test, Sigma_test_train = ntk_and_nngp(x_test, x, init_scale=s)
    prior_var = np.diag(nngp(x_test, init_scale=s)).copy()
    lam, V = eigenpairs(K)
    lr = default_lr(K, factor=lr_factor)
    t_end = lr * steps
    mom = ensemble_moments(K, Sigma, y, [t_end], K_test=K_test, Sigma_test=prior_var,
                           Sigma_test_train=Sigma_test_train, eig=(lam, V))
    start = frozen(EnsembleStart(
        x_train=x, y_train=y, x_test=x_test, y_test=data.y_test, prior_std=np.sqrt(prior_var),
        mean=mom.mean[0], std=np.sqrt(mom.var[0]), lr=lr, steps=steps, t_end=t_end))
    if on_start is not None:
        on_start(start)
    say(progress, f"training {members} nets of width {width} together")
    params = [init_params(seed + i, width, init_scale=s) for i in range(trained)]
    res = train(params, x, y, x_eval=x_test, steps=steps, lr=lr, record=2, linear=False,
                progress=step_callback(progress, on_step), stop=stop)
    f0 = res.f_net[:members, 0]
    f_end = res.f_net[:members, -1] if res.f_net.shape[1] == 2 else np.full_like(f0, np.nan)
    return frozen(EnsembleComparison(
        start=start, f0=f0, f_end=f_end, f0_mean=f0.mean(0), f0_std=f0.std(0, ddof=1),
        f_end_mean=f_end.mean(0), f_end_std=f_end.std(0, ddof=1), width=width,
        members=members, init_scale=s, completed=res.completed))


def summary(result: EnsembleComparison) -> dict:
    """The numbers a caption or a notebook quotes: the largest gap between the nets' mean
    and the closed-form mean (against the sampling error 2σ/√E), and the median spreads."""
    st = result.start
    return {"members": result.members, "width": result.width, "t_end": st.t_end,
            "max_mean_gap": float(np.max(np.abs(result.f_end_mean - st.mean))),
            "sampling_error": float(2 * np.median(st.std) / np.sqrt(result.members)),
            "median_std_nets": float(np.median(result.f_end_std)),
            "median_std_closed_form": float(np.median(st.std)),
            "median_prior_std": float(np.median(st.prior_std)),
            "median_std_at_init": float(np.median(result.f0_std))}


# --- claims: what the Prior-and-ensemble captions may say about an EnsembleComparison,
# checked ---------------------------------------------------------------------------------
COVERAGE = 0.9545  # P(|z| ≤ 2) for a Gaussian: the share of nets in the band 0 ± 2√Σ at each x
WIDEN = 1.2  # the prior band "widens with |x|": at the plot's edge ≥ 1.2 × its width at x ≈ 0
PINCH = 0.1  # the trained band is "narrow" between the training points: σ there ≤ 0.1 × the
# prior's √Σ there (median)
OPEN = 3.0  # the trained band "opens" beyond the training points: σ there reaches ≥ 3 × its
# largest value between them
NOISE = 2.0  # "within sampling error": a measured difference ≤ 2 × what sampling E nets gives


def claims(result: EnsembleComparison) -> tuple:
    """The checked statements the Prior-and-ensemble captions make.

    - ``prior_coverage`` (prior plot): the share of (net, x) with |f(x; θ₀)| ≤ 2√Σ(x, x) is
      within 2 binomial standard errors √(p(1 − p)/E) of p = :data:`COVERAGE` (the nets
      are the independent draws; the points x of one net are strongly correlated);
    - ``prior_widens`` (prior plot): the band at the plot's largest |x| is at least
      :data:`WIDEN` × the band at the x nearest 0;
    - ``band_pinched`` (trained plot): between the outermost training points the
      closed-form σ after training is at most :data:`PINCH` × the prior's median √Σ there;
    - ``band_opens`` (trained plot): beyond the outermost training points (as far as the
      plot reaches) σ grows to at least :data:`OPEN` × its largest value between them;
    - ``mean_within_noise`` (trained plot): the RMS over x of (nets' mean − closed-form
      mean) is at most :data:`NOISE` × RMS(σ)/√E, what sampling E nets explains;
    - ``init_spread``, ``trained_spread`` (std plot): the nets' σ at init (after training)
      differs from √Σ (from the closed-form σ) by a relative RMS at most :data:`NOISE` ×
      1/√(2(E − 1)), the sampling scatter of a standard deviation from E draws.
    """
    from ..analytic.metrics import rmse
    from .common import Claim

    st, E = result.start, result.members
    x = st.x_test
    out = []
    inside = np.abs(result.f0) <= 2 * st.prior_std
    coverage = float(inside.mean())
    tol = 2 * float(np.sqrt(COVERAGE * (1 - COVERAGE) / E))
    out.append(Claim("ensemble.prior_coverage", "prior", abs(coverage - COVERAGE) <= tol,
                     {"coverage": 100 * coverage, "expected": 100 * COVERAGE,
                      "tol": 100 * tol, "E": E,
                      "nets_out": int(np.sum(~inside.all(axis=1)))}))
    i0, i1 = int(np.argmin(np.abs(x))), int(np.argmax(np.abs(x)))
    center, edge = 2 * float(st.prior_std[i0]), 2 * float(st.prior_std[i1])
    out.append(Claim("ensemble.prior_widens", "prior", edge >= WIDEN * center,
                     {"center": center, "x_center": float(x[i0]), "edge": edge,
                      "x_edge": float(abs(x[i1])), "s": result.init_scale}))
    lo, hi = float(st.x_train.min()), float(st.x_train.max())
    between = (x >= lo) & (x <= hi)
    prior = float(np.median(st.prior_std[between])) if between.any() else float("nan")
    sd_between = float(np.max(st.std[between], initial=0.0))
    beyond = np.where(~between, st.std, -np.inf)
    j = int(np.argmax(beyond))
    sd_beyond = float(beyond[j]) if np.isfinite(beyond[j]) else 0.0
    out.append(Claim("ensemble.band_pinched", "trained", sd_between <= PINCH * prior,
                     {"between": sd_between, "prior": prior, "x_lo": lo, "x_hi": hi,
                      "t": st.t_end}))
    ratio = sd_beyond / sd_between if sd_between > 0 else float("inf")
    out.append(Claim("ensemble.band_opens", "trained", sd_beyond >= OPEN * sd_between,
                     {"beyond": sd_beyond, "x_at": float(x[j]), "between": sd_between,
                      "ratio": ratio, "x_lo": lo, "x_hi": hi, "x_min": float(x.min()),
                      "x_max": float(x.max())}))
    diff = result.f_end_mean - st.mean
    gap = float(rmse(diff))
    noise = float(rmse(st.std)) / np.sqrt(E)
    k = int(np.argmax(np.abs(diff)))
    out.append(Claim("ensemble.mean_within_noise", "trained", gap <= NOISE * noise,
                     {"gap": gap, "max_gap": float(abs(diff[k])), "x_max_gap": float(x[k]),
                      "noise": noise, "ratio": gap / noise, "limit": NOISE, "E": E,
                      "m": result.width, "size": float(rmse(st.mean))}))
    scatter = 1 / np.sqrt(2 * (E - 1))
    dev0 = float(rmse(result.f0_std, st.prior_std) / rmse(st.prior_std))
    dev = float(rmse(result.f_end_std, st.std) / rmse(st.std))
    out.append(Claim("ensemble.init_spread", "std", dev0 <= NOISE * scatter,
                     {"dev": 100 * dev0, "tol": 100 * NOISE * scatter, "E": E}))
    out.append(Claim("ensemble.trained_spread", "std", dev <= NOISE * scatter,
                     {"dev": 100 * dev, "tol": 100 * NOISE * scatter, "E": E,
                      "m": result.width,
                      "median_nets": float(np.median(result.f_end_std)),
                      "median_closed": float(np.median(st.std))}))
    return tuple(out)
