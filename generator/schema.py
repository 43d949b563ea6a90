"""`laomo schema [--out schemas/] [--check]`: JSON Schemas of the record files, for editors' autocomplete.

Generated from the pydantic models, then given Chinese titles and descriptions
(the models' own field names are English) and the honour titles of
records/vocab/honours.yml as an `enum`. Each record file names its schema on
its first line (`# yaml-language-server: $schema=../../schemas/worker.schema.json`),
so VS Code with the YAML extension completes field names, lists the allowed
titles and underlines mistakes while typing. The output is deterministic:
`schemas/` is committed, and a test fails when it is stale.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter

from generator.model.common import RECORD_ID
from generator.model.public import Home, StoryMeta, VocabEntry, Worker

DRAFT = "https://json-schema.org/draft/2020-12/schema"
PHOTO_PATH = r"^(?![/\\])(?!.*\.\.)[^\\]+$"  # stays inside records/photos/

# (title, description) of each field, by the name pydantic gives its model in the schema.
DESCRIPTIONS: dict[str, dict[str, tuple[str, str]]] = {
    "Worker": {
        "id": ("编号", "与文件名相同（不含 .yml），也是网址 /workers/<编号>/ 的一部分。只用小写字母、数字和连字符，"
                       "例如 zhang-jianguo。发布后不能再改。"),
        "name": ("姓名", "本人姓名，1–20 个字。"),
        "name_pinyin": ("姓名拼音", "只用于排序。多音字姓氏（单 shàn、曾 zēng、查 zhā 等）需要填写，例如 shan lihua；其他可不填。"),
        "gender": ("性别", "男 或 女。"),
        "ethnicity": ("民族", "例如 汉族、回族、蒙古族。可不填。"),
        "birth_year": ("出生年份", "四位数字，例如 1970。可不填。"),
        "region": ("地区", "province（省份，必填）、city（城市）、district（区县）。"),
        "unit": ("工作单位", "现在的工作单位；已退休的可写“某某厂（已退休）”。"),
        "position": ("职务", "职务或岗位，例如 高级技师。可不填。"),
        "industry": ("行业", "例如 制造业、采矿业、教育。可不填。"),
        "honours": ("荣誉", "至少一项。每项以“- title:”开头，写明称号（title）和获奖年份（year）。"),
        "died": ("逝世日期", "YYYY-MM-DD。建议用命令 laomo deceased 编号 --date 日期 登记。"),
        "photo": ("照片", "file（records/photos/ 中的文件名）、alt（照片内容的文字说明，必填）、credit（来源）。"
                          "须取得本人或家属的肖像使用同意。"),
        "summary": ("简介", "一句话简介，不超过 120 个字。"),
        "story": ("先进事迹", "正文，可以分段。写成“story: |”，下面每行前空两格，段落之间空一行。"),
        "achievements": ("成果", "著作、成果、专利、新获荣誉，每项一行，以“- ”开头。"),
        "studio": ("劳模创新工作室", "name（名称，必填）、year（命名年份）、level（级别，如 国家级、省级）。"),
    },
    "Home": {
        "id": ("编号", "与文件名相同（不含 .yml），也是网址 /homes/<编号>/ 的一部分。只用小写字母、数字和连字符，"
                       "例如 bj-xirun-elec。发布后不能再改。"),
        "name": ("工会名称", "例如 某某有限公司工会委员会、某某车间工会分会。"),
        "employer": ("所属单位", "工会所在的单位。"),
        "ownership": ("单位性质", "国有、集体、非公 或 机关事业。"),
        "region": ("地区", "province（省份，必填）、city（城市）、district（区县）。"),
        "industry": ("行业", "例如 制造业、交通运输、仓储和邮政业。可不填。"),
        "parent": ("上级职工之家", "这是“小家”时，填它所属职工之家的编号（须已有记录）。"),
        "honours": ("荣誉", "至少一项。每项以“- title:”开头，写明称号（title）和获奖年份（year）。"),
        "dissolved": ("注销日期", "单位破产、终止或撤销的日期，YYYY-MM-DD。"),
        "photo": ("照片", "file（records/photos/ 中的文件名）、alt（照片内容的文字说明，必填）、credit（来源）。"),
        "summary": ("简介", "一句话简介，不超过 120 个字。"),
        "story": ("工作事迹", "正文，可以分段。写成“story: |”，下面每行前空两格，段落之间空一行。"),
        "achievements": ("成果", "工作成果，每项一行，以“- ”开头。"),
    },
    "StoryMeta": {
        "title": ("标题", "故事的标题。"),
        "date": ("日期", "发表或撰写日期，YYYY-MM-DD。"),
        "about": ("相关人物或职工之家", "编号列表（records/workers/ 或 records/homes/ 下的文件名，不含 .yml），每项以“- ”开头。"),
        "source": ("来源", "稿件来源，例如 某某区总工会供稿。可不填。"),
    },
    "Honour": {
        "title": ("称号", "必须与荣誉称号表 records/vocab/honours.yml 中的写法完全一致。"),
        "year": ("获奖年份", "四位数字，例如 2015。"),
        "conferred_by": ("授予机关", "不填时按称号表中的授予机关显示。"),
        "document": ("文号", "授予文件的文号，例如 中发〔2020〕12号。"),
        "revoked": ("撤销", "称号被撤销时填写：date（撤销日期）、document（撤销文号）。被撤销的称号不在网站上显示。"
                            "建议用命令 laomo revoke 登记。"),
    },
    "Revoked": {
        "date": ("撤销日期", "撤销决定作出的日期，YYYY-MM-DD。"),
        "document": ("撤销文号", "撤销决定的文号。"),
    },
    "Region": {
        "province": ("省份", "含直辖市、自治区，例如 陕西省、北京市。"),
        "city": ("城市", "地级市，例如 西安市。可不填。"),
        "district": ("区县", "例如 西城区。可不填。"),
    },
    "Photo": {
        "file": ("照片文件", "records/photos/ 中的文件名，例如 zhang-jianguo.jpg（区分大小写）。"),
        "alt": ("照片说明", "照片内容的文字说明，供视障读者的读屏软件朗读，例如 张建国在焊接车间指导徒弟。"),
        "credit": ("署名", "照片来源或摄影者。"),
    },
    "Studio": {
        "name": ("工作室名称", "例如 张建国劳模创新工作室。"),
        "year": ("命名年份", "四位数字。"),
        "level": ("级别", "例如 国家级、省级、市级。"),
    },
    "VocabEntry": {
        "title": ("称号", "称号全称，记录中的 title 必须与它完全一致。"),
        "recipient": ("授予对象", "individual（个人）或 collective（集体：职工之家、小家）。"),
        "level": ("授予层级", "national 全国、provincial 省级、ministerial 部级、municipal 市级、district 区县、enterprise 企业。"),
        "treatment": ("劳模待遇", "national（全国劳模待遇）、provincial（省部级劳模待遇）或 none（不享受劳模待遇）。"),
        "authority": ("授予机关", "记录中没有写 conferred_by 时显示它。"),
        "revocation_route": ("撤销审批途径", "撤销称号时使用的审批路径，见称号表文件开头的说明；来源文件未规定时不写。"),
    },
}

DEF_TITLES = {"Honour": "荣誉", "Revoked": "撤销", "Region": "地区", "Photo": "照片", "Studio": "劳模创新工作室",
              "VocabEntry": "称号"}

ROOTS: dict[str, tuple[str, str]] = {
    "worker": ("人物记录", "records/workers/<编号>.yml：一位劳模、先进工作者、奖章获得者或优秀工会工作者。"),
    "home": ("职工之家记录", "records/homes/<编号>.yml：一个模范职工之家或模范职工小家。"),
    "story": ("故事信息区", "records/stories/<文件名>.md 开头两行“---”之间的信息：title、date、about、source。"),
    "honours": ("荣誉称号表", "records/vocab/honours.yml：记录中可以使用的全部称号，每个称号一项。"),
}

FILES = {"worker": "worker.schema.json", "home": "home.schema.json",
         "story": "story.schema.json", "honours": "honours.schema.json"}


def vocabulary(records: Path) -> list[tuple[str, str]]:
    """(title, recipient) of each entry of records/vocab/honours.yml, in file order; [] when unreadable."""
    from generator.load.files import display_path
    from generator.load.yamlsource import parse_yaml, read_text

    path = records / "vocab" / "honours.yml"
    if not path.is_file():
        return []
    text, _ = read_text(path, display_path(path))
    data = parse_yaml(text, display_path(path)).data if text is not None else None
    found: list[tuple[str, str]] = []
    for item in data if isinstance(data, list) else []:
        if isinstance(item, dict) and isinstance(item.get("title"), str) and item["title"] not in {t for t, _ in found}:
            found.append((item["title"], str(item.get("recipient", ""))))
    return found


def _describe(schema: dict[str, Any], model_name: str) -> None:
    table = DESCRIPTIONS.get(model_name, {})
    for name, prop in schema.get("properties", {}).items():
        if name in table:
            prop["title"], prop["description"] = table[name]
        else:
            prop.pop("title", None)


def _raw(kind: str) -> dict[str, Any]:
    models: dict[str, type[BaseModel]] = {"worker": Worker, "home": Home, "story": StoryMeta}
    if kind in models:
        return models[kind].model_json_schema()
    return TypeAdapter(list[VocabEntry]).json_schema()


def build(kind: str, vocab: list[tuple[str, str]]) -> dict[str, Any]:
    """The finished schema of one kind of file."""
    schema = _raw(kind)
    root_name = {"worker": "Worker", "home": "Home", "story": "StoryMeta"}.get(kind)
    for name, definition in schema.get("$defs", {}).items():
        definition["title"] = DEF_TITLES.get(name, name)
        _describe(definition, name)
    if root_name is not None:
        _describe(schema, root_name)
    schema["title"], schema["description"] = ROOTS[kind]
    schema["$schema"] = DRAFT
    props = schema.get("properties", {})
    if "id" in props:
        props["id"]["pattern"] = RECORD_ID.pattern
    if "birth_year" in props:
        _bound(props["birth_year"], 1900)
    if "parent" in props:
        props["parent"] = _with_pattern(props["parent"])
    if "about" in props:
        props["about"]["items"]["pattern"] = RECORD_ID.pattern
    defs = schema.get("$defs", {})
    if "Honour" in defs:
        defs["Honour"]["properties"]["year"]["minimum"] = 1950
        recipient = {"worker": "individual", "home": "collective"}[kind]
        titles = [title for title, whom in vocab if whom == recipient]
        if titles:
            defs["Honour"]["properties"]["title"]["enum"] = titles
    if "Photo" in defs:
        defs["Photo"]["properties"]["file"]["pattern"] = PHOTO_PATH
    return schema


def _bound(prop: dict[str, Any], minimum: int) -> None:
    for option in prop.get("anyOf", []):
        if option.get("type") == "integer":
            option["minimum"] = minimum


def _with_pattern(prop: dict[str, Any]) -> dict[str, Any]:
    for option in prop.get("anyOf", []):
        if option.get("type") == "string":
            option["pattern"] = RECORD_ID.pattern
    return prop


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def generate(records: Path) -> dict[str, str]:
    """File name → text of every schema."""
    vocab = vocabulary(records)
    return {FILES[kind]: render(build(kind, vocab)) for kind in FILES}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=Path("schemas"), help="输出目录（默认 schemas/）")
    parser.add_argument("--records", type=Path, default=Path("records"), help="公开记录目录，用于读取称号表（默认 records/）")
    parser.add_argument("--check", action="store_true", help="只检查输出目录中的文件是否最新，不写入；过期时退出码为 1")


def run(args: argparse.Namespace) -> int:
    if not (args.records / "vocab" / "honours.yml").is_file():
        print(f"laomo schema：找不到荣誉称号表 {args.records}/vocab/honours.yml。请在项目根目录运行，或用 --records 指定。",
              file=sys.stderr)
        return 2
    wanted = generate(args.records)
    stale = [name for name, text in wanted.items()
             if not (args.out / name).is_file() or (args.out / name).read_text(encoding="utf-8") != text]
    if args.check:
        if stale:
            print(f"laomo schema：{args.out}/ 中的 {'、'.join(stale)} 已过期（记录格式或称号表有改动）。"
                  "请运行 laomo schema 重新生成并一起提交。", file=sys.stderr)
            return 1
        print(f"{args.out}/ 中的 JSON Schema 都是最新的。", file=sys.stderr)
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name in stale:
        (args.out / name).write_text(wanted[name], encoding="utf-8", newline="\n")
    if stale:
        print(f"已写入 {args.out}/ 中的 {'、'.join(stale)}（编辑器据此自动补全字段和称号）。请把它们一起提交。")
    else:
        print(f"{args.out}/ 中的 JSON Schema 都是最新的，没有改动。")
    return 0
