"""`laomo schema`: committed schemas are current, described in Chinese, and accept every sample record."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import yaml

from generator.cli import main
from generator.load.public import split_front_matter
from generator.schema import FILES, generate, vocabulary
from tests.conftest import REPO

RECORDS = REPO / "records"
SCHEMAS = REPO / "schemas"
HAN = re.compile(r"[\u4e00-\u9fff]")


def load(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


def test_committed_schemas_are_current():
    wanted = generate(RECORDS)
    stale = [name for name, text in wanted.items()
             if not (SCHEMAS / name).is_file() or (SCHEMAS / name).read_text(encoding="utf-8") != text]
    assert not stale, f"schemas/ 中的 {stale} 已过期：请运行 `laomo schema` 重新生成并提交。"


def test_output_is_deterministic_sorted_and_readable():
    first, second = generate(RECORDS), generate(RECORDS)
    assert first == second and set(first) == set(FILES.values())
    for text in first.values():
        assert text.endswith("}\n") and "\\u" not in text and HAN.search(text)
        assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _properties(schema: dict):
    yield from schema.get("properties", {}).items()
    for definition in schema.get("$defs", {}).values():
        yield from definition.get("properties", {}).items()


@pytest.mark.parametrize("name", sorted(FILES.values()))
def test_every_field_has_a_chinese_title_and_description(name):
    schema = load(name)
    assert HAN.search(schema["title"]) and HAN.search(schema["description"])
    missing = [field for field, prop in _properties(schema)
               if not HAN.search(prop.get("description", "")) or not HAN.search(prop.get("title", ""))]
    assert not missing, f"{name}: 这些字段缺少中文说明，请在 generator/schema.py 的 DESCRIPTIONS 中补上：{missing}"


def test_honour_titles_are_the_vocabulary():
    vocab = vocabulary(RECORDS)
    worker = load("worker.schema.json")["$defs"]["Honour"]["properties"]["title"]["enum"]
    home = load("home.schema.json")["$defs"]["Honour"]["properties"]["title"]["enum"]
    assert worker == [t for t, whom in vocab if whom == "individual"] and "全国劳动模范" in worker
    assert home == [t for t, whom in vocab if whom == "collective"] and "北京市模范职工之家" in home


# ---- the schemas accept what the validator accepts -------------------------------------------


def check(value, schema: dict, root: dict, where: str = "") -> list[str]:  # noqa: C901 - over the limit of 20 today; to be split (issue 19)
    """A small JSON Schema checker for the keywords the generated schemas use."""
    if "$ref" in schema:
        schema = root["$defs"][schema["$ref"].split("/")[-1]]
    problems: list[str] = []
    if "anyOf" in schema:
        if all(check(value, option, root, where) for option in schema["anyOf"]):
            problems.append(f"{where}: no anyOf option matches {value!r}")
        return problems
    kind = schema.get("type")
    types = {"object": dict, "array": list, "string": str, "null": type(None), "boolean": bool}
    if kind == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            return [f"{where}: not an integer"]
    elif kind == "number":
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return [f"{where}: not a number"]
    elif kind is not None and not isinstance(value, types[kind]):
        return [f"{where}: not {kind}"]
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where}: {value!r} not in enum")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0) or len(value) > schema.get("maxLength", 10**9):
            problems.append(f"{where}: length")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            problems.append(f"{where}: pattern {schema['pattern']}")
        if schema.get("format") == "date":
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                problems.append(f"{where}: not a date")
    if isinstance(value, int) and "minimum" in schema and value < schema["minimum"]:
        problems.append(f"{where}: below minimum")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            problems.append(f"{where}: too few items")
        for i, item in enumerate(value):
            problems += check(item, schema.get("items", {}), root, f"{where}[{i}]")
    if isinstance(value, dict):
        props = schema.get("properties", {})
        problems += [f"{where}: missing {key}" for key in schema.get("required", []) if key not in value]
        for key, item in value.items():
            if key in props:
                problems += check(item, props[key], root, f"{where}.{key}")
            elif schema.get("additionalProperties") is False:
                problems.append(f"{where}: unknown {key}")
    return problems


def as_editor_sees(value):
    """YAML as the editor's language server reads it (YAML 1.2: dates are text)."""
    if isinstance(value, dict):
        return {k: as_editor_sees(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_editor_sees(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def samples():
    for folder, name in (("workers", "worker.schema.json"), ("homes", "home.schema.json")):
        for path in sorted((RECORDS / folder).glob("*.yml")):
            yield path, name, yaml.safe_load(path.read_text(encoding="utf-8"))
    for path in sorted((RECORDS / "stories").glob("*.md")):
        front, _, _ = split_front_matter(path.read_text(encoding="utf-8"))
        yield path, "story.schema.json", yaml.safe_load(front)
    yield RECORDS / "vocab" / "honours.yml", "honours.schema.json", \
        yaml.safe_load((RECORDS / "vocab" / "honours.yml").read_text(encoding="utf-8"))


def test_every_sample_record_satisfies_its_schema():
    problems = []
    for path, name, data in samples():
        schema = load(name)
        problems += [f"{path.name}: {p}" for p in check(as_editor_sees(data), schema, schema)]
    assert not problems, problems


def test_schema_catches_a_typo_and_a_wrong_title():
    schema = load("worker.schema.json")
    data = as_editor_sees(yaml.safe_load((RECORDS / "workers" / "zhang-jianguo.yml").read_text(encoding="utf-8")))
    data["honors"] = data.pop("honours")
    assert any("unknown honors" in p for p in check(data, schema, schema))
    data["honours"] = [{"title": "全国劳模", "year": 2015}]
    del data["honors"]
    assert any("enum" in p for p in check(data, schema, schema))


def test_records_name_their_schema_on_the_first_line():
    for folder, name in (("workers", "worker"), ("homes", "home")):
        for path in sorted((RECORDS / folder).glob("*.yml")):
            first = path.read_text(encoding="utf-8").splitlines()[0]
            assert first == f"# yaml-language-server: $schema=../../schemas/{name}.schema.json", path


# ---- the command -----------------------------------------------------------------------------


def test_command_writes_then_check_passes_and_detects_staleness(tree, tmp_path, capsys):
    out = tmp_path / "schemas"
    args = ["schema", "--records", str(tree.records), "--out", str(out)]
    assert main([*args, "--check"]) == 1  # nothing there yet
    assert main(args) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES.values())
    worker = json.loads((out / "worker.schema.json").read_text(encoding="utf-8"))
    assert worker["$defs"]["Honour"]["properties"]["title"]["enum"] == ["全国劳动模范", "陕西省劳动模范"]
    assert main([*args, "--check"]) == 0
    with (tree.records / "vocab" / "honours.yml").open("a", encoding="utf-8") as vocab:
        vocab.write("- title: 安徽省劳动模范\n  recipient: individual\n  level: provincial\n"
                    "  treatment: provincial\n  authority: 安徽省人民政府\n")
    capsys.readouterr()
    assert main([*args, "--check"]) == 1
    assert "worker.schema.json" in capsys.readouterr().err
    assert main(args) == 0 and main([*args, "--check"]) == 0


def test_command_without_vocabulary_is_a_usage_error(tmp_path, capsys):
    assert main(["schema", "--records", str(tmp_path), "--out", str(tmp_path / "s")]) == 2
    assert "称号表" in capsys.readouterr().err
    assert not (tmp_path / "s").exists()



@pytest.mark.parametrize("written, accepted", [("2015", True), ('"2015"', False), ("2015.0", False), ("二〇一五", False)])
def test_schema_and_validator_agree_on_a_year(tree, written, accepted):
    """One rule for both: a year is a number written without quotes (records.md: integer)."""
    from generator.validate.run import validate_public

    text = f"id: zhang-jianguo\nname: 张建国\ngender: 男\nregion:\n  province: 陕西省\nunit: 某厂\n" \
           f"honours:\n  - title: 全国劳动模范\n    year: {written}\n"
    tree.worker(text=text)
    schema = load("worker.schema.json")
    by_schema = not check(as_editor_sees(yaml.safe_load(text)), schema, schema)
    by_validator = validate_public(tree.records).ok
    assert by_schema == by_validator == accepted


def test_the_pull_request_workflow_checks_the_schema():
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "records.yml").read_text(encoding="utf-8"))
    runs = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert any(re.search(r"laomo schema\b.*--check", run) for run in runs)
