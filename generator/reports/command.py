"""`laomo report`: the private eligibility and revocation reports.

validated trees → private view → rule functions → findings → rows → findings.json,
eligibility.xlsx, revocation.xlsx, index.html, written into --out and nowhere
else (generator/reports/output.py says where that may be and writes each file whole).
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import gc
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.diagnostics import Diagnostic
from generator.load.private import PrivateLoad
from generator.model.private import PrivateTree
from generator.model.public import PublicTree
from generator.parallel import BackgroundFailed, in_background
from generator.reports.engine import RuleRun, compute_findings
from generator.reports.output import OUTPUT_FILES, refuse_out, write_failure, write_report
from generator.reports.params import PACK_IDS, Pack, PackError, find_pack
from generator.reports.registry import RULES, Report, rules_of
from generator.reports.render_html import Counts, render_html
from generator.reports.render_json import render_json
from generator.reports.render_xlsx import render_xlsx
from generator.reports.view import ReportView, build_view
from generator.reports.worklist import Row, worklist
from generator.validate.trees import validate_trees

CONFIG_NAME = "laomo.yml"
EXIT_OK, EXIT_INVALID, EXIT_REFUSED = 0, 1, 2


def _iso_date(text: str) -> dt.date:
    """YYYY-MM-DD; a well-formed date that does not exist is called by what is wrong with it."""
    parts = text.split("-")
    if len(parts) != 3 or [len(p) for p in parts] != [4, 2, 2] or not all(p.isdigit() for p in parts):
        raise argparse.ArgumentTypeError(f"日期“{text}”格式不对，应为 YYYY-MM-DD，例如 2026-11-20")
    year, month, day = (int(p) for p in parts)
    if not 1 <= month <= 12:
        raise argparse.ArgumentTypeError(f"日期“{text}”不存在：没有{month}月（月份为 01—12）")
    days = calendar.monthrange(year, month)[1] if year >= 1 else 31
    if year < 1 or not 1 <= day <= days:
        where = f"{year}年{month}月只有{days}天" if year >= 1 else "年份应从 0001 起"
        raise argparse.ArgumentTypeError(f"日期“{text}”不存在：{where}")
    return dt.date(year, month, day)


def _names(text: str) -> list[str]:
    """`a,b`, `a，b` and `a b` all name two packs (argparse splits on spaces, this on commas)."""
    names = [name.strip() for name in text.replace("，", ",").replace("、", ",").split(",") if name.strip()]
    if not names:
        raise argparse.ArgumentTypeError(f"“{text}”中没有政策包名称（可选：{'、'.join(PACK_IDS)}）")
    return names


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--private", required=True, metavar="DIR",
                        help="工作人员保管的私密记录目录（workers/、homes/、units.yml），不得位于 records/ 之内")
    parser.add_argument("--records", default="records", metavar="DIR", help="公开记录目录（默认 records）")
    parser.add_argument("--as-of", dest="as_of", type=_iso_date, default=None, metavar="YYYY-MM-DD",
                        help="统计日（默认今天）；“本年”指统计日所在年份，晚于统计日的记录不计入")
    parser.add_argument("--out", default="reports", metavar="DIR",
                        help="报表输出目录（默认 reports，已被 git 忽略）；须为新目录、空目录或之前写出的报表目录，"
                             "不得位于公开记录、私密记录、网站输出或未被 git 忽略的工作区目录之内")
    parser.add_argument("--policy", action="extend", nargs="+", type=_names, metavar="NAME", default=None,
                        help=f"本次启用的政策包，覆盖 {CONFIG_NAME} 的设置，多个用逗号或空格分隔"
                             f"（可选：{'、'.join(PACK_IDS)}）")
    parser.add_argument("--unit", action="append", metavar="ID", default=None,
                        help="只写出这些管理单位的事项（units.yml 中的编号，可重复），便于分别发给各单位")
    parser.add_argument("--config", default=None, metavar="FILE",
                        help=f"项目配置文件（默认为公开记录目录旁的 {CONFIG_NAME}）")


# ---------------------------------------------------------------- guards

def refuse_paths(records: Path, private: Path, out: Path) -> str | None:
    """A Chinese message when the paths would leak private data or clobber public ones; None when safe."""
    private_dir, records_dir = private.resolve(), records.resolve()
    if private_dir == records_dir or records_dir in private_dir.parents:
        return (f"拒绝运行：私密记录目录“{private}”位于公开记录目录“{records}”之内。"
                "私密记录不得放进公开记录目录（会随合并请求公开），请把它移到 records/ 之外的工作人员目录。")
    return refuse_out(out, records, private)


# ---------------------------------------------------------------- configuration

@dataclass(frozen=True)
class Settings:
    policies: tuple[str, ...]
    pack_dirs: tuple[Path, ...]
    source: str  # where the policy list came from, for the user


def read_settings(config: Path | None, records: Path, override: list[str] | None) -> Settings:
    path = config if config is not None else records.resolve().parent / CONFIG_NAME
    data: dict[str, Any] = {}
    if path.is_file():
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise PackError(f"无法读取项目配置 {path}：{exc}") from exc
        if loaded is not None and not isinstance(loaded, dict):
            raise PackError(f"项目配置 {path} 应为映射。")
        data = loaded or {}
    elif config is not None:
        raise PackError(f"找不到项目配置文件 {config}。")
    section = data.get("reports") or {}
    if not isinstance(section, dict):
        raise PackError(f"项目配置 {path} 的 reports 应为映射（policies、pack_dirs）。")
    raw_dirs = section.get("pack_dirs") or []
    if not isinstance(raw_dirs, list) or not all(isinstance(d, str) for d in raw_dirs):
        raise PackError(f"项目配置 {path} 的 reports.pack_dirs 应为目录列表。")
    pack_dirs = tuple((path.parent / d) for d in raw_dirs)
    if override:
        return Settings(tuple(dict.fromkeys(override)), pack_dirs, "命令行 --policy")
    if not path.is_file():
        return Settings(PACK_IDS, pack_dirs, f"未找到 {CONFIG_NAME}，默认启用全部")
    policies = section.get("policies")
    if not isinstance(policies, list) or not all(isinstance(p, str) for p in policies):
        raise PackError(f"项目配置 {path} 的 reports.policies 应为政策包名称列表，例如 [shaanxi-2020]。")
    return Settings(tuple(dict.fromkeys(policies)), pack_dirs, str(path))


def load_packs(settings: Settings) -> list[Pack]:
    return [find_pack(name, settings.pack_dirs) for name in settings.policies]


# ---------------------------------------------------------------- output

def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _print_diagnostics(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in sorted(diagnostics):
        print(diagnostic.as_text())


def _scope(view: ReportView, units: frozenset[str] | None) -> str:
    if units is None:
        return "全部管理单位"
    names = {unit.id: unit.name for unit in view.units}
    return "管理单位：" + "、".join(f"{names[u]}（{u}）" for u in sorted(units))


def _report(public_tree: PublicTree, private_tree: PrivateTree, packs: list[Pack], as_of: dt.date,
            out: Path, units: frozenset[str] | None) -> tuple[RuleRun, list[Row]]:
    """Findings of the enabled packs (of some managing units only, with `units`), written into `out`."""
    view = build_view(public_tree, private_tree, as_of)
    result = compute_findings(view, packs, progress=_progress)
    for notice in result.notices:
        print(notice, file=sys.stderr)
    rows = worklist(view, result.findings, units)
    scope = _scope(view, units)
    counts = Counts(len(public_tree.workers), len(public_tree.homes), len(private_tree.workers),
                    len(private_tree.homes), len(private_tree.units))

    def workbooks() -> dict[str, bytes]:
        return {report.file_name: render_xlsx(report, tuple(r for r in rules_of(report) if r.id in result.enabled),
                                              rows, as_of, scope) for report in Report}

    _progress("正在生成 eligibility.xlsx、revocation.xlsx、findings.json、index.html …")
    # the workbooks take as long as everything else, and the machine has two cores
    with in_background(workbooks, "laomo-xlsx") as workbooks_made:
        files = {"findings.json": render_json(rows),
                 "index.html": render_html(rows, result.enabled, packs, as_of, counts, result.notices, scope)}
        try:
            files.update(workbooks_made())
        except BackgroundFailed as exc:
            raise RuntimeError(f"生成 Excel 报表失败（{exc}）。") from None
    write_report(out, {name: files[name] for name in OUTPUT_FILES})
    return result, rows


def _unknown_units(wanted: list[str] | None, tree: PrivateTree) -> str | None:
    unknown = [u for u in wanted or () if u not in tree.units]
    if not unknown:
        return None
    known = "、".join(f"{u.id}（{u.name}）" for u in sorted(tree.units.values(), key=lambda u: u.id)) or "无"
    return (f"--unit 指定的管理单位“{'、'.join(unknown)}”不在私密记录的 units.yml 中。"
            f"可用的管理单位编号：{known}。")


def _future_word(as_of: dt.date) -> str | None:
    """A plain word when the as-of date is in the future (a date before a pack took effect gets the engine's)."""
    today = dt.date.today()
    if as_of <= today:
        return None
    return (f"注意：统计日 {as_of.isoformat()} 晚于今天（{today.isoformat()}）。报表只能依据今天已录入的记录，"
            "此后才会发生的体检、上报、申请等尚未录入，所列事项请到期后再核对。")


def run(args: argparse.Namespace) -> int:
    records = Path(args.records)
    private = Path(args.private)
    out = Path(args.out)
    refusal = refuse_paths(records, private, out)
    if refusal is not None:
        print(refusal, file=sys.stderr)
        return EXIT_REFUSED
    as_of: dt.date = args.as_of or dt.date.today()
    policies = [name.strip() for group in args.policy for name in group] if getattr(args, "policy", None) else None
    try:
        settings = read_settings(Path(args.config) if getattr(args, "config", None) else None, records, policies)
        packs = load_packs(settings)
    except PackError as exc:
        print(f"政策包配置有误：{exc}", file=sys.stderr)
        return EXIT_REFUSED
    future = _future_word(as_of)
    if future is not None:
        print(future, file=sys.stderr)

    started = time.perf_counter()
    _progress(f"正在校验公开记录 {records} 和私密记录 {private} …")
    validation = validate_trees(records, private)
    private_load = validation.private
    if not validation.ok or not isinstance(private_load, PrivateLoad):
        _print_diagnostics(validation.diagnostics)
        errors = sum(1 for d in validation.diagnostics if d.severity == "error")
        print(f"记录校验未通过（{errors} 个错误），未生成报表。请先改正上面列出的问题。", file=sys.stderr)
        return EXIT_INVALID
    warnings = [d for d in validation.diagnostics if d.severity == "warning"]
    if warnings:
        _print_diagnostics(warnings)
    unknown_units = _unknown_units(getattr(args, "unit", None), private_load.tree)
    if unknown_units is not None:
        print(unknown_units, file=sys.stderr)
        return EXIT_REFUSED
    units = frozenset(args.unit) if getattr(args, "unit", None) else None

    _progress(f"校验通过（{time.perf_counter() - started:.1f} 秒）。统计日 {as_of.isoformat()}，"
              f"启用政策包：{'、'.join(p.id for p in packs) or '无'}（{settings.source}）。")
    # The validated trees live until the end of the run: keep the garbage collector from rescanning them
    # every time the rules allocate (tens of thousands of records).
    gc.freeze()
    try:
        result, rows = _report(validation.public.tree, private_load.tree, packs, as_of, out, units)
    except OSError as exc:
        print(write_failure(exc, out), file=sys.stderr)
        return EXIT_INVALID
    finally:
        gc.unfreeze()
    print(f"已生成内部报表（内部资料，注意保密），统计日 {as_of.isoformat()}，共 {len(rows)} 项，"
          f"用时 {time.perf_counter() - started:.1f} 秒：")
    for name in OUTPUT_FILES:
        print(f"  {out / name}")
    summary = "，".join(f"{rule.id} {sum(1 for r in rows if r.rule.id == rule.id)}" for rule in RULES
                       if rule.id in result.enabled)
    print(f"各规则事项数：{summary or '无'}")
    return EXIT_OK
