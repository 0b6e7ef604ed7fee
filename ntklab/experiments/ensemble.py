"""Claim: at initialization a wide net's output is a Gaussian process with the NNGP
covariance Σ, and an ensemble of trained wide nets is Gaussian too, with a mean and a
covariance in closed form (Lee et al. 2019; docs/science.md §3, §4).

One question, :func:`ensemble_comparison`: E finite nets at init and after training
against the closed forms — the prior band 0 ± 2√Σ(x, x) and the trained ensemble's
mean ± 2σ at the same time t. The Prior-and-ensemble dashboard and notebook 05 ask it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..analytic.data import make_dataset
from ..analytic.dynamics import default_lr, ensemble_moments
from ..analytic.kernels import nngp, ntk_and_nngp
from ..analytic.spectrum import eigenpairs
from ..analytic.validate import as_int, as_positive
from .common import Progress, check_work, frozen, say, step_callback

__all__ = ["ENSEMBLE_TARGET", "EnsembleComparison", "EnsembleStart", "ensemble_comparison",
           "summary"]

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
                        budget=None, bucket=False, on_start=None, progress: Progress = None,
                        on_step=None, stop=None) -> EnsembleComparison:
    """The prior (NNGP band) and the trained ensemble (:func:`ntklab.ensemble_moments`) in
    closed form, and ``members`` two-layer nets (seeds seed…seed+E−1) trained together
    (vmap, float32, no linearization) with η = lr_factor/λ_max of the analytic Θ(X, X) for
    ``steps`` steps; the closed form is evaluated at the same t = η·steps.

    Training points: ``n_train`` uniform random points (seed 0) on the target's interval;
    test points: an ``n_test`` grid. ``on_start(EnsembleStart)`` is called before training,
    so the bands can be drawn at once. ``budget`` refuses more work before starting
    (``None``: any size); ``progress`` takes status lines, ``on_step``/``stop`` go to
    :func:`ntklab.train`.

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
