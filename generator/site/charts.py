"""Charts drawn at build time as inline SVG: no JavaScript, no CDN.

Each chart is a `<figure>` holding an SVG with `role="img"`, a `<title>` and a
`<desc>` (read by screen readers), and a data table in `<details>` as the
accessible fallback. Every chart is horizontal bars with the value at the end of
each bar; labels are Chinese and sit above their bars, so long titles stay
readable on a 360 px phone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from generator.site.pages import SiteModel
from generator.site.studios import level_rank

WIDTH = 360  # viewBox width: 1 unit ≈ 1 CSS px on a phone (laomo.css scales it up at most a third)
FONT = 16  # label and value size in viewBox units: at least 14 px on a 320 px phone
ROW = 48  # room for a label of 20 units in 关怀模式 (laomo.css)
YEARS_PER_BAR = 5  # a year chart over more than MAX_YEAR_BARS years shows periods (its table every year)
MAX_YEAR_BARS = 20


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    rows: list[tuple[str, int]]  # what the data table shows
    unit: str
    label_header: str
    bars: list[tuple[str, int]] | None = None  # what the bars show, when not the rows (periods of years)

    def svg(self) -> str:
        return _bars(self, self.rows if self.bars is None else self.bars)

    def table(self) -> str:
        body = "".join(f"<tr><td>{escape(label)}</td><td>{value}</td></tr>" for label, value in self.rows)
        return (f'<div class="laomo-table-wrap"><table><caption class="laomo-visually-hidden">{escape(self.title)}'
                f'</caption><thead><tr><th scope="col">{escape(self.label_header)}</th><th scope="col">'
                f'{escape(self.unit)}</th></tr></thead><tbody>{body}</tbody></table></div>')

    def html(self) -> str:
        return (f'<figure class="laomo-chart" id="{self.id}"><h2>{escape(self.title)}</h2>{self.svg()}'
                f'<details><summary>查看数据表</summary>{self.table()}</details></figure>')


def _head(chart: Chart, height: int) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
            f'aria-labelledby="{chart.id}-t {chart.id}-d" preserveAspectRatio="xMinYMin meet">'
            f'<title id="{chart.id}-t">{escape(chart.title)}</title>'
            f'<desc id="{chart.id}-d">{escape(chart.description)}</desc>')


def _bars(chart: Chart, rows: list[tuple[str, int]]) -> str:
    """Horizontal bars, one row per label: the label above, the bar with its value at its end below."""
    height = max(ROW, ROW * len(rows)) + 6
    top = max((v for _, v in rows), default=0) or 1
    room = WIDTH - 56  # the longest bar leaves room for its value
    parts = [_head(chart, height)]
    for i, (label, value) in enumerate(rows):
        y = i * ROW
        length = max(2.0, room * value / top)
        parts.append(f'<text x="0" y="{y + FONT}" font-size="{FONT}">{escape(label)}</text>'
                     f'<rect class="bar" x="0" y="{y + 25}" width="{length:.1f}" height="14" rx="2">'
                     f'<title>{escape(label)}：{value}{escape(chart.unit)}</title></rect>'
                     f'<text class="value" x="{length + 5:.1f}" y="{y + 38}" font-size="{FONT}">{value}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _periods(rows: list[tuple[str, int]]) -> list[tuple[str, int]] | None:
    """Years grouped into periods of YEARS_PER_BAR (1996—2000), when there are too many for one bar each."""
    if len(rows) <= MAX_YEAR_BARS:
        return None
    groups: dict[int, int] = {}
    for label, value in rows:
        start = (int(label) - 1) // YEARS_PER_BAR * YEARS_PER_BAR + 1
        groups[start] = groups.get(start, 0) + value
    return [(f"{start}—{start + YEARS_PER_BAR - 1}年", value) for start, value in sorted(groups.items())]


def _top(counter: Counter, limit: int, other: str = "其他") -> list[tuple[str, int]]:
    ordered = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    if len(ordered) <= limit:
        return ordered
    head, rest = ordered[: limit - 1], ordered[limit - 1:]
    return head + [(other, sum(v for _, v in rest))]


def _describe(rows: Iterable[tuple[str, int]], unit: str) -> str:
    rows = list(rows)
    if not rows:
        return "暂无数据。"
    parts = "，".join(f"{label}{value}{unit}" for label, value in rows[:5])
    return f"共 {len(rows)} 项；" + parts + ("，等。" if len(rows) > 5 else "。")


def _studio_rank(level: str) -> tuple:
    return level_rank(None if level == "未注明" else level)


def build_charts(model: SiteModel) -> list[Chart]:
    workers = model.workers.records
    homes = model.homes.records
    everything = workers + homes
    by_year: Counter = Counter(h.year for r in everything for h in r.honours)
    years = sorted(by_year)
    year_rows = [(str(y), by_year.get(y, 0)) for y in range(years[0], years[-1] + 1)] if years else []
    by_province: Counter = Counter(r.province for r in workers)
    by_title: Counter = Counter(h.title for r in everything for h in r.honours)
    by_gender: Counter = Counter(r.gender for r in workers if r.gender)
    by_industry: Counter = Counter(r.industry or "未注明" for r in workers)
    charts = [
        Chart("chart-year", "各年度授予的荣誉", "", year_rows, "项", "年份", _periods(year_rows)),
        Chart("chart-province", "劳模人数（按省份）", "", _top(by_province, 20), "人", "省份"),
        Chart("chart-title", "荣誉称号分布", "", _top(by_title, 20), "项", "荣誉称号"),
        Chart("chart-gender", "劳模性别构成", "", sorted(by_gender.items(), key=lambda kv: kv[0] != "男"), "人",
              "性别"),
        Chart("chart-industry", "劳模人数（按行业）", "", _top(by_industry, 15), "人", "行业"),
    ]
    by_level: Counter = Counter(s.level or "未注明" for s in model.studios)
    if by_level:
        charts.append(Chart("chart-studio", "劳模创新工作室（按级别）", "",
                            sorted(by_level.items(), key=lambda kv: _studio_rank(kv[0])), "个", "级别"))
    return [Chart(c.id, c.title, c.title + "：" + _describe(
        sorted(c.rows, key=lambda kv: -kv[1]) if c.id == "chart-year" else c.rows, c.unit), c.rows, c.unit,
                  c.label_header, c.bars) for c in charts]
