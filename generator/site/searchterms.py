"""Hidden search words: how a visitor finds a person the way they look for one.

Pagefind's extended build segments Chinese when it indexes (张建国 stays one
word), while the browser segments the query with `Intl.Segmenter` (建国, or
李|秀|英, or 数|控) — so a given name alone, or any text split differently, is
not found. Each profile therefore carries, hidden inside its
`data-pagefind-body`, extra words that do not depend on any segmentation:

- the name and the given name as ASCII codes (`code`: ``vx`` then three base-32
  digits per character) ending in ``z``, weighted high (``data-pagefind-weight``).
  `theme/assets/laomo/search.js` turns a Chinese query into the same code and
  Pagefind's prefix matching does the rest: 建国 finds every 建国, 张 every 张,
  张建 张建国; the query's code followed by ``z`` finds exactly that name.
- the pinyin of the name and of the given name, joined (``zhangjianguo``,
  ``jianguo``), and the initials (``zjg``). search.js removes spaces, tones and
  capitals from a Latin query, so ``Zhang Jiànguó`` finds ``zhangjianguo``.
  ``name_pinyin`` (e.g. "shan lihua") overrides the pinyin; without it, surnames
  read differently as surnames (单 shan, 仇 qiu, 曾 zeng …) use that reading.
- every part of the unit and position (of a home: its name and employer) as
  codes cut to six characters, so that 长风石化 or 数控 are found as parts of
  安庆长风石化机械有限公司 or 数控车工; they weigh less than names, so a person
  called 建国 comes before a unit on 建国路.
- every honour with its year, by every ending of its title: 全国劳动模范 2015,
  劳动模范 2015 and 2015年全国劳动模范 all find ``<code of the title>y2015``.
- the words of the profile (unit, position, summary, story, achievements, studio;
  a home's name too) and of a story as overlapping character pairs
  (``text_words``: ``vq`` and the codes of two characters), so a story or skill
  word is found whatever the segmenters make of it (Pagefind
  issue 1237: the index cuts 数据脱敏 with jieba, the browser with ICU, and 脱敏
  matched nothing). search.js asks for the pairs of the query, all of them; each
  pair is indexed once a page, so a page is not ranked by how often it repeats one.
- every code word ends in a letter that is not a code digit (``z`` a name, ``x``
  a part of a unit, ``y`` an honour's year, ``vq`` pairs are all the same length):
  Pagefind also matches an indexed word that is a *prefix of the query word*
  ("root words"), so without an end 焊工 (a position) matched the exact-name
  probe 焊工z and 建国 matched every 建.
- a given name read several ways (长顺: zhangshun, changshun) gets the pinyin of
  each reading (``MAX_READINGS``), the phrase reading first; ``name_pinyin`` wins.
- the name, unit and studio in traditional characters (OpenCC s2t, s2tw, s2hk)
  when they differ: 王建華 finds 王建华.

Stories carry the name words of the people they are about, weighted below the
profiles. The words are wrapped in 〖 〗 so that search.js can cut them out of
excerpts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import opencc
from pypinyin import Style, lazy_pinyin, pinyin

from generator.surnames import COMPOUND_SURNAMES, GIVEN_NAME_POLYPHONES, SURNAME_READINGS

OPEN, CLOSE = "〖", "〗"
CODE_PREFIX = "vx"  # no pinyin syllable starts with v: never confused with pinyin or initials
NAME_END = "z"  # after a name's code: the query's code + z finds that exact name
PART_END = "x"  # after a part of a unit: never a prefix of a longer query code or of the name probe
PAIR_PREFIX = "vq"  # a pair of characters of the text; not vx, so a pair is never taken for a name
SINGLE_END = "x"  # a character standing alone in the text: vq + its code + x, never a prefix of a pair
MAX_READINGS = 4  # pinyin spellings of one name (readings of polyphonic characters), most likely first
TRADITIONAL_CONFIGS = ("s2t", "s2tw", "s2hk")  # Taiwan and Hong Kong write some characters differently
YEAR_MARK = "y"  # between an honour's code and its year
SUFFIX_CHARS = 6  # parts of units are cut to six characters; so is the query (search.js CODE_CHARS)
_DIGITS = "0123456789abcdefghijklmnopqrstuv"  # base 32: never w, x, y, z
_CJK_FROM = 0x3400  # CJK Extension A, then the unified ideographs: three base-32 digits reach 0xB3FF

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_NOT_LETTER = re.compile(r"[^a-z]")
_SEPARATORS = re.compile(r"[\s·•・．.\-]+")


def fold(text: str) -> str:
    """Lower-case a–z only: tones, spaces and everything else removed (ü → v)."""
    text = text.lower().replace("ü", "v").replace("u:", "v")
    decomposed = unicodedata.normalize("NFKD", text)
    return _NOT_LETTER.sub("", "".join(c for c in decomposed if c.isascii()))


def char_code(char: str) -> str:
    """Three base-32 digits for a CJK character, 'w' and six hex digits for anything else (prefix-free)."""
    point = ord(char) - _CJK_FROM
    if 0 <= point < 32768:
        return _DIGITS[point >> 10] + _DIGITS[(point >> 5) & 31] + _DIGITS[point & 31]
    return f"w{ord(char):06x}"


class _CodeTable(dict):
    """char_code by code point, for str.translate: each character is worked out once."""

    def __missing__(self, point: int) -> str:
        value = self[point] = char_code(chr(point))
        return value


_CODES = _CodeTable()


def code(text: str) -> str:
    """The ASCII word for Chinese text, 建国 → vxanq8nt (spaces and middle dots ignored)."""
    return CODE_PREFIX + _SEPARATORS.sub("", text).translate(_CODES)


def split_name(name: str) -> tuple[str, str]:
    """(surname, given name) of a Chinese name; ('', name) when it cannot be split."""
    name = name.strip()
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return name[:2], name[2:]
    if 2 <= len(name) <= 4 and all(_HAN.match(c) for c in name):
        return name[0], name[1:]
    return "", name


@lru_cache(maxsize=65536)
def _pinyin(text: str) -> str:
    """Joined pinyin of a word (phrase-aware: names like 长青 read right), letters only."""
    return "".join(fold(s) for s in lazy_pinyin(text, style=Style.NORMAL, errors="ignore"))


def _initials(syllables) -> str:
    return "".join(s[0] for s in syllables if s)


@lru_cache(maxsize=65536)
def _syllables(text: str) -> tuple[str, ...]:
    """Pinyin syllables of a surname or given name (given names repeat: 建国, 秀英 …)."""
    return tuple(fold(s) for s in lazy_pinyin(text, style=Style.NORMAL, errors="ignore") if fold(s))


def _surname_readings(surname: str) -> tuple[str, ...]:
    if surname in COMPOUND_SURNAMES:
        return (COMPOUND_SURNAMES[surname],)
    if surname in SURNAME_READINGS:
        return SURNAME_READINGS[surname]
    return (_pinyin(surname),) if surname else ()


def _pinyin_forms(name: str, override: str | None) -> list[tuple[str, str, str]]:
    """(full pinyin, given-name pinyin, initials) for each way the name is read."""
    surname, given = split_name(name)
    if override and fold(override):
        words = [fold(w) for w in override.split() if fold(w)]
        if surname and len(words) >= 2 and len(words) == 1 + len(given):  # "shan li hua"
            words = [words[0], "".join(words[1:])]
        if surname and len(words) == 2:
            given_syllables = _syllables(given)
            initials = words[0][0] + _initials(given_syllables)
            if surname in COMPOUND_SURNAMES:
                initials = _initials(_syllables(surname)) + _initials(given_syllables)
            return [(words[0] + words[1], words[1], initials)]
        return [("".join(words), "", _initials(words))]
    if not surname:
        parts = [p for p in _SEPARATORS.split(name) if p]
        syllables = [s for p in parts for s in _syllables(p)]
        return [("".join(syllables), "", _initials(syllables))] if syllables else []
    surname_syllables = _syllables(surname) if surname in COMPOUND_SURNAMES else [surname]
    forms = []
    for reading in _surname_readings(surname):
        for given_syllables in _given_readings(given):
            given_pinyin = "".join(given_syllables)
            initials = (_initials(surname_syllables) if len(surname) > 1 else reading[:1]) + \
                _initials(given_syllables)
            forms.append((reading + given_pinyin, given_pinyin, initials))
    return forms[:MAX_READINGS]


@lru_cache(maxsize=65536)
def _given_readings(given: str) -> tuple[tuple[str, ...], ...]:
    """The syllables of a given name for each way it may be read, at most MAX_READINGS: the phrase reading
    (pypinyin's, the most likely) first, then each other reading of one character of GIVEN_NAME_POLYPHONES
    (长顺: zhang shun, then chang shun), then of two at a time."""
    first = _syllables(given)
    chars = list(given)
    if len(first) != len(chars):  # not one syllable per character (a letter, a rare character): as read
        return (first,)
    others = [[fold(r) for r in pinyin(c, style=Style.NORMAL, heteronym=True, errors="ignore")[0]
               if fold(r) and fold(r) != first[i]][:2] if c in GIVEN_NAME_POLYPHONES else []
              for i, c in enumerate(chars)]
    readings = [first]
    for i, alternatives in enumerate(others):
        for alternative in alternatives:
            readings.append(first[:i] + (alternative,) + first[i + 1:])
    for i in range(len(chars)):
        for j in range(i + 1, len(chars)):
            for a in others[i]:
                for b in others[j]:
                    readings.append(first[:i] + (a,) + first[i + 1:j] + (b,) + first[j + 1:])
    unique = list(dict.fromkeys(readings))
    return tuple(unique[:MAX_READINGS])


@lru_cache(maxsize=1)
def _converters() -> tuple[opencc.OpenCC, ...]:
    return tuple(opencc.OpenCC(config) for config in TRADITIONAL_CONFIGS)


@lru_cache(maxsize=65536)
def traditional_forms(text: str) -> tuple[str, ...]:
    """The text in traditional characters, as written in mainland traditional, Taiwan and Hong Kong, when it
    differs from the text (each form once): 王建华 → (王建華,)."""
    if not text or not any(_HAN.match(c) for c in text):
        return ()
    forms = dict.fromkeys(converter.convert(text) for converter in _converters())
    forms.pop(text, None)
    return tuple(forms)


def name_words(name: str, override: str | None = None) -> list[str]:
    """Every hidden word that finds this name (no duplicates, in a stable order)."""
    words: list[str] = []
    compact = _SEPARATORS.sub("", name)
    if not compact:
        return words
    surname, given = split_name(name)
    words.append(code(compact) + NAME_END)
    if surname and given:
        words.append(code(given) + NAME_END)
    elif "·" in name or " " in name.strip():  # 阿依古丽·买买提: each part alone
        words += [code(p) + NAME_END for p in _SEPARATORS.split(name) if len(p) >= 2]
    for form in traditional_forms(compact):
        words.append(code(form) + NAME_END)
        form_surname, form_given = split_name(form)
        if form_surname and form_given:
            words.append(code(form_given) + NAME_END)
    if any(_HAN.match(c) for c in compact):
        for full, given_pinyin, initials in _pinyin_forms(name, override):
            words += [full, given_pinyin, initials]
    result: list[str] = []
    for word in words:
        if len(word) >= 2 and word not in result:
            result.append(word)
        if "v" in word and not word.startswith(CODE_PREFIX):  # 吕 lv: also found as lu (ü typed as u)
            alternative = word.replace("v", "u")
            if alternative not in result:
                result.append(alternative)
    return result


@lru_cache(maxsize=65536)
def _text_parts(text: str) -> tuple[tuple[str, str], ...]:
    """(piece, code) of every suffix of one text, cut to SUFFIX_CHARS; units and positions repeat across
    thousands of people, so each is cut once."""
    compact = _SEPARATORS.sub("", text)
    pieces: dict[str, None] = {}
    for form in (compact, *traditional_forms(compact)):
        pieces.update(dict.fromkeys(form[start:start + SUFFIX_CHARS] for start in range(len(form) - 1)))
    return tuple((piece, code(piece) + PART_END) for piece in pieces if len(piece) >= 2 and _HAN.match(piece[0]))


def part_words(texts: list[str | None]) -> list[str]:
    """Codes of every suffix (cut to SUFFIX_CHARS characters, then PART_END) of a unit, position, studio or
    home name, in simplified and traditional characters, so that any part of it typed as a query — 华岳重工
    in 西安华岳重工机械有限公司, or 華岳重工 — is a prefix of one of them."""
    words: list[str] = []
    seen: set[str] = set()
    for text in texts:
        for piece, word in _text_parts(text or ""):
            if piece not in seen:
                seen.add(piece)
                words.append(word)
    return words


_HAN_RUN = re.compile(r"(?:[\u3400-\u9fff\uf900-\ufaff]|[\U00020000-\U0003134f])+")


def text_words(texts: list[str | None]) -> list[str]:
    """Every pair of neighbouring Chinese characters of the texts as a word (``vq`` + their codes), each
    once; a character standing alone (between punctuation) as ``vq`` + its code + SINGLE_END. A query is
    found by all of its pairs (search.js), whatever the segmenters make of it."""
    words: dict[str, None] = {}
    for text in texts:
        for run in _HAN_RUN.findall(text or ""):
            if len(run) == 1:
                words[PAIR_PREFIX + char_code(run) + SINGLE_END] = None
                continue
            pieces = [_CODES[ord(c)] for c in run]
            for first, second in zip(pieces, pieces[1:]):
                words[PAIR_PREFIX + first + second] = None
    return list(words)


def text_terms(texts: list[str | None]) -> str:
    """Hidden text of the pairs of characters of a profile's or story's words."""
    return hidden_text(text_words(texts))


def honour_words(honours: list[tuple[str, int]]) -> list[str]:
    """For each honour, every ending of its title (two characters or more) with the year:
    全国劳动模范 2015 → codes of 全国劳动模范, 国劳动模范 … 模范, each followed by y2015."""
    words: list[str] = []
    for title, year in honours:
        for ending in _title_endings(title):
            word = f"{ending}{YEAR_MARK}{year}"
            if word not in words:
                words.append(word)
    return words


@lru_cache(maxsize=4096)
def _title_endings(title: str) -> tuple[str, ...]:
    """Codes of every ending (two characters or more) of an honour title."""
    han = "".join(c for c in title if _HAN.match(c))
    return tuple(code(han[start:]) for start in range(len(han) - 1))


def hidden_text(words: list[str]) -> str:
    """The words as the text of a hidden, indexed element."""
    return f"{OPEN} {' '.join(words)} {CLOSE}" if words else ""


def record_terms(name: str, override: str | None = None) -> str:
    """Hidden text for a person's (or a home's) own page."""
    return hidden_text(name_words(name, override))


def part_terms(texts: list[str | None], honours: Sequence[tuple[str, int]] = ()) -> str:
    """Hidden text for the unit and position of a person (or the name and employer of a home) and honours."""
    return hidden_text(part_words(texts) + honour_words(list(honours)))


def story_terms(names: list[tuple[str, str | None]]) -> str:
    """Hidden text for a story: the names of the people and homes it is about (weighted lower)."""
    words: list[str] = []
    for name, override in names:
        for word in name_words(name, override):
            if word not in words:
                words.append(word)
    return hidden_text(words)


def honour_label(title: str, year: int) -> str:
    """全国劳动模范（2015年）: the meta shown under a search result."""
    return f"{title}（{year}年）"
