"""Loading the staff-only private tree. Never imported by the public site."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

from generator.diagnostics import Diagnostic
from generator.load.files import display_path
from generator.load.folder import Folder, load_folders
from generator.load.modelerrors import validate_model
from generator.load.public import Source
from generator.load.yamlsource import ParsedYaml, Positions, parse_yaml, read_text
from generator.model.private import PrivateHome, PrivateTree, PrivateWorker, Unit


@dataclass
class PrivateLoad:
    root: Path
    tree: PrivateTree
    sources: dict[tuple[str, str], Source] = field(default_factory=dict)  # ("worker"|"home"|"unit", id)
    diagnostics: list[Diagnostic] = field(default_factory=list)


R = TypeVar("R", PrivateWorker, PrivateHome)


def careful_worker(path: Path, text: str, display: str) -> tuple[PrivateWorker | None, Positions | None, list[Diagnostic]]:
    return _careful(path, text, display, PrivateWorker)


def careful_home(path: Path, text: str, display: str) -> tuple[PrivateHome | None, Positions | None, list[Diagnostic]]:
    return _careful(path, text, display, PrivateHome)


def _careful(path: Path, text: str, display: str, model: type[R]) -> tuple[R | None, Positions | None, list[Diagnostic]]:
    """Parse with positions so that every problem points at its line."""
    parsed, display, problems = _load_file(path, display, text)
    if parsed is None:
        return None, None, problems
    record, model_problems = validate_model(model, parsed, display)
    problems += model_problems
    if record is not None and record.id != path.stem:
        line, col = parsed.positions.of_value(("id",))
        problems.append(Diagnostic(display, line, col, "error", f"编号（id）“{record.id}”必须与文件名“{path.stem}”一致。"))
        return None, parsed.positions, problems
    return record, parsed.positions, problems


def _load_file(path: Path, display: str | None = None, text: str | None = None) -> tuple[ParsedYaml | None, str, list[Diagnostic]]:
    display = display or display_path(path)
    if text is not None:
        problems: list[Diagnostic] = []
    else:
        text, problems = read_text(path, display)
    if text is None:
        return None, display, problems
    parsed = parse_yaml(text, display)
    if parsed.data is None and not parsed.diagnostics:
        return None, display, [Diagnostic(display, 1, 1, "error", "文件是空的。请填写记录或删除这个文件。")]
    return (parsed if parsed.data is not None else None), display, list(parsed.diagnostics)


def _load_units(root: Path, load: PrivateLoad) -> dict[str, Unit]:
    path = root / "units.yml"
    units: dict[str, Unit] = {}
    if not path.is_file():
        return units
    parsed, display, problems = _load_file(path)
    load.diagnostics += problems
    if parsed is None:
        return units
    if not isinstance(parsed.data, list):
        line, col = parsed.positions.of_value(())
        load.diagnostics.append(Diagnostic(display, line, col, "error", "units.yml 应为列表，每个管理单位一项（以“- id:”开头）。"))
        return units
    for i, item in enumerate(parsed.data):
        sub = Positions({loc[1:]: pos for loc, pos in parsed.positions.values.items() if loc[:1] == (i,)},
                        {loc[1:]: pos for loc, pos in parsed.positions.keys.items() if loc[:1] == (i,)})
        unit, problems = validate_model(Unit, ParsedYaml(item, sub, [], {loc[1:] for loc in parsed.reported if loc[:1] == (i,)}), display)
        load.diagnostics += problems
        if unit is None:
            continue
        if unit.id in units:
            line, col = sub.of_value(("id",))
            load.diagnostics.append(Diagnostic(display, line, col, "error", f"管理单位编号“{unit.id}”重复。请删除或改名。"))
            continue
        units[unit.id] = unit
        load.sources[("unit", unit.id)] = Source(path, display, sub)
    return units


def load_private(root: Path) -> PrivateLoad:
    """Every private record that validates on its own; cross-checks live in validate.private."""
    load = PrivateLoad(root, PrivateTree(workers={}, homes={}, units={}))
    if not root.is_dir():
        load.diagnostics.append(Diagnostic(display_path(root), 1, 1, "error", "私密目录不存在。请用 --private 指定正确的目录。"))
        return load
    records: dict[str, dict[str, Any]] = {"worker": {}, "home": {}}  # id -> the folder's model
    folders = [Folder("workers", PrivateWorker, careful_worker), Folder("homes", PrivateHome, careful_home)]
    loaded_folders, _ = load_folders(root, folders)
    for kind, (files, problems) in zip(("worker", "home"), loaded_folders):
        load.diagnostics += problems
        for loaded in files:
            load.diagnostics += loaded.problems
            if loaded.record is not None or loaded.positions is not None:
                load.sources[(kind, loaded.path.stem)] = Source(loaded.path, loaded.display, loaded.positions)
            if loaded.record is not None:
                record = cast(PrivateWorker | PrivateHome, loaded.record)  # the folder's model
                records[kind][record.id] = record
    units = _load_units(root, load)
    load.tree = PrivateTree(workers=records["worker"], homes=records["home"], units=units)
    return load
