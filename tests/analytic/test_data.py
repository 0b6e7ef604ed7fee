import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ntklab

X = np.linspace(-1, 1, 11)


@pytest.mark.parametrize("name", sorted(ntklab.TARGETS))
def test_named_targets_parse_and_are_finite(name):
    t = ntklab.TARGETS[name]
    x = np.linspace(t.lo, t.hi, 101)
    y = ntklab.target_values(name, x)
    assert y.shape == (101,) and np.all(np.isfinite(y))


def test_parser_agrees_with_numpy():
    got = ntklab.parse_target("sin(3*x) + 0.5*abs(x) - x**2/2 + exp(-x) * (x > 0)")(X)
    want = np.sin(3 * X) + 0.5 * np.abs(X) - X**2 / 2 + np.exp(-X) * (X > 0)
    np.testing.assert_allclose(got, want, rtol=1e-14)
    np.testing.assert_allclose(ntklab.parse_target("2")(X), 2.0)
    np.testing.assert_allclose(ntklab.parse_target("pi*e")(X), np.pi * np.e)
    np.testing.assert_allclose(ntklab.parse_target("x**-2")(np.array([2.0])), 0.25)


@pytest.mark.parametrize(
    "expr,match",
    [
        ("__import__('os').system('ls')", "unknown function"),
        ("x.__class__", "Attribute"),
        ("().__class__.__bases__", "Attribute"),
        ("open('/etc/passwd')", "unknown function"),
        ("eval('1')", "unknown function"),
        ("globals()", "unknown function"),
        ("np.sin(x)", "unknown function"),
        ("lambda: 1", "Lambda"),
        ("[x for x in range(10)]", "ListComp"),
        ("9**9**9", "exponents"),
        ("x**100", "exponents"),
        ("x**x", "exponents"),
        ("2**(3)**(4)", "exponents"),
        ("y + 1", "unknown name"),
        ("'a' * 3", "numbers"),
        ("1e300 * x", "at most"),
        ("x if x else 1", "IfExp"),
        ("sin(x, 2)", "one argument"),
        ("sin(x=1)", "one argument"),
        ("0 < x < 1", "single comparisons"),
        ("x == 1", "single comparisons"),
        ("x; import os", "cannot parse"),
        ("sin(" * 30 + "x" + ")" * 30, "nested too deeply"),
        ("(" * 50 + "x" + ")" * 50 + "+1", None),
        ("x+" * 120 + "x", "too long|longer"),
        ("", "empty"),
        ("sin(3*x", "cannot parse"),
        ("x // 2", "not allowed"),
        ("~x", "not allowed"),
    ],
)
def test_parser_rejects(expr, match):
    if match is None:  # brackets alone are harmless: they add no nesting
        assert np.all(np.isfinite(ntklab.parse_target(expr)(X)))
        return
    with pytest.raises(ValueError, match=match):
        ntklab.parse_target(expr)(X)


def test_non_finite_values_are_reported():
    with pytest.raises(ValueError, match="not finite at x"):
        ntklab.parse_target("log(x)")(X)
    with pytest.raises(ValueError, match="not finite"):
        ntklab.parse_target("1/x")(np.array([0.0]))
    with pytest.raises(ValueError, match="string"):
        ntklab.parse_target(3)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_parser_fuzz_only_value_errors(text):
    """Any text either parses to a finite function or raises ValueError, and fast."""
    try:
        out = ntklab.parse_target(text)(X)
    except ValueError:
        return
    assert out.shape == X.shape and np.all(np.isfinite(out))


@settings(max_examples=200, deadline=None)
@given(st.recursive(
    st.sampled_from(["x", "1", "2.5", "pi"]),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(st.sampled_from(["sin", "exp", "abs", "tanh"]), inner).map(
            lambda t: f"{t[0]}({t[1]})"),
    ),
    max_leaves=12,
))
def test_parser_fuzz_valid_grammar(expr):
    try:
        out = ntklab.parse_target(expr)(X)
    except ValueError as exc:  # overflow or division by zero, reported as such
        assert "not finite" in str(exc) or "too" in str(exc)
        return
    assert np.all(np.isfinite(out))


def test_sampling():
    g = ntklab.sample_points(5, lo=-2, hi=2)
    np.testing.assert_allclose(g, [-2, -1, 0, 1, 2])
    r1 = ntklab.sample_points(100, kind="random", seed=4)
    r2 = ntklab.sample_points(100, kind="random", seed=4)
    np.testing.assert_array_equal(r1, r2)
    assert np.all(np.diff(r1) >= 0) and r1.min() >= -1 and r1.max() <= 1
    with pytest.raises(ValueError, match="seed"):
        ntklab.sample_points(10, kind="random")
    with pytest.raises(ValueError, match="kind"):
        ntklab.sample_points(10, kind="sobol")
    with pytest.raises(ValueError, match="n must"):
        ntklab.sample_points(0)
    with pytest.raises(ValueError, match="lo < hi"):
        ntklab.sample_points(3, lo=1, hi=1)


def test_make_dataset_uses_target_interval():
    d = ntklab.make_dataset("three_sines", 20, 64)
    assert d.x_train.min() == pytest.approx(-np.pi) and d.x_test.max() == pytest.approx(np.pi)
    np.testing.assert_allclose(d.y_test, np.sin(d.x_test) + np.sin(3 * d.x_test)
                               + np.sin(5 * d.x_test))
    typed = ntklab.make_dataset("x**2", 5, 7, kind="random", seed=1)
    np.testing.assert_allclose(typed.y_train, typed.x_train**2)
