"""Claim: every architecture has a kernel. Yang (2019), "Scaling limits of wide neural
networks with weight sharing: Gaussian process behavior, gradient independence, and neural
tangent kernel derivation", shows with one framework (tensor programs) that wide random nets
of essentially any architecture (recurrent, convolutional, residual, attention) are Gaussian
processes at init, that their NTK at init converges, when the "gradient independence
assumption" of the backward pass is safe, and that the same machinery re-derives the
semicircle and Marchenko–Pastur laws. docs/science.md §3.13 has the conventions, the
protocol and what was measured.

Questions, each sized by its arguments (notebook 08 and exercise 8 ask them):

* :func:`rnn_gp`: the outputs of many random recurrent nets (weights shared across time)
  against N(0, Σ) of :func:`ntklab.rnn_nngp`, the covariance of two sequences, and the
  mean covariance with shared and with fresh weights per step;
* :func:`rnn_width_error`: one net's covariance given its hidden layer against Σ, as the
  width grows, with the fitted slope;
* :func:`ntk_spread`: the spread over seeds of the empirical NTK at init of the recurrent
  net or of a residual MLP, against width, with the fitted slope;
* :func:`random_matrix_laws`: eigenvalues of random symmetric and Wishart matrices against
  the semicircle and Marchenko–Pastur laws, the Kolmogorov–Smirnov distance against n;
* :func:`weight_spectrum`: the same laws in a recurrent net's own weight matrix at init;
* :func:`gradient_independence`: an MLP's backward pass with its own weights and with
  independent copies, with zero-mean and with constant output weights, against the
  infinite-width formula.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.stats import kstest

from ..analytic.metrics import fit_power_law
from ..analytic.random_matrix import marchenko_pastur_cdf, semicircle_cdf
from ..analytic.rnn import as_sequences, rnn_nngp
from ..analytic.validate import as_int, as_points, as_positive
from .common import Claim, Progress, frozen, int_list, say

__all__ = [
    "ARCHITECTURES",
    "GIA_POINTS",
    "RNNGP",
    "SEQUENCES",
    "GradientIndependence",
    "NTKSpread",
    "RNNWidth",
    "RandomMatrixLaws",
    "WeightSpectrum",
    "claims",
    "gradient_independence",
    "ntk_spread",
    "random_matrix_laws",
    "rnn_gp",
    "rnn_width_error",
    "summary",
    "weight_spectrum",
]

# Three sequences of length T = 5 (rows), used unless others are given: the histogram is
# of the first, the covariance of the first two.
SEQUENCES = np.array([[0.5, -1.0, 0.3, 1.2, -0.4],
                      [0.8, -0.6, 0.1, 1.0, 0.2],
                      [-1.0, 0.4, 0.9, -0.3, 0.7]])
SEQUENCES.setflags(write=False)
RESIDUAL_POINTS = (-1.0, 0.3, 1.0)  # inputs of the residual MLP in :func:`ntk_spread`
RESIDUAL_DEPTH = 3
GIA_POINTS = (-1.0, 0.5, 1.0)  # inputs of the MLP in :func:`gradient_independence`
ARCHITECTURES = ("rnn", "residual")

# thresholds of the claims (docs/science.md §3.13)
Z_LIMIT = 4.0  # "agrees": within 4 standard errors (of the Monte Carlo) ...
REL_SLACK = 0.02  # ... plus 2 % (the O(1/m) finite-width bias at m ≥ 256)
KURTOSIS = 0.15  # "Gaussian": |excess kurtosis| ≤ 0.15 + 3·√(24/N) over N nets (√(24/N) is
# its standard error for a Gaussian: 0.11 at N = 2000; 0.15 allows the finite width's own
# 3·Var(K̂)/Σ² ≈ 0.1 at m = 256, K̂ the covariance given the hidden layer)
KURTOSIS_Z = 3.0
SLOPE_SHRINKS = -0.3  # "shrinks with width": a fitted log-log slope ≤ −0.3 (theory −1/2)
KS_CLOSE = 0.05  # "follows the law": Kolmogorov–Smirnov distance ≤ 0.05
GIA_GAP = 0.1  # the assumption "fails": the true backward kernel of the first layer is more
# than 10 % off the independent copies' (beyond Z_LIMIT standard errors)


def _x_moments(f):
    f = np.asarray(f, dtype=np.float64)
    var = float(np.mean(f**2))  # mean 0 in the limit: second moment about 0
    kurt = float(np.mean(f**4) / var**2 - 3.0)
    return var, kurt


# ---------------------------------------------------------------- the recurrent net's GP


@dataclass(frozen=True)
class RNNGP:
    """Outputs of many random recurrent nets against their Gaussian-process limit.

    Attributes:
        X: the sequences, shape (n, T).   width, init_scale: the nets.
        sigma: Σ = :func:`ntklab.rnn_nngp` (X), (n, n).
        f: f(x) of every net (W shared across time), shape (nets, n).
        cov: the sample second moment of the outputs, mean of f(x)f(x′), (n, n); cov_se its
            standard error.
        var0, kurtosis0: second moment and excess kurtosis of f(x₀) over the nets.
        shared, fresh: the mean over nets of the covariance given the hidden layer,
            s²·relu(h_T)·relu(h_T′)/m (the output weights' expectation in closed form), with
            W shared across time (the same nets) and with a fresh W per step
            (``fresh_nets`` other nets), (n, n); shared_se, fresh_se: standard errors.
    """

    X: np.ndarray
    width: int
    init_scale: float
    sigma: np.ndarray
    f: np.ndarray
    cov: np.ndarray
    cov_se: np.ndarray
    var0: float
    kurtosis0: float
    shared: np.ndarray
    shared_se: np.ndarray
    fresh: np.ndarray
    fresh_se: np.ndarray


def _mean_se(samples):
    samples = np.asarray(samples, dtype=np.float64)
    return samples.mean(0), samples.std(0, ddof=1) / math.sqrt(samples.shape[0])


def rnn_gp(X=SEQUENCES, *, width=256, nets=2000, fresh_nets=100, init_scale=1.0, seed=0,
           progress: Progress = None) -> RNNGP:
    """f(x) of ``nets`` random recurrent nets of this width (W shared across time, seeds
    ``seed``, ``seed + 1``, …) against N(0, Σ), and the mean covariance given the hidden
    layer with shared weights and, over ``fresh_nets`` further nets, with a fresh W per
    step. Returns :class:`RNNGP`."""
    import jax

    from ..finite.architectures import init_rnn, rnn_hidden

    X = as_sequences(X, "X")
    m = as_int(width, "width", 1, 8192)
    nets = as_int(nets, "nets", 2, 1_000_000)
    fresh_nets = as_int(fresh_nets, "fresh_nets", 2, 1_000_000)
    s = as_positive(init_scale, "init_scale", hi=1e3)
    seed = as_int(seed, "seed", 0, 2**40)
    sigma = rnn_nngp(X, init_scale=s)
    hidden = jax.jit(rnn_hidden)  # one compilation for all nets of this shape
    f, conds = np.empty((nets, X.shape[0])), np.empty((nets, X.shape[0], X.shape[0]))
    for k in range(nets):
        if progress is not None and k % max(1, nets // 4) == 0:
            say(progress, f"shared weights: net {k + 1} of {nets}, width {m}")
        p = init_rnn(seed + k, m, init_scale=s)
        z = np.asarray(hidden(p, X))
        f[k] = z @ np.asarray(p["a"]) / math.sqrt(m)
        conds[k] = s * s * z @ z.T / m
    fresh = np.empty((fresh_nets, X.shape[0], X.shape[0]))
    say(progress, f"fresh weights per step: {fresh_nets} nets")
    for k in range(fresh_nets):
        p = init_rnn(seed + nets + k, m, init_scale=s, length=X.shape[1])
        z = np.asarray(hidden(p, X))
        fresh[k] = s * s * z @ z.T / m
    cov, cov_se = _mean_se(f[:, :, None] * f[:, None, :])
    shared, shared_se = _mean_se(conds)
    fresh_mean, fresh_se = _mean_se(fresh)
    var0, kurt0 = _x_moments(f[:, 0])
    return frozen(RNNGP(X=X, width=m, init_scale=s, sigma=sigma, f=f, cov=cov, cov_se=cov_se,
                        var0=var0, kurtosis0=kurt0, shared=shared, shared_se=shared_se,
                        fresh=fresh_mean, fresh_se=fresh_se))


@dataclass(frozen=True)
class RNNWidth:
    """One net's covariance given its hidden layer, K̂ = s²·relu(h_T)relu(h_T)ᵀ/m, against
    Σ as the width grows.

    Attributes:
        X, init_scale, widths (W,), seeds (S,).
        error: ‖K̂ − Σ‖_F/‖Σ‖_F of every net, shape (W, S).
        slope: the fitted log-log slope of the mean error over random seeds against m; fit:
            that power law at the widths.
    """

    X: np.ndarray
    init_scale: float
    widths: np.ndarray
    seeds: np.ndarray
    error: np.ndarray
    slope: float
    fit: np.ndarray


def rnn_width_error(X=SEQUENCES, widths=(64, 256, 1024, 4096), *, seeds=range(4),
                    init_scale=1.0, progress: Progress = None) -> RNNWidth:
    """‖K̂_m − Σ‖_F/‖Σ‖_F of recurrent nets (W shared across time) at each width and seed,
    and its fitted slope against m (the theory's fluctuation is O(1/√m)). Returns
    :class:`RNNWidth`."""
    from ..finite.architectures import init_rnn, rnn_hidden

    X = as_sequences(X, "X")
    widths = int_list(widths, "widths", 1, 8192, min_len=2)
    seeds = int_list(seeds, "seeds", 0, 2**40)
    s = as_positive(init_scale, "init_scale", hi=1e3)
    sigma = rnn_nngp(X, init_scale=s)
    error = np.empty((len(widths), len(seeds)))
    for i, m in enumerate(widths):
        say(progress, f"width {m}: {len(seeds)} nets")
        for j, seed in enumerate(seeds):
            z = np.asarray(rnn_hidden(init_rnn(seed, m, init_scale=s), X))
            error[i, j] = np.linalg.norm(s * s * z @ z.T / m - sigma) / np.linalg.norm(sigma)
    slope, fit = fit_power_law(np.asarray(widths, float), error.mean(axis=1))
    return frozen(RNNWidth(X=X, init_scale=s, widths=np.asarray(widths),
                           seeds=np.asarray(seeds), error=error, slope=slope, fit=fit))


# ---------------------------------------------------------------- the NTK at init


@dataclass(frozen=True)
class NTKSpread:
    """The empirical NTK at init over seeds, against width.

    Attributes:
        architecture: ``"rnn"`` (the recurrent net on :data:`SEQUENCES`) or ``"residual"``
            (the residual MLP of depth :data:`RESIDUAL_DEPTH` at :data:`RESIDUAL_POINTS`).
        inputs: the sequences (n, T) or points (n,).   widths (W,), seeds (S,), init_scale.
        kernels: every empirical NTK, shape (W, S, n, n).
        spread: √(mean over entries of the variance over seeds) / RMS of the mean kernel,
            shape (W,).
        slope, fit: its fitted log-log slope against m and the power law at the widths.
    """

    architecture: str
    inputs: np.ndarray
    widths: np.ndarray
    seeds: np.ndarray
    init_scale: float
    kernels: np.ndarray
    spread: np.ndarray
    slope: float
    fit: np.ndarray


def ntk_spread(architecture="rnn", widths=(32, 64, 128, 256, 512), *, seeds=range(6),
               init_scale=1.0, progress: Progress = None) -> NTKSpread:
    """The exact empirical NTK (``jax.jacobian``) of the recurrent net or of the residual
    MLP at init for every width and seed, its relative spread over seeds and the fitted
    slope against m (Yang 2019: it converges, as O(1/√m) here). Returns :class:`NTKSpread`.
    """
    from ..finite.architectures import (
        init_residual,
        init_rnn,
        jacobian_ntk,
        residual_apply,
        rnn_apply,
    )

    if architecture not in ARCHITECTURES:
        raise ValueError(f"architecture must be one of {ARCHITECTURES}, got {architecture!r}")
    widths = int_list(widths, "widths", 1, 2048, min_len=2)
    seeds = int_list(seeds, "seeds", 0, 2**40, min_len=2)
    s = as_positive(init_scale, "init_scale", hi=1e3)
    if architecture == "rnn":
        inputs = np.array(SEQUENCES)

        def kernel(seed, m):
            return jacobian_ntk(rnn_apply, init_rnn(seed, m, init_scale=s), inputs)
    else:
        inputs = np.array(RESIDUAL_POINTS)

        def kernel(seed, m):
            p = init_residual(seed, m, depth=RESIDUAL_DEPTH, init_scale=s)
            return jacobian_ntk(residual_apply, p, inputs)

    kernels = []
    for m in widths:
        say(progress, f"{architecture}, width {m}: {len(seeds)} kernels")
        kernels.append([kernel(seed, m) for seed in seeds])
    kernels = np.array(kernels)
    mean = kernels.mean(axis=1)
    spread = (np.sqrt(kernels.var(axis=1, ddof=1).mean(axis=(1, 2)))
              / np.sqrt((mean**2).mean(axis=(1, 2))))
    slope, fit = fit_power_law(np.asarray(widths, float), spread)
    return frozen(NTKSpread(architecture=architecture, inputs=inputs, widths=np.asarray(widths),
                            seeds=np.asarray(seeds), init_scale=s, kernels=kernels,
                            spread=spread, slope=slope, fit=fit))


# ---------------------------------------------------------------- random matrices


@dataclass(frozen=True)
class RandomMatrixLaws:
    """Sampled spectra against the semicircle and Marchenko–Pastur laws.

    Attributes:
        sizes (N,), repeats (R draws per size), ratio c = p/n, seed.
        ks_semicircle, ks_mp: Kolmogorov–Smirnov distance of each draw's eigenvalues to the
            law, shape (N, R).
        slope_semicircle, slope_mp, fit_semicircle, fit_mp: fitted log-log slopes of the
            mean distance against n and the power laws at the sizes.
        eig_semicircle: eigenvalues of (G + Gᵀ)/√(2n) for every size's first draw, a tuple
            of N arrays; eig_mp: eigenvalues of XᵀX/n (X: n × p, p = round(c n)), likewise.
    """

    sizes: np.ndarray
    repeats: int
    ratio: float
    seed: int
    ks_semicircle: np.ndarray
    ks_mp: np.ndarray
    slope_semicircle: float
    slope_mp: float
    fit_semicircle: np.ndarray
    fit_mp: np.ndarray
    eig_semicircle: tuple
    eig_mp: tuple


def random_matrix_laws(sizes=(50, 100, 200, 400, 800, 1600), *, ratio=0.5, repeats=3, seed=0,
                       progress: Progress = None) -> RandomMatrixLaws:
    """Eigenvalues of (G + Gᵀ)/√(2n) (G: n × n, N(0, 1)) and of XᵀX/n (X: n × p, p = c·n)
    at each n, ``repeats`` draws each, their KS distance to the semicircle and to the
    Marchenko–Pastur law of ratio c, and the fitted slopes of the mean distance against n.
    Returns :class:`RandomMatrixLaws`."""
    from ..analytic.random_matrix import marchenko_pastur_pdf

    sizes = int_list(sizes, "sizes", 4, 4000, min_len=2)
    repeats = as_int(repeats, "repeats", 1, 1000)
    marchenko_pastur_pdf(1.0, ratio)  # validates ratio
    c = float(ratio)
    seed = as_int(seed, "seed", 0, 2**40)
    rng = np.random.default_rng(seed)
    ks_sc, ks_mp, eig_sc, eig_mp = [], [], [], []
    for n in sizes:
        say(progress, f"n = {n}: {repeats} draw(s) of each matrix")
        p = max(1, round(c * n))
        row_sc, row_mp = [], []
        for r in range(repeats):
            G = rng.standard_normal((n, n))
            e_sc = np.linalg.eigvalsh((G + G.T) / math.sqrt(2 * n))
            Xm = rng.standard_normal((n, p))
            e_mp = np.linalg.eigvalsh(Xm.T @ Xm / n)
            row_sc.append(kstest(e_sc, semicircle_cdf).statistic)
            row_mp.append(kstest(e_mp, lambda v: marchenko_pastur_cdf(v, c)).statistic)
            if r == 0:
                eig_sc.append(e_sc)
                eig_mp.append(e_mp)
        ks_sc.append(row_sc)
        ks_mp.append(row_mp)
    ks_sc, ks_mp = np.array(ks_sc), np.array(ks_mp)
    u = np.asarray(sizes, dtype=np.float64)
    slope_sc, fit_sc = fit_power_law(u, ks_sc.mean(axis=1))
    slope_mp, fit_mp = fit_power_law(u, ks_mp.mean(axis=1))
    for e in eig_sc + eig_mp:
        e.setflags(write=False)
    return frozen(RandomMatrixLaws(
        sizes=np.asarray(sizes), repeats=repeats, ratio=c, seed=seed, ks_semicircle=ks_sc,
        ks_mp=ks_mp, slope_semicircle=slope_sc, slope_mp=slope_mp, fit_semicircle=fit_sc,
        fit_mp=fit_mp, eig_semicircle=tuple(eig_sc), eig_mp=tuple(eig_mp)))


@dataclass(frozen=True)
class WeightSpectrum:
    """The spectrum of a recurrent net's own W (m × m, entries N(0, s²)) at init.

    Attributes:
        width, init_scale, seed.
        eig_wtw: eigenvalues of WᵀW/(s²m) (Marchenko–Pastur, ratio 1); ks_wtw its KS distance.
        eig_sym: eigenvalues of (W + Wᵀ)/(s√(2m)) (semicircle); ks_sym likewise.
        radius: the largest |eigenvalue| of W/√m itself (a non-symmetric matrix: its
            eigenvalues fill the disk of radius s, the circular law).
    """

    width: int
    init_scale: float
    seed: int
    eig_wtw: np.ndarray
    ks_wtw: float
    eig_sym: np.ndarray
    ks_sym: float
    radius: float


def weight_spectrum(width=512, *, init_scale=1.0, seed=0) -> WeightSpectrum:
    """The recurrent net's W at init (:func:`ntklab.init_rnn`, this seed) against the laws:
    WᵀW/(s²m) against Marchenko–Pastur with ratio 1, (W + Wᵀ)/(s√(2m)) against the
    semicircle. Returns :class:`WeightSpectrum`."""
    from ..finite.architectures import init_rnn

    m = as_int(width, "width", 4, 4096)
    s = as_positive(init_scale, "init_scale", hi=1e3)
    seed = as_int(seed, "seed", 0, 2**40)
    W = np.asarray(init_rnn(seed, m, init_scale=s)["W"])
    e_wtw = np.linalg.eigvalsh(W.T @ W / (s * s * m))
    e_sym = np.linalg.eigvalsh((W + W.T) / (s * math.sqrt(2 * m)))
    radius = float(np.abs(np.linalg.eigvals(W / math.sqrt(m))).max())
    return frozen(WeightSpectrum(
        width=m, init_scale=s, seed=seed, eig_wtw=e_wtw,
        ks_wtw=float(kstest(e_wtw, lambda v: marchenko_pastur_cdf(v, 1.0)).statistic),
        eig_sym=e_sym, ks_sym=float(kstest(e_sym, semicircle_cdf).statistic), radius=radius))


# ---------------------------------------------------------------- gradient independence


@dataclass(frozen=True)
class GradientIndependence:
    """Backward kernels B^l(x, x′) = δ^l(x)·δ^l(x′)/m of a ReLU MLP, layer by layer.

    Attributes:
        x (n,), width, depth, init_scale, seeds (S,).
        true, independent: B^l over seeds with the net's own weights in the backward pass
            and with independent copies, for zero-mean output weights; shape (S, depth, n, n).
        true_constant, independent_constant: the same with every output weight a_j = s.
        theory: the infinite-width formula B^l = s²·D^l·B^{l+1}, B^L = s²·D^L with
            D^l = E[relu′(h^l)relu′(h^l′)] (what the assumption gives), (depth, n, n).
    """

    x: np.ndarray
    width: int
    depth: int
    init_scale: float
    seeds: np.ndarray
    true: np.ndarray
    independent: np.ndarray
    true_constant: np.ndarray
    independent_constant: np.ndarray
    theory: np.ndarray


def _backward_theory(x, depth, s):
    s2 = s * s
    q = s2 * (x * x + 1.0)
    c = s2 * (np.multiply.outer(x, x) + 1.0)
    ds = []
    for layer in range(depth):
        norm = np.sqrt(np.multiply.outer(q, q))
        cos = np.clip(c / norm, -1.0, 1.0)
        phi = np.arccos(cos)
        ds.append((np.pi - phi) / (2 * np.pi))
        if layer < depth - 1:
            c = s2 * (norm * (np.sin(phi) + (np.pi - phi) * cos) / (2 * np.pi) + 1.0)
            q = s2 * (q / 2.0 + 1.0)
    out = [s2 * ds[-1]]
    for layer in range(depth - 2, -1, -1):
        out.append(s2 * ds[layer] * out[-1])
    return np.array(out[::-1])


def gradient_independence(width=1024, *, depth=4, seeds=range(8), x=GIA_POINTS, init_scale=1.0,
                          progress: Progress = None) -> GradientIndependence:
    """The backward kernels of ntklab's ReLU MLP (:func:`ntklab.backward_kernels`) with its
    own weights and with independent copies, for zero-mean (as drawn) and constant output
    weights, over seeds, beside the infinite-width formula. Returns
    :class:`GradientIndependence`."""
    from ..finite.architectures import backward_kernels

    x = as_points(x, "x", max_len=50)
    m = as_int(width, "width", 1, 8192)
    depth = as_int(depth, "depth", 2, 10)
    seeds = int_list(seeds, "seeds", 0, 2**40, min_len=2)
    s = as_positive(init_scale, "init_scale", hi=1e3)
    runs = {}
    for output in ("zero_mean", "constant"):
        for independent in (False, True):
            say(progress, f"output weights {output}, independent copies: {independent}")
            runs[output, independent] = np.array([
                backward_kernels(x, m, depth=depth, init_scale=s, seed=seed, output=output,
                                 independent=independent) for seed in seeds])
    return frozen(GradientIndependence(
        x=x, width=m, depth=depth, init_scale=s, seeds=np.asarray(seeds),
        true=runs["zero_mean", False], independent=runs["zero_mean", True],
        true_constant=runs["constant", False], independent_constant=runs["constant", True],
        theory=_backward_theory(x, depth, s)))


def _first_layer(b):
    """B¹(x, x) of every seed, averaged over the points: shape (S,)."""
    return np.trace(b[:, 0], axis1=1, axis2=2) / b.shape[-1]


def _gap(a, b):
    """Relative gap of the mean over random seeds of the first-layer B¹(x, x) (averaged over
    the points) with the net's own weights (``a``) against independent copies (``b``), and
    its standard error (paired: the two passes share the forward pass of each random
    seed)."""
    ta, tb = _first_layer(a), _first_layer(b)
    return (float(ta.mean() / tb.mean() - 1.0),
            float(np.std(ta - tb, ddof=1) / math.sqrt(ta.size) / tb.mean()))


# ---------------------------------------------------------------- summary and claims


def summary(result) -> dict:
    """The numbers a notebook prints, for any result of this module."""
    if isinstance(result, RNNGP):
        return {"width": result.width, "nets": int(result.f.shape[0]),
                "sigma00": float(result.sigma[0, 0]), "var0": result.var0,
                "kurtosis0": result.kurtosis0, "sigma01": float(result.sigma[0, 1]),
                "cov01": float(result.cov[0, 1]), "cov01_se": float(result.cov_se[0, 1]),
                "shared_rel": float(np.max(np.abs(result.shared / result.sigma - 1))),
                "fresh_rel": float(np.max(np.abs(result.fresh / result.sigma - 1)))}
    if isinstance(result, RNNWidth):
        return {"widths": result.widths.tolist(), "error": result.error.mean(axis=1).tolist(),
                "slope": result.slope}
    if isinstance(result, NTKSpread):
        return {"architecture": result.architecture, "widths": result.widths.tolist(),
                "spread": result.spread.tolist(), "slope": result.slope}
    if isinstance(result, RandomMatrixLaws):
        return {"sizes": result.sizes.tolist(), "ratio": result.ratio,
                "ks_semicircle": result.ks_semicircle.mean(axis=1).tolist(),
                "ks_mp": result.ks_mp.mean(axis=1).tolist(),
                "slope_semicircle": result.slope_semicircle, "slope_mp": result.slope_mp}
    if isinstance(result, WeightSpectrum):
        return {"width": result.width, "ks_wtw": result.ks_wtw, "ks_sym": result.ks_sym,
                "radius": result.radius}
    if isinstance(result, GradientIndependence):
        gap, se = _gap(result.true, result.independent)
        gap_c, se_c = _gap(result.true_constant, result.independent_constant)
        theory = float(np.trace(result.theory[0]) / result.x.size)
        return {"width": result.width, "depth": result.depth, "seeds": int(result.seeds.size),
                "gap": gap, "gap_se": se, "gap_constant": gap_c, "gap_constant_se": se_c,
                "true": float(_first_layer(result.true).mean()),
                "independent": float(_first_layer(result.independent).mean()),
                "true_constant": float(_first_layer(result.true_constant).mean()),
                "independent_constant": float(_first_layer(result.independent_constant).mean()),
                "theory": theory}
    raise ValueError(f"no summary for {type(result).__name__}")


def claims(result) -> tuple:
    """The checked statements about one result of this module (figure names in brackets):

    - :class:`RNNGP`: ``rnn_gaussian`` (histogram): f(x₀)'s second moment within
      :data:`Z_LIMIT` standard errors plus :data:`REL_SLACK` of Σ(x₀, x₀) and
      |excess kurtosis| ≤ :data:`KURTOSIS` + :data:`KURTOSIS_Z`·√(24/N); ``rnn_covariance``
      (covariance): the mean of f(x₀)f(x₁) as close to Σ(x₀, x₁); ``sharing_invisible``
      (covariance): the mean covariance given the hidden layer as close to Σ with shared
      and with fresh weights;
    - :class:`RNNWidth`: ``rnn_error_shrinks`` (width): slope ≤ :data:`SLOPE_SHRINKS`;
    - :class:`NTKSpread`: ``ntk_concentrates`` (ntk): slope ≤ :data:`SLOPE_SHRINKS`;
    - :class:`RandomMatrixLaws`: ``laws_fit`` (laws): KS ≤ :data:`KS_CLOSE` at the largest n
      for both laws and both distances fall with n;
    - :class:`WeightSpectrum`: ``weights_follow_laws`` (weights): both KS ≤ :data:`KS_CLOSE`;
    - :class:`GradientIndependence`: ``independence_holds`` (independence): with zero-mean
      output weights the true and independent first-layer kernels agree (within
      :data:`Z_LIMIT` standard errors plus :data:`REL_SLACK`); ``independence_fails``
      (independence): with constant output weights they differ by more than :data:`GIA_GAP`
      and :data:`Z_LIMIT` standard errors.
    """
    if isinstance(result, RNNGP):
        sig00, sig01 = float(result.sigma[0, 0]), float(result.sigma[0, 1])
        n = result.f.shape[0]
        var_se = float(np.std(result.f[:, 0] ** 2, ddof=1) / math.sqrt(n))
        var_ok = abs(result.var0 - sig00) <= Z_LIMIT * var_se + REL_SLACK * sig00
        kurt_limit = KURTOSIS + KURTOSIS_Z * math.sqrt(24.0 / n)
        cov_ok = (abs(float(result.cov[0, 1]) - sig01)
                  <= Z_LIMIT * float(result.cov_se[0, 1]) + REL_SLACK * abs(sig01))

        def close(mean, se):
            return bool(np.all(np.abs(mean - result.sigma)
                               <= Z_LIMIT * se + REL_SLACK * np.abs(result.sigma)))

        shared_rel = float(np.max(np.abs(result.shared / result.sigma - 1)))
        fresh_rel = float(np.max(np.abs(result.fresh / result.sigma - 1)))
        base = {"m": result.width, "nets": n, "T": int(result.X.shape[1])}
        return (
            Claim("architectures.rnn_gaussian", "histogram",
                  var_ok and abs(result.kurtosis0) <= kurt_limit,
                  {**base, "var": result.var0, "sigma": sig00, "se": var_se,
                   "kurtosis": result.kurtosis0, "limit": kurt_limit}),
            Claim("architectures.rnn_covariance", "covariance", cov_ok,
                  {**base, "cov": float(result.cov[0, 1]), "sigma": sig01,
                   "se": float(result.cov_se[0, 1])}),
            Claim("architectures.sharing_invisible", "covariance",
                  close(result.shared, result.shared_se) and close(result.fresh, result.fresh_se),
                  {**base, "shared": 100 * shared_rel, "fresh": 100 * fresh_rel}),
        )
    if isinstance(result, RNNWidth):
        return (Claim("architectures.rnn_error_shrinks", "width", result.slope <= SLOPE_SHRINKS,
                      {"slope": result.slope, "limit": SLOPE_SHRINKS,
                       "lo": int(result.widths[0]), "hi": int(result.widths[-1])}),)
    if isinstance(result, NTKSpread):
        return (Claim("architectures.ntk_concentrates", "ntk", result.slope <= SLOPE_SHRINKS,
                      {"architecture": result.architecture, "slope": result.slope,
                       "limit": SLOPE_SHRINKS, "lo": int(result.widths[0]),
                       "hi": int(result.widths[-1])}),)
    if isinstance(result, RandomMatrixLaws):
        ks_sc = float(result.ks_semicircle[-1].mean())
        ks_mp = float(result.ks_mp[-1].mean())
        holds = (max(ks_sc, ks_mp) <= KS_CLOSE and result.slope_semicircle < 0
                 and result.slope_mp < 0)
        return (Claim("architectures.laws_fit", "laws", holds,
                      {"n": int(result.sizes[-1]), "ks_semicircle": ks_sc, "ks_mp": ks_mp,
                       "slope_semicircle": result.slope_semicircle,
                       "slope_mp": result.slope_mp, "limit": KS_CLOSE,
                       "ratio": result.ratio}),)
    if isinstance(result, WeightSpectrum):
        return (Claim("architectures.weights_follow_laws", "weights",
                      max(result.ks_wtw, result.ks_sym) <= KS_CLOSE,
                      {"m": result.width, "ks_wtw": result.ks_wtw, "ks_sym": result.ks_sym,
                       "limit": KS_CLOSE}),)
    if isinstance(result, GradientIndependence):
        gap, se = _gap(result.true, result.independent)
        gap_c, se_c = _gap(result.true_constant, result.independent_constant)
        base = {"m": result.width, "L": result.depth, "seeds": int(result.seeds.size)}
        return (
            Claim("architectures.independence_holds", "independence",
                  abs(gap) <= Z_LIMIT * se + REL_SLACK,
                  {**base, "gap": 100 * gap, "se": 100 * se}),
            Claim("architectures.independence_fails", "independence",
                  abs(gap_c) > max(GIA_GAP, Z_LIMIT * se_c),
                  {**base, "gap": 100 * gap_c, "se": 100 * se_c, "limit": 100 * GIA_GAP}),
        )
    raise ValueError(f"no claims for {type(result).__name__}")
