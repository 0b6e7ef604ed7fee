"""Project hygiene: environments in step, lint clean, README's two commands present."""

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def _pip_lines(path):
    env = yaml.safe_load(path.read_text())
    pip = [d for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    return env, (pip[0]["pip"] if pip else [])


def _norm(req):
    return re.sub(r"\s+", "", req).lower()


def test_binder_environment_is_identical_to_root():
    assert (ROOT / "binder" / "environment.yml").read_text() == (
        ROOT / "environment.yml"
    ).read_text()


def test_environment_pins_match_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env, pip = _pip_lines(ROOT / "environment.yml")
    assert sorted(map(_norm, pip)) == sorted(map(_norm, project["dependencies"]))
    python = [d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python")]
    assert python and ">=3.11" in python[0]
    assert project["requires-python"] == ">=3.11"


def test_binder_post_build_installs_package():
    text = (ROOT / "binder" / "postBuild").read_text()
    assert "set -e" in text and "pip install" in text


def test_readme_names_the_two_commands_and_ci_calls_the_test_one():
    readme = (ROOT / "README.md").read_text()
    assert "make app" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()


@pytest.mark.skipif(shutil.which("ruff") is None and not Path(sys.executable).with_name(
    "ruff").exists(), reason="ruff not installed")
def test_ruff_is_clean():
    ruff = Path(sys.executable).with_name("ruff")
    cmd = [str(ruff) if ruff.exists() else "ruff", "check", str(ROOT)]
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_public_names_are_not_shadowed_by_submodules():
    """Importing a submodule binds it on the package; no public name may be a module."""
    import importlib
    import pkgutil
    import types

    import ntklab

    for info in pkgutil.walk_packages(ntklab.__path__, "ntklab."):
        if not info.name.startswith("ntklab.app"):
            importlib.import_module(info.name)
    for name in ntklab.__all__:
        assert not isinstance(getattr(ntklab, name), types.ModuleType), name


def test_import_ntklab_does_not_import_jax():
    code = "import sys, ntklab; sys.exit('jax' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_every_non_python_file_in_the_package_is_package_data():
    """A wheel (not the editable install) keeps only .py files plus package-data: the app's
    figure.js and vendored plotly.js must be listed, or `pip install .` breaks the figures.
    (Checked by hand once with `pip wheel --no-deps .`: the three static files are in it.)"""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    data = config.get("package-data", {})
    missing = []
    for path in (ROOT / "ntklab").rglob("*"):
        if not path.is_file() or path.suffix in {".py", ".pyc"}:
            continue
        rel = path.relative_to(ROOT)
        package = ".".join(rel.parent.parts)
        while package and package not in data:
            package = package.rpartition(".")[0]
        pkg_dir = ROOT.joinpath(*package.split("."))
        inside = path.relative_to(pkg_dir)
        if not package or not any(inside.match(glob) for glob in data[package]):
            missing.append(str(rel))
    assert (ROOT / "ntklab" / "app" / "serving" / "static" / "figure.js").exists()
    assert not missing, f"not in [tool.setuptools.package-data]: {missing}"
