"""rapidyaml reads the plain records quickly; wherever it might read a file differently from libyaml,
the file must go to libyaml. Each case here once got through: compare the two readings."""

from __future__ import annotations

import random

import pytest

from generator.load.yamlsource import _libyaml_data, _rapid_data, parse_yaml, quick_parse
from tests.conftest import REPO


def libyaml_reading(text: str) -> tuple[object, bool]:
    """(data, valid) as the quick libyaml path or, failing that, the careful path reads `text`."""
    data = _libyaml_data(text)
    if data is not None:
        return data, True
    parsed = parse_yaml(text, "x.yml")
    return parsed.data, not any(d.severity == "error" for d in parsed.diagnostics)


def assert_same_reading(text: str) -> bool:
    """True when rapidyaml took the file; then its data must be libyaml's, type for type."""
    rapid = _rapid_data(text)
    if rapid is None:
        return False
    data, valid = libyaml_reading(text)
    assert valid, f"rapidyaml took a file libyaml refuses:\n{text}"
    assert repr(rapid) == repr(data), f"different readings of:\n{text}"
    return True


def test_an_ordinary_record_is_read_by_rapidyaml() -> None:
    text = ('id: bai-baoshan\nname: "白宝山"\nbirth_year: 1969\nregion:\n  province: 北京市\n'
            'honours:\n  - title: "全国劳动模范"\n    year: 1989\n'
            'story: |\n  参加工作以来，他扎根一线。\n\n  他带领班组连续多年实现零质量事故。\n')
    assert assert_same_reading(text)
    assert quick_parse(text)["honours"] == [{"title": "全国劳动模范", "year": 1989}]


@pytest.mark.parametrize("text", [
    "a: yes\nb: on\nc: ~\nd: Null\ne: 1_000\nf: 0755\ng: 10:30\n",  # typed in YAML 1.1, strings to rapidyaml
    "a: 2024-01-05\n",  # a date: libyaml's reading
    "a: 1e3\n",  # a float in JSON, a string in YAML 1.1
    "a:\n  -.5\n", "a: -.5\n",  # rapidyaml writes -0.5
    "a: |\n  x",  # no final line break: libyaml keeps none
    "a: |2:\n  x\n", "a: |2|\n  x\n", "a: | +\n  x\n", "q:\n | - x\n  - y\n",  # malformed block headers
    'a:\n  - "x"  - \'y\'\n',  # one item to libyaml (an error), two to rapidyaml
    "ti: '\n  q':\n",  # a quoted key over two lines
    "id:\n- id:\n  - 'a'\n\n    honours: x\n",  # a key rapidyaml reads with its indentation
    ": x\n", "a: 1\na: 2\n",  # an empty key; a repeated key
    "a: &x 1\nb: *x\n", "<<: {a: 1}\n", "a: !!str 1\n", "a: [1, 2]\n", 'a: "\\u4e2d"\n', "a: >\n  x\n",
    "---\na: 1\n", "a: 1\n---\nb: 2\n", "a: 1\r\n", "a:\tb\n", "a: x\u2028y\n", "a: x\x85y\n", "\ufeffa: 1\n",
    "- a\n- b\n", "just text\n", "", "a: b: c\n", "a:\n  b: 1\n c: 2\n",
])
def test_where_the_readers_differ_libyaml_decides(text: str) -> None:
    assert_same_reading(text)
    assert quick_parse(text) == _libyaml_data(text)


def test_rapidyaml_errors_do_not_reach_the_terminal(capfd: pytest.CaptureFixture[str]) -> None:
    assert quick_parse("a: b: c\n") is None
    assert capfd.readouterr().err == ""


def test_the_sample_records_read_alike() -> None:
    taken = 0
    for path in sorted([*REPO.glob("records/**/*.yml"), *REPO.glob("examples/**/*.yml")]):
        taken += assert_same_reading(path.read_text(encoding="utf-8"))
    assert taken > 10


# Random records in the subset rapidyaml is given, and near it, with typos mixed in.
PLAIN = ["北京 朝阳", "全国劳动模范", "工程师，", "a b c", "1989", "12", "0.5", "中文：冒号", "it's", 'say "hi"',
         "a #b", "a#b", "x\ny", "x\n\ny"]
ODD = ["1969", "-3", "007", "1_000", "3.50", "1e3", ".5", "yes", "No", "on", "true", "null", "~", "", "2020-01-05",
       "10:30", "a: b", "#x", "- x", "'q'", "  lead", "trail  ", "=", "<<", "+1", "-0", "1.", "😀", "x|y", "a\\b",
       "中发〔1989〕2号", "(1)", "@x"]
KEYS = ["id", "name", "year", "title", "honours", "on", "1", "2020-01-01", "中文", "a b", "'q'", "~", "no", "y"]
TYPOS = [" ", "  ", ":", "- ", "'", '"', "\n", "#", ": ", "|", " x"]


def random_scalar(rng: random.Random, indent: int) -> str:
    text = rng.choice(PLAIN if rng.random() < 0.9 else ODD)
    style = rng.random()
    if "\n" in text or style < 0.15:
        body = "\n".join(" " * (indent + 2) + line if line else "" for line in text.split("\n"))
        return f"{rng.choice(['|', '|-', '|+', '|2', '>'])}\n{body}\n" + ("\n" if rng.random() < 0.2 else "")
    if style < 0.35:
        return "'" + text.replace("'", "''") + "'"
    if style < 0.55:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if style < 0.6 and len(text) > 2:
        return text[: len(text) // 2] + "\n" + " " * (indent + 2) + text[len(text) // 2:]
    return text


def random_mapping(rng: random.Random, indent: int, depth: int) -> str:
    lines = []
    for _ in range(rng.randint(1, 5)):
        kind = rng.random()
        if depth < 3 and kind < 0.15:
            value = "\n" + random_mapping(rng, indent + rng.choice([1, 2, 4]), depth + 1)
        elif depth < 3 and kind < 0.3:
            value = "\n" + random_sequence(rng, indent + rng.choice([0, 2]), depth + 1)
        else:
            value = " " + random_scalar(rng, indent)
        line = " " * indent + rng.choice(KEYS) + ":" + value
        if not line.endswith("\n"):
            line += (" # c" if rng.random() < 0.1 else "") + "\n"
        lines.append(line + ("\n" if rng.random() < 0.1 else ""))
    return "".join(lines)


def random_sequence(rng: random.Random, indent: int, depth: int) -> str:
    lines = []
    for _ in range(rng.randint(1, 3)):
        if depth < 3 and rng.random() < 0.3:
            lines.append(" " * indent + "- " + random_mapping(rng, indent + 2, depth + 1)[indent + 2:])
        else:
            value = " " + random_scalar(rng, indent)
            lines.append(" " * indent + "-" + value + ("" if value.endswith("\n") else "\n"))
    return "".join(lines)


def test_random_records_read_alike() -> None:
    rng = random.Random(20261123)
    taken = 0
    for _ in range(4000):
        text = random_mapping(rng, 0, 0)
        for _ in range(rng.randint(0, 3)):
            at = rng.randrange(len(text) + 1)
            if rng.random() < 0.5:
                text = text[:at] + rng.choice(TYPOS) + text[at:]
            else:
                text = text[:at] + text[at + rng.randint(1, 3):]
        taken += assert_same_reading(text)
    assert taken > 200  # the quick path is really taken
