"""Relevance: the entry (or catchment page) that answers a reader's query is among the first three
results, and first as often as it was when the floor below was measured."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kb.search import engine_for

CASES = yaml.safe_load((Path(__file__).parent / "search_relevance.yml").read_text("utf-8"))
THRESHOLD = 0.9
# hit@1 measured on ba96151 (issue 19 landed): 57 of 64 cases in English, 55 of 64 in French.
# A floor, not an aim: raise it when relevance improves, never lower it to let a change through.
HIT_AT_1_FLOOR = {"en": 57 / 64, "fr": 55 / 64}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_hit_at_3_is_at_least_90_percent_and_hit_at_1_holds_its_floor(site, lang):
    cases = CASES[lang]
    assert len(cases) >= 30
    engine = engine_for(site)
    misses, firsts = [], []
    for case in cases:
        wanted = case["id"] if isinstance(case["id"], list) else [case["id"]]
        pages = {area.search_id for area in site.catchment_areas}
        assert all(site.get(lang, id) or id in pages for id in wanted), f"unknown page in {case}"
        found = [hit.doc.id for hit in engine.search(lang, case["q"], limit=3).hits]
        if not set(wanted) & set(found):
            misses.append(f"{case['q']!r}: wanted {wanted}, got {found}")
        elif found[0] not in wanted:
            firsts.append(f"{case['q']!r}: wanted {wanted} first, got {found}")
    hit_rate = 1 - len(misses) / len(cases)
    hit_at_1 = 1 - (len(misses) + len(firsts)) / len(cases)
    print(f"{lang}: hit@1 {hit_at_1:.3f}, hit@3 {hit_rate:.3f} over {len(cases)} queries")
    assert hit_rate >= THRESHOLD, f"hit@3 {hit_rate:.0%} in {lang}; misses:\n" + "\n".join(misses)
    assert hit_at_1 >= HIT_AT_1_FLOOR[lang] - 1e-9, (
        f"hit@1 {hit_at_1:.3f} in {lang}, below its floor {HIT_AT_1_FLOOR[lang]:.3f}; "
        "not first:\n" + "\n".join(firsts + misses)
    )
