"""`laomo new worker|home|story`: a new record from a commented template, with a fresh id.

In a terminal it asks for the essentials one by one; otherwise it takes them
as flags and exits 2 naming the missing ones. The file it writes validates as
written: the optional fields are comments an editor uncomments and fills in.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypinyin import lazy_pinyin

from generator.edits import common
from generator.edits.common import (
    Refusal,
    did_you_mean,
    errors_in,
    listing,
    parse_date,
    parse_year,
    record_ids,
    refuse,
    yaml_scalar,
)
from generator.load.files import display_path
from generator.load.public import PLACEHOLDER_LEFT, STORY_PLACEHOLDER
from generator.model.common import RECORD_ID
from generator.model.public import Worker
from generator.model.standards import official_city, official_province, provinces
from generator.surnames import COMPOUND_SURNAMES, SURNAME_READINGS

COMMAND = "new"
KINDS = {"worker": "人物", "home": "职工之家", "story": "故事"}
OWNERSHIPS = ("国有", "集体", "非公", "机关事业")
FIRST_HONOUR_YEAR = 1950
MIN_HONOUR_AGE = 16
MAX_ID_BASE = 56  # leaves room for a "-NN" suffix within the 64 characters of an id

EMPLOYER_SUFFIXES = ("有限责任公司", "股份有限公司", "有限公司", "集团公司", "集团", "公司", "工会委员会", "工会")
NAME_SEPARATORS = re.compile(r"[·・•‧.．\s]+")
_NOT_HAN = "\x00"


# ---- ids --------------------------------------------------------------------------------


def _syllables(text: str) -> list[str]:
    """Lowercase ASCII pieces of `text`: pinyin for Han characters (ü as yu), letters and digits kept."""
    pieces: list[str] = []
    for chunk in lazy_pinyin(text, errors=lambda chars: _NOT_HAN + chars):
        if chunk.startswith(_NOT_HAN):
            pieces += re.findall(r"[a-z0-9]+", chunk.lower())
        else:  # a syllable: "lv" is lü, written lyu in ids as in passports
            pieces += [piece.replace("v", "yu") for piece in re.findall(r"[a-z]+", chunk.replace("ü", "v"))]
    return pieces


def _slug(text: str) -> str:
    return re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9-]+", "-", text.lower())).strip("-")


def _sorted_as(surname: str) -> str:
    """The surname's letters as the site sorts names without `name_pinyin`: character by character."""
    return "".join("".join(_syllables(char)) for char in surname)


def name_pinyin(name: str) -> tuple[str, str, bool]:
    """(surname pinyin, given-name pinyin, whether the surname needs `name_pinyin`) of a person's name."""
    parts = [p for p in NAME_SEPARATORS.split(name.strip()) if p]
    if len(parts) != 1:  # 阿依古丽·买买提, John Smith: each part as one word
        words = ["".join(_syllables(p)) for p in parts]
        words = [w for w in words if w]
        return (words[0] if words else ""), "-".join(words[1:]), False
    whole = parts[0]
    if len(whole) >= 3 and whole[:2] in COMPOUND_SURNAMES:
        reading = COMPOUND_SURNAMES[whole[:2]]
        return reading, "".join(_syllables(whole[2:])), reading != _sorted_as(whole[:2])
    first, given = whole[:1], whole[1:]
    if first in SURNAME_READINGS and given:
        reading = SURNAME_READINGS[first][0]
        return reading, "".join(_syllables(given)), reading != _sorted_as(first)
    surname = "".join(_syllables(first))
    if re.fullmatch(r"[A-Za-z0-9]", first):  # a name in Latin letters without spaces: one word
        return "".join(_syllables(whole)), "", False
    return surname, "".join(_syllables(given)), False


def person_id_base(name: str) -> str:
    surname, given, _ = name_pinyin(name)
    return _slug(f"{surname}-{given}" if given else surname)


def _truncate(pieces: list[str], limit: int) -> str:
    out = ""
    for piece in pieces:
        if len(out) + len(piece) > limit:
            break
        out += piece
    return out or "".join(pieces)[:limit]


def home_id_base(employer: str) -> str:
    core = employer.strip()
    changed = True
    while changed:
        changed = False
        for suffix in EMPLOYER_SUFFIXES:
            if core.endswith(suffix) and len(core) > len(suffix):
                core, changed = core[:-len(suffix)], True
    return _slug(_truncate(_syllables(core), 40))


def story_slug_base(about: list[str], year: int) -> str:
    """Year and the first subject's id (2024-zhang-jianguo): readable, unlike the pinyin of a whole title;
    a second story that year gets -2 from fresh_id."""
    return _slug(f"{year}-{about[0]}" if about else str(year))


def fresh_id(base: str, taken: set[str], fallback: str) -> str:
    """`base`, or `base-2`, `base-3` … : the first that is a valid id and not taken."""
    base = _slug(base)[:MAX_ID_BASE].strip("-") or fallback
    if RECORD_ID.match(base) and base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken or not RECORD_ID.match(f"{base}-{n}"):
        n += 1
    return f"{base}-{n}"


# ---- asking -------------------------------------------------------------------------------


@dataclass
class Ask:
    dest: str  # argparse destination
    flag: str
    label: str
    example: str
    check: Callable[[str, dict[str, Any]], Any]  # normalised value, or a Refusal
    optional: bool = False
    default: Callable[[dict[str, Any]], str | None] | None = None


def _is_terminal() -> bool:
    return sys.stdin.isatty()


def gather(asks: list[Ask], args: argparse.Namespace, interactive: bool, kind: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    missing: list[Ask] = []
    for ask in asks:
        given = getattr(args, ask.dest, None)
        if isinstance(given, list):
            given = "，".join(given)
        if given is not None and str(given).strip():
            values[ask.dest] = ask.check(str(given).strip(), values)
        elif interactive:
            values[ask.dest] = _prompt(ask, values)
        elif ask.default is not None and (default := ask.default(values)):
            values[ask.dest] = ask.check(default, values)
        elif ask.optional:
            values[ask.dest] = None
        else:
            missing.append(ask)
    if missing:
        needed = "\n".join(f"  {a.flag} {a.label}（例如 {a.example}）" for a in missing)
        raise Refusal(f"缺少必填信息：\n{needed}\n在终端中直接运行“laomo new {kind}”会逐项询问；"
                      f"在脚本中请用参数给出，例如：\n  {EXAMPLES[kind]}", 2)
    return values


def _prompt(ask: Ask, values: dict[str, Any]) -> Any:
    default = ask.default(values) if ask.default else None
    note = f"（直接回车使用“{default}”）" if default else "（可不填，直接回车跳过）" if ask.optional else ""
    while True:
        try:
            answer = input(f"{ask.label}{note}，例如 {ask.example}：").strip()
        except EOFError:
            print(file=sys.stderr)
            raise Refusal("输入已结束，没有新建任何文件。", 2) from None
        if not answer and default:
            answer = default
        if not answer:
            if ask.optional:
                return None
            print(f"  {ask.label}是必填项，请填写。", file=sys.stderr)
            continue
        try:
            return ask.check(answer, values)
        except Refusal as refusal:
            print(f"  {refusal.message}", file=sys.stderr)


# ---- checks of single answers -------------------------------------------------------------


def _text(label: str, limit: int | None = None) -> Callable[[str, dict], str]:
    def check(value: str, _: dict) -> str:
        if any(c in value for c in "\r\n\t"):
            raise Refusal(f"{label}不能包含换行或制表符。", 2)
        if limit is not None and len(value) > limit:
            raise Refusal(f"{label}“{value}”太长（{len(value)} 个字），最多 {limit} 个字。", 2)
        return value
    return check


def _choice(label: str, options: tuple[str, ...]) -> Callable[[str, dict], str]:
    def check(value: str, _: dict) -> str:
        if value not in options:
            raise Refusal(f"{label}只能是：{'、'.join(options)}，现在是“{value}”。", 2)
        return value
    return check


def _province(value: str, _: dict) -> str:
    """The official name (GB/T 2260) of the province meant: 陕西 becomes 陕西省."""
    official = official_province(value)
    if official is None:
        raise Refusal(f"省份“{value}”不是省级行政区的名称，请写全称，例如 陕西省、北京市、内蒙古自治区。", 2)
    return official


def _city(value: str, values: dict) -> str:
    """The listed city when the name is clearly one (西安 becomes 西安市); other names as written
    (the validator warns about names not in the list)."""
    _text("城市", 30)(value, values)
    province = provinces().get(values.get("province") or "")
    return (official_city(province, value) if province else None) or value


def _birth_year(value: str, _: dict) -> int:
    year = parse_year(value, "--birth-year")
    if not 1900 <= year <= common.today().year:
        raise Refusal(f"出生年份 {year} 不合理，应在 1900 到 {common.today().year} 之间。")
    return year


def _honour_year(value: str, values: dict) -> int:
    year = parse_year(value)
    this_year = common.today().year
    if not FIRST_HONOUR_YEAR <= year <= this_year:
        raise Refusal(f"获奖年份 {year} 不合理，应在 {FIRST_HONOUR_YEAR} 到 {this_year} 之间。")
    born = values.get("birth_year")
    if born is not None and year < born + MIN_HONOUR_AGE:
        raise Refusal(f"获奖年份 {year} 早于本人 {MIN_HONOUR_AGE} 岁（出生于 {born} 年），请核对。")
    return year


def _honour(vocab: dict, recipient: str) -> Callable[[str, dict], str]:
    allowed = [title for title, entry in vocab.items() if entry.recipient == recipient]
    whom = {"individual": "个人", "collective": "集体（职工之家、小家）"}

    def check(value: str, _: dict) -> str:
        entry = vocab.get(value)
        if entry is not None and entry.recipient == recipient:
            return value
        if entry is not None:
            raise Refusal(f"称号“{value}”只授予{whom[entry.recipient]}，不能用在{whom[recipient]}的记录上。"
                          f"可选的称号有：{'、'.join(allowed)}。")
        raise Refusal(f"称号“{value}”不在荣誉称号表 records/vocab/honours.yml 中。{did_you_mean(value, allowed)}"
                      f"可选的称号有：{'、'.join(allowed)}。称号表里没有的，请先提交合并请求在称号表中增加。")
    return check


def _record_id(taken: set[str]) -> Callable[[str, dict], str]:
    def check(value: str, _: dict) -> str:
        if not RECORD_ID.match(value):
            raise Refusal(f"编号“{value}”格式不对：只能用小写字母、数字和连字符“-”，3–64 个字符，"
                          "不能以连字符开头或结尾，例如 zhang-jianguo。", 2)
        if value in taken:
            raise Refusal(f"编号“{value}”已经被使用，请换一个（人物和职工之家的编号不能重复，故事的文件名也不能重复）。")
        return value
    return check


def _about(existing: set[str]) -> Callable[[str, dict], list[str]]:
    def check(value: str, _: dict) -> list[str]:
        ids = [part for part in re.split(r"[,，、;；\s]+", value) if part]
        unknown = [i for i in ids if i not in existing]
        if unknown:
            hints = "".join(did_you_mean(i, sorted(existing)) for i in unknown[:1])
            raise Refusal(f"“{'、'.join(unknown)}”不是已有人物或职工之家的编号（即 records/workers/ 或 records/homes/ "
                          f"下的文件名，不含 .yml）。{hints}")
        return list(dict.fromkeys(ids))
    return check


def _date(value: str, _: dict):
    return parse_date(value)


EXAMPLES = {
    "worker": "laomo new worker --name 张建国 --gender 男 --province 陕西省 --city 西安市 "
              "--unit 西安某某机械厂 --honour 全国劳动模范 --year 2015",
    "home": "laomo new home --name 某某有限公司工会委员会 --employer 某某有限公司 --ownership 国有 "
            "--province 北京市 --honour 北京市模范职工之家 --year 2022",
    "story": "laomo new story --title 焊花里的师徒情 --about zhang-jianguo,bai-zhiqiang",
}


# ---- the command --------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", nargs="?", metavar="worker|home|story", help="worker（人物）、home（职工之家）或 story（故事）")
    parser.add_argument("--records", type=Path, default=Path("records"), help="公开记录目录（默认 records/）")
    parser.add_argument("--name", metavar="名称", help="人物的姓名；职工之家的工会名称（如 某某有限公司工会委员会）")
    parser.add_argument("--gender", metavar="男|女", help="性别")
    parser.add_argument("--birth-year", dest="birth_year", metavar="YYYY", help="出生年份（可不填）")
    parser.add_argument("--province", metavar="省", help="省份（含直辖市、自治区），如 陕西省、北京市")
    parser.add_argument("--city", metavar="市", help="城市（可不填）")
    parser.add_argument("--unit", metavar="单位", help="人物的工作单位")
    parser.add_argument("--employer", metavar="单位", help="职工之家所属的单位")
    parser.add_argument("--ownership", metavar="性质", help="单位性质：国有、集体、非公、机关事业")
    parser.add_argument("--honour", metavar="称号", help="称号，须与 records/vocab/honours.yml 中的写法一致")
    parser.add_argument("--year", metavar="YYYY", help="获得称号的年份")
    parser.add_argument("--title", metavar="标题", help="故事的标题")
    parser.add_argument("--about", action="append", metavar="编号", help="故事相关的人物或职工之家编号，多个用逗号分隔")
    parser.add_argument("--date", metavar="YYYY-MM-DD", help="故事的日期（默认今天）")
    parser.add_argument("--id", dest="record_id", metavar="编号", help="自定义编号（默认由拼音生成）")


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except Refusal as refusal:
        return refuse(COMMAND, refusal)


def _run(args: argparse.Namespace) -> int:
    if args.kind not in KINDS:
        got = f"（现在是“{args.kind}”）" if args.kind else ""
        raise Refusal(f"请指明新建哪一类记录{got}：worker（人物）、home（职工之家）或 story（故事），"
                      "例如 laomo new worker。", 2)
    records: Path = args.records
    common.check_records(records)
    from generator.load.public import load_public

    load = load_public(records)
    vocab = load.tree.vocab
    if args.kind != "story" and not vocab:
        problems = [d for d in load.diagnostics if "vocab" in d.path.replace("\\", "/")]
        raise Refusal("无法读取荣誉称号表 records/vocab/honours.yml，不能检查称号。"
                      + (f"\n{listing(problems)}" if problems else ""))
    interactive = _is_terminal()
    if interactive:
        print(f"新建{KINDS[args.kind]}记录：请逐项填写，按 Ctrl+C 放弃。", file=sys.stderr)
    if args.kind == "worker":
        return _new_worker(args, records, load.tree, interactive)
    if args.kind == "home":
        return _new_home(args, records, load.tree, interactive)
    return _new_story(args, records, interactive)


def _new_worker(args: argparse.Namespace, records: Path, tree: Any, interactive: bool) -> int:
    vocab = tree.vocab
    taken = record_ids(records)
    asks = [
        Ask("name", "--name", "姓名", "张建国", _text("姓名", 20)),
        Ask("gender", "--gender", "性别", "男 或 女", _choice("性别", ("男", "女"))),
        Ask("birth_year", "--birth-year", "出生年份", "1970", _birth_year, optional=True),
        Ask("province", "--province", "省份", "陕西省", _province),
        Ask("city", "--city", "城市", "西安市", _city, optional=True),
        Ask("unit", "--unit", "工作单位", "西安某某机械厂", _text("工作单位", 100)),
        Ask("honour", "--honour", "称号", "全国劳动模范", _honour(vocab, "individual")),
        Ask("year", "--year", "获得称号的年份", "2015", _honour_year),
        Ask("record_id", "--id", "编号", "zhang-jianguo", _record_id(taken), optional=True,
            default=lambda v: fresh_id(person_id_base(v["name"]), taken, "worker")),
    ]
    if interactive:
        _print_titles(vocab, "individual")
    values = gather(asks, args, interactive, "worker")
    if interactive:
        values["more_honours"] = _ask_more_honours(vocab, "individual", values)
    values["record_id"] = values["record_id"] or fresh_id(person_id_base(values["name"]), taken, "worker")
    _warn_look_alikes(records, tree.workers.values(), values)
    path = records / "workers" / f"{values['record_id']}.yml"
    return _write(records, path, worker_template(values), "worker", values["record_id"])


def _new_home(args: argparse.Namespace, records: Path, tree: Any, interactive: bool) -> int:
    vocab = tree.vocab
    taken = record_ids(records)
    asks = [
        Ask("employer", "--employer", "所属单位", "某某有限公司", _text("所属单位", 100)),
        Ask("name", "--name", "工会名称", "某某有限公司工会委员会", _text("工会名称", 100),
            default=(lambda v: f"{v['employer']}工会委员会") if interactive else None),
        Ask("ownership", "--ownership", "单位性质", "、".join(OWNERSHIPS), _choice("单位性质", OWNERSHIPS)),
        Ask("province", "--province", "省份", "北京市", _province),
        Ask("city", "--city", "城市", "北京市", _city, optional=True),
        Ask("honour", "--honour", "称号", "北京市模范职工之家", _honour(vocab, "collective")),
        Ask("year", "--year", "获得称号的年份", "2022", _honour_year),
        Ask("record_id", "--id", "编号", "bj-xirun-elec", _record_id(taken), optional=True,
            default=lambda v: fresh_id(home_id_base(v["employer"]), taken, "home")),
    ]
    if interactive:
        _print_titles(vocab, "collective")
    values = gather(asks, args, interactive, "home")
    if interactive:
        values["more_honours"] = _ask_more_honours(vocab, "collective", values)
    values["record_id"] = values["record_id"] or fresh_id(home_id_base(values["employer"]), taken, "home")
    _warn_look_alike_homes(records, tree.homes.values(), values)
    path = records / "homes" / f"{values['record_id']}.yml"
    return _write(records, path, home_template(values), "home", values["record_id"])


def _new_story(args: argparse.Namespace, records: Path, interactive: bool) -> int:
    stories = records / "stories"
    taken = {p.stem for p in stories.glob("*.md")} if stories.is_dir() else set()
    asks = [
        Ask("title", "--title", "标题", "焊花里的师徒情", _text("标题", 100)),
        Ask("about", "--about", "相关人物或职工之家的编号（多个用逗号分隔）", "zhang-jianguo,bai-zhiqiang",
            _about(record_ids(records))),
        Ask("date", "--date", "日期", common.today().isoformat(), _date, optional=True,
            default=lambda v: common.today().isoformat()),
        Ask("record_id", "--id", "文件名（不含 .md）", "2024-zhang-jianguo", _record_id(taken), optional=True,
            default=lambda v: fresh_id(story_slug_base(v["about"], v["date"].year), taken, "story")),
    ]
    values = gather(asks, args, interactive, "story")
    values["record_id"] = values["record_id"] or fresh_id(story_slug_base(values["about"], values["date"].year),
                                                          taken, "story")
    path = stories / f"{values['record_id']}.md"
    return _write(records, path, story_template(values), "story", values["record_id"])


def _ask_more_honours(vocab: dict, recipient: str, values: dict) -> list[tuple[str, int]]:
    """Further honours, each a title and a year, until the editor presses Enter on an empty title."""
    more: list[tuple[str, int]] = []
    title_ask = Ask("honour", "--honour", "还有其他荣誉吗？称号", "全国五一劳动奖章", _honour(vocab, recipient),
                    optional=True)
    while (title := _prompt(title_ask, values)) is not None:
        if title == values["honour"] or title in (t for t, _ in more):
            print(f"  “{title}”已经填过了。", file=sys.stderr)
            continue
        year = _prompt(Ask("year", "--year", f"获得“{title}”的年份", "2018", _honour_year), values)
        more.append((title, year))
    return more


def _print_titles(vocab: dict, recipient: str) -> None:
    titles = [t for t, e in vocab.items() if e.recipient == recipient]
    print(f"可选的称号：{'、'.join(titles)}", file=sys.stderr)


def look_alikes(workers: Iterable[Worker], name: str, birth_year: int | None, unit: str | None) -> list[tuple[Worker, str]]:
    """Existing workers with the same name and birth year, or the same name and unit."""
    def squash(text: object) -> str:
        return re.sub(r"\s+", "", str(text or ""))

    same = []
    for worker in workers:
        if squash(worker.name) != squash(name):
            continue
        if birth_year is not None and worker.birth_year == birth_year:
            same.append((worker, f"同名且出生年份相同（{birth_year} 年）"))
        elif unit and squash(worker.unit) == squash(unit):
            same.append((worker, f"同名且工作单位相同（{unit}）"))
    return same


def _warn_look_alikes(records: Path, workers: Iterable[Worker], values: dict[str, Any]) -> None:
    for worker, why in look_alikes(workers, values["name"], values.get("birth_year"), values.get("unit")):
        born = f"{worker.birth_year} 年生，" if worker.birth_year else ""
        print(f"注意：已有记录 {display_path(records / 'workers' / f'{worker.id}.yml')}（{worker.name}，{born}{worker.unit}）"
              f"与新记录{why}，可能是同一个人。如果是同一人，请在原记录的 honours 中增加新荣誉，并删除这次新建的文件；"
              "如果确实是不同的人，可以忽略这条提示。", file=sys.stderr)


def _warn_look_alike_homes(records: Path, homes, values: dict) -> None:
    for home in homes:
        if re.sub(r"\s+", "", home.name) == re.sub(r"\s+", "", values["name"]):
            print(f"注意：已有记录 {display_path(records / 'homes' / f'{home.id}.yml')} 的工会名称也是“{values['name']}”，"
                  "可能是同一个职工之家。如果是同一个，请在原记录中增加新荣誉，并删除这次新建的文件。", file=sys.stderr)


def _write(records: Path, path: Path, text: str, kind: str, record_id: str) -> int:
    if path.exists():  # fresh_id avoids this; a race with another editor would not
        raise Refusal(f"{display_path(path)} 已经存在，没有覆盖。请换一个编号（--id）。")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    from generator.validate.run import validate_public

    validation = validate_public(records)
    shown = display_path(path)
    # a new story's body is the placeholder until the editor writes it: that is the next step, not a failure
    problems = [p for p in errors_in(validation.diagnostics, path) if p.message != PLACEHOLDER_LEFT]
    if problems:
        print(f"laomo new：已写入 {shown}，但它还没有通过检查，请按提示修改：\n{listing(problems)}", file=sys.stderr)
        return 1
    url = {"worker": f"/workers/{record_id}/", "home": f"/homes/{record_id}/", "story": f"/stories/{record_id}/"}[kind]
    print(f"已新建{KINDS[kind]}记录：{shown}")
    label = "文件名" if kind == "story" else "编号"
    print(f"{label} {record_id}，发布后的网址是 {url}（{label}发布后不能再改；如需修改，请在提交前删除此文件，用 --id 重新生成）。")
    print(NEXT_STEPS[kind].format(path=shown))
    return 0


NEXT_STEPS = {
    "worker": "下一步：\n"
              "  1. 用编辑器（推荐 VS Code）打开 {path}，按文件里的注释补充出生年份、职务、简介、先进事迹等："
              "删去行首的“# ”即可启用一项；\n"
              "  2. 有照片时，把照片放进 records/photos/（须取得肖像使用同意），并填写 photo 一项；\n"
              "  3. 运行 laomo validate 检查，按提示修改；\n"
              "  4. 提交合并请求（pull request），等待自动检查和网站预览。",
    "home": "下一步：\n"
            "  1. 用编辑器（推荐 VS Code）打开 {path}，按文件里的注释补充区县、行业、简介、工作事迹等："
            "删去行首的“# ”即可启用一项；\n"
            "  2. 有照片时，把照片放进 records/photos/，并填写 photo 一项；\n"
            "  3. 运行 laomo validate 检查，按提示修改；\n"
            "  4. 提交合并请求（pull request），等待自动检查和网站预览。",
    "story": "下一步：\n"
             "  1. 打开 {path}，在第二个“---”下面写正文（Markdown：空一行分段，“## ”开头是小标题）；\n"
             "  2. 运行 laomo validate 检查，按提示修改；\n"
             "  3. 提交合并请求（pull request），等待自动检查和网站预览。",
}


# ---- templates ----------------------------------------------------------------------------


def _city_lines(values: dict, example: str) -> list[str]:
    if values.get("city"):
        return [f"  city: {yaml_scalar(values['city'])}"]
    return [f"  # city: {example}              # 可选：城市（地级市）"]


def _more_honour_lines(values: dict) -> list[str]:
    """The honours after the first, as given one by one in the terminal."""
    return [line for title, year in values.get("more_honours", ())
            for line in (f"  - title: {yaml_scalar(title)}", f"    year: {year}")]


def worker_template(values: dict) -> str:
    record_id, name = values["record_id"], values["name"]
    surname, given, polyphonic = name_pinyin(name)
    spoken = f"{surname} {given}".strip() or "zhang jianguo"
    pinyin_line = (f"name_pinyin: {spoken}" if polyphonic
                   else f"# name_pinyin: {spoken}")
    birth = (f"birth_year: {values['birth_year']}" if values.get("birth_year") is not None
             else "# birth_year: 1970              # 可选：出生年份，四位数字")
    lines = [
        "# yaml-language-server: $schema=../../schemas/worker.schema.json",
        f"# 人物记录：{name}（由 laomo new worker 生成）",
        "# 以“#”开头的是说明，不会发布到网站上。可选项：删去行首的“# ”即可启用，再把示例改成真实内容。",
        "# 缩进只能用空格，不能用 Tab。填写方法见《编辑指南》。",
        "",
        f"# 编号：与文件名相同，也是网址 /workers/{record_id}/ 的一部分，发布后不能再改",
        f"id: {record_id}",
        "# 姓名",
        f"name: {yaml_scalar(name)}",
        "# 姓名拼音：只用于排序；多音字姓氏（单 shàn、曾 zēng、查 zhā …）需要填写",
        pinyin_line,
        "# 性别：男 或 女",
        f"gender: {values['gender']}",
        "# ethnicity: 汉族                # 可选：民族",
        birth,
        "# 地区：province 省份（必填），city 城市，district 区县",
        "region:",
        f"  province: {yaml_scalar(values['province'])}",
        *_city_lines(values, "西安市"),
        "  # district: 雁塔区             # 可选：区县",
        "# 工作单位（现在的单位；已退休的可写“某某厂（已退休）”）",
        f"unit: {yaml_scalar(values['unit'])}",
        "# position: 高级技师             # 可选：职务或岗位",
        "# industry: 制造业               # 可选：行业，如 制造业、采矿业、教育、卫生和社会工作",
        "# 荣誉：每项以“- title:”开头；称号必须与称号表 records/vocab/honours.yml 中的写法完全一致",
        "honours:",
        f"  - title: {yaml_scalar(values['honour'])}",
        f"    year: {values['year']}",
        "    # document: 中发〔2015〕12号   # 可选：授予文件的文号",
        "    # conferred_by: 国务院          # 可选：授予机关；不填时按称号表显示",
        *_more_honour_lines(values),
        "  # - title: 全国五一劳动奖章       # 还有其他荣誉时，照此格式逐项添加",
        "  #   year: 2018",
        "# died: 2024-01-01               # 逝世日期；请用命令 laomo deceased 编号 --date 日期 登记",
        "# photo:                         # 可选：照片。先把照片放进 records/photos/，须取得肖像使用同意",
        f"#   file: {record_id}.jpg",
        f"#   alt: {name}在工作岗位上       # 必填：照片内容的文字说明，供视障读者的读屏软件朗读",
        "#   credit: 某某工会              # 可选：照片来源或摄影者",
        "# summary: 一句话简介，不超过 120 个字。",
        "# story: |                       # 可选：先进事迹。下面每行前空两格，段落之间空一行",
        "#   第一段……",
        "#",
        "#   第二段……",
        "# achievements:                  # 可选：成果、著作、专利、新获荣誉，每项一行",
        "#   - 实用新型专利 3 项",
        "# studio:                        # 可选：劳模创新工作室",
        f"#   name: {name}劳模创新工作室",
        "#   year: 2018",
        "#   level: 省级",
    ]
    return "\n".join(lines) + "\n"


def home_template(values: dict) -> str:
    record_id = values["record_id"]
    lines = [
        "# yaml-language-server: $schema=../../schemas/home.schema.json",
        f"# 职工之家记录：{values['name']}（由 laomo new home 生成）",
        "# 以“#”开头的是说明，不会发布到网站上。可选项：删去行首的“# ”即可启用，再把示例改成真实内容。",
        "# 缩进只能用空格，不能用 Tab。填写方法见《编辑指南》。",
        "",
        f"# 编号：与文件名相同，也是网址 /homes/{record_id}/ 的一部分，发布后不能再改",
        f"id: {record_id}",
        "# 工会名称，例如 某某有限公司工会委员会、某某车间工会分会",
        f"name: {yaml_scalar(values['name'])}",
        "# 所属单位",
        f"employer: {yaml_scalar(values['employer'])}",
        f"# 单位性质：{'、'.join(OWNERSHIPS)}",
        f"ownership: {values['ownership']}",
        "# 地区：province 省份（必填），city 城市，district 区县",
        "region:",
        f"  province: {yaml_scalar(values['province'])}",
        *_city_lines(values, "北京市"),
        "  # district: 西城区             # 可选：区县",
        "# industry: 制造业               # 可选：行业",
        "# parent: bj-xirun-elec          # 可选：这是“小家”时，填它所属职工之家的编号（须已有记录）",
        "# 荣誉：每项以“- title:”开头；称号必须与称号表 records/vocab/honours.yml 中的写法完全一致",
        "honours:",
        f"  - title: {yaml_scalar(values['honour'])}",
        f"    year: {values['year']}",
        "    # document: 京工发〔2022〕15号   # 可选：授予文件的文号",
        "    # conferred_by: 北京市总工会      # 可选：授予机关；不填时按称号表显示",
        *_more_honour_lines(values),
        "  # - title: 全国模范职工之家       # 还有其他荣誉时，照此格式逐项添加",
        "  #   year: 2024",
        "# dissolved: 2024-01-01          # 可选：单位破产、终止或撤销的日期",
        "# photo:                         # 可选：照片。先把照片放进 records/photos/",
        f"#   file: home-{record_id}.jpg",
        "#   alt: 职工书屋一角             # 必填：照片内容的文字说明，供视障读者的读屏软件朗读",
        "#   credit: 某某工会              # 可选：照片来源或摄影者",
        "# summary: 一句话简介，不超过 120 个字。",
        "# story: |                       # 可选：工作事迹。下面每行前空两格，段落之间空一行",
        "#   第一段……",
        "#",
        "#   第二段……",
        "# achievements:                  # 可选：工作成果，每项一行",
        "#   - 建成职工书屋、母婴室",
    ]
    return "\n".join(lines) + "\n"


def story_template(values: dict) -> str:
    lines = [
        "---",
        "# 故事的信息区（两行“---”之间）：title 标题、date 日期、about 相关人物或职工之家的编号，都必填",
        f"title: {yaml_scalar(values['title'])}",
        f"date: {values['date'].isoformat()}",
        "about:",
        *(f"  - {subject}" for subject in values["about"]),
        "# source: 某某区总工会供稿       # 可选：稿件来源",
        "---",
        "",
        f"{STORY_PLACEHOLDER}空一行表示分段；以“## ”开头的一行是小标题；以“> ”开头的是引文。",
        "不能使用 HTML 标签，网站会把它们当作普通文字显示。）",
    ]
    return "\n".join(lines) + "\n"
