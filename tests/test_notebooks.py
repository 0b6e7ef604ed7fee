"""Every teaching notebook runs top to bottom at reduced size (``SMALL = True``).

Covers ``notebooks/*.ipynb``. The dashboards (``notebooks/dashboards/``) have their own
tests; the exercise solutions in ``notebooks/exercises/`` are executed and graded by
``tests/test_exercises.py`` (through ``otter run``, also at reduced size).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tests.notebook_utils import parameters_cell, set_small

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_notebooks_found():
    assert len(NOTEBOOKS) >= 1


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_structure(path):
    nb = nbformat.read(path, as_version=4)
    parameters_cell(nb)
    assert nb.cells[0].cell_type == "markdown" and "What you will learn" in nb.cells[0].source
    assert "Things to try" in nb.cells[-1].source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_small(path, tmp_path):
    nb = set_small(nbformat.read(path, as_version=4))
    # A generous start-up limit: on a loaded machine a fresh kernel can take longer than
    # nbclient's default 60 s to answer. Run time is measured by benchmarks, not asserted here.
    NotebookClient(nb, timeout=600, startup_timeout=240, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors, errors
    # progress in a notebook is a few short lines, never a dump of arrays
    streams = [o.get("text", "") for c in nb.cells if c.cell_type == "code"
               for o in c.get("outputs", []) if o.get("output_type") == "stream"]
    longest = max((len(line) for text in streams for line in text.splitlines()), default=0)
    assert longest <= 240, f"a printed line of {longest} characters"
    assert sum(map(len, streams)) <= 20_000, "more than 20 kB of printed output"
