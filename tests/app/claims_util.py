"""Helpers of the claim tests: every dashboard at its defaults and at every preset linked
from the product's text, with the claims its captions make checked.

Each ``test_claims_<dashboard>.py`` defines ``EXPECTED = {query: {claim name: holds}}``:
for the defaults (query ``""``) and each linked preset, the claims that demonstrate the
page's point there (or, where the honest result is the opposite, that it does not hold).
``test_claims_links.py`` fails for a link in the product text that no ``EXPECTED`` covers.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

ROOT = Path(__file__).resolve().parents[2]
LINK = re.compile(r"\b(spectrum|frequency|lazy|initialization|ensemble|regimes|digits)\.ipynb"
                  r"\?([^\s)\"'`<>\]\\]+)")


def canonical(query: str) -> str:
    """A query without ``lang`` (claims do not depend on it), its pairs sorted."""
    pairs = sorted((k, v) for k, v in parse_qsl(query.rstrip(".,;`")) if k != "lang")
    return urlencode(pairs)


def product_texts():
    """(path, text) of every product text a user reads: README, docs, notebooks, strings."""
    paths = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")),
             *sorted((ROOT / "notebooks").rglob("*.ipynb")),
             *sorted((ROOT / "notebooks").rglob("*.md")),
             ROOT / "ntklab" / "app" / "strings.py"]
    for path in paths:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".ipynb":
            text = "\n".join("".join(c["source"]) for c in json.loads(text)["cells"])
        yield path, text


def linked_presets() -> dict[str, set[str]]:
    """{dashboard module: {canonical query}} of every link in the product text."""
    found: dict[str, set[str]] = {}
    for _, text in product_texts():
        for module, query in LINK.findall(text):
            found.setdefault(module, set()).add(canonical(query))
    return found


def check(dash, expected: dict[str, bool]) -> None:
    """``dash`` drew without error, each expected claim has the expected value, and every
    caption quotes exactly its claims' texts, in English and in Chinese."""
    assert dash.error is None, dash.error
    shown = {c.name.split(".", 1)[1]: c for c in dash.shown_claims}
    wrong = {name: (shown[name].holds, dash.claim_text(shown[name]))
             for name, holds in expected.items() if name in shown and shown[name].holds != holds}
    missing = set(expected) - set(shown)
    assert not missing, f"claims not made: {missing}"
    assert not wrong, f"claims that do not come out as the page's point needs: {wrong}"
    for name, _ in dash.FIGURES:
        caption = dash.caption_text(name)
        for c in dash.shown_claims:
            if c.figure == name:
                assert dash.claim_text(c) in caption
    html = " ".join(h.value for h in dash.caption_html.values())
    for c in dash.shown_claims:
        assert f"data-claim='{c.name}' data-holds='{int(c.holds)}'" in html


def set_defaults(dash) -> None:
    """Every control of ``dash`` at its default, in English."""
    dash.set(**{p.name: p.default for p in dash.PARAMS}, lang="en")


def sweep_at_defaults(dash, expected: dict[str, bool]):
    """The sweep button pressed at the defaults, in English: ``expected`` holds (with the
    claims the sweep adds); returns the sweep."""
    set_defaults(dash)
    dash.run_sweep()
    check(dash, expected)
    return dash.result[1]


def check_preset(dash, query: str, expected: dict[str, bool], later=()) -> None:
    """The defaults with ``query`` applied: ``expected`` holds in English and in Chinese, and
    none of the ``later`` claims (made only once the sweep button has run) is shown yet."""
    set_defaults(dash)
    dash.apply_query(query)
    check(dash, expected)
    assert not {c.name.split(".", 1)[1] for c in dash.shown_claims} & set(later)
    dash.set(lang="zh")
    check(dash, expected)
