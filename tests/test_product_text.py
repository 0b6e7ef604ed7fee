"""Product text names the source texts by author, title and year, never by the project's
internal numbers ("seed 003", "the seed's figure"): next to a "net seed" control a student
reads those as random seeds."""

import re

from tests.app.claims_util import ROOT, product_texts

JARGON = re.compile(
    r"seed\s*0\d\d|seeds?\s*\(0\d\d|the seed'?s? (?:text|figure|paper|notes?|net)|"
    r"\bseed texts?\b|shared/seeds|种子文献|种子文本|种子材料",
    re.IGNORECASE)


def test_no_source_is_named_by_an_internal_number():
    texts = list(product_texts())
    code = [(p, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "ntklab").rglob("*.py"))]
    hits = [f"{path.relative_to(ROOT)}: …{text[max(0, m.start() - 40):m.end() + 40]!r}…"
            for path, text in texts + code for m in JARGON.finditer(text)]
    assert not hits, "\n".join(hits)


def test_the_pattern_catches_what_users_saw():
    for text in ("as seed 003 reports", "The seeds (000, 001, after Lee)", "the seed's figure",
                 "种子文献说的"):
        assert JARGON.search(text), text
    for text in ("net seed", "seeds=(0, 1, 2)", "first seed", "随机种子"):
        assert not JARGON.search(text), text
