"""Whatever bytes an editor commits, the loader answers with error lines, never a traceback."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.diagnostics import Diagnostic
from generator.validate.run import validate_public

yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20) | st.dates(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)
worker_keys = st.sampled_from(["id", "name", "gender", "region", "unit", "honours", "photo", "story", "birth_year", "died", "x"])


def run_on(tree, content: bytes) -> list[Diagnostic]:
    (tree.records / "workers" / "fuzz-me.yml").write_bytes(content)
    (tree.records / "stories" / "fuzz-story.md").write_bytes(b"---\n" + content + b"\n---\nbody\n")
    result = validate_public(tree.records).diagnostics
    for d in result:
        assert isinstance(d, Diagnostic) and d.line >= 1 and d.column >= 1 and d.message
    return result


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_random_bytes(tree, content):
    run_on(tree, content)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(worker_keys, yaml_values, max_size=8))
def test_random_yaml_mappings(tree, data):
    run_on(tree, yaml.safe_dump(data, allow_unicode=True).encode("utf-8"))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list(":-[]{}&*!|>'\"#%@` \n\tabc1中")), max_size=200))
def test_random_yaml_syntax(tree, text):
    run_on(tree, text.encode("utf-8"))
