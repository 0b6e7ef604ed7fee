"""Shared helpers for the notebook and exercise tests."""

from __future__ import annotations

SMALL_OFF, SMALL_ON = "SMALL = False", "SMALL = True"


def parameters_cell(nb):
    """The single code cell tagged ``parameters`` (papermill's convention)."""
    cells = [c for c in nb.cells
             if c.cell_type == "code" and "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1, f"expected one cell tagged 'parameters', found {len(cells)}"
    return cells[0]


def set_small(nb):
    """Switch the notebook's size knob to its reduced setting, in place."""
    cell = parameters_cell(nb)
    assert SMALL_OFF in cell.source, f"the parameters cell must contain {SMALL_OFF!r}"
    cell.source = cell.source.replace(SMALL_OFF, SMALL_ON, 1)
    return nb
