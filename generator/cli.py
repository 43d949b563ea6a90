"""The `laomo` command: one sub-command per job, each in its own module."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any, NoReturn

from generator.diagnostics import format_diagnostics

# sub-command -> module with add_arguments(parser) and run(args) -> int
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("generator.cli", "检查所有记录，列出全部问题"),
    "build": ("generator.site.command", "生成公开网站（含全文搜索）"),
    "join": ("generator.site.shards", "把 laomo build --shard 分片生成的网站合并成一个网站"),
    "serve": ("generator.serve", "本地预览网站，记录改动后自动重建"),
    "new": ("generator.scaffold", "按模板新建人物、职工之家或故事记录"),
    "revoke": ("generator.edits.revoke", "撤销某人的一项荣誉（直接修改记录文件）"),
    "deceased": ("generator.edits.deceased", "登记某人逝世（直接修改记录文件）"),
    "schema": ("generator.schema", "生成供编辑器自动补全的 JSON Schema"),
    "report": ("generator.reports.command", "生成内部报表（资格、推荐、撤销）"),
    "check": ("site_checks.check", "检查已生成的网站：链接、图片、隐私泄露"),
    "scan-diff": ("generator.scandiff", "检查改动（合并请求）新增的内容中有没有个人隐私"),
    "changes": ("generator.changes", "用中文列出改动对记录的影响（新增、撤销、字段改动），供审核合并请求"),
    "synth": ("generator.synth", "生成大规模合成数据，用于性能测试"),
}


# argparse's own messages (its gettext message ids, Python 3.11), in Chinese.
ARGPARSE_CHINESE: dict[str, str] = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "subcommands": "子命令",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：命令用法错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "one of the arguments %s is required": "以下参数必须提供一个：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "%(value)r 不是有效的 %(type)s 值",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多只能给一个值",
    "expected at least one argument": "至少需要一个值",
    "expected %s argument": "需要 %s 个值",
    "expected %s arguments": "需要 %s 个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是：%(matches)s",
    "unexpected option string: %s": "意外的选项：%s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "选项不接受值：%r",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "没有命令 %(parser_name)r（可用：%(choices)s）",
}


def _chinese(message: str) -> str:
    return ARGPARSE_CHINESE.get(message, message)


def _chinese_plural(singular: str, plural: str, count: int) -> str:
    return _chinese(singular if count == 1 else plural)


@contextlib.contextmanager
def _argparse_in_chinese() -> Iterator[None]:
    """argparse looks its messages up through the module's gettext functions: answer them in Chinese meanwhile.

    Scoped to the calls of ChineseParser, so any parser anyone adds under it speaks Chinese too, and nothing
    else in the process is changed.
    """
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _chinese, _chinese_plural  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class ChineseParser(argparse.ArgumentParser):
    """An ArgumentParser whose every message — usage, help, errors — is Chinese; usage errors exit 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with _argparse_in_chinese():
            super().__init__(*args, **kwargs)

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        with _argparse_in_chinese():
            return super().parse_known_args(args, namespace)

    def parse_args(self, args: Any = None, namespace: Any = None) -> Any:
        with _argparse_in_chinese():
            return super().parse_args(args, namespace)

    def format_usage(self) -> str:
        with _argparse_in_chinese():
            return super().format_usage()

    def format_help(self) -> str:
        with _argparse_in_chinese():
            text = super().format_help()
        # section headings end in argparse's own colon
        for heading in {ARGPARSE_CHINESE["positional arguments"], ARGPARSE_CHINESE["options"]}:
            text = text.replace(f"\n{heading}:\n", f"\n{heading}：\n")
        return text

    def add_subparsers(self, **kwargs: Any) -> Any:
        with _argparse_in_chinese():
            return super().add_subparsers(**kwargs)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：命令用法错误：{message}\n")


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
    from generator.validate.privacy import check_records_edges  # layout and privacy scan: validate only

    validation.diagnostics += check_records_edges(args.records, validation.diagnostics)
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
        _command_module(module_name).add_arguments(sub)
    args = parser.parse_args(argv)
    module = _command_module(COMMANDS[args.command][0])
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


def _command_module(name: str) -> ModuleType:
    """The chosen command's module, imported only when chosen (`build` never loads the reports). The imports
    are written out, not made with importlib, so that the import contracts (pyproject.toml) see each one."""
    if name == __name__:
        return sys.modules[__name__]
    if name == "generator.site.command":
        from generator.site import command as build_command
        return build_command
    if name == "generator.serve":
        from generator import serve
        return serve
    if name == "generator.scaffold":
        from generator import scaffold
        return scaffold
    if name == "generator.edits.revoke":
        from generator.edits import revoke
        return revoke
    if name == "generator.edits.deceased":
        from generator.edits import deceased
        return deceased
    if name == "generator.schema":
        from generator import schema
        return schema
    if name == "generator.reports.command":
        from generator.reports import command as report_command
        return report_command
    if name == "site_checks.check":
        from site_checks import check
        return check
    if name == "generator.synth":
        from generator import synth
        return synth
    if name == "generator.scandiff":
        from generator import scandiff
        return scandiff
    if name == "generator.changes":
        from generator import changes
        return changes
    if name == "generator.site.shards":
        from generator.site import shards
        return shards
    raise LookupError(f"{name}: add the command's import to _command_module")
