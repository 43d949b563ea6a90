"""`laomo deceased ID --date YYYY-MM-DD`: record that a person has died, in place.

Adds `died: YYYY-MM-DD` to records/workers/ID.yml right after the honours;
nothing else in the file changes.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from generator.edits import common
from generator.edits.common import (
    Refusal,
    YamlFile,
    errors_in,
    find_record,
    is_empty,
    listing,
    only_key_on_line,
    pair,
    parse_date,
    refuse,
    write_checked,
)
from generator.load.files import display_path

COMMAND = "deceased"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", nargs="?", help="人物的编号（文件名，不含 .yml），例如 zhang-jianguo")
    parser.add_argument("--date", metavar="YYYY-MM-DD", help="逝世日期")
    parser.add_argument("--records", type=Path, default=Path("records"), help="公开记录目录（默认 records/）")


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except Refusal as refusal:
        return refuse(COMMAND, refusal)


def _run(args: argparse.Namespace) -> int:
    missing = [flag for flag, value in (("编号", args.id), ("--date 逝世日期", args.date)) if not value]
    if missing:
        raise Refusal(f"缺少 {'、'.join(missing)}。用法：laomo deceased 编号 --date YYYY-MM-DD，"
                      "例如 laomo deceased chen-xiuying --date 2023-03-14", 2)
    date = parse_date(args.date)
    if not args.records.is_dir():
        raise Refusal(f"记录目录“{args.records}”不存在或不是目录。请在项目根目录运行，或用 --records 指定。", 2)
    if (args.records / "homes" / f"{args.id}.yml").is_file() and not (args.records / "workers" / f"{args.id}.yml").is_file():
        raise Refusal(f"“{args.id}”是职工之家，不是人物。单位注销、破产或撤销时，请在记录中填写 dissolved（注销日期）。")
    _, path = find_record(args.records, args.id, ("worker",))

    from generator.validate.run import validate_public

    validation = validate_public(args.records)
    problems = errors_in(validation.diagnostics, path)
    if problems:
        raise Refusal(f"{display_path(path)} 目前有错误，请先按提示修改，再登记逝世：\n{listing(problems)}")
    worker = validation.public.tree.workers.get(args.id)
    if worker is None:
        raise Refusal(f"无法读取 {display_path(path)}，请先运行 laomo validate 并按提示修改。")
    if worker.died is not None:
        raise Refusal(f"“{worker.name}”（{args.id}）已登记于 {worker.died} 逝世，不能重复登记。"
                      "如果日期有误，请直接修改文件中的 died 一行。")
    if date > common.today():
        raise Refusal(f"逝世日期 {date} 晚于今天（{common.today()}），请核对。")
    if worker.birth_year is not None and date.year < worker.birth_year:
        raise Refusal(f"逝世日期 {date} 早于“{worker.name}”的出生年份 {worker.birth_year} 年，不可能。请核对。")

    file = YamlFile.read(path)
    lines = _insert_died(file, date.isoformat())
    if not write_checked(COMMAND, args.records, path, file.raw, file.encode(lines)):
        return 1
    print(f"\n已在 {display_path(path)} 中登记“{worker.name}”于 {date} 逝世。网站上的个人页面会以庄重的样式显示逝世日期，"
          "荣誉和事迹照常保留。\n"
          "下一步：核对上面的改动（“+”开头的行是新增的），运行 laomo validate，然后提交合并请求。"
          "工作人员还应在私密记录中填写 death_reported（向省总工会报告的日期）。")
    return 0


def _insert_died(file: YamlFile, date: str) -> list[str]:
    column = file.root.value[0][0].start_mark.column
    existing = pair(file.root, "died")
    if existing is not None:  # an empty `died:` left in the file: fill it in
        key, value = existing
        if not (is_empty(value) and only_key_on_line(file, key, value)):
            raise Refusal(f"{display_path(file.path)} 第 {key.start_mark.line + 1} 行已有 died，但格式无法识别。请手工修改。")
        return file.replace_line(key.start_mark.line, [" " * column + f"died: {date}"])
    placeholder = next((n for n, line in enumerate(file.lines) if line.startswith(" " * column + "# died:")), None)
    if placeholder is not None:  # the template's commented example: the real line takes its place
        return file.replace_line(placeholder, [" " * column + f"died: {date}"])
    honours = pair(file.root, "honours")
    anchor = honours[1] if honours is not None else file.root
    return file.insert_after(file.insertion_line(anchor, column), [" " * column + f"died: {date}"])
