"""The site's files besides pages, photos and the index: open data, sitemap and robots.txt, each a unit
written only when its key changed."""

from __future__ import annotations

from pathlib import Path

from generator.site.incremental import open_data_key
from generator.site.opendata import write_open_data
from generator.site.pages import SiteModel
from generator.site.plan import PagePlan
from generator.site.sitemap import write_sitemap
from generator.site.state import Built, SiteState, Unit, UnitKind, digest


def _unchanged(previous: SiteState | None, unit: Unit, key: bytes) -> bool:
    return previous is not None and previous.key_of(unit) == key


def write_site_files(model: SiteModel, plan: PagePlan, site_url: str, tmp: Path, previous: SiteState | None,
                     new: SiteState) -> None:
    """The open data, the sitemap and robots.txt into the staging folder `tmp`, each when its key changed."""
    rows: dict[str, tuple[bytes, bytes]] = {}
    made_rows: dict[str, dict] = {}
    record_keys = {key: plan.keys[("record", key)] for key in model.records}
    data, data_key = Unit(UnitKind.DATA), open_data_key(model, site_url, record_keys, previous, rows, made_rows)
    new.rows = rows
    if previous is not None and _unchanged(previous, data, data_key):
        new.units[data] = previous.units[data]
    else:
        written = write_open_data(model, tmp, site_url, made_rows)
        new.units[data] = Built(data_key, tuple(str(p.relative_to(tmp)) for p in written))

    sitemap, urls = Unit(UnitKind.SITEMAP), plan.page_urls
    sitemap_key = digest("sitemap", site_url, urls)
    if previous is not None and _unchanged(previous, sitemap, sitemap_key):
        new.units[sitemap] = previous.units[sitemap]
    else:
        written = write_sitemap(tmp, site_url, urls)
        new.units[sitemap] = Built(sitemap_key, tuple(str(p.relative_to(tmp)) for p in written))

    robots_unit = Unit(UnitKind.ROBOTS)
    robots = f"User-agent: *\nAllow: /\nSitemap: {site_url}sitemap.xml\n"
    robots_key = digest("robots", robots)
    new.units[robots_unit] = Built(robots_key, ("robots.txt",))
    if not _unchanged(previous, robots_unit, robots_key):
        (tmp / "robots.txt").write_text(robots, encoding="utf-8")
