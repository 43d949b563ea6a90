"""Pinyin order for Chinese names and stable ASCII slugs for facet URLs."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

from generator.model.standards import provinces

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def _fold(text: str) -> str:
    """Lower-case ASCII letters and digits only (tone marks and spaces removed)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if c.isascii() and c.isalnum())


@lru_cache(maxsize=65536)
def _syllables(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Pinyin of a phrase (word-aware: 行业 → hang ye); used for slugs of a few labels."""
    plain = tuple(lazy_pinyin(text, errors="default"))
    toned = tuple(lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True, errors="default"))
    return plain, toned


@lru_cache(maxsize=None)
def _char_syllable(char: str) -> tuple[str, str]:
    toned = lazy_pinyin(char, style=Style.TONE3, neutral_tone_with_five=True, errors="default")
    toned_text = toned[0] if toned else char
    return re.sub(r"[0-9]", "", toned_text), toned_text


def _name_syllables(name: str) -> tuple[list[str], list[str]]:
    """Pinyin of a person's name character by character (names are not words; cached per character)."""
    plain, toned = [], []
    for char in name:
        p, t = _char_syllable(char)
        plain.append(p)
        toned.append(t)
    return plain, toned


@lru_cache(maxsize=65536)
def pinyin_key(name: str, override: str | None = None) -> tuple[str, str, str]:
    """Sort key: the pinyin letters (override wins for polyphonic surnames), then tones, then the name."""
    plain, toned = _name_syllables(name)
    letters = _fold(override) if override else _fold("".join(plain))
    tones = "" if override else "".join(re.sub(r"[^0-9]", "", s) or "0" for s in toned)
    return letters, tones, name


def initial(name: str, override: str | None = None) -> str:
    """The A–Z letter a name is filed under ('#' when it has none)."""
    letters = pinyin_key(name, override)[0]
    first = letters[:1].upper()
    return first if "A" <= first <= "Z" else "#"


def slugify(text: str) -> str:
    """An ASCII slug for a Chinese label: 陕西省 → shaanxi, 全国劳动模范 → quanguolaodongmofan."""
    province = provinces().get(text)  # fixed slugs (generator/data/regions.yml): 陕西省 shaanxi, 山西省 shanxi
    if province is not None:
        return province.slug
    plain, _ = _syllables(text)
    slug = _NOT_SLUG.sub("-", "-".join(_fold(s) or "-" for s in plain).lower())
    slug = re.sub(r"-(?=[a-z])", "", slug) if re.search(r"[\u4e00-\u9fff]", text) else slug
    slug = slug.strip("-")
    return slug or "x"


def unique_slugs(labels: list[str]) -> dict[str, str]:
    """A slug for every label, distinct from each other; collisions get -2, -3 … in sorted order."""
    result: dict[str, str] = {}
    taken: set[str] = set()
    for label in sorted(set(labels), key=lambda s: (pinyin_key(s), s)):
        base = slugify(label)
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        result[label] = slug
    return result
