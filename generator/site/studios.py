"""劳模创新工作室: a list page and a page per studio (name, level, year, the people who lead it).

Studios come from the `studio` of shown workers (records.md); workers naming the same studio lead it
together. The views are built with the page model (pages.build_site_model), the pages are rendered by
the build like any other page (generator.site.build: jobs "studio"/"studios").
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from generator.site.names import pinyin_key

INDEX_URL = "studios/"
# levels as records write them, highest first; others after them in dictionary order
LEVEL_ORDER = ("国家级", "全国", "省部级", "省级", "部级", "市级", "地市级", "区县级", "区级", "县级", "企业级")


@dataclass(frozen=True)
class Leader:
    url: str
    name: str
    unit: str
    deceased: bool


@dataclass
class StudioView:
    slug: str
    url: str
    name: str
    year: int | None
    level: str | None
    leaders: list[Leader] = field(default_factory=list)

    @property
    def units(self) -> list[str]:
        return list(dict.fromkeys(leader.unit for leader in self.leaders))


def level_rank(level: str | None) -> tuple[int, tuple]:
    if not level:
        return len(LEVEL_ORDER) + 1, ()
    return (LEVEL_ORDER.index(level), ()) if level in LEVEL_ORDER else (len(LEVEL_ORDER), pinyin_key(level))


def build_studios(workers: list) -> list[StudioView]:
    """The studios of `workers` (RecordViews in name order), in dictionary order of their names; gives each
    worker its `studio_url`."""
    by_name: dict[str, list] = defaultdict(list)
    for worker in workers:
        if worker.studio and worker.studio.get("name"):
            by_name[worker.studio["name"]].append(worker)
    # a studio's address is its first leader's id (a worker leads one studio): short and stable
    slugs = {name: members[0].id for name, members in by_name.items()}
    studios = []
    for name in sorted(by_name, key=lambda n: (pinyin_key(n), n)):
        members = by_name[name]
        years = sorted(m.studio["year"] for m in members if m.studio.get("year"))
        levels = sorted({m.studio["level"] for m in members if m.studio.get("level")}, key=level_rank)
        url = f"{INDEX_URL}{slugs[name]}/"
        studios.append(StudioView(slugs[name], url, name, years[0] if years else None, levels[0] if levels else None,
                                  [Leader(m.url, m.name, m.unit, m.deceased) for m in members]))
        for member in members:
            member.studio_url = url
    return studios


def studio_jobs(studios: list[StudioView]) -> list[tuple[str, str]]:
    """The build's jobs: the list page (when there is any studio) and one page per studio."""
    if not studios:
        return []
    return [("studios", "")] + [("studio", s.slug) for s in studios]


def job_url(job: tuple[str, str]) -> str:
    return INDEX_URL if job[0] == "studios" else f"{INDEX_URL}{job[1]}/"


def render(state, job: tuple[str, str]) -> None:
    """Write the page of `job` with the build's render state."""
    from generator.site.render import root_of

    studios = state.model.studios
    url = job_url(job)
    if job[0] == "studios":
        title = "劳模创新工作室"
        description = f"劳模领衔的创新工作室，共 {len(studios)} 个：名称、级别、创建年份和领衔人。"
        content = state.theme.fragment("laomo/studios.html", studios=studios, root=root_of(url))
    else:
        studio = state.studios[job[1]]
        title = studio.name
        leaders = "、".join(leader.name for leader in studio.leaders)
        description = f"{studio.name}，领衔人：{leaders}。"
        content = state.theme.fragment("laomo/studio.html", s=studio, root=root_of(url))
    head = state.head(url, title, description, "website")
    state.write(url, state.theme.page(url, title, description, head, content))


def page_keys(studios: list[StudioView]) -> dict[tuple[str, str], bytes]:
    """What the page of each of `studio_jobs(studios)` is made from (generator.site.state.digest)."""
    from generator.site.state import digest

    texts = [repr(s) for s in studios]
    keys: dict[tuple[str, str], bytes] = {}
    for studio, text in zip(studios, texts):
        keys.setdefault(("studio", studio.slug), digest("studio", text))  # the first of a slug, as its page
    keys[("studios", "")] = digest("studios", texts)
    return keys
