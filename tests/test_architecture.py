"""The layout holds: arrows point one way (analytic ← finite ← experiments ← figures, app,
export, checks ← cli), no private name is imported across modules, and every docstring
example runs (docs/architecture.md)."""

from __future__ import annotations

import ast
import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import ntklab

PACKAGE = Path(ntklab.__file__).parent

# Layers, lowest first: a module may import from its own layer and from those below it.
LAYERS = {
    "analytic": 0,
    "finite": 1,
    "experiments": 2,
    "figures": 3,
    "checks": 3,
    "app": 4,
    "export": 4,
    "cli": 5,
}
# What may never be imported at all, by layer (analytic is numpy/scipy only).
FORBIDDEN = {"analytic": ("jax", "plotly", "ipywidgets"), "experiments": ("plotly", "ipywidgets"),
             "finite": ("plotly", "ipywidgets")}


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        name = ".".join(rel.parts)
        if name.endswith(".__init__"):
            name = name[: -len(".__init__")]
        yield name, path


def _imports(name, path):
    """(imported module, imported names, line) for each import in the file, resolved."""
    tree = ast.parse(path.read_text(), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            yield module, [a.name for a in node.names], node.lineno
        elif isinstance(node, ast.Import):
            for a in node.names:
                yield a.name, [], node.lineno


def _layer(module):
    parts = module.split(".")
    if parts[0] != "ntklab" or len(parts) < 2:
        return None
    return parts[1]


MODULES = list(_modules())


def test_every_module_belongs_to_a_layer():
    for name, _ in MODULES:
        layer = _layer(name)
        assert layer is None or layer in LAYERS, f"{name}: add its layer to LAYERS"


@pytest.mark.parametrize("name, path", MODULES, ids=[m for m, _ in MODULES])
def test_arrows_point_one_way(name, path):
    own = _layer(name)
    for module, names, line in _imports(name, path):
        root = module.split(".")[0]
        if own in FORBIDDEN and root in FORBIDDEN[own]:
            pytest.fail(f"{name}:{line} imports {module}: {own}/ never imports {root}")
        target = _layer(module)
        if module == "ntklab" and names:  # `from ntklab import x`: the public API
            targets = {ntklab._LAZY.get(n, "analytic").split(".")[0] for n in names}
        else:
            targets = {target} if target else set()
        for t in targets:
            if own is not None and t in LAYERS and LAYERS[t] > LAYERS[own]:
                pytest.fail(f"{name}:{line} imports {module} ({t}, above {own}): arrows "
                            "point one way, analytic ← finite ← experiments ← figures/app/"
                            "export ← cli")


@pytest.mark.parametrize("name, path", MODULES, ids=[m for m, _ in MODULES])
def test_no_private_name_crosses_a_module(name, path):
    for module, names, line in _imports(name, path):
        if not module.startswith("ntklab"):
            continue
        private = [n for n in names if n.startswith("_") and not n.startswith("__")]
        assert not private, f"{name}:{line} imports private {private} from {module}"
        assert not any(p.startswith("_") and not p.startswith("__")
                       for p in module.split(".")), f"{name}:{line} imports private {module}"


def test_tests_import_no_private_name():
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ntklab"):
                private = [a.name for a in node.names if a.name.startswith("_")]
                assert not private, f"{path.name}:{node.lineno} imports private {private}"
                assert not any(p.startswith("_") for p in node.module.split(".")), \
                    f"{path.name}:{node.lineno} imports private module {node.module}"


def test_the_public_api_is_explicit():
    assert len(set(ntklab.__all__)) == len(ntklab.__all__)  # a literal list, each name once
    for name in ntklab.__all__:
        assert not name.startswith("_")
        getattr(ntklab, name)  # every public name resolves
    assert "bucket_size" not in ntklab.__all__  # an implementation detail


def _doctest_modules():
    out = []
    for info in pkgutil.walk_packages(ntklab.__path__, "ntklab."):
        if info.name.startswith("ntklab.app"):  # widgets and servers: tested in tests/app
            continue
        out.append(info.name)
    return out


@pytest.mark.parametrize("name", _doctest_modules())
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
                             verbose=False)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"


def test_docstring_examples_exist():
    finder = doctest.DocTestFinder()
    count = sum(len(t.examples) for name in _doctest_modules()
                for t in finder.find(importlib.import_module(name)))
    assert count >= 15
