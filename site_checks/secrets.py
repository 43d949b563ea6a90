"""Sensitive values of the private tree, read as plain YAML, and a fast way to find them in text.

This module deliberately does not import generator.model.private: the private
tree is read with yaml.safe_load and its leaves are classified by field name.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.privacyscan import FORMATTED_NUMBERS, HALF_WIDTH, NUMBER_KEYS, digits_of, public_anyway

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# fields whose values are vocabulary, flags, ids or rates, not secrets
SKIP_KEYS = {"id", "management_unit", "recommended_by", "kind", "relation", "employment", "honour", "title",
             "needs_relative_contact", "farmer", "fixed_income", "lost_labour_capacity", "year", "level",
             "recipient", "treatment", "revocation_route"}
KIND_LABELS = {
    "phone": "电话号码", "id_number": "身份证号", "birth_date": "出生日期", "monthly_income_yuan": "收入",
    "amount_yuan": "帮扶金额", "document": "文件文号", "note": "备注", "authority": "决定机关",
    "from": "接转单位", "to": "接转单位", "name": "姓名或名称", "relative_contact.name": "亲属姓名",
    "relative_contact.phone": "亲属电话", "relative_contact.relation": "亲属关系",
}
DATE_KEYS = {"birth_date"}  # dates that are secrets on their own (a full birth date)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DIGITS = re.compile(r"^[0-9]+[Xx]?$")
# digit runs standing alone: not inside a hex hash, a decimal or a word
_RUNS = re.compile(r"(?<![0-9A-Za-z.])[0-9]+[Xx]?(?![0-9A-Za-z])")
SHORT_NUMBER = 6  # fewer digits: common enough to occur by chance, looked for only beside its owner's id
SHORT_TEXT = 3  # a two-character name is looked for only beside its owner's id
NEARBY = 800  # characters around a hit in which the owner's id must appear (one CSV row, one index entry)


@dataclass(frozen=True)
class Secret:
    value: str
    kind: str
    source: str
    numeric: bool  # matched on digit boundaries, only in files derived from records
    owner: str | None = None  # the record id the private file is about (workers/<id>.yml)

    @property
    def short(self) -> bool:
        """Too short to be told from chance: counts only beside its owner's id (or in its owner's page)."""
        return len(self.value) < (SHORT_NUMBER if self.numeric else SHORT_TEXT)

    @property
    def masked(self) -> str:
        keep = min(3, max(1, len(self.value) // 4))
        return f"以“{self.value[:keep]}”开头、共 {len(self.value)} 个字符"


def _label(path: tuple[str, ...]) -> str:
    names = [p for p in path if not p.isdigit()]
    if len(names) >= 2 and f"{names[-2]}.{names[-1]}" in KIND_LABELS:
        return KIND_LABELS[f"{names[-2]}.{names[-1]}"]
    if names and names[-1] in KIND_LABELS:
        return KIND_LABELS[names[-1]]
    return f"私密字段“{names[-1]}”" if names else "私密值"


def _leaves(node, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], object]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, path + (str(key),))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _leaves(value, path + (str(i),))
    else:
        yield path, node


def _key(path: tuple[str, ...]) -> str:
    names = [p for p in path if not p.isdigit()]
    return names[-1] if names else ""


def classify(path: tuple[str, ...], value: object) -> tuple[str, bool] | None:
    """(text to look for, numeric) for a sensitive leaf; None for anything that is not a secret."""
    key = _key(path)
    if key in SKIP_KEYS or key.endswith("_rate") or isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return (value.isoformat()[:10], False) if key in DATE_KEYS else None
    if isinstance(value, float):
        if value.is_integer() and abs(value) >= 1000:
            return str(int(value)), True
        return None
    if isinstance(value, int):
        if abs(value) < 1000 or 1900 <= abs(value) <= 2100:  # a year-like number is everywhere (dates)
            return None
        return str(abs(value)), True
    text = str(value).strip()
    if key in NUMBER_KEYS:  # looked for in its normalised form: 1xx-xxxx-xxxx and full-width digits are the same phone
        digits = digits_of(text)
        return (digits, True) if len(digits) >= 4 else None
    if _ISO_DATE.match(text):
        return (text, False) if key in DATE_KEYS else None
    if _DIGITS.match(text):
        if len(text) < 4 or (len(text) == 4 and 1900 <= int(text) <= 2100):
            return None
        return text, True
    names = [p for p in path if not p.isdigit()]
    minimum = 2 if names[-2:] == ["relative_contact", "name"] else 4
    return (text, False) if len(text) >= minimum else None


FREE_TEXT_KEYS = {"story", "summary", "achievements"}


@dataclass
class PublicValues:
    """What the public records say: whole field values, and their free text (stories, summaries)."""

    fields: set[str]
    text: str

    def __post_init__(self) -> None:
        self._all = "\n".join(sorted(self.fields)) + "\n" + self.text

    def mention(self, text: str) -> bool:
        return text in self.fields or text in self._all


def public_values(records: Path | None) -> PublicValues:
    """What the public records say: a unit name both trees share is public anyway (privacyscan.public_anyway)."""
    fields: set[str] = set()
    texts: list[str] = []
    if records is None or not records.is_dir():
        return PublicValues(fields, "")
    for path in sorted(records.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in {".yml", ".yaml", ".md"}:
            continue
        raw = path.read_text(encoding="utf-8", errors="ignore")
        if path.suffix.lower() == ".md":
            parts = raw.split("---", 2) if raw.startswith("---") else ["", "", raw]
            front, body = (parts[1], parts[2]) if len(parts) == 3 else ("", raw)
            texts.append(body)
            raw = front
        try:
            data = yaml.load(raw, Loader=_Loader)  # noqa: S506 - a safe loader
        except yaml.YAMLError:
            continue
        for leaf_path, value in _leaves(data):
            if value is None or isinstance(value, bool):
                continue
            if any(p in FREE_TEXT_KEYS for p in leaf_path):
                texts.append(str(value))
            else:
                fields.add(value.isoformat() if isinstance(value, dt.date) else str(value).strip())
    return PublicValues(fields, "\n".join(texts))


def _is_public(text: str, path: tuple[str, ...], public: PublicValues | None) -> bool:
    """A unit's name the public records also write (in a field or a story) is public anyway; a personal
    value (phone, ID number, relative, income, note …) never is: found in a public record it is a leak,
    reported like any other (and `laomo validate --private` names the public file)."""
    if public is None or not public_anyway(path):
        return False
    return public.mention(text)


def collect_private_values(private: Path, public: PublicValues | None = None) -> list[Secret]:
    found: dict[str, Secret] = {}
    for path in sorted(private.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in {".yml", ".yaml"}:
            continue
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506
        except (yaml.YAMLError, OSError, UnicodeDecodeError):
            continue
        source = str(path.relative_to(private))
        owner = path.stem if path.parent.name in {"workers", "homes"} else None
        for leaf_path, value in _leaves(data):
            classified = classify(leaf_path, value)
            if classified is None:
                continue
            text, numeric = classified
            if text in found or _is_public(text, leaf_path, public):
                continue
            found[text] = Secret(text, _label(leaf_path), source, numeric, owner)
    return list(found.values())


class _Trie:
    """A regex alternation built as a trie, so thousands of literals stay fast to search."""

    @staticmethod
    def pattern(words: Iterable[str]) -> str:
        root: dict = {}
        for word in words:
            node = root
            for char in word:
                node = node.setdefault(char, {})
            node[""] = True

        def build(node: dict) -> str:
            if len(node) == 1 and "" in node:
                return ""
            alternatives = [re.escape(c) + build(child) for c, child in sorted(node.items()) if c]
            optional = "" in node
            body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
            return f"(?:{body})?" if optional else body

        return build(root)


class SecretMatcher:
    def __init__(self, secrets: list[Secret]):
        self.numbers = {s.value.upper(): s for s in secrets if s.numeric}
        self.strings = [s for s in secrets if not s.numeric]
        self._by_text = {s.value: s for s in self.strings}
        self._regex = re.compile(_Trie.pattern(sorted(self._by_text))) if len(self.strings) > 200 else None

    @staticmethod
    def _owned(secret: Secret, text: str, start: int, end: int, path: str) -> bool:
        """A short secret counts when found in its owner's own page or near its owner's id."""
        if not secret.short:
            return True
        if secret.owner is None:
            return False
        if f"/{secret.owner}/" in path:
            return True
        window = text[max(0, start - NEARBY): end + NEARBY]
        return re.search(rf"(?<![a-z0-9-]){re.escape(secret.owner)}(?![a-z0-9-])", window) is not None

    def find(self, text: str, numbers: bool = True, path: str = "") -> list[Secret]:
        hits: dict[str, Secret] = {}
        path = "/" + path
        if numbers and self.numbers:
            half = text.translate(HALF_WIDTH)  # one character for one: positions stay
            for match in _RUNS.finditer(half):
                secret = self.numbers.get(match.group(0).upper())
                if secret is not None and self._owned(secret, half, match.start(), match.end(), path):
                    hits[secret.value] = secret
            for pattern in FORMATTED_NUMBERS:  # 1xx xxxx xxxx, 1xx-xxxx-xxxx, +86 1xx…
                for match in pattern.finditer(half):
                    secret = self.numbers.get(digits_of(match.group(match.lastindex or 0)))
                    if secret is not None and self._owned(secret, half, match.start(), match.end(), path):
                        hits[secret.value] = secret
        if self._regex is not None:
            for match in self._regex.finditer(text):
                secret = self._by_text.get(match.group(0))
                if secret is not None and self._owned(secret, text, match.start(), match.end(), path):
                    hits[secret.value] = secret
        else:
            for secret in self.strings:
                start = text.find(secret.value)
                while start != -1:
                    if self._owned(secret, text, start, start + len(secret.value), path):
                        hits[secret.value] = secret
                        break
                    start = text.find(secret.value, start + 1)
        return list(hits.values())
