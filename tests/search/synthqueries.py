"""A query set made from any records tree (e.g. `laomo synth --workers 20000 --homes 2000`): the queries a
visitor types for people and homes the suite was not written for, each with every record it may rightly find.

For a sample of the shown records (those with a page in the built site), seeded so runs compare:

- names, given names, the joined pinyin, the initials, the name in traditional characters (name queries);
- a part of the unit (its first characters after the place), four characters of the story, honour + year,
  the studio's name, a home's name.

What a query may find is worked out over ALL records, not only the sampled one: 王建华 expects every 王建华,
``wjh`` every person whose initials are wjh, 全国劳动模范 2015 everyone honoured so that year, and four
characters of a story every profile whose text holds them. So top-1 asks "is the first result one of the
records this query describes", which is what a visitor can expect when several share a name.

    .venv/bin/python -m tests.search.quality --site /tmp/s2k/site --records /tmp/s2k/records
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from pathlib import Path

import yaml

from generator.site.searchterms import name_words, split_name, traditional_forms
from tests.search.quality import Query

PER_KIND = 15
_HAN_RUN = re.compile(r"[\u3400-\u9fff]{4,}")
_PLACE = re.compile(r"^(?:.{2,3}?(?:省|市|自治区))?(?:.{2,3}?(?:市|州|盟))?(?:.{1,3}?(?:区|县|旗))?")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load(folder: Path) -> list[dict]:
    return [yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) for path in sorted(folder.glob("*.yml"))]


def _text(record: dict) -> str:
    parts = [record.get("summary") or "", record.get("story") or "", *(record.get("achievements") or [])]
    return "\n".join(str(p) for p in parts)


def _pick(rng: random.Random, items: list, n: int = PER_KIND) -> list:
    return rng.sample(items, min(n, len(items)))


def _who_is_found(workers: list[dict]) -> tuple[dict[str, set[str]], ...]:
    """The people found by each hidden name word, full name, given name and honour with its year."""
    by_word: dict[str, set[str]] = defaultdict(set)
    by_name: dict[str, set[str]] = defaultdict(set)
    by_given: dict[str, set[str]] = defaultdict(set)
    by_honour: dict[str, set[str]] = defaultdict(set)
    for w in workers:
        for word in name_words(w["name"], w.get("name_pinyin")):
            by_word[word].add(w["id"])
        by_name[w["name"]].add(w["id"])
        by_given[split_name(w["name"])[1]].add(w["id"])
        for h in w["honours"]:
            if not h.get("revoked"):
                by_honour[f"{h['title']} {h['year']}"].add(w["id"])
    return by_word, by_name, by_given, by_honour


def make_queries(records: Path, site: Path, per_kind: int = PER_KIND, seed: int = 1) -> list[Query]:
    """The query set of `records` as built into `site` (only records with a page there are expected)."""
    rng = random.Random(seed)
    workers = [w for w in _load(records / "workers") if (site / "workers" / w["id"] / "index.html").exists()]
    homes = [h for h in _load(records / "homes") if (site / "homes" / h["id"] / "index.html").exists()]
    stories = {path.stem: path.read_text(encoding="utf-8") for path in sorted((records / "stories").glob("*.md"))
               if (site / "stories" / path.stem / "index.html").exists()}
    by_word, by_name, by_given, by_honour = _who_is_found(workers)
    queries: list[Query] = []
    seen: set[str] = set()

    def add(text: str, kind: str, expect: set[str], note: str = "") -> None:
        if text and expect and text not in seen:
            seen.add(text)
            queries.append(Query(text, kind, frozenset(expect), note))

    for w in _pick(rng, workers, per_kind):
        add(w["name"], "name-full", by_name[w["name"]])
    for w in _pick(rng, workers, per_kind):
        given = split_name(w["name"])[1]
        if len(given) >= 2:
            add(given, "name-given", by_given[given])
    for w in _pick(rng, workers, per_kind):
        full = name_words(w["name"], w.get("name_pinyin"))
        pinyin = next((x for x in full if not x.startswith("vx") and len(x) > 4), "")
        add(pinyin, "pinyin", by_word.get(pinyin, set()))
    for w in _pick(rng, workers, per_kind):
        words = [x for x in name_words(w["name"], w.get("name_pinyin")) if not x.startswith("vx")]
        if len(words) >= 3:  # full pinyin, given name's pinyin, initials (the likeliest reading first)
            add(words[2], "initials", by_word[words[2]])
    for w in _pick(rng, workers, per_kind):
        forms = traditional_forms(w["name"])
        if forms:
            add(forms[0], "traditional", by_name[w["name"]], note=w["name"])
    for w in _pick(rng, workers, per_kind):
        core = w["unit"][len(_PLACE.match(w["unit"]).group(0)):][:6]
        if len(core) >= 4:
            add(core, "unit", {x["id"] for x in workers if core in x["unit"]})
    for w in _pick(rng, workers, per_kind):
        runs = [r for r in _HAN_RUN.findall(_text(w)) if w["name"] not in r]
        if runs:
            run = rng.choice(runs)
            start = rng.randrange(len(run) - 3)
            words = run[start:start + 4]
            add(words, "skill", {x["id"] for x in workers if words in _text(x)} |
                {h["id"] for h in homes if words in _text(h)} | {slug for slug, body in stories.items() if words in body})
    for w in _pick(rng, workers, per_kind):
        shown = [h for h in w["honours"] if not h.get("revoked")]
        if shown:
            h = rng.choice(shown)
            add(f"{h['title']} {h['year']}", "honour-year", by_honour[f"{h['title']} {h['year']}"])
    with_studio = [w for w in workers if w.get("studio")]
    for w in _pick(rng, with_studio, per_kind):
        add(w["studio"]["name"], "studio", {x["id"] for x in with_studio if x["studio"]["name"] == w["studio"]["name"]})
    for h in _pick(rng, homes, per_kind):
        add(h["name"], "home", {x["id"] for x in homes if x["name"] == h["name"]})
    return queries
