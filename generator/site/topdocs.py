"""The top pages (home, sections, statistics, open data, about): Markdown that MkDocs renders in the
theme, so that they share its navigation and search box."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from generator.site.incremental import drop_unchanged, files_under
from generator.site.opendata import FIELD_HELP
from generator.site.pages import DIMENSIONS
from generator.site.render import Shell, Theme
from generator.site.render_pages import SECTION_LABEL, RenderState
from generator.site.state import Built, SiteState, Unit, UnitKind, digest

# ——— top pages (MkDocs) ——————————————————————————————————————————————————————


def _front(title: str, description: str, hide: tuple[str, ...] = ("toc",)) -> str:

    hidden = "".join(f"\n  - {h}" for h in hide)
    return f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\ndescription: {json.dumps(description, ensure_ascii=False)}\nhide:{hidden}\n---\n\n"


def _raw(html: str) -> str:
    """An HTML fragment as one raw block Markdown leaves alone (no blank line inside)."""
    lines = [line for line in html.splitlines() if line.strip()]
    return '<div class="laomo-raw">\n' + "\n".join(lines) + "\n</div>\n"


def write_top_markdown(state: RenderState, docs: Path, counts: dict, charts) -> None:
    model, theme = state.model, state.theme
    docs.mkdir(parents=True, exist_ok=True)
    recent = sorted(model.workers.records, key=lambda r: (-r.latest_year, r.sort_key))[:8]

    def put(url: str, text: str) -> None:
        path = docs / url / "index.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    home = theme.fragment("laomo/top_home.html", root="", counts=counts, recent=recent, stories=model.stories[:5],
                          workers=model.workers, dims=DIMENSIONS, studios=model.studios)
    put("", _front("劳模馆", theme.config.site_description or "") + _raw(home))
    first = {listing.url: listing for listing in state.listings if listing.number == 1 and listing.facet is None}
    intros = {
        "workers": "全国和各省市劳动模范、先进工作者、五一劳动奖章获得者、优秀工会工作者。",
        "homes": "获得模范职工之家、模范职工小家称号的基层工会。",
        "stories": "劳模和职工之家的先进事迹与纪念文章。",
    }
    for name in ("workers", "homes", "stories"):
        listing = first[f"{name}/"]
        body = state.listing_html(listing, browse=name != "stories", heading=SECTION_LABEL[name],
                                  intro=intros[name])
        put(f"{name}/", _front(SECTION_LABEL[name], intros[name]) + _raw(body))
    stats = theme.fragment("laomo/top_stats.html", root="../", counts=counts, charts=charts)
    put("stats/", _front("数据图表", "劳模和模范职工之家所获荣誉的统计图表：按年度、省份、称号、性别和行业。") + _raw(stats))
    data = theme.fragment("laomo/top_data.html", root="../", counts=counts, fields=FIELD_HELP)
    put("data/", _front("开放数据", "本站全部公开记录的 CSV 和 JSON 文件。") + _raw(data))
    assert theme.env.loader is not None
    about = theme.env.loader.get_source(theme.env, "laomo/top_about.md")[0]
    put("about/", _front("关于", "劳模馆是什么，内容从哪里来，如何保护个人信息。") + about)
    guide = Path(theme.config.config_file_path).parent / "guide" / "editing.md"
    if guide.is_file():
        put("about/editing/", _front("编辑指南", "工会工作人员如何新增、修改劳模和职工之家记录，以及校验提示的含义。")
            + guide.read_text(encoding="utf-8"))


def render_top_pages(state: RenderState, docs: Path, tmp: Path, out: Path, counts: dict, charts, urls: dict,
                      previous: SiteState | None, new: SiteState, unchanged: Callable[[Unit, bytes], bool],
                      echo: Callable[[str], None]) -> None:
    """The top pages (MkDocs), only when their Markdown changed; and the theme's shells for every page."""
    theme = state.theme
    write_top_markdown(state, docs, counts, charts)
    docs_key = digest("mkdocs", *[(name, (docs / name).read_bytes()) for name in files_under(docs)])
    shell_urls: dict[tuple[str, int], str] = {}  # one page for each shell, the first of its kind
    for url in urls.values():
        shell_urls.setdefault(Theme.shell_key(url), url)
    needed_shells = set(shell_urls)
    unit = Unit(UnitKind.MKDOCS)
    if unchanged(unit, docs_key) and previous is not None and needed_shells <= set(previous.shells):
        theme.restore_shells({k: Shell(list(v)) for k, v in previous.shells.items()})
        new.units[unit] = previous.units[unit]
    else:
        echo("生成首页、索引、图表等顶层页面（MkDocs）…")
        theme.run_mkdocs()  # into the empty staging folder (MkDocs empties it first)
        for name in ("sitemap.xml", "sitemap.xml.gz"):  # ours replaces MkDocs' own
            (tmp / name).unlink(missing_ok=True)
        made = files_under(tmp)
        new.units[unit] = Built(docs_key, tuple(made))
        if previous is not None:
            drop_unchanged(tmp, out, made)
    for url in shell_urls.values():
        theme.shell(url)
    new.shells = {k: tuple(v.pieces) for k, v in theme.shells().items()}
