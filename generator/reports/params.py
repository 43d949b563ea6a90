"""Policy packs: dated parameters read from YAML (OpenFisca style).

A pack is one source document. Each parameter lists the values it has had,
each with the date it took effect and its legal reference (document number
and article). A report asks for the value in force on its as-of date, so a
report run for an earlier date still applies the value then in force.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

PACKS_DIR = Path(__file__).parent / "packs"
PACK_IDS: tuple[str, ...] = ("shaanxi-2020", "anhui-2017", "beijing-2015", "xicheng", "beijing-2021")


class PackError(Exception):
    """A pack file is missing or malformed (message in Chinese)."""


class ParameterNotInForce(Exception):
    """No value of the parameter had taken effect on the date asked for."""


@dataclass(frozen=True)
class Citation:
    document: str  # e.g. 陕工发〔2020〕11号
    article: str  # e.g. 第三十条(二)

    @property
    def text(self) -> str:
        return f"{self.document} {self.article}"

    def sub(self, clause: str) -> Citation:
        """The same article narrowed to one of its items: 第三十条(一) + 2."""
        return Citation(self.document, self.article + clause)


def join_citations(citations: list[Citation]) -> str:
    """One citation string, articles of the same document joined with 、, documents with ；."""
    order: list[str] = []
    articles: dict[str, list[str]] = {}
    for citation in citations:
        if citation.document not in articles:
            order.append(citation.document)
            articles[citation.document] = []
        if citation.article not in articles[citation.document]:
            articles[citation.document].append(citation.article)
    return "；".join(f"{document} {'、'.join(articles[document])}" for document in order)


@dataclass(frozen=True)
class DatedValue:
    since: dt.date
    value: Any
    citation: Citation


@dataclass(frozen=True)
class Parameter:
    name: str
    label: str
    values: tuple[DatedValue, ...]  # sorted by `since`

    def on(self, day: dt.date) -> DatedValue:
        found: DatedValue | None = None
        for dated in self.values:
            if dated.since <= day:
                found = dated
        if found is None:
            first = self.values[0].since.isoformat()
            raise ParameterNotInForce(f"参数“{self.name}”自 {first} 起才生效，{day.isoformat()} 时尚无有效取值")
        return found


@dataclass(frozen=True)
class Pack:
    id: str
    title: str
    document: str
    parameters: dict[str, Parameter]
    articles: dict[str, Citation]
    path: Path

    def parameter(self, name: str) -> Parameter:
        if name not in self.parameters:
            raise PackError(f"政策包 {self.id}（{self.path}）缺少参数“{name}”。")
        return self.parameters[name]

    def value_on(self, name: str, day: dt.date) -> Any:
        return self.parameter(name).on(day).value

    def citation_on(self, name: str, day: dt.date) -> Citation:
        return self.parameter(name).on(day).citation

    def article(self, name: str) -> Citation:
        if name not in self.articles:
            raise PackError(f"政策包 {self.id}（{self.path}）缺少条文“{name}”。")
        return self.articles[name]

    def in_force_from(self) -> dt.date:
        """The first date on which every parameter of the pack has a value."""
        return max(p.values[0].since for p in self.parameters.values())

    def on(self, day: dt.date) -> PackOn:
        return PackOn(self, day)


@dataclass(frozen=True)
class PackOn:
    """A pack read on one date: what the rule functions receive.

    Values are looked up once per name (rules ask for the same ones for every record).
    """

    pack: Pack
    day: dt.date
    _values: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def value(self, name: str) -> Any:
        if name not in self._values:
            self._values[name] = self.pack.value_on(name, self.day)
        return self._values[name]

    def number(self, name: str) -> Decimal:
        key = f"number:{name}"
        if key not in self._values:
            value = self.value(name)
            if isinstance(value, bool) or not isinstance(value, (int, float, str)):
                raise PackError(f"政策包 {self.pack.id} 的参数“{name}”应为数值。")
            self._values[key] = Decimal(str(value))
        number: Decimal = self._values[key]
        return number

    def integer(self, name: str) -> int:
        value = self.value(name)
        if isinstance(value, bool) or not isinstance(value, int):
            raise PackError(f"政策包 {self.pack.id} 的参数“{name}”应为整数。")
        integer: int = value
        return integer

    def strings(self, name: str) -> tuple[str, ...]:
        value = self.value(name)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise PackError(f"政策包 {self.pack.id} 的参数“{name}”应为字符串列表。")
        return tuple(value)

    def table(self, name: str) -> dict[str, dict[str, Any]]:
        value = self.value(name)
        if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
            raise PackError(f"政策包 {self.pack.id} 的参数“{name}”应为映射表。")
        return value

    def text(self, name: str) -> str:
        value = self.value(name)
        if not isinstance(value, str):
            raise PackError(f"政策包 {self.pack.id} 的参数“{name}”应为文字。")
        return value

    def cite(self, name: str) -> Citation:
        return self.pack.citation_on(name, self.day)

    def article(self, name: str) -> Citation:
        return self.pack.article(name)


def _citation(raw: Any, where: str, document: str) -> Citation:
    """`article`, and `document` when it is not the pack's own (metadata inherited from the pack, as in OpenFisca)."""
    if not isinstance(raw, dict):
        raise PackError(f"{where}：应写明 article（条款），引用其他文件时再写 document（文号）。")
    document, article = raw.get("document", document), raw.get("article")
    if not isinstance(document, str) or not document:
        raise PackError(f"{where}：document（文号）应为非空文字。")
    if not isinstance(article, str) or not article:
        raise PackError(f"{where}：应写明 article（条款）。")
    return Citation(document, article)


def _parameter(name: str, raw: Any, where: str, document: str) -> Parameter:
    if not isinstance(raw, dict) or not isinstance(raw.get("values"), list) or not raw["values"]:
        raise PackError(f"{where}：参数“{name}”应有 values 列表，每项写明 since、value、article"
                        "（引用其他文件时再写 document）。")
    values: list[DatedValue] = []
    for i, item in enumerate(raw["values"]):
        item_where = f"{where}：参数“{name}”第 {i + 1} 个取值"
        if not isinstance(item, dict) or "value" not in item:
            raise PackError(f"{item_where}缺少 value。")
        since = item.get("since")
        if not isinstance(since, dt.date) or isinstance(since, dt.datetime):
            raise PackError(f"{item_where}的 since 应为日期 YYYY-MM-DD。")
        values.append(DatedValue(since, item["value"], _citation(item, item_where, document)))
    values.sort(key=lambda v: v.since)
    for earlier, later in zip(values, values[1:]):
        if earlier.since == later.since:
            raise PackError(f"{where}：参数“{name}”有两个取值同在 {later.since} 生效。")
    return Parameter(name, str(raw.get("label", "")), tuple(values))


def load_pack(path: Path) -> Pack:
    where = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PackError(f"无法读取政策包文件 {where}：{exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise PackError(f"政策包文件 {where} 不是有效的 YAML：{exc}") from exc
    if not isinstance(data, dict):
        raise PackError(f"政策包文件 {where} 应为映射（id、title、document、articles、parameters）。")
    for key in ("id", "title", "document"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise PackError(f"政策包文件 {where} 缺少 {key}。")
    unknown = sorted(set(data) - {"id", "title", "document", "articles", "parameters"})
    if unknown:
        # `rules` was once listed here; which pack a rule reads is now in generator/reports/registry.py.
        raise PackError(f"政策包文件 {where} 有未知的键：{'、'.join(map(str, unknown))}"
                        "（政策包只写 id、title、document、articles、parameters；规则属于哪个政策包由程序规定）。")
    document = data["document"]
    raw_articles = data.get("articles") or {}
    raw_parameters = data.get("parameters") or {}
    if not isinstance(raw_articles, dict) or not isinstance(raw_parameters, dict):
        raise PackError(f"政策包文件 {where} 的 articles 和 parameters 应为映射。")
    articles = {str(k): _citation(v, f"{where}：条文“{k}”", document) for k, v in raw_articles.items()}
    parameters = {str(k): _parameter(str(k), v, where, document) for k, v in raw_parameters.items()}
    return Pack(data["id"], data["title"], document, parameters, articles, path)


def find_pack(name: str, extra_dirs: tuple[Path, ...] = ()) -> Pack:
    """The pack called `name`: from the extra directories first (a deployment's copy), then the built-in ones."""
    for folder in (*extra_dirs, PACKS_DIR):
        path = folder / f"{name}.yml"
        if path.is_file():
            pack = load_pack(path)
            if pack.id != name:
                raise PackError(f"政策包文件 {path} 的 id“{pack.id}”应与文件名“{name}”一致。")
            return pack
    known = "、".join(PACK_IDS)
    raise PackError(f"找不到政策包“{name}”。可用的政策包：{known}。")
