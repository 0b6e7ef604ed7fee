"""Every dashboard preset linked from the product's text (README, docs, notebooks, the
index page, captions) is one whose claims a ``test_claims_<dashboard>.py`` checks."""

import importlib

from .claims_util import canonical, linked_presets


def test_every_linked_preset_has_its_claims_checked():
    uncovered = []
    for module, queries in linked_presets().items():
        expected = importlib.import_module(f"tests.app.test_claims_{module}").EXPECTED
        covered = {canonical(q) for q in expected}
        uncovered += [f"{module}.ipynb?{q}" for q in sorted(queries - covered)]
    assert not uncovered, f"linked presets without a claim test: {uncovered}"


def test_the_scan_finds_the_index_links():
    found = linked_presets()
    assert "depth=2&m=128" in found["initialization"]
    assert len(found) == 7
