"""What the public may see: the records of `PublicTree` reduced to what is shown.

Rules (site.md, records.md):

* a revoked honour is never shown;
* a person or home with no honour left to show is not shown at all: no page, and
  absent from every list, the search index, the sitemap, the statistics and the
  open data;
* a story is shown when at least one of its subjects is shown, and its `about`
  keeps only the subjects that are shown (it never links to a hidden one);
* a home's `parent` is kept only when that parent is shown.

`project` is pure: it returns new (frozen) model copies and never touches disk.
Everything the public site renders goes through it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.model.common import Honour
from generator.model.public import Home, PublicTree, Story, VocabEntry, Worker
from generator.model.standards import industry_section


@dataclass(frozen=True)
class PublicProjection:
    """The shown records, each with only its visible honours (sorted by year, then title)."""

    workers: dict[str, Worker]
    homes: dict[str, Home]
    stories: dict[str, Story]
    vocab: dict[str, VocabEntry]
    hidden: frozenset[str] = field(default_factory=frozenset)  # ids of workers and homes not shown

    def is_shown(self, record_id: str) -> bool:
        return record_id in self.workers or record_id in self.homes

    def stories_about(self, record_id: str) -> list[Story]:
        """Shown stories naming `record_id`, newest first."""
        found = [s for s in self.stories.values() if record_id in s.meta.about]
        return sorted(found, key=lambda s: (s.meta.date, s.slug), reverse=True)


def visible_honours(honours: list[Honour]) -> list[Honour]:
    """The honours that may be shown: not revoked, ordered by year then title."""
    return sorted((h for h in honours if h.revoked is None), key=lambda h: (h.year, h.title))


def industry_name(written: str | None) -> str | None:
    """The GB/T 4754-2017 section facets and charts group by; text it cannot place stays as written
    (the validator warns about it)."""
    section = industry_section(written)
    return section.name if section else written


def project(tree: PublicTree) -> PublicProjection:
    workers: dict[str, Worker] = {}
    homes: dict[str, Home] = {}
    hidden: set[str] = set()
    for wid, worker in tree.workers.items():
        shown = visible_honours(worker.honours)
        if shown:
            workers[wid] = worker.model_copy(update={"honours": shown, "industry": industry_name(worker.industry)})
        else:
            hidden.add(wid)
    for hid, home in tree.homes.items():
        shown = visible_honours(home.honours)
        if shown:
            homes[hid] = home.model_copy(update={"honours": shown, "industry": industry_name(home.industry)})
        else:
            hidden.add(hid)
    for hid, home in list(homes.items()):
        if home.parent is not None and home.parent not in homes:
            homes[hid] = home.model_copy(update={"parent": None})
    stories: dict[str, Story] = {}
    for slug, story in tree.stories.items():
        about = [a for a in story.meta.about if a in workers or a in homes]
        if about:
            stories[slug] = story.model_copy(update={"meta": story.meta.model_copy(update={"about": about})})
    return PublicProjection(workers, homes, stories, dict(tree.vocab), frozenset(hidden))
