"""`laomo revoke ID --honour TITLE --date YYYY-MM-DD --document DOC`: record a revoked honour in place.

Adds `revoked:` (date, document) under the honour in records/workers/ID.yml or
records/homes/ID.yml; nothing else in the file changes.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from generator.edits import common
from generator.edits.common import (
    KIND_LABELS,
    Refusal,
    YamlFile,
    did_you_mean,
    errors_in,
    find_record,
    is_empty,
    listing,
    only_key_on_line,
    pair,
    parse_date,
    parse_year,
    refuse,
    write_checked,
    yaml_scalar,
)
from generator.load.files import display_path

COMMAND = "revoke"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", nargs="?", help="人物或职工之家的编号（文件名，不含 .yml），例如 zhang-jianguo")
    parser.add_argument("--honour", metavar="称号", help="要撤销的称号，与记录中写的完全一致，例如 全国劳动模范")
    parser.add_argument("--date", metavar="YYYY-MM-DD", help="撤销日期（撤销决定的日期）")
    parser.add_argument("--document", metavar="文号", help="撤销决定的文号，例如 陕劳竞发〔2022〕6号")
    parser.add_argument("--year", metavar="YYYY", help="获奖年份：同一称号获得过多次时，指明撤销哪一次")
    parser.add_argument("--records", type=Path, default=Path("records"), help="公开记录目录（默认 records/）")


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except Refusal as refusal:
        return refuse(COMMAND, refusal)


def _usage(args: argparse.Namespace) -> None:
    missing = [flag for flag, value in (("编号", args.id), ("--honour 称号", args.honour), ("--date 撤销日期", args.date),
                                        ("--document 文号", args.document)) if not value]
    if missing:
        raise Refusal(f"缺少 {'、'.join(missing)}。用法：laomo revoke 编号 --honour 称号 --date YYYY-MM-DD --document 文号，"
                      "例如 laomo revoke gao-feng --honour 陕西省劳动模范 --date 2022-09-05 --document 陕劳竞发〔2022〕6号", 2)


def _run(args: argparse.Namespace) -> int:
    _usage(args)
    date = parse_date(args.date)
    year = parse_year(args.year) if args.year else None
    title, document = args.honour.strip(), args.document.strip()
    if not document:
        raise Refusal("--document 文号不能为空。", 2)
    if not args.records.is_dir():
        raise Refusal(f"记录目录“{args.records}”不存在或不是目录。请在项目根目录运行，或用 --records 指定。", 2)
    kind, path = find_record(args.records, args.id, ("worker", "home"))

    from generator.validate.run import validate_public

    validation = validate_public(args.records)
    problems = errors_in(validation.diagnostics, path)
    if problems:
        raise Refusal(f"{display_path(path)} 目前有错误，请先按提示修改，再登记撤销：\n{listing(problems)}")
    tree = validation.public.tree
    record = (tree.workers if kind == "worker" else tree.homes).get(args.id)
    if record is None:
        raise Refusal(f"无法读取 {display_path(path)}，请先运行 laomo validate 并按提示修改。")
    if title not in tree.vocab:
        raise Refusal(f"称号“{title}”不在荣誉称号表 vocab/honours.yml 中。{did_you_mean(title, list(tree.vocab))}"
                      "请照记录中写的称号原样填写。")

    held = [(i, h) for i, h in enumerate(record.honours) if h.title == title]
    if not held:
        others = "、".join(f"{h.title}（{h.year} 年{'，已撤销' if h.revoked else ''}）" for h in record.honours)
        raise Refusal(f"{KIND_LABELS[kind]}“{record.name}”（{args.id}）没有“{title}”这项荣誉。记录中的荣誉有：{others}。")
    if year is not None:
        held = [(i, h) for i, h in held if h.year == year]
        if not held:
            raise Refusal(f"“{record.name}”没有 {year} 年获得的“{title}”。记录中的年份是："
                          f"{'、'.join(str(h.year) for h in record.honours if h.title == title)}。")
    standing = [(i, h) for i, h in held if h.revoked is None]
    if not standing:
        i, honour = held[0]
        revoked = honour.revoked
        doc = f"，文号 {revoked.document}" if revoked and revoked.document else ""
        raise Refusal(f"“{record.name}”的“{title}”（{honour.year} 年）已于 {revoked.date if revoked else ''} 撤销{doc}，"
                      "不能重复撤销。")
    if len(standing) > 1:
        years = "、".join(str(h.year) for _, h in standing)
        raise Refusal(f"“{record.name}”有 {len(standing)} 项“{title}”（{years} 年），请加上 --year 指明撤销哪一年获得的。", 2)
    index, honour = standing[0]
    if date > common.today():
        raise Refusal(f"撤销日期 {date} 晚于今天（{common.today()}）。请填写撤销决定实际作出的日期。")
    if date.year < honour.year:
        raise Refusal(f"撤销日期 {date} 早于获奖年份 {honour.year} 年，不可能。请核对撤销日期或称号。")

    file = YamlFile.read(path)
    lines = _insert_revoked(file, index, date.isoformat(), document)
    after = file.encode(lines)
    if not write_checked(COMMAND, args.records, path, file.raw, after):
        return 1
    shown = [h for j, h in enumerate(record.honours) if j != index and h.revoked is None]
    gone = "" if shown else f"这是“{record.name}”唯一未撤销的荣誉，撤销后其页面将不再出现在网站上（列表、搜索、统计中也不再出现）。"
    print(f"\n已在 {display_path(path)} 中登记撤销“{title}”（{honour.year} 年）：撤销日期 {date}，文号 {document}。"
          f"被撤销的称号不会在网站上显示。{gone}\n"
          "下一步：核对上面的改动（“+”开头的行是新增的），运行 laomo validate，然后提交合并请求。"
          "工作人员还应在私密记录中登记撤销申报（revocation：申报日期、批准日期）。")
    return 0


def _insert_revoked(file: YamlFile, index: int, date: str, document: str) -> list[str]:
    found = pair(file.root, "honours")
    items = found[1].value if found else []
    item = items[index] if index < len(items) else None
    if item is None or not hasattr(item, "flow_style") or item.flow_style or not item.value:
        raise Refusal(f"{display_path(file.path)} 中这项荣誉不是逐行书写的（例如写成了 {{title: …, year: …}}），无法自动修改。"
                      "请改成模板中的分行写法后再试。")
    column = item.value[0][0].start_mark.column
    step = file.indent_step()
    block = [" " * column + "revoked:",
             " " * (column + step) + f"date: {date}",
             " " * (column + step) + f"document: {yaml_scalar(document)}"]
    existing = pair(item, "revoked")
    if existing is not None:  # an empty `revoked:` left in the file: fill it in
        key, value = existing
        if not (is_empty(value) and only_key_on_line(file, key, value)):
            raise Refusal(f"{display_path(file.path)} 第 {key.start_mark.line + 1} 行已有 revoked，但格式无法识别。请手工修改。")
        return file.replace_line(key.start_mark.line, block)
    return file.insert_after(file.insertion_line(item, column), block)
