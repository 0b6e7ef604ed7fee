"""Sample points, named target functions and a safe parser for typed expressions in x.

A student may type a target such as ``sin(3*x) + 0.5*abs(x)``. The text is parsed with
Python's ``ast`` module and evaluated by walking a whitelist of node types over numpy
arrays: no ``eval``/``exec``/``compile`` of user text, no attribute access, no names but
``x``, ``pi``, ``e`` and the functions listed in :data:`FUNCTIONS`, bounded length, nesting
and exponents, and the result must be finite.
"""

from __future__ import annotations

import ast
import operator
from dataclasses import dataclass

import numpy as np

from .validate import as_int, as_points

__all__ = [
    "FUNCTIONS",
    "TARGETS",
    "Dataset",
    "Target",
    "make_dataset",
    "parse_target",
    "resolve_target",
    "sample_points",
    "target_values",
]

MAX_EXPR_CHARS = 200
MAX_NODES = 120
MAX_DEPTH = 24
MAX_ABS_EXPONENT = 16.0
MAX_ABS_CONSTANT = 1e6
MAX_POINTS = 20_000


def _relu(v):
    return np.maximum(v, 0.0)


def _step(v):
    return np.where(v > 0, 1.0, 0.0)


FUNCTIONS = {
    "sin": np.sin, "cos": np.cos, "tan": np.tan, "exp": np.exp, "log": np.log,
    "sqrt": np.sqrt, "abs": np.abs, "tanh": np.tanh, "sinh": np.sinh, "cosh": np.cosh,
    "arctan": np.arctan, "atan": np.arctan, "sign": np.sign, "relu": _relu, "step": _step,
}
_CONSTANTS = {"pi": np.pi, "e": np.e}
_BINARY = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.Pow: operator.pow,
}
_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos}
_COMPARE = {ast.Gt: operator.gt, ast.Lt: operator.lt, ast.GtE: operator.ge, ast.LtE: operator.le}


def _const(node) -> float | None:
    """The numeric value of a constant or a signed constant node, else None."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _const(node.operand)
        return None if inner is None else (-inner if isinstance(node.op, ast.USub) else inner)
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return float(node.value)
    return None


def _check_tree(tree: ast.Expression, text: str) -> None:
    count = 0

    def visit(node, depth):
        nonlocal count
        count += 1
        if count > MAX_NODES:
            raise ValueError(f"expression is too long (over {MAX_NODES} parts): {text!r}")
        if depth > MAX_DEPTH:
            raise ValueError(f"expression is nested too deeply (over {MAX_DEPTH}): {text!r}")
        if isinstance(node, ast.Expression):
            children = [node.body]
        elif isinstance(node, ast.BinOp):
            if type(node.op) not in _BINARY:
                name = type(node.op).__name__
                raise ValueError(f"operator {name} is not allowed; use + - * / **")
            if isinstance(node.op, ast.Pow):
                power = _const(node.right)
                if power is None or abs(power) > MAX_ABS_EXPONENT:
                    raise ValueError(
                        f"exponents must be numbers between -{MAX_ABS_EXPONENT:g} and "
                        f"{MAX_ABS_EXPONENT:g}, as in x**3"
                    )
            children = [node.left, node.right]
        elif isinstance(node, ast.UnaryOp):
            if type(node.op) not in _UNARY:
                raise ValueError(f"operator {type(node.op).__name__} is not allowed")
            children = [node.operand]
        elif isinstance(node, ast.Compare):
            if len(node.ops) != 1 or type(node.ops[0]) not in _COMPARE:
                raise ValueError("only single comparisons (x > 0, x <= 1) are allowed")
            children = [node.left, *node.comparators]
        elif isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
                raise ValueError(f"unknown function; allowed: {', '.join(sorted(FUNCTIONS))}")
            if len(node.args) != 1 or node.keywords:
                raise ValueError(f"{node.func.id}() takes exactly one argument")
            children = node.args
        elif isinstance(node, ast.Name):
            if node.id != "x" and node.id not in _CONSTANTS:
                raise ValueError(f"unknown name {node.id!r}; use x, pi, e and functions")
            children = []
        elif isinstance(node, ast.Constant):
            if type(node.value) not in (int, float):
                raise ValueError(f"only numbers are allowed as constants, got {node.value!r}")
            if abs(float(node.value)) > MAX_ABS_CONSTANT:
                raise ValueError(f"constants must be at most {MAX_ABS_CONSTANT:g} in size")
            children = []
        else:
            raise ValueError(f"{type(node).__name__} is not allowed in a target expression")
        for child in children:
            visit(child, depth + 1)

    visit(tree, 0)


def _evaluate(node, x):
    if isinstance(node, ast.Expression):
        return _evaluate(node.body, x)
    if isinstance(node, ast.BinOp):
        return _BINARY[type(node.op)](_evaluate(node.left, x), _evaluate(node.right, x))
    if isinstance(node, ast.UnaryOp):
        return _UNARY[type(node.op)](_evaluate(node.operand, x))
    if isinstance(node, ast.Compare):
        op = _COMPARE[type(node.ops[0])]
        return op(_evaluate(node.left, x), _evaluate(node.comparators[0], x)).astype(np.float64)
    if isinstance(node, ast.Call):
        return FUNCTIONS[node.func.id](_evaluate(node.args[0], x))
    if isinstance(node, ast.Name):
        return x if node.id == "x" else np.full_like(x, _CONSTANTS[node.id])
    return np.full_like(x, float(node.value))  # ast.Constant, checked already


def parse_target(expr: str):
    """Parse a target expression in x into a function of a numpy array (never ``eval``).

    Allowed: numbers, ``x``, ``pi``, ``e``, ``+ - * /``, ``**`` with a constant exponent
    of size ≤ 16, single comparisons (``x > 0`` gives 1.0 or 0.0) and one-argument calls of
    :data:`FUNCTIONS`. The returned function raises ``ValueError`` where the expression is
    not finite (e.g. ``log(x)`` at x ≤ 0).

    >>> f = parse_target("sin(pi*x) + x**2")
    >>> float(f(np.array([0.5]))[0])
    1.25
    """
    if not isinstance(expr, str):
        raise ValueError(f"expr must be a string, got {type(expr).__name__}")
    text = expr.strip()
    if not text:
        raise ValueError("expr is empty; type a function of x such as sin(3*x)")
    if len(text) > MAX_EXPR_CHARS:
        raise ValueError(f"expr is longer than {MAX_EXPR_CHARS} characters")
    try:
        tree = ast.parse(text, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        raise ValueError(f"cannot parse {text!r}: check brackets and operators") from exc
    _check_tree(tree, text)

    def target(x):
        arr = as_points(x, "x", max_len=MAX_POINTS)
        with np.errstate(all="ignore"):
            out = np.broadcast_to(_evaluate(tree, arr), arr.shape).astype(np.float64)
        bad = ~np.isfinite(out)
        if bad.any():
            raise ValueError(f"{text!r} is not finite at x = {arr[bad][0]:.4g}")
        return out

    target.expr = text
    return target


@dataclass(frozen=True)
class Target:
    """A named target function: its expression in x and the interval it is meant for."""

    name: str
    expr: str
    label: str
    lo: float = -1.0
    hi: float = 1.0


TARGETS = {
    t.name: t
    for t in (
        Target("sin4x", "sin(4*x)", "sin 4x (the ASI experiment of Xu's lecture notes, Fig. 1.4)"),
        Target("three_sines", "sin(x) + sin(3*x) + sin(5*x)",
               "sin x + sin 3x + sin 5x (frequency principle)", -np.pi, np.pi),
        Target("three_sines_weighted", "sin(x) + 2*sin(3*x) + 3*sin(5*x)",
               "sin x + 2 sin 3x + 3 sin 5x", -np.pi, np.pi),
        Target("step", "sign(x)", "step, sign(x)"),
        Target("bump", "exp(-x**2/0.08)", "Gaussian bump"),
        Target("abs", "abs(x)", "|x|"),
    )
}


def resolve_target(target) -> Target:
    """A named target (a key of :data:`TARGETS`, with its own interval) or a typed
    expression in x (checked by :func:`parse_target`, on [−1, 1]) as a :class:`Target`.

    >>> resolve_target("three_sines").hi == np.pi, resolve_target("x**2").lo
    (True, -1.0)
    """
    if not isinstance(target, str):
        raise ValueError(f"target must be a preset name or an expression, got {target!r:.60}")
    if target in TARGETS:
        return TARGETS[target]
    expr = parse_target(target).expr
    return Target(name="custom", expr=expr, label=expr)


def target_values(target, x):
    """Values of a named target (a key of :data:`TARGETS`) or of a typed expression at x."""
    return parse_target(resolve_target(target).expr)(x)


def sample_points(n, *, kind="grid", seed=None, lo=-1.0, hi=1.0):
    """n sample points on [lo, hi], sorted: a uniform grid, or uniform random with a seed.

    ``kind="grid"`` gives ``linspace(lo, hi, n)``; ``kind="random"`` needs an integer seed
    (randomness is always explicit). On a symmetric interval (lo = −hi) the grid is made
    exactly symmetric, x = −x[::−1] to the bit (linspace is off by an ulp), which lets
    :func:`ntklab.ntk` compute half of the Gram matrix.
    """
    n = as_int(n, "n", 1, MAX_POINTS)
    lo, hi = float(lo), float(hi)
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi and max(abs(lo), abs(hi)) <= 1e3):
        raise ValueError(f"need finite lo < hi within ±1000, got lo={lo}, hi={hi}")
    if kind == "grid":
        x = np.linspace(lo, hi, n)
        if lo == -hi:
            x = (x - x[::-1]) / 2  # exact: a − b = −(b − a), and halving is exact
        return x
    if kind == "random":
        if seed is None:
            raise ValueError("kind='random' needs an integer seed")
        seed = as_int(seed, "seed", 0, 2**32 - 1)
        return np.sort(np.random.default_rng(seed).uniform(lo, hi, n))
    raise ValueError(f"kind must be 'grid' or 'random', got {kind!r}")


@dataclass(frozen=True)
class Dataset:
    """Training and test points of a 1-D regression problem."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    target: str


def make_dataset(target, n_train, n_test=500, *, kind="grid", seed=None, lo=None, hi=None):
    """Training points (grid or seeded random) and a uniform test grid for a target.

    The interval defaults to the named target's own (e.g. [−π, π] for the three sines),
    else [−1, 1].
    """
    named = resolve_target(target)
    lo = named.lo if lo is None else lo
    hi = named.hi if hi is None else hi
    f = parse_target(named.expr)
    x_train = sample_points(n_train, kind=kind, seed=seed, lo=lo, hi=hi)
    x_test = sample_points(n_test, kind="grid", lo=lo, hi=hi)
    return Dataset(x_train, f(x_train), x_test, f(x_test), target=f.expr)
