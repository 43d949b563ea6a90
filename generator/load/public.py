"""Loading the public tree `records/` into validated models, remembering where each came from."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from pydantic import BaseModel, ValidationError

from generator.diagnostics import Diagnostic
from generator.load.cache import ParseCache, stamp_of
from generator.load.files import display_path, is_inside, list_files
from generator.load.folder import Folder, load_folders
from generator.load.modelerrors import validate_model
from generator.load.yamlsource import (
    MAX_FILE_BYTES,
    Loc,
    ParsedYaml,
    Positions,
    parse_yaml,
    read_text,
    read_text_and_digest,
)
from generator.model.common import PRIVATE_FIELD_NAMES
from generator.model.public import Home, PublicTree, Story, StoryMeta, VocabEntry, Worker


class Source:
    """Where a record came from, to point editors at the right line.

    Positions are read again from the file when first asked for: in a large tree
    almost every record is fine and never needs them.
    """

    def __init__(self, path: Path, display: str, positions: Positions | None = None, digest: bytes | None = None,
                 shape: bytes | None = None, front_matter: bool = False):
        self.path = path
        self.display = display
        self._positions = positions
        self.digest = digest  # of the file's content, when the loader knows it (workers, homes)
        self.shape = shape  # load.cache.shape_of its data (all but the free text), for a valid record
        self.front_matter = front_matter  # a story: the positions are those of its front matter

    @property
    def positions(self) -> Positions:
        if self._positions is None:
            text, _ = read_text(self.path, self.display)
            if self.front_matter:
                front, _, _ = split_front_matter(text or "")
                self._positions = parse_yaml(front or "", self.display, line_offset=1).positions
            else:
                self._positions = parse_yaml(text or "", self.display).positions
        return self._positions

    def at(self, loc: Loc, severity: str, message: str, key: bool = False) -> Diagnostic:
        line, col = self.positions.of_key(loc) if key else self.positions.of_value(loc)
        return Diagnostic(self.display, line, col, severity, message)  # type: ignore[arg-type]


@dataclass
class PublicLoad:
    root: Path
    tree: PublicTree
    sources: dict[tuple[str, str], Source] = field(default_factory=dict)  # ("worker"|"home"|"story"|"vocab", key)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # (kind, file stem) of every record file, readable or not: a broken one is reported once, in itself
    files: set[tuple[str, str]] = field(default_factory=set)
    # titles written in vocab/honours.yml, valid or not; None when the file could not be read at all
    vocab_titles: set[str] | None = None
    # content digests (load.cache.digest) of files by path below `root`, known to the caller (the build
    # state's input_digests): a file given here is not read again when its content was parsed before
    digests: Mapping[str, bytes] = field(default_factory=dict)


def _private_fields(parsed: ParsedYaml, display: str) -> tuple[list[Diagnostic], set[Loc]]:
    if not isinstance(parsed.data, dict):
        return [], set()
    problems: list[Diagnostic] = []
    locs: set[Loc] = set()
    for key in parsed.data:
        if key in PRIVATE_FIELD_NAMES:
            line, col = parsed.positions.of_key((key,))
            problems.append(Diagnostic(display, line, col, "error",
                                       f"字段“{key}”是私密信息，不能写在公开记录里（会被发布到网站上）。"
                                       "请删除这一项，改写到工作人员保管的私密目录中的同名文件里。"))
            locs.add((key,))
    return problems, locs


def careful_worker(path: Path, text: str, display: str) -> tuple[BaseModel | None, Positions | None, list[Diagnostic]]:
    return _careful(path, text, display, Worker)


def careful_home(path: Path, text: str, display: str) -> tuple[BaseModel | None, Positions | None, list[Diagnostic]]:
    return _careful(path, text, display, Home)


def _careful(path: Path, text: str, display: str, model: type[BaseModel]) -> tuple[BaseModel | None, Positions | None, list[Diagnostic]]:
    """Parse with positions so that every problem points at its line."""
    parsed = parse_yaml(text, display)
    problems = list(parsed.diagnostics)
    if parsed.data is None:
        if not problems:
            problems.append(Diagnostic(display, 1, 1, "error", "文件是空的。请按模板填写记录，或删除这个文件。"))
        return None, None, problems
    private_problems, private_locs = _private_fields(parsed, display)
    problems += private_problems
    record, model_problems = validate_model(model, parsed, display, ignore=private_locs)
    problems += model_problems
    if problems:
        return None, parsed.positions, problems
    if isinstance(parsed.data, dict) and parsed.data.get("id") != path.stem:
        line, col = parsed.positions.of_value(("id",))
        problems.append(Diagnostic(display, line, col, "error",
                                   f"编号（id）“{parsed.data.get('id')}”必须与文件名“{path.stem}”一致。请修改编号或文件名。"))
        return None, parsed.positions, problems
    return record, parsed.positions, problems


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(front matter, body, line number where the body starts)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None, text, 1
    for i in range(1, len(lines)):
        if lines[i].strip() in {"---", "..."}:
            return "".join(lines[1:i]), "".join(lines[i + 1:]), i + 2
    return None, text, 1


STORY_PLACEHOLDER = "（在这里写正文，替换这一段。"  # how the template made by `laomo new story` begins its body
PLACEHOLDER_LEFT = "故事正文还是模板里的提示文字“（在这里写正文，替换这一段……）”。请把它删掉，换成故事的正文。"


def _body_problem(body: str, body_line: int, display: str) -> Diagnostic | None:
    """A body that is still the template's placeholder, or empty: the story would be published so."""
    if STORY_PLACEHOLDER in body:
        line = body_line + body[: body.index(STORY_PLACEHOLDER)].count("\n")
        return Diagnostic(display, line, 1, "error", PLACEHOLDER_LEFT)
    if not body.strip():
        return Diagnostic(display, body_line, 1, "error", "故事没有正文。请在第二个“---”下面写正文。")
    return None


# what a valid story file gave: (content digest, (front matter's plain data, body)), kept in the stories' cache
StoryParse = tuple[bytes, tuple[Any, str]]
LoadedStory = tuple[Story | None, Source | None, list[Diagnostic], StoryParse | None]


def _load_story(path: Path) -> LoadedStory:
    display = display_path(path)
    text, content, problems = read_text_and_digest(path, display, max_bytes=MAX_FILE_BYTES)
    if text is None or content is None:
        return None, None, problems, None
    front, body, body_line = split_front_matter(text)
    if front is None:
        return None, None, [Diagnostic(display, 1, 1, "error",
                                       "故事文件开头缺少用“---”包围的信息区（title、date、about）。请对照模板补上。")], None
    parsed = parse_yaml(front, display, line_offset=1)
    source = Source(path, display, parsed.positions, front_matter=True)
    if parsed.diagnostics or parsed.data is None:
        return None, source, parsed.diagnostics or [Diagnostic(display, 2, 1, "error", "信息区是空的，请填写 title、date、about。")], None
    meta, problems = validate_model(StoryMeta, parsed, display)
    if meta is None:
        return None, source, problems, None
    body_problem = _body_problem(body, body_line, display)
    if body_problem is not None:
        return None, source, [body_problem], None
    return Story(slug=path.stem, meta=meta, body=body), source, [], (content, (parsed.data, body))


class _Stories:
    """The stories' files, those whose content was loaded before taken from the cache (by content, as
    load.cache.ParseCache keeps it: a valid story's front matter and body), the others to be loaded."""

    def __init__(self, root: Path, paths: list[Path], digests: Mapping[str, bytes]):
        self.cache = ParseCache(root / "stories", "stories")
        self.root, self.paths = root, paths
        self.stamps: dict[Path, tuple[int, int, int, int] | None] = {}
        self.loaded: dict[Path, LoadedStory] = {}
        self.todo: list[Path] = []
        for path in paths:
            name = self._name(path)
            try:
                stamp: tuple[int, int, int, int] | None = stamp_of(os.stat(path))
            except OSError:
                stamp = None
            self.stamps[path] = stamp
            known = self.cache.known(name, stamp) if stamp is not None else None
            if known is None:
                known = digests.get(f"stories/{name}")
            story = self._cached(path, known)
            if known is not None and story is not None:
                self.loaded[path] = story
                self.cache.restamp(name, known, stamp)
            else:
                self.todo.append(path)

    def _name(self, path: Path) -> str:
        return path.relative_to(self.root / "stories").as_posix()

    def _cached(self, path: Path, known: bytes | None) -> LoadedStory | None:
        entry = self.cache.get(known) if known is not None else None
        if not (type(entry) is tuple and len(entry) == 2 and isinstance(entry[0], dict) and isinstance(entry[1], str)):
            return None
        try:
            meta = StoryMeta.model_validate(entry[0])
        except ValidationError:
            return None
        display = display_path(path)
        return Story(slug=path.stem, meta=meta, body=entry[1]), Source(path, display, front_matter=True), [], None

    def finish(self, loaded: list[LoadedStory]) -> list[tuple[Story | None, Source | None, list[Diagnostic]]]:
        """Every story in the order of `paths`, given what loading `todo` gave (in its order)."""
        for path, outcome in zip(self.todo, loaded):
            self.loaded[path] = outcome
            if outcome[3] is not None:
                content, data = outcome[3]
                self.cache.put(self._name(path), content, data, self.stamps.get(path))
        self.cache.keep_only({self._name(path) for path in self.paths})
        self.cache.save()
        return [self.loaded[path][:3] for path in self.paths]


def _load_vocab(root: Path) -> tuple[dict[str, VocabEntry], dict[tuple[str, str], Source], list[Diagnostic],
                                      set[str] | None]:
    """The valid entries, where each is, the problems, and every title written (None: none could be read)."""
    path = root / "vocab" / "honours.yml"
    display = display_path(path)
    if (path.exists() or path.is_symlink()) and not is_inside(path, root):
        return {}, {}, [Diagnostic(display, 1, 1, "error", "荣誉称号表是指向记录目录之外的符号链接，出于安全原因不予读取。"
                                                           "请放入真实的 vocab/honours.yml 文件。")], None
    if not path.is_file():
        return {}, {}, [Diagnostic(display, 1, 1, "error", "找不到荣誉称号表 vocab/honours.yml，无法检查称号。")], None
    text, problems = read_text(path, display)
    if text is None:
        return {}, {}, problems, None
    parsed = parse_yaml(text, display)
    problems = list(parsed.diagnostics)
    if not isinstance(parsed.data, list):
        if not problems:
            line, col = parsed.positions.of_value(())
            problems.append(Diagnostic(display, line, col, "error", "荣誉称号表应为列表，每个称号一项（以“- title:”开头）。"))
        return {}, {}, problems, None
    vocab: dict[str, VocabEntry] = {}
    sources: dict[tuple[str, str], Source] = {}
    sources[("vocab-written", "")] = Source(path, display, parsed.positions)  # the file read, entries or not
    for i, item in enumerate(parsed.data):
        sub = Positions({loc[1:]: pos for loc, pos in parsed.positions.values.items() if loc[:1] == (i,)},
                        {loc[1:]: pos for loc, pos in parsed.positions.keys.items() if loc[:1] == (i,)})
        entry, entry_problems = validate_model(VocabEntry, ParsedYaml(item, sub, []), display)
        problems += entry_problems
        if entry is None:
            continue
        if entry.title in vocab:
            line, col = sub.of_value(("title",))
            problems.append(Diagnostic(display, line, col, "error", f"称号“{entry.title}”在称号表中重复。请删除重复的一项。"))
            continue
        vocab[entry.title] = entry
        sources[("vocab", entry.title)] = Source(path, display, sub)
    written = {item["title"] for item in parsed.data if isinstance(item, dict) and isinstance(item.get("title"), str)}
    return vocab, sources, problems, written


def load_public(root: Path, digests: Mapping[str, bytes] | None = None) -> PublicLoad:
    """Every public record that validates on its own; problems for the rest. `digests`: see PublicLoad."""
    digests = digests or {}
    diagnostics: list[Diagnostic] = []
    if not root.is_dir():
        diagnostics.append(Diagnostic(display_path(root), 1, 1, "error", "记录目录不存在。请用 --records 指定正确的目录。"))
        return PublicLoad(root, PublicTree(workers={}, homes={}, stories={}, vocab={}), {}, diagnostics)
    vocab, sources, problems, vocab_titles = _load_vocab(root)
    diagnostics += problems
    collections: dict[str, dict[str, Any]] = {"worker": {}, "home": {}}  # id -> the folder's model
    present: set[tuple[str, str]] = set()
    story_paths, problems = list_files(root / "stories", root, (".md",))
    diagnostics += problems
    folders = [Folder("workers", Worker, careful_worker, PRIVATE_FIELD_NAMES),
               Folder("homes", Home, careful_home, PRIVATE_FIELD_NAMES)]
    story_files = _Stories(root, story_paths, digests)
    loaded_folders, loading_stories = load_folders(root, folders, _load_story, story_files.todo, digests)
    loaded_stories = story_files.finish(loading_stories)
    for kind, (files, problems) in zip(("worker", "home"), loaded_folders):
        diagnostics += problems
        for loaded in files:
            diagnostics += loaded.problems
            present.add((kind, loaded.path.stem))
            if loaded.record is not None or loaded.positions is not None:
                sources[(kind, loaded.path.stem)] = Source(loaded.path, loaded.display, loaded.positions,
                                                           loaded.digest, loaded.shape)
            if loaded.record is not None:
                record = cast(Worker | Home, loaded.record)  # the folder's model
                collections[kind][record.id] = record
    stories: dict[str, Story] = {}
    for path, (story, source, problems) in zip(story_paths, loaded_stories):
        diagnostics += problems
        if source is not None:
            sources[("story", path.stem)] = source
        if story is not None:
            stories[story.slug] = story
    tree = PublicTree(workers=collections["worker"], homes=collections["home"], stories=stories, vocab=vocab)
    return PublicLoad(root, tree, sources, diagnostics, present, vocab_titles, digests)
