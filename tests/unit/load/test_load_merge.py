"""Several files of one API merged: unions, collapses, conflicts, origins."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.diagnostics import SpecError
from generator.load import load_spec

SEEDS = Path(__file__).resolve().parents[3] / ".." / "shared" / "seeds"
EXPERIMENT = "braintrust_experiment_feedback.md"
PROJECT_LOGS = "braintrust_project_logs_feedback.md"


def seed(name: str) -> Path:
    path = SEEDS / name
    if not path.is_file():
        pytest.skip(f"seed page {path} is absent (shared/seeds/ is not beside the repo)")
    return path


def write(path: Path, text: str) -> Path:
    path.write_text(text, "utf-8")
    return path


def spec_file(tmp_path: Path, name: str, body: str, version: str = "3.1.0") -> Path:
    head = f"openapi: {version}\ninfo: {{title: {name}, version: '1'}}\n"
    return write(tmp_path / name, head + body)


def test_braintrust_pages_merge_into_one_api() -> None:
    spec, warnings = load_spec([seed(EXPERIMENT), seed(PROJECT_LOGS)])
    assert warnings == []
    doc = spec.document
    assert list(doc["paths"]) == [
        "/v1/experiment/{experiment_id}/feedback",
        "/v1/project_logs/{project_id}/feedback",
    ]
    assert list(doc["components"]["schemas"]) == [
        "FeedbackExperimentEventRequest", "FeedbackResponseSchema", "ExperimentIdParam",
        "FeedbackExperimentItem", "FeedbackProjectLogsEventRequest", "ProjectIdParam",
        "FeedbackProjectLogsItem",
    ]  # fmt: skip
    assert list(doc["components"]["securitySchemes"]) == ["bearerAuth"]
    assert doc["info"]["title"] == "Braintrust API"
    assert [s.path.name for s in spec.sources] == [EXPERIMENT, PROJECT_LOGS]
    operation = "/paths/~1v1~1project_logs~1{project_id}~1feedback/post/operationId"
    location = spec.locate(operation)
    assert (Path(location.file).name, location.line, location.column) == (PROJECT_LOGS, 42, 7)
    assert location.pointer == operation
    location = spec.locate("/components/schemas/ProjectIdParam/format")
    assert (Path(location.file).name, location.line) == (PROJECT_LOGS, 142)
    location = spec.locate("/components/schemas/FeedbackResponseSchema")
    assert (Path(location.file).name, location.line) == (EXPERIMENT, 133)


def test_a_conflicting_braintrust_component_names_both_files(tmp_path: Path) -> None:
    text = seed(PROJECT_LOGS).read_text("utf-8")
    changed = text.replace(
        "            - success\n", "            - success\n            - done\n", 1
    )
    assert changed != text
    variant = write(tmp_path / "variant.md", changed)
    with pytest.raises(SpecError) as caught:
        load_spec([seed(EXPERIMENT), variant])
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "SG211"
    loc = diagnostic.location
    assert loc is not None and Path(loc.file).name == "variant.md"
    assert (loc.line, loc.pointer) == (131, "/components/schemas/FeedbackResponseSchema")
    assert f"{EXPERIMENT}:133:5 /components/schemas/FeedbackResponseSchema" in diagnostic.message
    assert "variant.md:131:5 /components/schemas/FeedbackResponseSchema" in diagnostic.message


def test_same_operation_in_two_files(tmp_path: Path) -> None:
    op = "paths:\n  /a:\n    get: {responses: {'204': {description: %s}}}\n"
    first = spec_file(tmp_path, "one.yaml", op % "x")
    same = spec_file(tmp_path, "two.yaml", op % "x")
    other = spec_file(tmp_path, "three.yaml", op % "y")
    spec, _ = load_spec([first, same])
    assert list(spec.document["paths"]["/a"]) == ["get"]
    with pytest.raises(SpecError) as caught:
        load_spec([first, other])
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "SG210"
    assert diagnostic.location is not None
    assert (Path(diagnostic.location.file).name, diagnostic.location.line) == ("three.yaml", 5)
    assert diagnostic.location.pointer == "/paths/~1a/get"
    assert "GET /a" in diagnostic.message and "one.yaml:5:5" in diagnostic.message


def test_methods_of_one_path_from_two_files(tmp_path: Path) -> None:
    one = spec_file(tmp_path, "one.yaml", "paths:\n  /a:\n    get: {responses: {}}\n")
    two = spec_file(tmp_path, "two.yaml", "\n\npaths:\n  /a:\n    post: {responses: {}}\n")
    spec, _ = load_spec([one, two])
    assert list(spec.document["paths"]["/a"]) == ["get", "post"]
    assert spec.origins["/paths/~1a/post"].source.path.name == "two.yaml"
    location = spec.locate("/paths/~1a/post/responses")
    assert (Path(location.file).name, location.line) == ("two.yaml", 7)
    assert spec.locate("/paths/~1a/get").line == 5


def test_first_file_wins_for_info_and_version_mismatch_warns(tmp_path: Path) -> None:
    one = spec_file(tmp_path, "one.yaml", "tags: [{name: a}]\nservers: [{url: /one}]\n")
    two = spec_file(
        tmp_path, "two.yaml", "tags: [{name: b}, {name: a}]\nservers: [{url: /two}]\n", "3.0.3"
    )
    spec, warnings = load_spec([one, two])
    doc = spec.document
    assert doc["openapi"] == "3.1.0" and doc["info"]["title"] == "one.yaml"
    assert doc["servers"] == [{"url": "/one"}]
    assert doc["tags"] == [{"name": "a"}, {"name": "b"}]
    assert spec.locate("/tags/1").file.endswith("two.yaml")
    (warning,) = warnings
    assert warning.code == "SG212" and warning.severity == "warning"
    assert warning.location is not None and warning.location.file.endswith("two.yaml")
    assert warning.location.line == 1


def test_shared_external_file_is_bundled_once(tmp_path: Path) -> None:
    write(tmp_path / "common.yaml", "Error: {type: object}\n")
    ref = "{$ref: 'common.yaml#/Error'}"
    body = "paths:\n  %s:\n    get:\n      responses:\n"
    body += "        '400': {description: e, content: {a/b: {schema: %s}}}\n"
    one = spec_file(tmp_path, "one.yaml", body % ("/a", ref))
    two = spec_file(tmp_path, "two.yaml", body % ("/b", ref))
    spec, _ = load_spec([one, two])
    assert spec.document["components"] == {"schemas": {"Error": {"type": "object"}}}
    assert [s.path.name for s in spec.sources] == ["one.yaml", "two.yaml", "common.yaml"]


def test_all_errors_of_all_files_are_reported(tmp_path: Path) -> None:
    one = write(tmp_path / "one.yaml", "a: 1\na: 2\n")
    two = write(tmp_path / "two.yaml", "- x\n")
    with pytest.raises(SpecError) as caught:
        load_spec([one, two, tmp_path / "three.yaml"])
    assert sorted(d.code for d in caught.value.diagnostics) == ["SG100", "SG102", "SG107"]
