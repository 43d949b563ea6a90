"""`laomo changes BASE`: what a change does to the data, in words a reviewer who is not a programmer can approve.

Both sides go through the same stages as the site: the public records at the git revision BASE and in the work
tree are each loaded by `load.public` and reduced by `projection`, and the two are compared record by record.
The records at BASE are copied out of git blob by blob into a temporary folder (regular files only: no symlink,
no submodule, nothing outside `records/`); nothing from either tree is ever executed. Photos are compared by
their git blob ids, so their bytes are never copied.

The output is Markdown in Chinese: the pull-request workflow writes it to the run's summary page and to a comment.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import difflib
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path, PurePosixPath
from typing import Any

from generator.load.public import PublicLoad, load_public
from generator.model.common import Honour
from generator.model.public import Home, PublicTree, Story, Worker
from generator.projection import PublicProjection, project
from generator.schema import DESCRIPTIONS

LONG_TEXT = 40  # characters: a longer value is summarised by how much of it changed, not quoted
PHOTOS = "photos"
REGULAR_FILES = {"100644", "100755"}


class Kind(Enum):
    WORKER = "人物"
    HOME = "职工之家"
    STORY = "故事"


# the loader's name for each kind (PublicLoad.files and .sources)
LOADER_KIND = {Kind.WORKER: "worker", Kind.HOME: "home", Kind.STORY: "story"}


@dataclass(frozen=True)
class RecordRef:
    kind: Kind
    id: str
    name: str

    @property
    def sort_key(self) -> tuple[int, str]:
        return list(Kind).index(self.kind), self.id

    def __str__(self) -> str:
        if self.kind is Kind.STORY:
            return f"《{md(self.name)}》（{md(self.id)}）"
        return f"{md(self.name)}（{md(self.id)}）"


@dataclass(frozen=True)
class HonourChange:
    record: RecordRef
    honour: Honour


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str | None
    new: str | None

    def describe(self) -> str:
        old, new = self.old or "", self.new or ""
        if max(len(old), len(new)) > LONG_TEXT or "\n" in old + new:
            if not old:
                return f"{self.label}：新写了 {len(new)} 字"
            if not new:
                return f"{self.label}：删除了（原有 {len(old)} 字）"
            return f"{self.label}改动了 {changed_characters(old, new)} 字"
        return f"{self.label}：{md(old) or '（空）'} → {md(new) or '（空）'}"


@dataclass(frozen=True)
class Visibility:
    record: RecordRef
    reason: str


@dataclass
class Changes:
    added: list[tuple[RecordRef, str]] = field(default_factory=list)  # (record, what it holds, e.g. its honours)
    removed: list[RecordRef] = field(default_factory=list)
    conferred: list[HonourChange] = field(default_factory=list)
    revoked: list[HonourChange] = field(default_factory=list)
    restored: list[HonourChange] = field(default_factory=list)  # a revocation taken back
    dropped: list[HonourChange] = field(default_factory=list)  # an honour deleted from the record, not revoked
    deceased: list[tuple[RecordRef, dt.date]] = field(default_factory=list)
    fields: dict[RecordRef, list[FieldChange]] = field(default_factory=dict)
    photos: list[tuple[RecordRef, str, bool]] = field(default_factory=list)  # (record, file, replaces an old one)
    shown: list[Visibility] = field(default_factory=list)
    hidden: list[Visibility] = field(default_factory=list)
    unreadable: list[tuple[Kind, str]] = field(default_factory=list)  # files of the work tree that did not load
    vocab_added: list[str] = field(default_factory=list)
    vocab_removed: list[str] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in self.__dataclass_fields__)


@dataclass(frozen=True)
class Side:
    """One side of the comparison: the loaded records, what the site shows of them, and the photos' blob ids."""

    load: PublicLoad
    shown: PublicProjection
    photo_blobs: dict[str, str]  # file name under records/photos/ -> git blob id

    @property
    def tree(self) -> PublicTree:
        return self.load.tree


MARKDOWN_ESCAPES = str.maketrans({"<": "&lt;", ">": "&gt;", "&": "&amp;", "\\": "\\\\", "`": "\\`", "*": "\\*",
                                  "_": "\\_", "[": "\\[", "]": "\\]", "~": "\\~", "|": "\\|"})


def md(text: str) -> str:
    """Text from a record, safe inside a Markdown line: a pull request cannot hide lines from the reviewer with an
    HTML comment (`<!--`), nor turn its text into links or emphasis."""
    return text.translate(MARKDOWN_ESCAPES)


def changed_characters(old: str, new: str) -> int:
    """How many characters an editor changed: for each differing stretch, the longer of its two sides."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")


def _git(repo: Path, *args: str, stdin: bytes | None = None) -> bytes:
    result = subprocess.run(["git", "-C", str(repo), *args], input=stdin, capture_output=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(result.stderr.decode("utf-8", "replace").strip() or f"git {' '.join(args)} 失败")
    return result.stdout


def _safe_parts(path: str) -> tuple[str, ...] | None:
    parts = PurePosixPath(path).parts
    if not parts or any(part in {"", ".", ".."} or "\\" in part for part in parts) or path.startswith("/"):
        return None
    return parts


def materialise(repo: Path, revision: str, records: str, dest: Path) -> dict[str, str]:
    """Copy the record files of `records/` at `revision` into `dest`; return the photos' blob ids by file name.

    Only regular files are written, each below `dest`; symlinks and submodules in that tree are skipped.
    """
    listing = _git(repo, "ls-tree", "-r", "-z", "--full-tree", revision, "--", records)
    photos: dict[str, str] = {}
    wanted: list[tuple[tuple[str, ...], str]] = []
    prefix = _safe_parts(records) or ()
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, _, raw_path = entry.partition(b"\t")
        mode, kind, blob = meta.decode("ascii").split()
        parts = _safe_parts(raw_path.decode("utf-8", "surrogateescape"))
        if parts is None or parts[: len(prefix)] != prefix or kind != "blob" or mode not in REGULAR_FILES:
            continue
        inner = parts[len(prefix):]
        if inner[:1] == (PHOTOS,):
            photos["/".join(inner[1:])] = blob
        else:
            wanted.append((inner, blob))
    if not wanted:
        return photos
    batch = _git(repo, "cat-file", "--batch", stdin="".join(f"{blob}\n" for _, blob in wanted).encode("ascii"))
    offset = 0
    for inner, _ in wanted:
        header_end = batch.index(b"\n", offset)
        size = int(batch[offset:header_end].split()[2])
        content = batch[header_end + 1: header_end + 1 + size]
        offset = header_end + 1 + size + 1  # the content is followed by a newline
        target = dest.joinpath(*inner)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return photos


def work_tree_photo_blobs(repo: Path, records: Path, files: set[str]) -> dict[str, str]:
    """Git blob ids of the work tree's photos that records name, as `git hash-object` computes them."""
    folder = records / PHOTOS
    present = sorted(name for name in files if _safe_parts(name) and (folder / name).is_file())
    if not present:
        return {}
    paths = "".join(f"{(folder / name).resolve()}\n" for name in present).encode("utf-8")
    ids = _git(repo, "hash-object", "--no-filters", "--stdin-paths", stdin=paths).decode("ascii").split()
    return dict(zip(present, ids))


@contextlib.contextmanager
def _parse_cache_in(folder: Path) -> Iterator[None]:
    """The records copied from BASE sit in a throw-away folder: their parse cache goes there too, so the user's
    cache folder does not fill with entries for paths that never come back."""
    saved = os.environ.get("LAOMO_CACHE_DIR")
    os.environ["LAOMO_CACHE_DIR"] = str(folder)
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("LAOMO_CACHE_DIR", None)
        else:
            os.environ["LAOMO_CACHE_DIR"] = saved


def load_side(root: Path, photo_blobs: dict[str, str]) -> Side:
    loaded = load_public(root)
    return Side(loaded, project(loaded.tree), photo_blobs)


def _ref(kind: Kind, record: Worker | Home | Story) -> RecordRef:
    if isinstance(record, Story):
        return RecordRef(kind, record.slug, record.meta.title)
    return RecordRef(kind, record.id, record.name)


def _honour_text(honour: Honour) -> str:
    return f"{honour.year} 年 {md(honour.title)}"


def _revocation_text(honour: Honour) -> str:
    if honour.revoked is None:
        return _honour_text(honour)
    document = f"，文号 {md(honour.revoked.document)}" if honour.revoked.document else ""
    return f"{_honour_text(honour)}（已撤销，撤销日期 {honour.revoked.date.isoformat()}{document}）"


def _value_text(value: Any) -> str | None:
    if value is None or value == [] or value == "":
        return None
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    return str(value)


def _flat_fields(record: Worker | Home) -> dict[str, tuple[str, str | None]]:
    """field key -> (Chinese label, value as text): nested parts (region, studio, photo) one line each."""
    labels = DESCRIPTIONS[type(record).__name__]
    flat: dict[str, tuple[str, str | None]] = {}
    data = record.model_dump(mode="json", exclude={"id", "honours"})
    for key, value in data.items():
        label = labels[key][0]
        if key == "region" and isinstance(value, dict):
            flat[key] = (label, "".join(part for part in value.values() if part))
        elif isinstance(value, dict):
            inner = DESCRIPTIONS[{"photo": "Photo", "studio": "Studio"}[key]]
            for part, part_value in value.items():
                flat[f"{key}.{part}"] = (inner[part][0], _value_text(part_value))
        else:
            flat[key] = (label, _value_text(value))
    return flat


def _story_fields(story: Story, names: dict[str, str]) -> dict[str, tuple[str, str | None]]:
    labels = DESCRIPTIONS["StoryMeta"]
    meta = story.meta
    about = "、".join(f"{names.get(a, a)}（{a}）" for a in meta.about)
    return {"title": (labels["title"][0], meta.title), "date": (labels["date"][0], meta.date.isoformat()),
            "about": (labels["about"][0], about), "source": (labels["source"][0], meta.source),
            "body": ("正文", story.body.strip())}


def _field_changes(old: dict[str, tuple[str, str | None]], new: dict[str, tuple[str, str | None]],
                   skip: set[str]) -> list[FieldChange]:
    changes = []
    for key in [*old, *(k for k in new if k not in old)]:
        if key in skip:
            continue
        label, before = old.get(key, (new.get(key, ("", None))[0], None))
        after = new.get(key, (label, None))[1]
        if before != after:
            changes.append(FieldChange(label, before, after))
    return changes


def _compare_honours(ref: RecordRef, old: list[Honour], new: list[Honour], changes: Changes) -> list[FieldChange]:
    """Honours are matched by title and year: the pair an honour is known by in the documents."""
    before = {(h.title, h.year): h for h in old}
    after = {(h.title, h.year): h for h in new}
    labels = DESCRIPTIONS["Honour"]
    details: list[FieldChange] = []
    for key, honour in after.items():
        was = before.get(key)
        if was is None:
            (changes.revoked if honour.revoked else changes.conferred).append(HonourChange(ref, honour))
            continue
        if was.revoked is None and honour.revoked is not None:
            changes.revoked.append(HonourChange(ref, honour))
        elif was.revoked is not None and honour.revoked is None:
            changes.restored.append(HonourChange(ref, honour))
        for part in ("conferred_by", "document"):
            if getattr(was, part) != getattr(honour, part):
                details.append(FieldChange(f"荣誉“{_honour_text(honour)}”的{labels[part][0]}",
                                           getattr(was, part), getattr(honour, part)))
    changes.dropped += [HonourChange(ref, honour) for key, honour in before.items() if key not in after]
    return details


def compare(old: Side, new: Side) -> Changes:
    changes = Changes()
    names = {**{k: v.name for k, v in old.tree.workers.items()}, **{k: v.name for k, v in old.tree.homes.items()},
             **{k: v.name for k, v in new.tree.workers.items()}, **{k: v.name for k, v in new.tree.homes.items()}}
    collections: list[tuple[Kind, dict[str, Any], dict[str, Any]]] = [
        (Kind.WORKER, old.tree.workers, new.tree.workers),
        (Kind.HOME, old.tree.homes, new.tree.homes),
        (Kind.STORY, old.tree.stories, new.tree.stories)]
    for kind, before, after in collections:
        for key in sorted(before.keys() - after.keys()):
            if (LOADER_KIND[kind], key) in new.load.files:  # still there, but it did not load: not removed
                changes.unreadable.append((kind, key))
            else:
                changes.removed.append(_ref(kind, before[key]))
        for key in sorted(after.keys() - before.keys()):
            record = after[key]
            ref = _ref(kind, record)
            if isinstance(record, Story):
                about = "、".join(f"{md(names.get(a, a))}（{a}）" for a in record.meta.about)
                changes.added.append((ref, f"写的是 {about}，{len(record.body.strip())} 字"))
                continue
            changes.added.append((ref, "；".join(map(_revocation_text, record.honours))))
            if isinstance(record, Worker) and record.died is not None:
                changes.deceased.append((ref, record.died))
            if record.photo is not None:
                changes.photos.append((ref, record.photo.file, False))
        for key in sorted(after.keys() & before.keys()):
            was, now = before[key], after[key]
            ref = _ref(kind, now)
            if isinstance(now, Story):
                details = _field_changes(_story_fields(was, names), _story_fields(now, names), set())
            else:
                details = _compare_honours(ref, was.honours, now.honours, changes)
                skip = {"photo.file"}
                if isinstance(now, Worker) and was.died is None and now.died is not None:
                    changes.deceased.append((ref, now.died))
                    skip.add("died")
                if now.photo is not None:
                    old_file = was.photo.file if was.photo else None
                    replaced = old_file is not None and (
                        old_file != now.photo.file
                        or old.photo_blobs.get(old_file) != new.photo_blobs.get(now.photo.file))
                    if old_file is None or replaced:
                        changes.photos.append((ref, now.photo.file, replaced))
                elif was.photo is not None:
                    skip.discard("photo.file")
                details += _field_changes(_flat_fields(was), _flat_fields(now), skip)
            if details:
                changes.fields[ref] = details
    _compare_visibility(old, new, changes)
    changes.vocab_added = sorted(new.tree.vocab.keys() - old.tree.vocab.keys())
    changes.vocab_removed = sorted(old.tree.vocab.keys() - new.tree.vocab.keys())
    return changes


def _compare_visibility(old: Side, new: Side, changes: Changes) -> None:
    """What appears on the site and what leaves it: the two projections compared, each with why."""
    sides: list[tuple[Kind, dict[str, Any], dict[str, Any], dict[str, Any], dict[str, Any]]] = [
        (Kind.WORKER, old.tree.workers, new.tree.workers, old.shown.workers, new.shown.workers),
        (Kind.HOME, old.tree.homes, new.tree.homes, old.shown.homes, new.shown.homes),
        (Kind.STORY, old.tree.stories, new.tree.stories, old.shown.stories, new.shown.stories)]
    for kind, was_there, is_there, was_shown, is_shown in sides:
        for key in sorted(is_shown.keys() - was_shown.keys()):
            if key not in was_there:
                reason = "新增的记录"
            elif kind is Kind.STORY:
                reason = "有了可以显示的相关人物或职工之家"
            else:
                reason = "有了未被撤销的荣誉"
            changes.shown.append(Visibility(_ref(kind, is_shown[key]), reason))
        for key in sorted(was_shown.keys() - is_shown.keys()):
            if key in is_there:
                reason = "相关的人物和职工之家都不再显示" if kind is Kind.STORY else "所有荣誉均已撤销"
            elif (LOADER_KIND[kind], key) in new.load.files:
                reason = "记录文件有错误，暂时无法显示"
            else:
                reason = "记录已删除"
            changes.hidden.append(Visibility(_ref(kind, was_shown[key]), reason))


def _section(title: str, lines: list[str]) -> list[str]:
    return [f"### {title}", "", *(f"- {line}" for line in lines), ""] if lines else []


def to_markdown(changes: Changes, base: str) -> str:
    out = [f"## 本次改动对记录的影响（与 {md(base)} 相比）", ""]
    if changes.is_empty():
        return "\n".join([*out, "本次改动没有改变任何公开记录，网站上显示的内容不变。", ""])
    out += _section("⚠️ 有错误、暂未比较的记录", [
        f"{kind.value} {md(key)}：这个文件没有通过检查（见上面的检查结果），改好之后才能比较" for kind, key in changes.unreadable])
    out += _section("新增", [f"{ref.kind.value}：{ref}，{what}" for ref, what in changes.added])
    out += _section("删除", [f"{ref.kind.value}：{ref}" for ref in changes.removed])
    out += _section("授予荣誉", [f"{c.record}：{_honour_text(c.honour)}" for c in changes.conferred])
    out += _section("撤销荣誉", [f"{c.record}：{_revocation_text(c.honour)}" for c in changes.revoked])
    out += _section("取消撤销（荣誉恢复显示）", [f"{c.record}：{_honour_text(c.honour)}" for c in changes.restored])
    out += _section("删除荣誉记录（不是撤销：像从未授予过一样）",
                    [f"{c.record}：{_revocation_text(c.honour)}" for c in changes.dropped])
    out += _section("登记逝世", [f"{ref}：{date.isoformat()}" for ref, date in changes.deceased])
    if changes.fields:
        out += ["### 内容改动", ""]
        for ref, details in sorted(changes.fields.items(), key=lambda item: item[0].sort_key):
            out.append(f"- {ref.kind.value} {ref}")
            out += [f"  - {detail.describe()}" for detail in details]
        out.append("")
    out += _section("照片", [f"{ref}：{'更换了照片' if replaced else '新增照片'} {md(file)}"
                             for ref, file, replaced in changes.photos])
    out += _section("荣誉称号表", [f"新增称号“{md(title)}”" for title in changes.vocab_added]
                    + [f"删除称号“{md(title)}”" for title in changes.vocab_removed])
    out += _section("网站上将新出现", [f"{v.record.kind.value} {v.record}（{v.reason}）" for v in changes.shown])
    out += _section("网站上将不再显示", [f"{v.record.kind.value} {v.record}（{v.reason}）" for v in changes.hidden])
    return "\n".join(out)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("base", metavar="BASE", help="与哪个提交比较，例如 origin/main 或合并请求的目标提交")
    parser.add_argument("--records", type=Path, default=Path("records"), help="公开记录目录（默认 records/）")
    parser.add_argument("--append-to", type=Path, action="append", default=[], metavar="FILE",
                        help="把结果追加到这个文件（可写多次，例如 $GITHUB_STEP_SUMMARY）；不写时显示在屏幕上")


def run(args: argparse.Namespace) -> int:
    if not args.records.is_dir():
        print(f"laomo changes：记录目录“{args.records}”不存在或不是目录。", file=sys.stderr)
        return 2
    records = args.records.resolve()
    try:
        top = Path(_git(records, "rev-parse", "--show-toplevel").decode("utf-8").strip())
        inside = records.relative_to(top.resolve()).as_posix()
        _git(top, "rev-parse", "--verify", "--quiet", f"{args.base}^{{commit}}")
    except (RuntimeError, OSError, ValueError) as exc:
        print(f"laomo changes：无法取得 {args.base} 的记录（{exc}）。请在 git 仓库中运行，并确认这个提交存在"
              "（合并请求的检查需要 actions/checkout 的 fetch-depth: 0）。", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="laomo-changes-") as scratch:
        base_root = Path(scratch) / "records"
        base_root.mkdir()
        base_photos = materialise(top, args.base, inside, base_root)
        with _parse_cache_in(Path(scratch) / "cache"):
            old = load_side(base_root, base_photos)
    new_load = load_public(records)
    pictured: list[Worker | Home] = [*new_load.tree.workers.values(), *new_load.tree.homes.values()]
    named = {record.photo.file for record in pictured if record.photo}
    new = Side(new_load, project(new_load.tree), work_tree_photo_blobs(top, records, named))
    text = to_markdown(compare(old, new), args.base)
    if not args.append_to:
        print(text)
    for path in args.append_to:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text + "\n")
    return 0
