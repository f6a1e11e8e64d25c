"""The validation memo (`.specgen-cache/validation/`): a summary or description reworded
reuses a clean result; any other change, another validator or a result with findings does
not; a corrupt or foreign entry is ignored with a warning; output is the same either way."""

from __future__ import annotations

import json
from collections.abc import Collection
from pathlib import Path
from typing import Any

import pytest

from generator.cache.memo import Memo
from generator.config import ApiConfig
from generator.diagnostics import Diagnostic
from generator.load import load_spec
from generator.pipeline import Options, render_api
from generator.validate import Prepared, prepare, reuse, spec_validator, units
from generator.validate.reuse import checked, structural_key

ROOT = Path(__file__).resolve().parents[3]
SPEC = ROOT / "specs" / "martian" / "feedback.yaml"
DEFECTS = ROOT / "tests" / "corpus" / "lenient_published_defects.yaml"


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Each time openapi-spec-validator's pass really runs."""
    calls: list[object] = []
    real = reuse.spec_validator

    def spy(
        before: Prepared, parts: Collection[str] | None = None, changed: Collection[str] = ()
    ) -> list[Diagnostic]:
        calls.append(None if parts is None else sorted(parts))
        return real(before, parts, changed)

    monkeypatch.setattr(reuse, "spec_validator", spy)
    return calls


def _key(tmp: Path, text: str) -> str:
    path = tmp / "spec.yaml"
    path.write_text(text, "utf-8")
    return structural_key(prepare(load_spec([path])[0]))


def test_only_free_text_keeps_the_key(tmp_path: Path) -> None:
    text = SPEC.read_text("utf-8")
    base = _key(tmp_path, text)
    assert "summary: " in text and "description: Feedback on inferences." in text
    assert _key(tmp_path, text.replace("summary: ", "summary: Reworded ", 1)) == base
    reworded = text.replace("Feedback on inferences.", "Other words.", 1)
    assert _key(tmp_path, reworded) == base
    for changed in (
        text.replace("version: 1.0.0", "version: 1.0.1", 1),
        text.replace("openapi: 3.1.0", "openapi: 3.1.1", 1),
        text.replace("tags:\n", "x-extra: 1\ntags:\n", 1),
    ):
        assert _key(tmp_path, changed) != base


def test_data_that_looks_like_free_text_is_kept() -> None:
    data = {"description": "text", "example": {"description": "data"}, "x-a": {"summary": "s"}}
    assert reuse._blank(data) == {
        "description": "",
        "example": {"description": "data"},
        "x-a": {"summary": "s"},
    }
    assert reuse._blank({"description": {"type": "string"}}) == {"description": {"type": "string"}}


def test_a_clean_result_is_reused(tmp_path: Path, runs: list[object]) -> None:
    memo = Memo(tmp_path / "validation")
    before = prepare(load_spec([SPEC])[0])
    assert checked(before, memo) == [] and len(runs) == 1
    assert checked(before, memo) == [] and len(runs) == 1
    assert checked(before, None) == [] and len(runs) == 2  # no memo: always run


def test_findings_are_never_kept(tmp_path: Path, runs: list[object]) -> None:
    memo = Memo(tmp_path / "validation")
    before = prepare(load_spec([DEFECTS])[0])
    first = checked(before, memo)
    assert first and checked(before, memo) == first
    assert len(runs) == 2 and not (tmp_path / "validation").exists()


def test_another_validator_is_a_miss(
    tmp_path: Path, runs: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    memo = Memo(tmp_path / "validation")
    before = prepare(load_spec([SPEC])[0])
    checked(before, memo)
    monkeypatch.setattr(reuse, "_fingerprint", lambda: ("0.0.1", "code"))
    checked(before, memo)
    assert len(runs) == 2


def test_corrupt_or_foreign_entries_are_ignored_with_a_warning(
    tmp_path: Path, runs: list[object]
) -> None:
    warnings: list[str] = []
    memo = Memo(tmp_path / "validation", warn=warnings.append)
    before = prepare(load_spec([SPEC])[0])
    checked(before, memo)
    (entry,) = [
        path
        for path in (tmp_path / "validation").glob("*.json")
        if '"no findings"' in path.read_text("utf-8")
    ]
    for broken in ("{truncated", '{"key": "another", "text": "no findings"}'):
        entry.write_text(broken)
        assert checked(before, memo) == []
    assert len(warnings) == 2 and all(str(entry) in w for w in warnings)
    assert len(runs) == 3


def test_a_reworded_summary_renders_what_a_cold_run_renders(
    tmp_path: Path, runs: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPECGEN_JOBS", "1")  # in this process, where `runs` sees it
    spec = tmp_path / "spec.yaml"
    config = ApiConfig("martian", (spec,), tmp_path / "out", root=tmp_path)
    spec.write_text(SPEC.read_text("utf-8"), "utf-8")
    render_api(config, Options())
    spec.write_text(SPEC.read_text("utf-8").replace("summary: ", "summary: New ", 1), "utf-8")
    hit = render_api(config, Options())
    assert len(runs) == 1  # the second run reused the clean result
    cold = render_api(config, Options(memo=False))
    assert hit.files == cold.files and hit.diagnostics == cold.diagnostics
    assert len(runs) == 2


THREE_PATHS = """
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /a:
    get:
      operationId: getA
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}
  /b:
    get:
      operationId: getB
      parameters: [{name: q, in: query, schema: {type: string}}]
      responses: {'200': {description: ok}}
  /c:
    get:
      operationId: getC
      responses: {'200': {description: ok}}
components:
  schemas:
    Item: {type: object, properties: {id: {type: integer}}}
"""


def _prepared(tmp: Path, text: str) -> Prepared:
    path = tmp / "spec.yaml"
    path.write_text(text, "utf-8")
    return prepare(load_spec([path])[0])


def test_changed_parts_are_checked_alone(tmp_path: Path, runs: list[object]) -> None:
    """After a clean result, a changed path item is checked in the document without the
    other parts; what it finds there is what the whole document's check finds."""
    memo = Memo(tmp_path / "validation")
    assert checked(_prepared(tmp_path, THREE_PATHS), memo) == []
    deprecated = THREE_PATHS.replace(
        "operationId: getB", "operationId: getB\n      deprecated: true"
    )
    assert checked(_prepared(tmp_path, deprecated), memo) == []
    broken = THREE_PATHS.replace("in: query", "in: nowhere")
    before = _prepared(tmp_path, broken)
    found = checked(before, memo)
    assert runs == [None, ["/paths/~1b"], ["/paths/~1b"]]
    assert found and found == spec_validator(before)  # the whole document's findings


def test_a_changed_component_is_checked_with_the_parts_referring_to_it(
    tmp_path: Path, runs: list[object]
) -> None:
    memo = Memo(tmp_path / "validation")
    checked(_prepared(tmp_path, THREE_PATHS), memo)
    component = THREE_PATHS.replace("id: {type: integer}", "id: {type: string}")
    assert checked(_prepared(tmp_path, component), memo) == []
    broken = THREE_PATHS.replace("id: {type: integer}", "id: {type: integer, minimum: x}")
    before = _prepared(tmp_path, broken)
    found = checked(before, memo)
    # Item, and /a, which refers to it (not /b or /c)
    assert runs == [None, *[["/components/schemas/Item", "/paths/~1a"]] * 2]
    assert found and found == spec_validator(before)


def test_other_changes_check_every_part(tmp_path: Path, runs: list[object]) -> None:
    memo = Memo(tmp_path / "validation")
    checked(_prepared(tmp_path, THREE_PATHS), memo)
    checked(_prepared(tmp_path, THREE_PATHS.replace("version: '1'", "version: '2'")), memo)
    into_paths = THREE_PATHS.replace(
        "      responses: {'200': {description: ok}}\n  /c:",
        "      responses: {'200': {$ref: '#/paths/~1c/get/responses/200'}}\n  /c:",
    )
    checked(_prepared(tmp_path, into_paths), memo)  # one path item refers into another
    assert runs == [None, None, None]


A = "#/components/schemas/A"


def test_parts_and_what_they_refer_to() -> None:
    """A part's digest changes with what it refers to, through cycles and nested pointers;
    the document kept for some parts keeps its surroundings whole."""
    doc: dict[str, Any] = {
        "openapi": "3.0.3",
        "paths": {"/p": {"get": {"responses": {"200": {"$ref": "#/components/responses/R"}}}}},
        "components": {
            "responses": {
                "R": {"content": {"a/b": {"schema": {"$ref": "#/components/schemas/A"}}}}
            },
            "schemas": {
                "A": {"properties": {"b": {"$ref": "#/components/schemas/B/properties/x"}}},
                "B": {"properties": {"x": {"$ref": A}}},
                "Lone": {"type": "string"},
            },
            "securitySchemes": {"k": {"type": "http", "scheme": "bearer"}},
        },
    }
    before = units.Parts(doc).digests
    assert len(before) == 5
    doc["components"]["schemas"]["B"]["type"] = "object"
    after = units.Parts(doc).digests
    changed = sorted(name for name in after if after[name] != before[name])
    assert changed == [
        "/components/responses/R",
        "/components/schemas/A",
        "/components/schemas/B",
        "/paths/~1p",
    ]  # not Lone
    assert units.Parts(doc).needed(["/components/schemas/Lone"]) == {"/components/schemas/Lone"}
    kept = units.keep_only(doc, units.Parts(doc).needed(["/components/schemas/A"]))
    assert kept["paths"] == {} and set(kept["components"]["schemas"]) == {"A", "B"}
    assert kept["components"]["responses"] == {}
    assert kept["components"]["securitySchemes"] == doc["components"]["securitySchemes"]
    assert units.Parts(doc).separable
    doc["components"]["schemas"]["Lone"] = {"$ref": "#/paths/~1p/get"}
    assert not units.Parts(doc).separable  # a path item cannot be checked apart


WEBHOOK = """
openapi: 3.1.0
info: {title: T, version: '1'}
paths:
  /a:
    get:
      operationId: getA
      responses: {'200': {description: ok}}
webhooks:
  created:
    post:
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}}
      responses: {'200': {description: ok}}
components:
  schemas:
    Item: {type: object, properties: {id: {type: integer}}}
"""


def test_what_the_surroundings_refer_to_is_kept(tmp_path: Path, runs: list[object]) -> None:
    """A webhook (the surroundings) refers to a schema no changed part refers to: the
    document checked keeps it, so the reference resolves."""
    memo = Memo(tmp_path / "validation")
    assert checked(_prepared(tmp_path, WEBHOOK), memo) == []
    edited = WEBHOOK.replace("operationId: getA", "operationId: getA\n      deprecated: true")
    assert checked(_prepared(tmp_path, edited), memo) == []
    assert runs == [None, ["/components/schemas/Item", "/paths/~1a"]]


def test_parts_referred_to_are_checked_only_through_the_references(
    tmp_path: Path, runs: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A changed path item that refers to a schema found clean before: the schema is in the
    checked document only where the path item's references lead (out of the components),
    the references resolve, and the findings are the whole document's."""
    hidden: list[set[str]] = []
    real = units.hide_referred

    def spy(document: dict[str, Any], referred: Collection[str]) -> bool:
        moved = real(document, referred)
        if moved:
            hidden.append(set(document[units.REFERRED_AREA]["schemas"]))
        return moved

    monkeypatch.setattr(units, "hide_referred", spy)
    memo = Memo(tmp_path / "validation")
    assert checked(_prepared(tmp_path, THREE_PATHS), memo) == []
    edited = THREE_PATHS.replace("operationId: getA", "operationId: getA\n      deprecated: true")
    assert checked(_prepared(tmp_path, edited), memo) == []  # Item resolves where it went
    broken = THREE_PATHS.replace(
        "'200':\n          description: ok\n          content",
        "'200':\n          description: 5\n          content",
    )
    before = _prepared(tmp_path, broken)
    found = checked(before, memo)
    assert runs[1:] == [["/components/schemas/Item", "/paths/~1a"]] * 2
    assert hidden == [{"Item"}] * 2
    assert found and found == spec_validator(before)  # the whole document's findings


def test_hiding_moves_the_parts_and_points_every_reference_there() -> None:
    doc: dict[str, Any] = {
        "paths": {"/p": {"get": {"parameters": [{"$ref": "#/components/parameters/Q"}]}}},
        "components": {
            "parameters": {"Q": {"name": "q", "in": "query", "schema": {"$ref": A}}},
            "schemas": {
                "A": {"properties": {"b": {"$ref": "#/components/schemas/a~1b/properties/x"}}},
                "a/b": {"properties": {"x": {"type": "string"}}},
                "Kept": {"$ref": A},
            },
        },
    }
    referred = {"/components/parameters/Q", "/components/schemas/A", "/components/schemas/a~1b"}
    assert units.hide_referred(doc, referred)
    area = doc[units.REFERRED_AREA]
    assert set(area["schemas"]) == {"A", "a/b"} and set(area["parameters"]) == {"Q"}
    assert set(doc["components"]["schemas"]) == {"Kept"} and doc["components"]["parameters"] == {}
    get = doc["paths"]["/p"]["get"]
    assert get["parameters"][0]["$ref"] == "#/x-specgen-referred/parameters/Q"
    assert area["parameters"]["Q"]["schema"]["$ref"] == "#/x-specgen-referred/schemas/A"
    assert (
        area["schemas"]["A"]["properties"]["b"]["$ref"]
        == "#/x-specgen-referred/schemas/a~1b/properties/x"
    )
    assert doc["components"]["schemas"]["Kept"]["$ref"] == "#/x-specgen-referred/schemas/A"


def test_a_percent_encoded_reference_leaves_the_document_as_it_was() -> None:
    doc: dict[str, Any] = {
        "paths": {"/p": {"$ref": "#/components/pathItems/My%20Item"}},
        "components": {"schemas": {"A": {"type": "string"}}},
    }
    before = json.loads(json.dumps(doc))
    assert not units.hide_referred(doc, {"/components/schemas/A"})
    assert doc == before
