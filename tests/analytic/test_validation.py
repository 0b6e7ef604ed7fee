"""Bad input across the public API: a table of what was tried, each a clear ValueError.

Every row names the call and the words the message must contain, so the table doubles as
documentation of what each function refuses. Property-based tests check the validators
themselves: any value is either accepted within its stated range or refused with
ValueError, never another exception and never a hang.
"""

import functools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ntklab
from ntklab.analytic import validate as v

X = np.linspace(-1, 1, 6)
K = ntklab.ntk(X)
NAN, INF = float("nan"), float("inf")

TABLE = [
    # (description, call, words in the message)
    ("ntk: NaN in x", lambda: ntklab.ntk([0.0, NAN]), "finite"),
    ("ntk: inf in x2", lambda: ntklab.ntk(X, [INF]), "finite"),
    ("ntk: empty x", lambda: ntklab.ntk([]), "between 1"),
    ("ntk: 2-D x", lambda: ntklab.ntk(np.ones((2, 2))), "1-D"),
    ("ntk: depth 0", lambda: ntklab.ntk(X, depth=0), "depth"),
    ("ntk: huge depth", lambda: ntklab.ntk(X, depth=10**9), "depth"),
    ("ntk: init_scale NaN", lambda: ntklab.ntk(X, init_scale=NAN), "init_scale"),
    ("ntk: init_scale 0", lambda: ntklab.ntk(X, init_scale=0), "init_scale"),
    ("ntk: string init_scale", lambda: ntklab.ntk(X, init_scale="1"), "init_scale"),
    ("ntk: too many points", lambda: ntklab.ntk(np.zeros(300_000)), "between 1"),
    ("ntk: over memory budget", lambda: ntklab.ntk(np.zeros(30_000)), "GiB"),
    ("nngp: NaN", lambda: ntklab.nngp([NAN]), "finite"),
    ("eigenpairs: k > n", lambda: ntklab.eigenpairs(K, k=7), "k must"),
    ("eigenpairs: k float", lambda: ntklab.eigenpairs(K, k=2.0), "k must"),
    ("eigenpairs: not square", lambda: ntklab.eigenpairs(K[:3]), "square"),
    ("eigenpairs: empty", lambda: ntklab.eigenpairs(np.zeros((0, 0))), "non-empty"),
    ("eigenpairs: NaN", lambda: ntklab.eigenpairs(np.full((2, 2), NAN)), "finite"),
    ("zero_crossings: empty", lambda: ntklab.zero_crossings([]), "shape"),
    ("zero_crossings: 3-D", lambda: ntklab.zero_crossings(np.ones((2, 2, 2))), "shape"),
    ("gradient_flow: t < 0", lambda: ntklab.gradient_flow(K, X, -1.0), ">= 0"),
    ("gradient_flow: t NaN", lambda: ntklab.gradient_flow(K, X, NAN), ">= 0"),
    ("gradient_flow: y wrong length", lambda: ntklab.gradient_flow(K, X[:3], 1.0), "length"),
    ("gradient_flow: K_test wrong width",
     lambda: ntklab.gradient_flow(K, X, 1.0, K_test=np.ones((2, 3))), "shape"),
    ("gradient_flow: too many times",
     lambda: ntklab.gradient_flow(np.eye(100), np.zeros(100), np.zeros(10**6)), "GiB"),
    ("frequency_error: y too short", lambda: ntklab.frequency_error([1.0], [1.0]), "between 2"),
    ("parse_target: attribute", lambda: ntklab.parse_target("x.real"), "Attribute"),
    ("parse_target: import", lambda: ntklab.parse_target("__import__('os')"), "unknown"),
    ("parse_target: huge power", lambda: ntklab.parse_target("x**1000"), "exponents"),
    ("parse_target: not text", lambda: ntklab.parse_target(None), "string"),
    ("sample_points: negative n", lambda: ntklab.sample_points(-5), "n must"),
    ("sample_points: huge n", lambda: ntklab.sample_points(10**9), "n must"),
    ("sample_points: random without seed", lambda: ntklab.sample_points(5, kind="random"),
     "seed"),
    ("sample_points: inf interval", lambda: ntklab.sample_points(5, hi=INF), "lo < hi"),
    ("make_dataset: bad expression", lambda: ntklab.make_dataset("sin(", 5), "parse"),
]


# The finite-width API (JAX; the small nets are built on first use, not at collection).
@functools.cache
def _net(width=8):
    return ntklab.init_params(0, width)


Y = np.sin(X)
TABLE += [
    ("init_params: width 0", lambda: ntklab.init_params(0, 0), "width must"),
    ("init_params: negative width", lambda: ntklab.init_params(0, -5), "width must"),
    ("init_params: huge width", lambda: ntklab.init_params(0, 10**9), "width must"),
    ("init_params: float width", lambda: ntklab.init_params(0, 2.5), "width must"),
    ("init_params: NaN width", lambda: ntklab.init_params(0, NAN), "width must"),
    ("init_params: depth 0", lambda: ntklab.init_params(0, 8, depth=0), "depth must"),
    ("init_params: init_scale inf", lambda: ntklab.init_params(0, 8, init_scale=INF),
     "init_scale"),
    ("init_params: init_scale NaN", lambda: ntklab.init_params(0, 8, init_scale=NAN),
     "init_scale"),
    ("init_params: negative init_scale", lambda: ntklab.init_params(0, 8, init_scale=-1),
     "init_scale"),
    ("init_params: bad trick name", lambda: ntklab.init_params(0, 8, trick="magic"),
     "trick must"),
    ("init_params: trick not text", lambda: ntklab.init_params(0, 8, trick=3), "trick must"),
    ("init_params: out_bias text", lambda: ntklab.init_params(0, 8, out_bias="yes"),
     "out_bias"),
    ("init_params: seed text", lambda: ntklab.init_params("abc", 8), "seed must"),
    ("init_params: seed NaN", lambda: ntklab.init_params(NAN, 8), "seed must"),
    ("init_params: over memory budget", lambda: ntklab.init_params(0, 100_000, depth=5),
     "GiB"),
    ("apply: not params", lambda: ntklab.apply({"w": 1}, X), "params must"),
    ("apply: NaN x", lambda: ntklab.apply(_net(), [0.0, NAN]), "finite"),
    ("apply: inf x", lambda: ntklab.apply(_net(), [INF]), "finite"),
    ("apply: empty x", lambda: ntklab.apply(_net(), []), "between 1"),
    ("apply: 2-D x", lambda: ntklab.apply(_net(), np.ones((2, 2))), "1-D"),
    ("empirical_ntk: NaN x", lambda: ntklab.empirical_ntk(_net(), [NAN]), "finite"),
    ("empirical_ntk: inf x2", lambda: ntklab.empirical_ntk(_net(), X, [INF]), "x2 must"),
    ("empirical_ntk: empty x", lambda: ntklab.empirical_ntk(_net(), []), "between 1"),
    ("empirical_ntk: 2-D x", lambda: ntklab.empirical_ntk(_net(), np.ones((3, 2))), "1-D"),
    ("empirical_ntk: not params", lambda: ntklab.empirical_ntk(None, X), "params must"),
    ("empirical_ntk: over memory budget",
     lambda: ntklab.empirical_ntk(_net(), np.zeros(19_000)), "GiB"),
    ("train: y wrong length", lambda: ntklab.train(_net(), X, Y[:3]), "length"),
    ("train: NaN in y", lambda: ntklab.train(_net(), X, np.r_[Y[:-1], NAN]), "finite"),
    ("train: inf in x", lambda: ntklab.train(_net(), np.r_[X[:-1], INF], Y), "finite"),
    ("train: empty x", lambda: ntklab.train(_net(), [], []), "between 1"),
    ("train: negative steps", lambda: ntklab.train(_net(), X, Y, steps=-1), "steps must"),
    ("train: huge steps", lambda: ntklab.train(_net(), X, Y, steps=10**12), "steps must"),
    ("train: lr NaN", lambda: ntklab.train(_net(), X, Y, lr=NAN), "lr must"),
    ("train: negative lr", lambda: ntklab.train(_net(), X, Y, lr=-0.1), "lr must"),
    ("train: huge lr", lambda: ntklab.train(_net(), X, Y, lr=1e30), "lr must"),
    ("train: bad dtype", lambda: ntklab.train(_net(), X, Y, dtype="float16"), "dtype"),
    ("train: record 0", lambda: ntklab.train(_net(), X, Y, record=0), "record must"),
    ("train: ensemble of different widths",
     lambda: ntklab.train([_net(8), _net(16)], X, Y), "same widths"),
    ("train: empty ensemble", lambda: ntklab.train([], X, Y), "non-empty"),
    ("train: not params", lambda: ntklab.train("net", X, Y), "params must"),
    ("convergence_vs_width: no widths", lambda: ntklab.convergence_vs_width(()),
     "at least 2"),
    ("convergence_vs_width: negative width",
     lambda: ntklab.convergence_vs_width((-1, 64)), "widths must"),
    ("convergence_vs_width: huge width",
     lambda: ntklab.convergence_vs_width((64, 10**9)), "widths must"),
    ("convergence_vs_width: one width", lambda: ntklab.convergence_vs_width((64,)),
     "at least 2"),
    ("convergence_vs_width: no seeds",
     lambda: ntklab.convergence_vs_width((64, 128), seeds=()), "seeds"),
    ("convergence_vs_samples: n_train 0", lambda: ntklab.convergence_vs_samples((0, 8)),
     "n_train must"),
    ("trick_comparison: negative width", lambda: ntklab.trick_comparison(width=-1),
     "width must"),
    ("trick_comparison: huge width", lambda: ntklab.trick_comparison(width=10**9),
     "width must"),
    ("trick_comparison: init_scale NaN",
     lambda: ntklab.trick_comparison(width=8, init_scale=NAN), "init_scale"),
    ("lazy_run: n_train 0", lambda: ntklab.lazy_run(8, n_train=0), "n_train must"),
    ("lazy_run: width 0", lambda: ntklab.lazy_run(0), "width must"),
    ("lazy_run: unsafe target", lambda: ntklab.lazy_run(8, target="__import__('os')"),
     "target|unknown"),
]


@pytest.mark.parametrize("description,call,words", TABLE, ids=[row[0] for row in TABLE])
def test_bad_input_gives_clear_value_error(description, call, words):
    with pytest.raises(ValueError, match=words):
        call()


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.integers(-10**12, 10**12), st.floats(allow_nan=True), st.booleans(),
                 st.text(max_size=5), st.none()))
def test_as_int_accepts_only_ints_in_range(value):
    try:
        out = v.as_int(value, "n", 1, 100)
    except ValueError as exc:
        assert "n must" in str(exc)
        return
    assert isinstance(out, int) and 1 <= out <= 100 and not isinstance(value, bool | float)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**9, 10**9),
                 st.text(max_size=5), st.booleans()))
def test_as_positive_accepts_only_finite_in_range(value):
    try:
        out = v.as_positive(value, "init_scale", hi=1e3)
    except ValueError as exc:
        assert "init_scale" in str(exc)
        return
    assert math.isfinite(out) and 0 < out <= 1e3


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=8))
def test_as_points_refuses_non_finite(values):
    try:
        out = v.as_points(values, "x")
    except ValueError:
        assert not values or not all(math.isfinite(z) for z in values)
        return
    assert out.shape == (len(values),) and np.all(np.isfinite(out))
