"""The search quality suite (queries.yml) through the real search box, with its targets as assertions."""

from __future__ import annotations

import pytest

from tests.search.quality import (
    KINDS,
    NAME_KINDS,
    NAME_TOP1_TARGET,
    TOP5_TARGET,
    load_queries,
    rates,
    report,
    run_queries,
)

pytestmark = pytest.mark.browser


def test_the_suite_is_large_and_covers_every_kind():
    queries = load_queries()
    assert len(queries) >= 40
    assert {q.kind for q in queries} == set(KINDS)
    texts = [q.query for q in queries]
    assert len(texts) == len(set(texts)), "a query appears twice"


def test_search_quality_meets_its_targets(chromium, search_base):
    outcomes = run_queries(chromium, search_base, load_queries())
    lines = report(outcomes)
    print("\n".join(lines))
    table = rates(outcomes)
    name1, _, names = table["name"]
    _, all5, total = table["all"]
    assert names == sum(1 for o in outcomes if o.query.kind in NAME_KINDS)
    assert name1 / names >= NAME_TOP1_TARGET, "\n".join(lines)
    assert all5 / total >= TOP5_TARGET, "\n".join(lines)
