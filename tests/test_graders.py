"""Every exercise's checks catch plausible wrong answers: the teacher's view of a grader.

For every question of ``notebooks/exercises/ex*.ipynb``, ``WRONG_ANSWERS`` lists plausible
wrong answers as code (off-by-one, a stated rule ignored, a wrong normalization or sign,
swapped arguments, a constant, a wrong shape, values out of range ...). Each exercise's source
notebook runs once, in this process, at reduced size (``SMALL = True``). Its test cells become
functions as ``otter assign`` makes them (one function per cell, the TEST CONFIG header
removed, comments dropped by ``ast.unparse``) and are called as ``otter run`` calls them: each
argument is looked up by name in the notebook's namespace, and a test case fails when it
raises. Then

* the reference solution passes every test of every question, public and hidden;
* every wrong answer, executed over a copy of that namespace, fails at least one *hidden*
  test of its question, so ``otter run`` gives that question less than full marks;
* the grossly wrong ones (``gross=True``: a constant, a wrong shape or type, values out of
  range) already fail a *public* test, the one a student runs with ``grader.check``.

The real ``otter assign`` / ``otter run`` path is tested in ``tests/test_exercises.py``: every
reference solution scores full marks, and exercise 2's zero-rule mistake (with the constant
answers of the same bug report) loses the marks it should.

``python -m tests.test_graders`` prints the matrix (question × wrong answer → caught by the
public / hidden checks) as markdown.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import inspect
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
import yaml

from tests.notebook_utils import set_small

ROOT = Path(__file__).resolve().parents[1]
SOURCES = {p.stem: p for p in sorted((ROOT / "notebooks" / "exercises").glob("ex*.ipynb"))}

# otter assign's own patterns for a test cell's configuration header
# (otter/assign/tests_manager.py: BEGIN_TEST_CONFIG_REGEX, END_TEST_CONFIG_REGEX)
BEGIN_CONFIG = r'(?:.\s*=\s*)?""?"?\s*#\s*BEGIN\s*TEST\s*CONFIG'
END_CONFIG = r'""?"?\s*#\s*END\s*TEST\s*CONFIG'


@dataclass(frozen=True)
class Wrong:
    """A plausible wrong answer: code run over the reference namespace, redefining the
    question's answer (a function or variables)."""

    name: str
    code: str
    gross: bool = False  # a constant, a wrong shape or type, out-of-range values


# Helpers the wrong answers of an exercise share; run once over the reference namespace.
PRELUDES = {
    "ex1_ntk_formula": '''
def _parts(x, x2):
    x, x2 = np.asarray(x, dtype=float), np.asarray(x2, dtype=float)
    dot = np.outer(x, x2) + 1.0
    norms = np.outer(np.sqrt(x**2 + 1.0), np.sqrt(x2**2 + 1.0))
    return dot, norms, np.arccos(np.clip(dot / norms, -1.0, 1.0))

def _SD(a, w, b, x):
    a, w, b, x = (np.asarray(v, dtype=float) for v in (a, w, b, x))
    h = np.outer(x, w) + b
    return np.maximum(h, 0.0), (h > 0) * a, a.shape[0]

def _diff(m, seed):
    return empirical_formula(*np.random.default_rng(seed).standard_normal((3, int(m))), xs) - K_inf

def _rel(m, seed):
    return np.linalg.norm(_diff(m, seed)) / np.linalg.norm(K_inf)

def _fit(values):
    return np.polyfit(np.log(widths), np.log(values), 1)[0]
''',
    "ex3_residual_decay": '''
_alpha = history @ V[:, :5]
''',
    "ex4_asi": '''
def _h(p, x):
    return np.asarray(ntklab.apply(p, x))

def _K(p, x):
    return np.asarray(ntklab.empirical_ntk(p, x))
''',
    "ex5_rmse_width": '''
def _run(seed, m):
    return ntklab.train(ntklab.init_params(int(seed), int(m)), data.x_train, data.y_train,
                        x_eval=data.x_test, steps=steps)

_runs = {int(m): _run(m, m) for m in widths}

def _diff(m, row=-1):
    return _runs[int(m)].f_net[row] - _runs[int(m)].f_lin[row]

def _fit(values):
    return np.polyfit(np.log(widths), np.log(values), 1)[0]
''',
    "ex6_regimes": '''
def _train(pair, m, seed=0, **kw):
    p0 = ntklab.init_params(int(seed), int(m), parameterization=pair)
    opts = dict(steps=int(steps), lr="adaptive", lr_factor=0.25, lr_bound="hessian",
                linear=False, record=2)
    opts.update(kw)
    return p0, ntklab.train(p0, data.x_train, data.y_train, **opts)

_runs = {name: [_train(pair, m) for m in widths] for name, pair in settings.items()}

def _rule(slope):
    return "linear" if slope < -0.1 else "condensed" if slope > 0.1 else "critical"

def _answer(values):
    rd = {k: np.asarray(v, dtype=float) for k, v in values.items()}
    slopes = {k: float(np.log(v[-1] / v[0]) / np.log(widths[-1] / widths[0]))
              for k, v in rd.items()}
    return rd, slopes, {k: _rule(v) for k, v in slopes.items()}

def _wb(p):
    return np.asarray(p.w[0]).ravel(), np.asarray(p.b[0]).ravel()
''',
    "ex8_architectures": '''
def _eigs(n, rng, scale=None):
    G = rng.standard_normal((int(n), int(n)))
    return np.linalg.eigvalsh((G + G.T) / (np.sqrt(2 * n) if scale is None else scale(n)))

def _ks_all(fn, **kw):
    rng = np.random.default_rng(0)
    return np.array([fn(_eigs(n, rng, **kw)) for n in sizes])
''',
    "ex7_digits": '''
def _acc(pooling, depth=1, pick=np.argmax, train=False, swap=False):
    xa, ya = (x_train, y_train) if train else (x_test, y_test)
    k_train = ntklab.cntk(x_train, depth=depth, pooling=pooling)
    k_test = (ntklab.cntk(x_train, xa, depth=depth, pooling=pooling) if swap
              else ntklab.cntk(xa, x_train, depth=depth, pooling=pooling))
    out = kernel_predict(k_train, k_test, Y_train)
    return float(np.mean(pick(out, axis=1) == ya))

def _cnn(**kw):
    opts = dict(arch="cnn", width=width, pooling="flatten", loss="cross_entropy",
                optimizer="momentum", steps=steps, seed=0, linearization=False)
    opts.update(kw)
    return ntklab.train_images(x_train, y_train, x_test, y_test, **opts)
''',
}

WRONG_ANSWERS: dict[str, dict[str, list[Wrong]]] = {
    "ex1_ntk_formula": {
        "q1": [
            Wrong("w,b term without its factor 2", '''
def ntk_formula(x, x2):
    dot, norms, phi = _parts(x, x2)
    return (norms * np.sin(phi) + dot * (np.pi - phi)) / (2 * np.pi)
'''),
            Wrong("divided by π instead of 2π", '''
def ntk_formula(x, x2):
    dot, norms, phi = _parts(x, x2)
    return (norms * np.sin(phi) + 2 * dot * (np.pi - phi)) / np.pi
'''),
            Wrong("angle in degrees", '''
def ntk_formula(x, x2):
    dot, norms, phi = _parts(x, x2)
    phi = np.degrees(phi)
    return (norms * np.sin(phi) + 2 * dot * (np.pi - phi)) / (2 * np.pi)
'''),
            Wrong("φ instead of π − φ", '''
def ntk_formula(x, x2):
    dot, norms, phi = _parts(x, x2)
    return (norms * np.sin(phi) + 2 * dot * phi) / (2 * np.pi)
'''),
            Wrong("π + φ instead of π − φ (sign)", '''
def ntk_formula(x, x2):
    dot, norms, phi = _parts(x, x2)
    return (norms * np.sin(phi) + 2 * dot * (np.pi + phi)) / (2 * np.pi)
'''),
            Wrong("cos φ instead of sin φ", '''
def ntk_formula(x, x2):
    dot, norms, phi = _parts(x, x2)
    return (norms * np.cos(phi) + 2 * dot * (np.pi - phi)) / (2 * np.pi)
'''),
            Wrong("the two terms' prefactors swapped", '''
def ntk_formula(x, x2):
    dot, norms, phi = _parts(x, x2)
    return (dot * np.sin(phi) + 2 * norms * (np.pi - phi)) / (2 * np.pi)
'''),
            Wrong("output-weight term (sin φ) dropped", '''
def ntk_formula(x, x2):
    dot, norms, phi = _parts(x, x2)
    return 2 * dot * (np.pi - phi) / (2 * np.pi)
'''),
            Wrong("z = x, the bias 1 ignored", '''
def ntk_formula(x, x2):
    x, x2 = np.asarray(x, dtype=float), np.asarray(x2, dtype=float)
    dot, norms = np.outer(x, x2), np.outer(np.abs(x), np.abs(x2))
    phi = np.arccos(np.clip(dot / norms, -1.0, 1.0))
    return (norms * np.sin(phi) + 2 * dot * (np.pi - phi)) / (2 * np.pi)
'''),
            Wrong("transposed, shape (n2, n)", '''
def ntk_formula(x, x2):
    dot, norms, phi = _parts(x, x2)
    return ((norms * np.sin(phi) + 2 * dot * (np.pi - phi)) / (2 * np.pi)).T
''', gross=True),
            Wrong("x * x2 entrywise instead of an outer product", '''
def ntk_formula(x, x2):
    x, x2 = np.asarray(x, dtype=float), np.asarray(x2, dtype=float)
    dot, norms = x * x2 + 1.0, np.sqrt(x**2 + 1.0) * np.sqrt(x2**2 + 1.0)
    phi = np.arccos(np.clip(dot / norms, -1.0, 1.0))
    return (norms * np.sin(phi) + 2 * dot * (np.pi - phi)) / (2 * np.pi)
''', gross=True),
            Wrong("a constant", '''
def ntk_formula(x, x2):
    return np.ones((np.size(x), np.size(x2)))
''', gross=True),
        ],
        "q2": [
            Wrong("1/√m instead of 1/m", '''
def empirical_formula(a, w, b, x):
    S, D, m = _SD(a, w, b, x)
    return (S @ S.T + (D @ D.T) * (np.outer(x, x) + 1.0)) / np.sqrt(m)
'''),
            Wrong("no 1/m", '''
def empirical_formula(a, w, b, x):
    S, D, m = _SD(a, w, b, x)
    return S @ S.T + (D @ D.T) * (np.outer(x, x) + 1.0)
'''),
            Wrong("1/m on the first term only", '''
def empirical_formula(a, w, b, x):
    S, D, m = _SD(a, w, b, x)
    return S @ S.T / m + (D @ D.T) * (np.outer(x, x) + 1.0)
'''),
            Wrong("bias gradient dropped (x x′ instead of x x′ + 1)", '''
def empirical_formula(a, w, b, x):
    S, D, m = _SD(a, w, b, x)
    return (S @ S.T + (D @ D.T) * np.outer(x, x)) / m
'''),
            Wrong("output-weight term S Sᵀ dropped", '''
def empirical_formula(a, w, b, x):
    S, D, m = _SD(a, w, b, x)
    return (D @ D.T) * (np.outer(x, x) + 1.0) / m
'''),
            Wrong("hidden-weight term dropped", '''
def empirical_formula(a, w, b, x):
    S, D, m = _SD(a, w, b, x)
    return S @ S.T / m
'''),
            Wrong("indicator without the factor a", '''
def empirical_formula(a, w, b, x):
    S, D, m = _SD(a, w, b, x)
    D = (D != 0).astype(float)
    return (S @ S.T + (D @ D.T) * (np.outer(x, x) + 1.0)) / m
'''),
            Wrong("pre-activation w x − b (sign)", '''
def empirical_formula(a, w, b, x):
    S, D, m = _SD(a, w, -np.asarray(b), x)
    return (S @ S.T + (D @ D.T) * (np.outer(x, x) + 1.0)) / m
'''),
            Wrong("matrix product instead of entrywise", '''
def empirical_formula(a, w, b, x):
    S, D, m = _SD(a, w, b, x)
    return (S @ S.T + (D @ D.T) @ (np.outer(x, x) + 1.0)) / m
'''),
            Wrong("x² + 1 (a vector) instead of x x′ + 1", '''
def empirical_formula(a, w, b, x):
    S, D, m = _SD(a, w, b, x)
    return (S @ S.T + (D @ D.T) * (np.asarray(x) ** 2 + 1.0)) / m
'''),
            Wrong("Sᵀ S, shape (m, m)", '''
def empirical_formula(a, w, b, x):
    S, D, m = _SD(a, w, b, x)
    return (S.T @ S + D.T @ D) / m
''', gross=True),
            Wrong("a constant (identity)", '''
def empirical_formula(a, w, b, x):
    return np.eye(np.size(x))
''', gross=True),
        ],
        "q3": [
            Wrong("absolute error, not relative", '''
errors = np.array([np.mean([np.linalg.norm(_diff(m, s)) for s in range(n_seeds)]) for m in widths])
slope = _fit(errors)
'''),
            Wrong("first seed only", '''
errors = np.array([_rel(m, 0) for m in widths])
slope = _fit(errors)
'''),
            Wrong("seeds 1 … n_seeds (off by one)", '''
errors = np.array([np.mean([_rel(m, s) for s in range(1, n_seeds + 1)]) for m in widths])
slope = _fit(errors)
'''),
            Wrong("max over seeds", '''
errors = np.array([np.max([_rel(m, s) for s in range(n_seeds)]) for m in widths])
slope = _fit(errors)
'''),
            Wrong("sum over seeds", '''
errors = np.array([np.sum([_rel(m, s) for s in range(n_seeds)]) for m in widths])
slope = _fit(errors)
'''),
            Wrong("spectral norm instead of Frobenius", '''
errors = np.array([np.mean([np.linalg.norm(_diff(m, s), 2) / np.linalg.norm(K_inf, 2)
                            for s in range(n_seeds)]) for m in widths])
slope = _fit(errors)
'''),
            Wrong("squared relative error", '''
errors = np.array([np.mean([_rel(m, s) ** 2 for s in range(n_seeds)]) for m in widths])
slope = _fit(errors)
'''),
            Wrong("theory assumed: errors = m^(−1/2)", '''
errors = widths ** -0.5
slope = _fit(errors)
'''),
            Wrong("slope of error against m (no logs)", '''
slope = np.polyfit(widths, errors, 1)[0]
'''),
            Wrong("intercept instead of slope", '''
slope = np.polyfit(np.log(widths), np.log(errors), 1)[1]
'''),
            Wrong("log10 of m against ln of the error", '''
slope = np.polyfit(np.log10(widths), np.log(errors), 1)[0]
'''),
            Wrong("slope sign flipped (decay exponent)", '''
slope = -np.polyfit(np.log(widths), np.log(errors), 1)[0]
'''),
            Wrong("log of the errors stored (negative)", '''
errors = np.log(errors)
''', gross=True),
            Wrong("one error per (width, seed)", '''
errors = np.array([[_rel(m, s) for s in range(n_seeds)] for m in widths])
''', gross=True),
            Wrong("a constant", '''
errors = np.full(len(widths), 0.1)
slope = 0.0
''', gross=True),
            Wrong("one number (mean over widths)", '''
errors = np.mean(errors)
''', gross=True),
        ],
    },
    "ex2_zero_crossings": {
        "q1": [
            Wrong("zero rule ignored: np.diff(np.sign(v)) != 0", '''
def count_zero_crossings(v):
    return int(np.sum(np.diff(np.sign(v)) != 0))
'''),
            Wrong("zeros counted as positive", '''
def count_zero_crossings(v):
    s = np.where(np.asarray(v) >= 0, 1, -1)
    return int(np.count_nonzero(s[1:] != s[:-1]))
'''),
            Wrong("zeros counted as negative", '''
def count_zero_crossings(v):
    s = np.asarray(v) > 0
    return int(np.count_nonzero(s[1:] != s[:-1]))
'''),
            Wrong("only v[i]·v[i+1] < 0 (crossings through 0 missed)", '''
def count_zero_crossings(v):
    v = np.asarray(v, dtype=float)
    return int(np.sum(v[:-1] * v[1:] < 0))
'''),
            Wrong("v[i]·v[i+1] ≤ 0 (a zero counted twice)", '''
def count_zero_crossings(v):
    v = np.asarray(v, dtype=float)
    return int(np.sum(v[:-1] * v[1:] <= 0))
'''),
            Wrong("half the sum of abs(Δ sign)", '''
def count_zero_crossings(v):
    return int(np.sum(np.abs(np.diff(np.sign(v)))) // 2)
'''),
            Wrong("a single zero bridged, runs of zeros not", '''
def count_zero_crossings(v):
    s = np.sign(np.asarray(v, dtype=float))
    count = int(np.sum(s[:-1] * s[1:] < 0))
    count += sum(1 for i in range(1, len(s) - 1) if s[i] == 0 and s[i - 1] * s[i + 1] < 0)
    return count
'''),
            Wrong("leading zeros take the sign +1", '''
def count_zero_crossings(v):
    held, last = [], 1.0
    for s in np.sign(np.asarray(v, dtype=float)):
        last = s if s != 0 else last
        held.append(last)
    held = np.array(held)
    return int(np.count_nonzero(held[1:] != held[:-1]))
'''),
            Wrong("number of sign runs (off by one)", '''
def count_zero_crossings(v):
    s = np.sign(np.asarray(v, dtype=float))
    s = s[s != 0]
    return int(np.count_nonzero(s[1:] != s[:-1])) + 1
'''),
            Wrong("extrema: sign changes of np.diff(v)", '''
def count_zero_crossings(v):
    s = np.sign(np.diff(np.asarray(v, dtype=float)))
    s = s[s != 0]
    return int(np.count_nonzero(s[1:] != s[:-1]))
'''),
            Wrong("returns a float", '''
def count_zero_crossings(v):
    s = np.sign(np.asarray(v, dtype=float))
    s = s[s != 0]
    return float(np.count_nonzero(s[1:] != s[:-1]))
''', gross=True),
            Wrong("returns the boolean array of changes", '''
def count_zero_crossings(v):
    s = np.sign(np.asarray(v, dtype=float))
    s = s[s != 0]
    return s[1:] != s[:-1]
''', gross=True),
            Wrong("a constant", '''
def count_zero_crossings(v):
    return 0
''', gross=True),
        ],
        "q2": [
            Wrong("rows of V instead of columns", '''
crossings = np.array([count_zero_crossings(V[i]) for i in range(k)])
'''),
            Wrong("off by one (+1)", '''
crossings = np.array([count_zero_crossings(V[:, i]) + 1 for i in range(k)])
'''),
            Wrong("order reversed", '''
crossings = np.array([count_zero_crossings(V[:, i]) for i in range(k)])[::-1]
'''),
            Wrong("shifted by one eigenvector", '''
crossings = np.array([count_zero_crossings(V[:, (i + 1) % k]) for i in range(k)])
'''),
            Wrong("smallest eigenvalues (np.linalg.eigh order)", '''
_, W = np.linalg.eigh(ntklab.ntk(x))
crossings = np.array([count_zero_crossings(W[:, i]) for i in range(k)])
'''),
            Wrong("all n (the user's report)", '''
crossings = np.full(k, n)
''', gross=True),
            Wrong("all zeros", '''
crossings = np.zeros(k, dtype=int)
''', gross=True),
            Wrong("crossings per grid point (fractions)", '''
crossings = np.array([count_zero_crossings(V[:, i]) for i in range(k)]) / n
''', gross=True),
            Wrong("k − 1 counts (range(1, k))", '''
crossings = np.array([count_zero_crossings(V[:, i]) for i in range(1, k)])
''', gross=True),
        ],
        "q3": [
            Wrong("Pearson instead of Spearman", '''
rho = np.corrcoef(lam, crossings)[0, 1]
'''),
            Wrong("sign flipped", '''
rho = -spearmanr(lam, crossings).statistic
'''),
            Wrong("against the index instead of λ", '''
rho = spearmanr(np.arange(k), crossings).statistic
'''),
            Wrong("eigenvalues sorted ascending", '''
rho = spearmanr(np.sort(lam), crossings).statistic
'''),
            Wrong("p-value instead of the statistic", '''
rho = spearmanr(lam, crossings).pvalue
'''),
            Wrong("the constant 0.5 (the user's report)", '''
rho = 0.5
''', gross=True),
            Wrong("the result object, not .statistic", '''
rho = spearmanr(lam, crossings)
''', gross=True),
            Wrong("the 2 × 2 correlation matrix", '''
from scipy.stats import rankdata
rho = np.corrcoef(rankdata(lam), rankdata(crossings))
''', gross=True),
            Wrong("covariance of the ranks (out of [−1, 1])", '''
from scipy.stats import rankdata
rho = np.cov(rankdata(lam), rankdata(crossings))[0, 1]
''', gross=True),
        ],
    },
    "ex3_residual_decay": {
        "q1": [
            Wrong("sign flipped: u(0) = +y", '''
def residual_at(K, y, t):
    lam, V = np.linalg.eigh(K)
    return V @ (np.exp(-lam * t) * (V.T @ y))
'''),
            Wrong("growing exponent e^(+λt)", '''
def residual_at(K, y, t):
    lam, V = np.linalg.eigh(K)
    return -V @ (np.exp(lam * t) * (V.T @ y))
'''),
            Wrong("rate 2λ (loss without the ½)", '''
def residual_at(K, y, t):
    lam, V = np.linalg.eigh(K)
    return -V @ (np.exp(-2 * lam * t) * (V.T @ y))
'''),
            Wrong("rate λ/2", '''
def residual_at(K, y, t):
    lam, V = np.linalg.eigh(K)
    return -V @ (np.exp(-lam * t / 2) * (V.T @ y))
'''),
            Wrong("eigenvector matrix transposed", '''
def residual_at(K, y, t):
    lam, V = np.linalg.eigh(K)
    return -V.T @ (np.exp(-lam * t) * (V @ y))
'''),
            Wrong("no projection on the eigenvectors", '''
def residual_at(K, y, t):
    lam, V = np.linalg.eigh(K)
    return -V @ (np.exp(-lam * t) * y)
'''),
            Wrong("entrywise exp(−tK)", '''
def residual_at(K, y, t):
    return -np.exp(-K * t) @ y
'''),
            Wrong("f(t) instead of u(t) = f(t) − y", '''
def residual_at(K, y, t):
    lam, V = np.linalg.eigh(K)
    return y - V @ (np.exp(-lam * t) * (V.T @ y))
'''),
            Wrong("eigenvalues reversed against the eigenvectors", '''
def residual_at(K, y, t):
    lam, V = np.linalg.eigh(K)
    return -V @ (np.exp(-lam[::-1] * t) * (V.T @ y))
'''),
            Wrong("one Euler step, −(I − tK) y", '''
def residual_at(K, y, t):
    return -(y - t * K @ y)
'''),
            Wrong("t ignored: the constant −y", '''
def residual_at(K, y, t):
    return -np.asarray(y, dtype=float)
''', gross=True),
            Wrong("the (n, n) propagator, y forgotten", '''
def residual_at(K, y, t):
    lam, V = np.linalg.eigh(K)
    return -V @ np.diag(np.exp(-lam * t)) @ V.T
''', gross=True),
        ],
        "q2": [
            Wrong("log10 instead of ln", '''
rates = np.array([-np.polyfit(t, np.log10(np.abs(_alpha[:, i])), 1)[0] for i in range(5)])
'''),
            Wrong("against the step index, not t", '''
rates = np.array([-np.polyfit(np.arange(steps + 1), np.log(np.abs(_alpha[:, i])), 1)[0]
                  for i in range(5)])
'''),
            Wrong("projection on rows of V", '''
alpha = history @ V[:5].T
rates = np.array([-np.polyfit(t, np.log(np.abs(alpha[:, i])), 1)[0] for i in range(5)])
'''),
            Wrong("log α² (twice the rate)", '''
rates = np.array([-np.polyfit(t, np.log(_alpha[:, i] ** 2), 1)[0] for i in range(5)])
'''),
            Wrong("abs(α) fitted without the log", '''
rates = np.array([-np.polyfit(t, np.abs(_alpha[:, i]), 1)[0] for i in range(5)])
'''),
            Wrong("eigenvalues copied, not measured", '''
rates = lam[:5].copy()
'''),
            Wrong("smallest eigenvalues' components", '''
alpha = history @ V[:, -5:]
rates = np.array([-np.polyfit(t, np.log(np.abs(alpha[:, i])), 1)[0] for i in range(5)])
'''),
            Wrong("the slope, not minus the slope (negative)", '''
rates = np.array([np.polyfit(t, np.log(np.abs(_alpha[:, i])), 1)[0] for i in range(5)])
''', gross=True),
            Wrong("four rates", '''
rates = np.array([-np.polyfit(t, np.log(np.abs(_alpha[:, i])), 1)[0] for i in range(4)])
''', gross=True),
            Wrong("one number (mean rate)", '''
rates = np.mean([-np.polyfit(t, np.log(np.abs(_alpha[:, i])), 1)[0] for i in range(5)])
''', gross=True),
        ],
    },
    "ex4_asi": {
        "q1": [
            Wrong("no √2/2 factor", '''
def asi_forward(theta, theta_prime, x):
    return _h(theta, x) - _h(theta_prime, x)
'''),
            Wrong("factor 1/2", '''
def asi_forward(theta, theta_prime, x):
    return 0.5 * (_h(theta, x) - _h(theta_prime, x))
'''),
            Wrong("factor √2", '''
def asi_forward(theta, theta_prime, x):
    return np.sqrt(2) * (_h(theta, x) - _h(theta_prime, x))
'''),
            Wrong("swapped: h(θ′) − h(θ)", '''
def asi_forward(theta, theta_prime, x):
    return np.sqrt(0.5) * (_h(theta_prime, x) - _h(theta, x))
'''),
            Wrong("sum instead of difference", '''
def asi_forward(theta, theta_prime, x):
    return np.sqrt(0.5) * (_h(theta, x) + _h(theta_prime, x))
'''),
            Wrong("√2/2 on the first copy only", '''
def asi_forward(theta, theta_prime, x):
    return np.sqrt(0.5) * _h(theta, x) - _h(theta_prime, x)
'''),
            Wrong("the plain net h(θ)", '''
def asi_forward(theta, theta_prime, x):
    return _h(theta, x)
'''),
            Wrong("θ′ ignored (θ used twice): always 0", '''
def asi_forward(theta, theta_prime, x):
    return np.sqrt(0.5) * (_h(theta, x) - _h(theta, x))
''', gross=True),
            Wrong("a constant (zeros)", '''
def asi_forward(theta, theta_prime, x):
    return np.zeros(np.size(x))
''', gross=True),
            Wrong("both outputs stacked, shape (2, n)", '''
def asi_forward(theta, theta_prime, x):
    return np.sqrt(0.5) * np.stack([_h(theta, x), -_h(theta_prime, x)])
''', gross=True),
            Wrong("one number (mean over x)", '''
def asi_forward(theta, theta_prime, x):
    return np.mean(np.sqrt(0.5) * (_h(theta, x) - _h(theta_prime, x)))
''', gross=True),
        ],
        "q2": [
            Wrong("coefficients not squared (√2/2 each)", '''
def asi_kernel(theta, theta_prime, x):
    return np.sqrt(0.5) * (_K(theta, x) + _K(theta_prime, x))
'''),
            Wrong("no coefficients: K(θ) + K(θ′)", '''
def asi_kernel(theta, theta_prime, x):
    return _K(theta, x) + _K(theta_prime, x)
'''),
            Wrong("sign kept: ½K(θ) − ½K(θ′)", '''
def asi_kernel(theta, theta_prime, x):
    return 0.5 * (_K(theta, x) - _K(theta_prime, x))
'''),
            Wrong("the plain kernel K(θ)", '''
def asi_kernel(theta, theta_prime, x):
    return _K(theta, x)
'''),
            Wrong("½K(θ) only", '''
def asi_kernel(theta, theta_prime, x):
    return 0.5 * _K(theta, x)
'''),
            Wrong("squared twice: ¼ each", '''
def asi_kernel(theta, theta_prime, x):
    return 0.25 * (_K(theta, x) + _K(theta_prime, x))
'''),
            Wrong("a constant (identity)", '''
def asi_kernel(theta, theta_prime, x):
    return np.eye(np.size(x))
''', gross=True),
            Wrong("kernels side by side, shape (n, 2n)", '''
def asi_kernel(theta, theta_prime, x):
    return 0.5 * np.hstack([_K(theta, x), _K(theta_prime, x)])
''', gross=True),
        ],
        "q3": [
            Wrong("inverse ratio K_plain / K_doubling", '''
ratio = np.mean(K_plain / K_doubling)
'''),
            Wrong("doubled net from another seed", '''
K_doubling = _K(ntklab.init_params(1, width, trick="doubling"), x)
ratio = np.mean(K_doubling / K_plain)
'''),
            Wrong("ASI instead of doubling", '''
K_doubling = _K(ntklab.init_params(0, width, trick="asi"), x)
ratio = np.mean(K_doubling / K_plain)
'''),
            Wrong("doubled net of twice the width", '''
K_doubling = _K(ntklab.init_params(0, 2 * width, trick="doubling"), x)
ratio = np.mean(K_doubling / K_plain)
'''),
            Wrong("mean difference instead of ratio", '''
ratio = np.mean(K_doubling - K_plain)
'''),
            Wrong("ratio 1: the kernel assumed unchanged", '''
ratio = 1.0
''', gross=True),
            Wrong("the ratio matrix, no mean", '''
ratio = K_doubling / K_plain
''', gross=True),
            Wrong("kernel on another grid", '''
K_doubling = _K(ntklab.init_params(0, width, trick="doubling"), np.linspace(-1, 1, 20))
''', gross=True),
        ],
    },
    "ex5_rmse_width": {
        "q1": [
            Wrong("MSE, no square root", '''
rmse = np.array([np.mean(_diff(m) ** 2) for m in widths])
slope = _fit(rmse)
'''),
            Wrong("sum over test points instead of mean", '''
rmse = np.array([np.sqrt(np.sum(_diff(m) ** 2)) for m in widths])
slope = _fit(rmse)
'''),
            Wrong("mean absolute difference", '''
rmse = np.array([np.mean(np.abs(_diff(m))) for m in widths])
slope = _fit(rmse)
'''),
            Wrong("averaged over all recorded steps", '''
rmse = np.array([np.mean(np.sqrt(np.mean((_runs[int(m)].f_net - _runs[int(m)].f_lin) ** 2, axis=1)))
                 for m in widths])
slope = _fit(rmse)
'''),
            Wrong("f_net against the targets", '''
rmse = np.array([np.sqrt(np.mean((_runs[int(m)].f_net[-1] - data.y_test) ** 2)) for m in widths])
slope = _fit(rmse)
'''),
            Wrong("seed 0 at every width", '''
_runs0 = {int(m): _run(0, m) for m in widths}
rmse = np.array([np.sqrt(np.mean((_runs0[int(m)].f_net[-1] - _runs0[int(m)].f_lin[-1]) ** 2))
                 for m in widths])
slope = _fit(rmse)
'''),
            Wrong("1/N assumed, not measured", '''
rmse = 1.0 / widths
slope = _fit(rmse)
'''),
            Wrong("slope of rmse against m (no logs)", '''
slope = np.polyfit(widths, rmse, 1)[0]
'''),
            Wrong("intercept instead of slope", '''
slope = np.polyfit(np.log(widths), np.log(rmse), 1)[1]
'''),
            Wrong("log10 of m against ln of rmse", '''
slope = np.polyfit(np.log10(widths), np.log(rmse), 1)[0]
'''),
            Wrong("slope sign flipped", '''
slope = -np.polyfit(np.log(widths), np.log(rmse), 1)[0]
'''),
            Wrong("at the start of training (0)", '''
rmse = np.array([np.sqrt(np.mean(_diff(m, 0) ** 2)) for m in widths])
slope = 0.0
''', gross=True),
            Wrong("a constant", '''
rmse = np.full(len(widths), 0.05)
slope = 0.0
''', gross=True),
            Wrong("one value per test point (no mean)", '''
rmse = np.array([np.abs(_diff(m)) for m in widths])
''', gross=True),
            Wrong("the last width only", '''
rmse = np.sqrt(np.mean(_diff(widths[-1]) ** 2))
''', gross=True),
        ],
    },
    "ex6_regimes": {
        "q1": [
            Wrong("output weights a counted too", '''
def relative_distance(params0, params):
    (w0, b0), (w, b) = _wb(params0), _wb(params)
    a0, a = np.asarray(params0.a).ravel(), np.asarray(params.a).ravel()
    num = np.sum((w - w0) ** 2) + np.sum((b - b0) ** 2) + np.sum((a - a0) ** 2)
    return float(np.sqrt(num / (np.sum(w0**2) + np.sum(b0**2) + np.sum(a0**2))))
'''),
            Wrong("biases left out", '''
def relative_distance(params0, params):
    (w0, _), (w, _) = _wb(params0), _wb(params)
    return float(np.linalg.norm(w - w0) / np.linalg.norm(w0))
'''),
            Wrong("not divided by the initial norm", '''
def relative_distance(params0, params):
    (w0, b0), (w, b) = _wb(params0), _wb(params)
    return float(np.sqrt(np.sum((w - w0) ** 2) + np.sum((b - b0) ** 2)))
'''),
            Wrong("no square root", '''
def relative_distance(params0, params):
    (w0, b0), (w, b) = _wb(params0), _wb(params)
    return float((np.sum((w - w0) ** 2) + np.sum((b - b0) ** 2))
                 / (np.sum(w0**2) + np.sum(b0**2)))
'''),
            Wrong("divided by the final norm", '''
def relative_distance(params0, params):
    (w0, b0), (w, b) = _wb(params0), _wb(params)
    return float(np.sqrt((np.sum((w - w0) ** 2) + np.sum((b - b0) ** 2))
                         / (np.sum(w**2) + np.sum(b**2))))
'''),
            Wrong("difference of the norms", '''
def relative_distance(params0, params):
    (w0, b0), (w, b) = _wb(params0), _wb(params)
    n0 = np.sqrt(np.sum(w0**2) + np.sum(b0**2))
    return float(abs(np.sqrt(np.sum(w**2) + np.sum(b**2)) - n0) / n0)
'''),
            Wrong("w and b relative changes added", '''
def relative_distance(params0, params):
    (w0, b0), (w, b) = _wb(params0), _wb(params)
    return float(np.linalg.norm(w - w0) / np.linalg.norm(w0)
                 + np.linalg.norm(b - b0) / np.linalg.norm(b0))
'''),
            Wrong("one value per neuron", '''
def relative_distance(params0, params):
    (w0, b0), (w, b) = _wb(params0), _wb(params)
    return np.hypot(w - w0, b - b0) / np.hypot(w0, b0)
''', gross=True),
            Wrong("a constant", '''
def relative_distance(params0, params):
    return 1.0
''', gross=True),
        ],
        "q2": [
            Wrong("RD of all parameters (a included)", '''
rd, slopes, regimes = _answer({k: [r.weight_change_net[-1] for _, r in v]
                               for k, v in _runs.items()})
'''),
            Wrong("a fixed step 1/lambda_max(K0)", '''
rd, slopes, regimes = _answer({
    k: [relative_distance(*(lambda p, r: (p, r.params))(*_train(pair, m, lr=None,
                                                                   lr_factor=1.0,
                                                                   lr_bound="kernel")))
        for m in widths] for k, pair in settings.items()})
'''),
            Wrong("seed m at width m", '''
rd, slopes, regimes = _answer({
    k: [relative_distance(p, r.params) for p, r in (_train(pair, m, seed=m) for m in widths)]
    for k, pair in settings.items()})
'''),
            Wrong("slope from the RD ratio without logs", '''
rd, slopes, regimes = _answer({k: [relative_distance(p, r.params) for p, r in v]
                               for k, v in _runs.items()})
slopes = {k: float(v[-1] / v[0]) for k, v in rd.items()}
regimes = {k: _rule(v) for k, v in slopes.items()}
'''),
            Wrong("log10 of RD over natural log of m", '''
rd, slopes, regimes = _answer({k: [relative_distance(p, r.params) for p, r in v]
                               for k, v in _runs.items()})
slopes = {k: float(np.log10(v[-1] / v[0]) / np.log(widths[-1] / widths[0]))
          for k, v in rd.items()}
regimes = {k: _rule(v) for k, v in slopes.items()}
'''),
            Wrong("threshold 0 instead of 0.1", '''
rd, slopes, _ = _answer({k: [relative_distance(p, r.params) for p, r in v]
                         for k, v in _runs.items()})
regimes = {k: "linear" if v < 0 else "condensed" for k, v in slopes.items()}
'''),
            Wrong("rule reversed", '''
rd, slopes, _ = _answer({k: [relative_distance(p, r.params) for p, r in v]
                         for k, v in _runs.items()})
regimes = {k: {"linear": "condensed", "condensed": "linear"}.get(_rule(v), "critical")
           for k, v in slopes.items()}
'''),
            Wrong("every setting called critical", '''
rd, slopes, _ = _answer({k: [relative_distance(p, r.params) for p, r in v]
                         for k, v in _runs.items()})
regimes = {k: "critical" for k in settings}
'''),
            Wrong("the regime as the slope's sign", '''
rd, slopes, _ = _answer({k: [relative_distance(p, r.params) for p, r in v]
                         for k, v in _runs.items()})
regimes = {k: int(np.sign(v)) for k, v in slopes.items()}
''', gross=True),
            Wrong("the last width only", '''
rd, slopes, regimes = _answer({k: [relative_distance(p, r.params) for p, r in v]
                               for k, v in _runs.items()})
rd = {k: float(v[-1]) for k, v in rd.items()}
''', gross=True),
        ],
    },    "ex8_architectures": {
        "q1": [
            Wrong("unit-radius semicircle 2/π·√(1 − λ²)", '''
def semicircle(lam):
    lam = np.asarray(lam, dtype=float)
    return 2 / np.pi * np.sqrt(np.clip(1.0 - lam**2, 0.0, None))
'''),
            Wrong("variance-1/2 convention √(2 − λ²)/π", '''
def semicircle(lam):
    lam = np.asarray(lam, dtype=float)
    return np.sqrt(np.clip(2.0 - lam**2, 0.0, None)) / np.pi
'''),
            Wrong("1/π instead of 1/(2π)", '''
def semicircle(lam):
    lam = np.asarray(lam, dtype=float)
    return np.sqrt(np.clip(4.0 - lam**2, 0.0, None)) / np.pi
'''),
            Wrong("abs(4 − λ²) outside the support", '''
def semicircle(lam):
    lam = np.asarray(lam, dtype=float)
    return np.sqrt(np.abs(4.0 - lam**2)) / (2 * np.pi)
'''),
            Wrong("NaN outside the support", '''
def semicircle(lam):
    lam = np.asarray(lam, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.sqrt(4.0 - lam**2) / (2 * np.pi)
''', gross=True),
            Wrong("one number for the whole array", '''
def semicircle(lam):
    lam = np.asarray(lam, dtype=float)
    return float(np.mean(np.sqrt(np.clip(4.0 - lam**2, 0.0, None)) / (2 * np.pi)))
''', gross=True),
        ],
        "q2": [
            Wrong("one-sided: i/n − F only", '''
def ks_distance(sample):
    e = np.sort(np.asarray(sample, dtype=float))
    i = np.arange(1, e.size + 1)
    return float(np.max(i / e.size - ntklab.semicircle_cdf(e)))
ks = _ks_all(ks_distance)
'''),
            Wrong("abs(i/n − F) only (the left limits missed)", '''
def ks_distance(sample):
    e = np.sort(np.asarray(sample, dtype=float))
    i = np.arange(1, e.size + 1)
    return float(np.max(np.abs(i / e.size - ntklab.semicircle_cdf(e))))
ks = _ks_all(ks_distance)
'''),
            Wrong("sample not sorted", '''
def ks_distance(sample):
    e = np.asarray(sample, dtype=float)
    n = e.size
    F = ntklab.semicircle_cdf(e)
    i = np.arange(1, n + 1)
    return float(max(np.max(i / n - F), np.max(F - (i - 1) / n)))
ks = _ks_all(ks_distance)
'''),
            Wrong("mean gap instead of the largest", '''
def ks_distance(sample):
    e = np.sort(np.asarray(sample, dtype=float))
    i = np.arange(1, e.size + 1)
    return float(np.mean(np.abs(i / e.size - ntklab.semicircle_cdf(e))))
ks = _ks_all(ks_distance)
'''),
            Wrong("the density instead of the CDF", '''
def ks_distance(sample):
    e = np.sort(np.asarray(sample, dtype=float))
    n = e.size
    F = ntklab.semicircle_pdf(e)
    i = np.arange(1, n + 1)
    return float(max(np.max(i / n - F), np.max(F - (i - 1) / n)))
ks = _ks_all(ks_distance)
'''),
            Wrong("eigenvalues divided by √n, not √(2n)", '''
ks = _ks_all(ks_distance, scale=np.sqrt)
'''),
            Wrong("a new generator for every size", '''
ks = np.array([ks_distance(_eigs(n, np.random.default_rng(0))) for n in sizes])
'''),
            Wrong("all zeros", '''
def ks_distance(sample):
    return 0.0
ks = np.zeros(len(sizes))
''', gross=True),
        ],
        "q3": [
            Wrong("E[relu²] = q (no 1/2)", '''
def rnn_variance(x, s):
    x = np.asarray(x, dtype=float)
    q = s**2 * (x[0] ** 2 + 1)
    for xt in x[1:]:
        q = s**2 * q + s**2 * (xt**2 + 1)
    return float(s**2 * q / 2)
'''),
            Wrong("the bias forgotten after the first step", '''
def rnn_variance(x, s):
    x = np.asarray(x, dtype=float)
    q = s**2 * (x[0] ** 2 + 1)
    for xt in x[1:]:
        q = s**2 * q / 2 + s**2 * xt**2
    return float(s**2 * q / 2)
'''),
            Wrong("s instead of s² on the recurrent term", '''
def rnn_variance(x, s):
    x = np.asarray(x, dtype=float)
    q = s**2 * (x[0] ** 2 + 1)
    for xt in x[1:]:
        q = s * q / 2 + s**2 * (xt**2 + 1)
    return float(s**2 * q / 2)
'''),
            Wrong("the sequence read backwards", '''
def rnn_variance(x, s):
    x = np.asarray(x, dtype=float)[::-1]
    q = s**2 * (x[0] ** 2 + 1)
    for xt in x[1:]:
        q = s**2 * q / 2 + s**2 * (xt**2 + 1)
    return float(s**2 * q / 2)
'''),
            Wrong("the last input only (a two-layer net)", '''
def rnn_variance(x, s):
    x = np.asarray(x, dtype=float)
    return float(s**4 * (x[-1] ** 2 + 1) / 2)
'''),
            Wrong("q_T returned without the output layer", '''
def rnn_variance(x, s):
    x = np.asarray(x, dtype=float)
    q = s**2 * (x[0] ** 2 + 1)
    for xt in x[1:]:
        q = s**2 * q / 2 + s**2 * (xt**2 + 1)
    return float(q)
''', gross=True),
            Wrong("a constant", '''
def rnn_variance(x, s):
    return 1.0
''', gross=True),
        ],
    },
    "ex7_digits": {
        "q1": [
            Wrong("no solve: K(X*, X)·Y", '''
def kernel_predict(k_train, k_test, y_train):
    return np.asarray(k_test) @ np.asarray(y_train)
'''),
            Wrong("a ridge of 1 added (K + I)", '''
def kernel_predict(k_train, k_test, y_train):
    k_train = np.asarray(k_train)
    return np.asarray(k_test) @ np.linalg.solve(k_train + np.eye(len(k_train)), y_train)
'''),
            Wrong("divided by the diagonal instead of solving", '''
def kernel_predict(k_train, k_test, y_train):
    y = np.asarray(y_train, dtype=float)
    d = np.diag(np.asarray(k_train))
    return np.asarray(k_test) @ (y / (d[:, None] if y.ndim == 2 else d))
'''),
            Wrong("a 1-D y_train made a column", '''
def kernel_predict(k_train, k_test, y_train):
    y = np.asarray(y_train, dtype=float)
    y = y[:, None] if y.ndim == 1 else y
    return np.asarray(k_test) @ np.linalg.solve(np.asarray(k_train), y)
'''),
            Wrong("test block transposed", '''
def kernel_predict(k_train, k_test, y_train):
    return np.asarray(k_test).T @ np.linalg.solve(np.asarray(k_train), y_train)
''', gross=True),
            Wrong("zeros", '''
def kernel_predict(k_train, k_test, y_train):
    return np.zeros((np.shape(k_test)[0],) + np.shape(y_train)[1:])
''', gross=True),
        ],
        "q2": [
            Wrong("poolings swapped", '''
acc = {"gap": _acc("flatten"), "flatten": _acc("gap")}
'''),
            Wrong("depth 2", '''
acc = {p: _acc(p, depth=2) for p in ("gap", "flatten")}
'''),
            Wrong("accuracy on the training digits", '''
acc = {p: _acc(p, train=True) for p in ("gap", "flatten")}
'''),
            Wrong("K(X, X*) for the test block", '''
acc = {p: _acc(p, swap=True) for p in ("gap", "flatten")}
'''),
            Wrong("smallest output taken", '''
acc = {p: _acc(p, pick=np.argmin) for p in ("gap", "flatten")}
'''),
            Wrong("percent", '''
acc = {p: 100 * _acc(p) for p in ("gap", "flatten")}
''', gross=True),
            Wrong("one entry only", '''
acc = {"gap": _acc("gap")}
''', gross=True),
            Wrong("one number for both", '''
acc = 0.5
''', gross=True),
        ],
        "q3": [
            Wrong("accuracy at initialization", '''
acc_cnn = float(_cnn().accuracy_net[0])
kernel_wins = bool(acc["flatten"] > acc_cnn)
'''),
            Wrong("GAP instead of flatten", '''
acc_cnn = float(_cnn(pooling="gap").accuracy_net[-1])
kernel_wins = bool(acc["flatten"] > acc_cnn)
'''),
            Wrong("plain GD instead of momentum", '''
acc_cnn = float(_cnn(optimizer="gd").accuracy_net[-1])
kernel_wins = bool(acc["flatten"] > acc_cnn)
'''),
            Wrong("the comparison reversed", '''
acc_cnn = float(_cnn().accuracy_net[-1])
kernel_wins = bool(acc["flatten"] < acc_cnn)
'''),
            Wrong("percent", '''
acc_cnn = 100 * float(_cnn().accuracy_net[-1])
kernel_wins = bool(acc["flatten"] > acc_cnn / 100)
''', gross=True),
            Wrong("kernel_wins as text", '''
acc_cnn = float(_cnn().accuracy_net[-1])
kernel_wins = "yes" if acc["flatten"] > acc_cnn else "no"
''', gross=True),
            Wrong("a guess in percent", '''
acc_cnn = 50.0
kernel_wins = True
''', gross=True),
        ],
    },
}


# ---------------------------------------------------------------- otter's test cells, in process


@dataclass(frozen=True)
class OtterCase:
    name: str
    hidden: bool
    func: object


def _test_cell(source: str) -> OtterCase:
    """A test cell as otter assign reads it (exception-based format)."""
    lines = source.split("\n")
    hidden = lines[0].lstrip().startswith("#") and bool(
        re.search(r"\bhidden\b", lines[0], flags=re.IGNORECASE))
    start, config = -1, {}
    if re.match(BEGIN_CONFIG, lines[0], flags=re.IGNORECASE):
        start = next(i for i, line in enumerate(lines)
                     if re.match(END_CONFIG, line, flags=re.IGNORECASE))
        config = yaml.safe_load("\n".join(lines[1:start])) or {}
    tree = ast.parse("\n".join(lines[start + 1:]))
    assert len(tree.body) == 1 and isinstance(tree.body[0], ast.FunctionDef), source
    namespace: dict = {"__name__": "otter_test_file"}
    exec(compile(ast.unparse(tree.body[0]), "<test cell>", "exec"), namespace)
    func = namespace[tree.body[0].name]
    return OtterCase(tree.body[0].name, bool(config.get("hidden", hidden)), func)


def questions(nb) -> dict[str, list[OtterCase]]:
    """Each question's test cells, in notebook order."""
    tests: dict[str, list[OtterCase]] = {}
    question, inside = None, False
    for cell in nb.cells:
        if cell.cell_type == "raw":
            if cell.source.startswith("# BEGIN QUESTION"):
                question = yaml.safe_load(cell.source.split("\n", 1)[1])["name"]
            elif cell.source.startswith("# BEGIN TESTS"):
                inside = True
            elif cell.source.startswith("# END TESTS"):
                inside = False
        elif cell.cell_type == "code" and inside:
            tests.setdefault(question, []).append(_test_cell(cell.source))
    return tests


@contextlib.contextmanager
def _as_in_a_notebook():
    """Warnings are printed in a notebook, not raised (pytest here turns them into errors)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def run_tests(cells: list[OtterCase], env: dict) -> dict[str, str | None]:
    """Call each test as otter run does: arguments by name from ``env`` (``None`` when
    missing); a test fails when it raises. Returns {test name: None or the error}."""
    results = {}
    for cell in cells:
        kwargs = {arg: env if arg == "env" else env.get(arg)
                  for arg in inspect.signature(cell.func).parameters}
        try:
            with _as_in_a_notebook():
                cell.func(**kwargs)
            results[cell.name] = None
        except Exception as exc:  # otter counts any exception as a failure
            results[cell.name] = f"{type(exc).__name__}: {exc}"[:300]
    return results


@functools.cache
def exercise(name: str):
    """(test cells per question, reference namespace with the wrong answers' helpers): the
    source notebook at reduced size, every code cell outside the test blocks run in order."""
    nb = set_small(nbformat.read(SOURCES[name], as_version=4))
    env: dict = {"__name__": "__main__"}
    inside = False
    with _as_in_a_notebook():
        for cell in nb.cells:
            if cell.cell_type == "raw" and cell.source.startswith("# BEGIN TESTS"):
                inside = True
            elif cell.cell_type == "raw" and cell.source.startswith("# END TESTS"):
                inside = False
            elif cell.cell_type == "code" and not inside:
                exec(compile(cell.source, f"{name}.ipynb", "exec"), env)
        helpers = dict(env)
        exec(PRELUDES.get(name, ""), helpers)
    return questions(nb), env, helpers


def grade_wrong(name: str, question: str, wrong: Wrong) -> dict[str, str | None]:
    tests, _, helpers = exercise(name)
    env = dict(helpers)
    with _as_in_a_notebook():
        exec(wrong.code, env)
    return run_tests(tests[question], env)


def _split(tests: list[OtterCase], results: dict) -> tuple[list[str], list[str]]:
    """(failed public tests, failed hidden tests)."""
    failed = [t for t in tests if results[t.name] is not None]
    return [t.name for t in failed if not t.hidden], [t.name for t in failed if t.hidden]


# ---------------------------------------------------------------- tests

NAMES = sorted(SOURCES)
CASES = [pytest.param(name, q, w, id=f"{name[:3]}-{q}-{i:02d}")
         for name, qs in WRONG_ANSWERS.items() for q, ws in qs.items() for i, w in enumerate(ws)]


def test_every_question_has_wrong_answers():
    assert set(WRONG_ANSWERS) == set(NAMES), "every exercise needs its list of wrong answers"
    for name in NAMES:
        tests = questions(set_small(nbformat.read(SOURCES[name], as_version=4)))
        assert set(WRONG_ANSWERS[name]) == set(tests), f"{name}: questions {sorted(tests)}"
        for q, cells in tests.items():
            assert any(not c.hidden for c in cells) and any(c.hidden for c in cells), (
                f"{name} {q}: needs a public and a hidden test")
            wrongs = WRONG_ANSWERS[name][q]
            assert len(wrongs) >= 4, f"{name} {q}: too few wrong answers"
            assert any(w.gross for w in wrongs) and any(not w.gross for w in wrongs)
            assert len({w.name for w in wrongs}) == len(wrongs)
            assert not any("|" in w.name for w in wrongs), "a '|' breaks the matrix's row"


@pytest.mark.parametrize("name", NAMES)
def test_reference_passes_every_test(name):
    tests, env, _ = exercise(name)
    failed = {f"{q}: {t}": err for q, cells in tests.items()
              for t, err in run_tests(cells, env).items() if err is not None}
    assert not failed, f"the reference solution fails {failed}"


@pytest.mark.parametrize(("name", "question", "wrong"), CASES)
def test_wrong_answer_is_caught(name, question, wrong):
    tests = exercise(name)[0][question]
    results = grade_wrong(name, question, wrong)
    public, hidden = _split(tests, results)
    assert hidden, f"{name} {question}: no hidden test catches {wrong.name!r}"
    if wrong.gross:
        assert public, f"{name} {question}: no public check catches {wrong.name!r}"


def matrix() -> str:
    """The question × wrong answer table, as markdown."""
    rows = ["| exercise | question | wrong answer | gross | public | hidden |",
            "|---|---|---|---|---|---|"]
    for name, qs in WRONG_ANSWERS.items():
        for q, wrongs in qs.items():
            tests = exercise(name)[0][q]
            for wrong in wrongs:
                public, hidden = _split(tests, grade_wrong(name, q, wrong))
                gross = "yes" if wrong.gross else ""
                rows.append(f"| {name} | {q} | {wrong.name} | {gross} | "
                            f"{'caught' if public else '—'} | {'caught' if hidden else 'MISSED'} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(matrix())
