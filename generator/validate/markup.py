"""Warnings where a story will not be shown as its editor wrote it (site.text.changes), at the line."""

from __future__ import annotations

from collections.abc import Iterator

from generator.diagnostics import Diagnostic
from generator.load.public import PublicLoad, Source
from generator.load.yamlsource import read_text
from generator.site.text import TextChange, changes


def check_markup(load: PublicLoad) -> Iterator[Diagnostic]:
    for kind, records in (("worker", load.tree.workers), ("home", load.tree.homes)):
        for record in records.values():
            found = changes(record.story)
            if found:
                source = load.sources[(kind, record.id)]
                line, column = source.positions.of_value(("story",))
                yield from _at(source, found, (line, column), None)
    for slug, story in load.tree.stories.items():
        found = changes(story.body)
        if found:
            yield from _at(load.sources[("story", slug)], found, (1, 1), story.body)


def _at(source: Source, found: list[TextChange], start: tuple[int, int], body: str | None) -> Iterator[Diagnostic]:
    """Each change at its place in the file: the text is found again from where the value starts (a YAML
    value's lines are not the file's: indented, folded or quoted), in order."""
    text, _ = read_text(source.path, source.display)
    text = text or ""
    lines = text.split("\n")
    if body is not None:  # a story file: the body is the end of the file, as written
        offset = len(text) - len(body)
    else:
        offset = sum(len(line) + 1 for line in lines[: start[0] - 1]) + start[1] - 1
    for change in found:
        at = text.find(change.snippet, offset)
        if at < 0:
            yield Diagnostic(source.display, start[0], start[1], "warning", change.message)
            continue
        offset = at + len(change.snippet)
        line = text.count("\n", 0, at) + 1
        yield Diagnostic(source.display, line, at - (text.rfind("\n", 0, at) + 1) + 1, "warning", change.message)
