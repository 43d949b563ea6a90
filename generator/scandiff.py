"""`laomo scan-diff BASE`: the pull-request check on what a change adds.

First, and plainly, it says when the change touches what staff must review (the report policy in laomo.yml,
the report packs, the workflows, CODEOWNERS). Then it scans every added line for private field names and
private-looking values, as `laomo validate` scans the files under records/, and reports them at their line
in the new file (`--format github` gives annotations beside the line on the pull request).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import Diagnostic, format_diagnostics
from generator.privacyscan import binary_files, scan_diff
from generator.validate.privacy import private_key_pattern

# what changes the amounts in staff's private reports or what CI runs: CODEOWNERS gives these to staff
REVIEWED_BY_STAFF = (("laomo.yml", "报表政策与参数（policies、pack_dirs）"),
                     ("generator/reports/packs/", "内部报表的政策包"),
                     (".github/workflows/", "自动检查流程"),
                     (".github/CODEOWNERS", "审核人名单"))
# synthetic data by design: the demo private tree and the tests' fixtures (all fictional, see their READMEs)
SYNTHETIC = ("examples/private/", "tests/")


@dataclass(frozen=True)
class StaffChange:
    path: str
    what: str


def staff_changes(paths: list[str]) -> list[StaffChange]:
    changes = []
    for path in paths:
        for prefix, what in REVIEWED_BY_STAFF:
            if path == prefix or (prefix.endswith("/") and path.startswith(prefix)):
                changes.append(StaffChange(path, what))
    return changes


def _git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", "-c", "core.quotePath=false", "-C", str(repo), *args],
                            capture_output=True, text=True, encoding="utf-8", errors="replace", check=False)
    if result.returncode != 0:
        raise RuntimeError(result.stderr.strip() or f"git {' '.join(args)} 失败")
    return result.stdout


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("base", nargs="?", default="origin/main", metavar="BASE",
                        help="与哪个提交比较（默认 origin/main）；写 - 则从标准输入读取 git diff 的输出")
    parser.add_argument("--staged", action="store_true",
                        help="检查已暂存（git add）、将要提交的改动，而不是与 BASE 比较（供提交前检查使用）")
    parser.add_argument("--repo", type=Path, default=Path("."), metavar="DIR", help="git 仓库目录（默认当前目录）")
    parser.add_argument("--format", choices=["text", "github"], default="text", help="输出格式")


def run(args: argparse.Namespace) -> int:
    try:
        if args.base == "-":
            diff = sys.stdin.read()
            names = sorted({line[6:].strip() for line in diff.splitlines() if line.startswith("+++ b/")})
        else:
            span = ["--cached"] if args.staged else [f"{args.base}...HEAD"]
            diff = _git(args.repo, "diff", "--no-color", "--no-ext-diff", "--unified=0", *span)
            names = _git(args.repo, "diff", "--name-only", *span).splitlines()
    except (RuntimeError, OSError) as exc:
        print(f"laomo scan-diff：无法取得改动（{exc}）。请在 git 仓库中运行，并确认 {args.base} 存在"
              "（合并请求的检查需要 actions/checkout 的 fetch-depth: 0）。", file=sys.stderr)
        return 2
    notices = [f"本次改动涉及{change.what}（{change.path}）：须由工会工作人员审核后才能合并。"
               for change in staff_changes(names)]
    for change, text in zip(staff_changes(names), notices):
        if args.format == "github":
            print(f"::warning file={change.path},line=1,title=须由工作人员审核::{text}")
        else:
            print(f"注意：{text}")
    summary = os.environ.get("GITHUB_STEP_SUMMARY") if args.format == "github" else None
    if summary and notices:  # the run's summary page, where reviewers look first
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write("## ⚠️ 须由工会工作人员审核\n\n" + "".join(f"- {text}\n" for text in notices) + "\n")
    found = scan_diff(diff, private_key_pattern()) + binary_files(diff)
    problems: list[Diagnostic] = [d for d in found if not d.path.startswith(SYNTHETIC)]
    output = format_diagnostics(problems, args.format)
    if output:
        print(output)
    problems = [d for d in problems if d.severity == "error"]
    if problems:
        print(f"新增的内容中有 {len(problems)} 处疑似个人隐私（身份证号、手机号、银行卡号或私密字段）。"
              "请从公开仓库中删除，私密信息只写在工作人员保管的私密目录中。", file=sys.stderr)
        return 1
    print("新增的内容中没有发现身份证号、手机号、银行卡号或私密字段。", file=sys.stderr)
    return 0
