"""Editors' typical mistakes, each a small tree in tests/editing/mistakes/<case>/: the validator names the
slip in Chinese, at the file and line where the editor made it, and nothing else goes wrong because of it.

Each case holds the record files it writes (under records/) and expect.txt: the severity and
`path:line` of the one problem, then fragments its message must contain.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from generator.load.yamlsource import _rapid_data, parse_yaml
from generator.validate.run import validate_public
from tests.conftest import VOCAB

CORPUS = Path(__file__).parent / "mistakes"
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "expect.txt").is_file())
PARSER_ENGLISH = re.compile(r"found|expected|mapping|scalar|token|while|stream|indentation|alias|context",
                            re.IGNORECASE)


def load_case(name: str, tmp_path: Path) -> tuple[str, str, list[str]]:
    records = tmp_path / "records"
    shutil.copytree(CORPUS / name / "records", records)
    (records / "vocab").mkdir(exist_ok=True)
    (records / "vocab" / "honours.yml").write_text(VOCAB, encoding="utf-8")
    severity_where, *fragments = (CORPUS / name / "expect.txt").read_text(encoding="utf-8").splitlines()
    severity, where = severity_where.split(" ", 1)
    return severity, where, [f for f in fragments if f]


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 40


@pytest.mark.parametrize("name", CASES)
def test_mistake_is_named_at_its_line(name, tmp_path, monkeypatch):
    severity, where, fragments = load_case(name, tmp_path)
    monkeypatch.chdir(tmp_path)
    found = validate_public(Path("records")).diagnostics
    shown = "\n".join(d.as_text() for d in found)
    errors = [d for d in found if d.severity == "error"]
    assert len(errors) == (1 if severity == "error" else 0), shown  # one slip, one error: nothing follows from it
    problem = next((d for d in found if d.severity == severity), None)
    assert problem is not None, shown
    assert f"{problem.path}:{problem.line}" == f"records{os.sep}{where}".replace(os.sep, "/"), shown
    for fragment in fragments:
        assert fragment in problem.message, (fragment, shown)
    assert not PARSER_ENGLISH.search(problem.message), shown


@pytest.mark.parametrize("name", CASES)
def test_rapidyaml_does_not_accept_what_libyaml_refuses(name, tmp_path):
    """The quick reader (rapidyaml) never takes a file the careful reader (libyaml) finds broken."""
    for path in (CORPUS / name / "records").rglob("*.yml"):
        text = path.read_text(encoding="utf-8")
        if any(d.message.startswith("YAML 格式错误") for d in parse_yaml(text, "x.yml").diagnostics):
            assert _rapid_data(text) is None, path
