"""Pinyin order for Chinese names and stable ASCII slugs for facet URLs."""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from pypinyin import Style, lazy_pinyin, pinyin

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


@cache
def _char_syllable(char: str) -> tuple[str, str]:
    toned = lazy_pinyin(char, style=Style.TONE3, neutral_tone_with_five=True, errors="default")
    toned_text = toned[0] if toned else char
    return re.sub(r"[0-9]", "", toned_text), toned_text


@cache
def _reading(char: str, letters: str | None = None) -> tuple[str, int, int]:
    """One character's place in dictionary order: syllable, tone (1–4, 5 neutral, 0 not Chinese), then the code
    point. `letters` is a given reading (a polyphonic surname: 单 shan): its tone is the one of the
    character's readings that is spelt so. No maintained package gives stroke counts, so characters of the
    same reading stand in code point order instead (the order of Unicode's radical-stroke index)."""
    if letters is None:
        plain, toned = _char_syllable(char)
    else:
        plain = letters
        readings = pinyin(char, style=Style.TONE3, heteronym=True, neutral_tone_with_five=True, errors="default")
        toned = next((r for r in (readings[0] if readings else []) if re.sub(r"[0-9]", "", r) == letters), letters)
    tone = re.sub(r"[^0-9]", "", toned)
    return _fold(plain), int(tone) if tone else 0, ord(char[:1] or " ")


@cache
def _readings(char: str) -> tuple[str, ...]:
    """Every reading of a character, toneless, longest first."""
    found = pinyin(char, style=Style.NORMAL, heteronym=True, errors="default")
    return tuple(sorted({_fold(r) for r in (found[0] if found else [])} - {""}, key=len, reverse=True))


def _override_syllables(name: str, override: str) -> list[str | None]:
    """Each character's syllable as a pinyin override spells it ('shan lihua' → shan, li, hua), each one of
    that character's readings; all None when the override cannot be read so (the characters' own readings
    are used then)."""
    rest = _fold(override)
    result: list[str | None] = []
    for char in name:
        if not _fold(_char_syllable(char)[0]) or not _readings(char):
            result.append(None)  # not Chinese: no syllable in the override
            continue
        hit = next((r for r in _readings(char) if rest.startswith(r)), None)
        if hit is None:
            return [None] * len(name)
        result.append(hit)
        rest = rest[len(hit):]
    return result if not rest else [None] * len(name)


@lru_cache(maxsize=65536)
def pinyin_key(name: str, override: str | None = None) -> tuple[tuple[str, int, int], ...]:
    """Dictionary order (现代汉语词典): character by character, each by syllable, then tone, then code point
    (generator.site.names._reading). An override (polyphonic surnames) gives the characters' syllables."""
    if not override:
        return tuple(_reading(c) for c in name)
    given = _override_syllables(name, override)
    return tuple(_reading(c, g) if g else _reading(c) for c, g in zip(name, given))


def initial(name: str, override: str | None = None) -> str:
    """The A–Z letter a name is filed under ('#' when it has none)."""
    key = pinyin_key(name, override)
    first = next((k[0] for k in key if k[0]), "")[:1].upper()
    return first if "A" <= first <= "Z" and key and key[0][0] else "#"


def place_free(name: str, places: list[str]) -> str:
    """A name without the place names it starts with, for filing: 北京市西城区德润实验学校工会委员会 → 德润实验学校…
    (homes are filed under their own name, not under 北京). Each place also counts without its 市/省/区/县."""
    forms = sorted({f for p in places if p for f in (p, re.sub(r"(特别行政区|自治区|自治州|省|市|区|县)$", "", p))
                    if len(f) >= 2}, key=len, reverse=True)
    stripped = True
    while stripped:
        stripped = False
        for form in forms:
            if name.startswith(form) and len(name) > len(form) + 1:
                name, stripped = name[len(form):], True
                break
    return name


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
