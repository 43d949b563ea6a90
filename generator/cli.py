"""The `laomo` command: one sub-command per job, each in its own module."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

from generator.diagnostics import format_diagnostics

# sub-command -> module with add_arguments(parser) and run(args) -> int
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("generator.cli", "检查所有记录，列出全部问题"),
    "build": ("generator.site.command", "生成公开网站（含全文搜索）"),
    "serve": ("generator.serve", "本地预览网站，记录改动后自动重建"),
    "new": ("generator.scaffold", "按模板新建人物、职工之家或故事记录"),
    "revoke": ("generator.edits.revoke", "撤销某人的一项荣誉（直接修改记录文件）"),
    "deceased": ("generator.edits.deceased", "登记某人逝世（直接修改记录文件）"),
    "schema": ("generator.schema", "生成供编辑器自动补全的 JSON Schema"),
    "report": ("generator.reports.command", "生成内部报表（资格、推荐、撤销）"),
    "check": ("site_checks.check", "检查已生成的网站：链接、图片、隐私泄露"),
    "synth": ("generator.synth", "生成大规模合成数据，用于性能测试"),
}


class ChineseParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors exit 2, as argparse does, in Chinese
        self.print_usage(sys.stderr)
        self.exit(2, f"laomo: 命令用法错误：{message}\n")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--records", type=Path, default=Path("records"), help="公开记录目录（默认 records/）")
    parser.add_argument("--private", type=Path, default=None, help="私密记录目录（只在内部使用）")
    parser.add_argument("--format", choices=["text", "github", "json"], default="text", help="输出格式")
    parser.add_argument("--fix", action="store_true",
                        help="先自动改正明确无误的小错（全角冒号、Tab 缩进、行尾空格、2024/1/5 式日期、省市简称），显示改动，再检查")


def run(args: argparse.Namespace) -> int:
    for label, folder in (("记录目录", args.records), ("私密目录", args.private)):
        if folder is not None and not folder.is_dir():
            inside = Path("workers").is_dir() or Path("vocab").is_dir()
            hint = "看起来你在 records/ 目录里面：请先回到项目根目录（cd ..）再运行。" if inside else ""
            print(f"laomo validate：{label}“{folder}”不存在或不是目录。{hint}", file=sys.stderr)
            return 2
    if args.fix:
        from generator.edits.fix import report_fixes

        report_fixes(args.records)
    if args.private is None:
        from generator.validate.run import validate_public

        validation = validate_public(args.records)
    else:
        from generator.validate.trees import validate_trees

        validation = validate_trees(args.records, args.private)
    output = format_diagnostics(validation.diagnostics, args.format)
    if output:
        print(output)
    if args.format == "text":
        errors = sum(d.severity == "error" for d in validation.diagnostics)
        warnings = len(validation.diagnostics) - errors
        tree = validation.public.tree
        summary = f"已检查 {len(tree.workers)} 位人物、{len(tree.homes)} 个职工之家、{len(tree.stories)} 篇故事"
        if validation.private is not None:
            summary += "及私密记录"
        verdict = "全部通过" if errors == 0 else "请按上面的提示逐条修改"
        print(f"{summary}：{errors} 个错误，{warnings} 个警告。{verdict}。", file=sys.stderr)
    return 1 if not validation.ok else 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    chosen = next((a for a in argv if not a.startswith("-")), None)
    parser = ChineseParser(prog="laomo", description="劳模馆：记录检查、网站生成与内部报表")
    subparsers = parser.add_subparsers(dest="command", metavar="命令", parser_class=ChineseParser)
    subparsers.required = True
    for name, (module_name, help_text) in COMMANDS.items():
        sub = subparsers.add_parser(name, help=help_text, description=help_text)
        if name != chosen:
            continue  # only the chosen command's module is imported: `build` never loads the reports
        module = _command_module(module_name)
        if module is None:
            sub.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
        else:
            module.add_arguments(sub)
    args = parser.parse_args(argv)
    module = _command_module(COMMANDS[args.command][0])
    if module is None:
        print(f"laomo {args.command}：这个功能还没有实现（尚未开发）。", file=sys.stderr)
        return 2
    try:
        return module.run(args)
    except KeyboardInterrupt:
        return 130


def console() -> None:
    """The `laomo` program: `main`, then out at once. A build leaves millions of objects, and freeing them
    one by one on the way out took a second; everything it writes is closed before `main` returns."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)


def _command_module(name: str):
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and name.startswith(exc.name):
            return None
        raise
