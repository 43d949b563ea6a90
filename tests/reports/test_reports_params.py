"""Policy packs: dated parameters, legal references, configuration."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.reports.command import read_settings
from generator.reports.engine import compute_findings
from generator.reports.params import (
    PACK_IDS,
    PACKS_DIR,
    Citation,
    PackError,
    ParameterNotInForce,
    find_pack,
    join_citations,
    load_pack,
)
from generator.reports.registry import BY_ID, RULES, SubjectKind
from generator.reports.view import build_view
from tests.reports.report_builders import all_packs, findings, honour, private_worker, trees, worker

RAISED_LINE = """
      - since: 2026-07-01
        value: 3000
        document: 皖政办秘〔2026〕8号
        article: 二
"""


def test_every_pack_loads_and_every_value_has_its_reference():
    for pack in all_packs():
        assert pack.id in PACK_IDS
        assert pack.parameters, pack.id
        for parameter in pack.parameters.values():
            for dated in parameter.values:
                assert isinstance(dated.since, dt.date)
                assert dated.citation.document and dated.citation.article
        for citation in pack.articles.values():
            assert citation.document and citation.article


def test_one_registry_entry_per_rule_in_the_packs_of_rules_md():
    # rules.md: shaanxi-2020 (E-HEALTH, E-DEATH, E-FEEDBACK, E-CONTACT, R-WORKER), anhui-2017 (E-SUBSIDY), …
    assert {rule.pack: [r.id for r in RULES if r.pack == rule.pack] for rule in RULES} == {
        "shaanxi-2020": ["E-HEALTH", "E-DEATH", "E-FEEDBACK", "E-CONTACT", "R-WORKER"],
        "anhui-2017": ["E-SUBSIDY"],
        "beijing-2015": ["E-SANATORIUM"],
        "xicheng": ["E-AID"],
        "beijing-2021": ["H-ELIGIBLE", "H-PUBLICITY", "H-QUOTA", "R-HOME", "R-UNIONIST"],
    }
    assert set(PACK_IDS) == {rule.pack for rule in RULES}
    assert len(BY_ID) == len(RULES)
    for rule in RULES:
        assert len(rule.sheet) <= 31 and not set(rule.sheet) & set("[]:*?/\\"), rule.id  # Excel's limits
        assert rule.summed == (rule.amount is not None), rule.id
    assert {r.id for r in RULES if r.subject is SubjectKind.UNIT} == {"E-FEEDBACK", "H-QUOTA"}


def test_pack_values_inherit_the_document_of_their_pack():
    pack = find_pack("shaanxi-2020")
    assert pack.citation_on("death_report_days", dt.date(2026, 1, 1)) == Citation("陕工发〔2020〕11号", "第十二条")
    assert pack.article("health") == Citation("陕工发〔2020〕11号", "第十一条")
    # a value from another document says so
    assert pack.citation_on("health_check_national_yuan", dt.date(2026, 1, 1)) == Citation("皖政办秘〔2017〕279号", "四")
    for path in PACKS_DIR.glob("*.yml"):
        text = path.read_text(encoding="utf-8")
        document = find_pack(path.stem).document
        assert text.count(f"document: {document}") == 1, path.name  # written once, at the top


def test_a_pack_that_still_lists_rules_is_refused_with_a_word(tmp_path: Path):
    bad = tmp_path / "xicheng.yml"
    bad.write_text("id: xicheng\ntitle: t\ndocument: d\nrules: [E-AID]\nparameters: {}\n", encoding="utf-8")
    with pytest.raises(PackError, match="未知的键：rules"):
        load_pack(bad)


def test_value_in_force_on_a_date(tmp_path: Path):
    text = (PACKS_DIR / "anhui-2017.yml").read_text(encoding="utf-8")
    marker = "        article: 三\n  subsidy_monthly_yuan:"
    assert marker in text
    copy = tmp_path / "anhui-2017.yml"
    copy.write_text(text.replace(marker, "        article: 三\n" + RAISED_LINE.lstrip("\n") +
                                 "  subsidy_monthly_yuan:"), encoding="utf-8")
    pack = load_pack(copy)
    assert pack.value_on("income_line_yuan", dt.date(2026, 6, 30)) == 2500
    assert pack.value_on("income_line_yuan", dt.date(2026, 7, 1)) == 3000
    assert pack.citation_on("income_line_yuan", dt.date(2026, 7, 1)) == Citation("皖政办秘〔2026〕8号", "二")
    with pytest.raises(ParameterNotInForce):
        pack.value_on("income_line_yuan", dt.date(2016, 12, 31))


def test_dated_parameter_changes_the_findings(tmp_path: Path):
    text = (PACKS_DIR / "anhui-2017.yml").read_text(encoding="utf-8")
    marker = "        article: 三\n  subsidy_monthly_yuan:"
    (tmp_path / "anhui-2017.yml").write_text(
        text.replace(marker, "        article: 三\n" + RAISED_LINE.lstrip("\n") + "  subsidy_monthly_yuan:"),
        encoding="utf-8")
    packs = [find_pack("anhui-2017", (tmp_path,))]
    public, private = trees([(worker(honours=[honour("陕西省劳动模范", 2010)]),
                              private_worker(monthly_income_yuan=2800))])
    assert findings("E-SUBSIDY", public, private, "2026-06-30", packs) == []
    [after] = findings("E-SUBSIDY", public, private, "2026-07-01", packs)
    assert after.status == "eligible"
    assert after.article == "皖政办秘〔2026〕8号 二；皖政办秘〔2017〕279号 三"
    assert "2800元低于3000元" in after.detail


def test_rules_skip_before_their_pack_took_effect():
    public, private = trees([(worker(honours=[honour("陕西省劳动模范", 2010)]), private_worker())])
    result = compute_findings(build_view(public, private, dt.date(2019, 6, 1)), all_packs())
    assert "H-ELIGIBLE" not in result.enabled and "E-SUBSIDY" in result.enabled
    assert any("H-ELIGIBLE" in notice for notice in result.notices)


def test_only_enabled_packs_run():
    public, private = trees([(worker(honours=[honour("陕西省劳动模范", 2010)]), private_worker())])
    packs = [find_pack("shaanxi-2020")]
    result = compute_findings(build_view(public, private, dt.date(2026, 11, 20)), packs)
    assert {f.rule for f in result.findings} == {"E-HEALTH", "E-CONTACT"}
    assert "E-SUBSIDY" not in result.enabled


def test_join_citations_groups_by_document():
    a = Citation("陕工发〔2020〕11号", "第三十条(一)2")
    b = Citation("陕工发〔2020〕11号", "第三十条(二)")
    c = Citation("皖政办秘〔2017〕279号", "四")
    assert join_citations([a, b, c, a]) == "陕工发〔2020〕11号 第三十条(一)2、第三十条(二)；皖政办秘〔2017〕279号 四"


def test_unknown_pack_and_malformed_pack(tmp_path: Path):
    with pytest.raises(PackError, match="找不到政策包"):
        find_pack("guangdong-2030")
    bad = tmp_path / "xicheng.yml"
    bad.write_text("id: xicheng\ntitle: t\ndocument: d\nparameters:\n  fire_yuan:\n"
                   "    values:\n      - value: 2000\n", encoding="utf-8")
    with pytest.raises(PackError, match="since"):
        load_pack(bad)


def test_settings_from_configuration_and_override(tmp_path: Path):
    records = tmp_path / "records"
    records.mkdir()
    (tmp_path / "laomo.yml").write_text("reports:\n  policies: [shaanxi-2020]\n  pack_dirs: [packs]\n",
                                        encoding="utf-8")
    settings = read_settings(None, records, None)
    assert settings.policies == ("shaanxi-2020",) and settings.pack_dirs == (tmp_path / "packs",)
    assert read_settings(None, records, ["xicheng", "xicheng"]).policies == ("xicheng",)


def test_repository_configuration_enables_every_pack():
    repo = Path(__file__).resolve().parents[2]
    assert set(read_settings(None, repo / "records", None).policies) == set(PACK_IDS)
