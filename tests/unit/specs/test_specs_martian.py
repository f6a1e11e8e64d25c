"""specs/martian/feedback.yaml: valid OpenAPI 3.1, and its schemas say what the prose says.

The schemas are checked as JSON Schema 2020-12 (the dialect of OpenAPI 3.1) with `jsonschema`,
resolving `$ref`s against the spec document itself, with format assertion on (`uuid`).
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

REPO = Path(__file__).resolve().parents[3]
SEEDS = REPO / ".." / "shared" / "seeds"
SPEC_PATH = REPO / "specs" / "martian" / "feedback.yaml"
SPEC_URI = "urn:specgen:martian:feedback"

ID_A = "019503a1-b2c3-7d4e-8f01-234567890abc"
ID_B = "019503a2-d4e5-7f60-a1b2-c3d4e5f60718"


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def registry(spec: dict[str, Any]) -> Registry:
    return Registry().with_resource(SPEC_URI, Resource(contents=spec, specification=DRAFT202012))


def validator_for(registry: Registry, name: str) -> Draft202012Validator:
    return Draft202012Validator(
        {"$ref": f"{SPEC_URI}#/components/schemas/{name}"},
        registry=registry,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


@pytest.fixture(scope="module")
def request_validator(registry: Registry) -> Draft202012Validator:
    return validator_for(registry, "FeedbackRequest")


@pytest.fixture(scope="module")
def response_validator(registry: Registry) -> Draft202012Validator:
    return validator_for(registry, "FeedbackResponse")


def operation(spec: dict[str, Any]) -> dict[str, Any]:
    return spec["paths"]["/v1/feedback"]["post"]


def media_examples(media: dict[str, Any]) -> list[Any]:
    return [example["value"] for example in media.get("examples", {}).values()]


def prose_examples() -> tuple[list[Any], list[Any]]:
    """The request and response examples of the prose page, parsed from its text.

    Request bodies are the `-d '...'` payloads of the curl examples and the bare JSON arrays
    whose items have an `id`; responses are the bare JSON arrays whose items do not.
    """
    page = SEEDS / "martian_feedback.md"
    if not page.is_file():
        pytest.skip(f"seed page {page} is absent (shared/seeds/ is not beside the repo)")
    text = page.read_text(encoding="utf-8")
    decoder = json.JSONDecoder()
    starts = [m.end() for m in re.finditer(r"-d '", text)]
    starts += [m.start() for m in re.finditer(r"^\[$", text, flags=re.MULTILINE)]
    requests: list[Any] = []
    responses: list[Any] = []
    for start in sorted(starts):
        value, _ = decoder.raw_decode(text, start)
        assert isinstance(value, list) and value, f"unexpected example at offset {start}"
        (requests if all("id" in item for item in value) else responses).append(value)
    return requests, responses


def event(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"id": ID_A, "feedback": {"helpful": True}}
    base.update(fields)
    return base


# --- the document -------------------------------------------------------------------------


def test_spec_is_valid_openapi_3_1(spec: dict[str, Any]) -> None:
    validate(spec)
    assert spec["openapi"] == "3.1.0"


def test_format_checker_asserts_uuid() -> None:
    assert "uuid" in Draft202012Validator.FORMAT_CHECKER.checkers


def test_info_points_to_the_prose_and_says_who_wrote_it(spec: dict[str, Any]) -> None:
    info = spec["info"]
    assert info["title"] == "Martian Feedback API"
    assert info["version"]
    assert "shared/seeds/martian_feedback.md" in info["description"]
    assert "written by the specgen project from that prose" in info["description"]


def test_server_auth_and_operation(spec: dict[str, Any]) -> None:
    assert [s["url"] for s in spec["servers"]] == ["https://api.withmartian.com"]
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        **spec["components"]["securitySchemes"]["bearerAuth"],
        "type": "http",
        "scheme": "bearer",
    }
    assert spec["security"] == [{"bearerAuth": []}]  # required: no anonymous `{}` alternative
    op = operation(spec)
    assert "security" not in op  # the global requirement applies
    assert op["operationId"] == "postFeedback"
    assert op["tags"] == ["Feedback"]
    assert op["tags"][0] in {t["name"] for t in spec["tags"]}
    body = op["requestBody"]
    assert body["required"] is True
    assert body["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/FeedbackRequest"
    }


def test_responses_declared(spec: dict[str, Any]) -> None:
    responses = operation(spec)["responses"]
    assert set(responses) == {"200", "400", "401", "429"}
    assert responses["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/FeedbackResponse"
    }
    for code in ("400", "401", "429"):
        assert responses[code]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ErrorResponse"
        }
    retry_after = responses["429"]["headers"]["Retry-After"]
    assert retry_after["required"] is True
    assert retry_after["schema"]["type"] == "integer"


def test_status_code_ambiguity_resolution_is_written_down(spec: dict[str, Any]) -> None:
    description = operation(spec)["description"]
    assert "always returns HTTP 200" in description
    assert "rejected as a whole" in description
    assert "same order" in description
    for code in ("`200`", "`400`", "`401`", "`429`"):
        assert code in description


def test_rules_json_schema_cannot_express_are_described(spec: dict[str, Any]) -> None:
    text = yaml.safe_dump(spec, width=10_000)
    for phrase in (
        "evaluation.quality.precision",  # dot-flattening
        "its own feedback ID",  # one id per flattened key
        "same order",  # results in request order
        "Integers are converted to floats",
        "stored as tag metadata",  # reason
        "every numeric and boolean value in the event",  # optimize scope
        "attached to every feedback entry of this event",  # tags
    ):
        assert phrase in text, phrase


# --- examples -----------------------------------------------------------------------------


def test_spec_examples_are_the_prose_examples(spec: dict[str, Any]) -> None:
    requests, responses = prose_examples()
    assert len(requests) == 4 and len(responses) == 3
    op = operation(spec)
    spec_requests = media_examples(op["requestBody"]["content"]["application/json"])
    spec_responses = media_examples(op["responses"]["200"]["content"]["application/json"])
    canon = lambda values: sorted(json.dumps(v, sort_keys=True) for v in values)  # noqa: E731
    assert canon(spec_requests) == canon(requests)
    assert canon(spec_responses) == canon(responses)


def test_prose_request_examples_validate(request_validator: Draft202012Validator) -> None:
    requests, _ = prose_examples()
    for body in requests:
        request_validator.validate(body)


def test_prose_response_examples_validate(response_validator: Draft202012Validator) -> None:
    _, responses = prose_examples()
    for body in responses:
        response_validator.validate(body)


def test_spec_request_examples_validate(
    spec: dict[str, Any], request_validator: Draft202012Validator
) -> None:
    examples = media_examples(operation(spec)["requestBody"]["content"]["application/json"])
    assert examples
    for body in examples:
        request_validator.validate(body)


def test_spec_response_examples_validate(spec: dict[str, Any], registry: Registry) -> None:
    responses = operation(spec)["responses"]
    checked = 0
    for code, response in responses.items():
        media = response["content"]["application/json"]
        name = media["schema"]["$ref"].rsplit("/", 1)[1]
        validator = validator_for(registry, name)
        values = media_examples(media) + ([media["example"]] if "example" in media else [])
        assert values, f"no example for {code}"
        for value in values:
            validator.validate(value)
            checked += 1
    assert checked >= 6


def test_schema_level_examples_validate(spec: dict[str, Any], registry: Registry) -> None:
    checked = 0
    for name, schema in spec["components"]["schemas"].items():
        for value in schema.get("examples", []):
            validator_for(registry, name).validate(value)
            checked += 1
    assert checked >= 2


# --- requests -----------------------------------------------------------------------------

VALID_REQUESTS = {
    "empty feedback object": [event(feedback={})],
    "all options": [event(tags={"evaluator": "human"}, optimize="min")],
    "integer value": [event(feedback={"rating": 4})],
    "structured score, no reason": [event(feedback={"accuracy": {"score": True}})],
    "structured score, string": [event(feedback={"tone": {"score": "formal", "reason": "x"}})],
    "nested structured score": [event(feedback={"q": {"a": {"score": 0.5, "reason": "r"}}})],
    "deep nesting": [event(feedback={"a": {"b": {"c": {"d": {"e": {"f": 1.0}}}}}})],
    "empty nested object": [event(feedback={"quality": {}})],
    "nested object with a score key and others": [event(feedback={"q": {"score": 1, "n": 2}})],
    "nested object with only a reason key": [event(feedback={"q": {"reason": "text"}})],
    "metric named score at the top level": [event(feedback={"score": 0.5})],
    "empty tags": [event(tags={})],
    "uppercase uuid": [event(id=ID_A.upper())],
    "many events": [event(), event(id=ID_B, optimize="max")],
}

INVALID_REQUESTS = {
    "array value": [event(feedback={"labels": ["a", "b"]})],
    "null value": [event(feedback={"helpful": None})],
    "nested array": [event(feedback={"quality": {"labels": [1, 2]}})],
    "nested null": [event(feedback={"quality": {"precision": None}})],
    "array score": [event(feedback={"accuracy": {"score": [1]}})],
    "null score": [event(feedback={"accuracy": {"score": None}})],
    "object score": [event(feedback={"accuracy": {"score": {"a": 1}}})],
    "non-string reason": [event(feedback={"accuracy": {"score": 1, "reason": 2}})],
    "null reason": [event(feedback={"accuracy": {"score": 1, "reason": None}})],
    "non-UUID id": [event(id="not-a-uuid")],
    "UUID without dashes": [event(id=ID_A.replace("-", ""))],
    "integer id": [event(id=42)],
    "missing id": [{"feedback": {"helpful": True}}],
    "missing feedback": [{"id": ID_A}],
    "null feedback": [event(feedback=None)],
    "array feedback": [event(feedback=[{"helpful": True}])],
    'optimize "up"': [event(optimize="up")],
    "optimize null": [event(optimize=None)],
    "tags with a non-string value": [event(tags={"round": 2})],
    "tags with a null value": [event(tags={"round": None})],
    "tags not an object": [event(tags=["human"])],
    "unknown event field": [event(optimise="min")],
    "empty request array": [],
    "non-array body (one event)": event(),
    "non-array body (null)": None,
    "non-array body (string)": "feedback",
    "array of non-objects": [ID_A],
    "one bad event among good ones": [event(), event(feedback={"x": None})],
}


@pytest.mark.parametrize("body", VALID_REQUESTS.values(), ids=VALID_REQUESTS.keys())
def test_valid_request(request_validator: Draft202012Validator, body: Any) -> None:
    request_validator.validate(body)


@pytest.mark.parametrize("body", INVALID_REQUESTS.values(), ids=INVALID_REQUESTS.keys())
def test_invalid_request_is_rejected(request_validator: Draft202012Validator, body: Any) -> None:
    assert not request_validator.is_valid(body)


def test_value_branches_are_disjoint(registry: Registry) -> None:
    """Each valid value matches exactly one branch of FeedbackValue's oneOf."""
    value = validator_for(registry, "FeedbackValue")
    structured = validator_for(registry, "StructuredScore")
    nested = validator_for(registry, "FeedbackObject")
    for v in ({"score": 1}, {"score": 1, "reason": "r"}):
        assert value.is_valid(v) and structured.is_valid(v) and not nested.is_valid(v)
    for v in ({"score": 1, "other": 2}, {"reason": "r"}, {}, {"a": {"score": 1}}):
        assert value.is_valid(v) and nested.is_valid(v) and not structured.is_valid(v)
    for v in (True, 0, 4.5, "text"):
        assert value.is_valid(v)
        assert not structured.is_valid(v) and not nested.is_valid(v)


def test_optimize_defaults_to_max(spec: dict[str, Any]) -> None:
    optimize = spec["components"]["schemas"]["FeedbackEvent"]["properties"]["optimize"]
    assert optimize["default"] == "max"
    assert optimize["enum"] == ["max", "min"]


# --- responses ----------------------------------------------------------------------------

SUCCESS = {"feedback_ids": {"helpful": ID_A}, "error": None}
FAILURE = {"feedback_ids": None, "error": {"status_code": 400, "message": "ID does not exist"}}

VALID_RESPONSES = {
    "success": [SUCCESS],
    "failure": [FAILURE],
    "all failed": [FAILURE, FAILURE],
    "success with empty feedback_ids": [{"feedback_ids": {}, "error": None}],
    "success without error (as the prose's nested example)": [{"feedback_ids": {"a.b": ID_B}}],
    "failure without feedback_ids": [{"error": {"status_code": 400, "message": "x"}}],
}

INVALID_RESPONSES = {
    "both non-null": [{"feedback_ids": {"helpful": ID_A}, "error": FAILURE["error"]}],
    "both null": [{"feedback_ids": None, "error": None}],
    "neither key": [{}],
    "only error null": [{"error": None}],
    "only feedback_ids null": [{"feedback_ids": None}],
    "non-UUID feedback id": [{"feedback_ids": {"helpful": "nope"}, "error": None}],
    "error without status_code": [{"feedback_ids": None, "error": {"message": "x"}}],
    "error without message": [{"feedback_ids": None, "error": {"status_code": 400}}],
    "string status_code": [{"feedback_ids": None, "error": {"status_code": "400", "message": "x"}}],
    "not an array": SUCCESS,
}


@pytest.mark.parametrize("body", VALID_RESPONSES.values(), ids=VALID_RESPONSES.keys())
def test_valid_response(response_validator: Draft202012Validator, body: Any) -> None:
    response_validator.validate(body)


@pytest.mark.parametrize("body", INVALID_RESPONSES.values(), ids=INVALID_RESPONSES.keys())
def test_invalid_response_is_rejected(response_validator: Draft202012Validator, body: Any) -> None:
    assert not response_validator.is_valid(body)


def test_result_is_exactly_one_of_success_or_failure(registry: Registry) -> None:
    success = validator_for(registry, "FeedbackSuccess")
    failure = validator_for(registry, "FeedbackFailure")
    assert success.is_valid(SUCCESS) and not failure.is_valid(SUCCESS)
    assert failure.is_valid(FAILURE) and not success.is_valid(FAILURE)
    both = copy.deepcopy(SUCCESS) | {"error": FAILURE["error"]}
    assert not success.is_valid(both) and not failure.is_valid(both)


def test_error_response_body(registry: Registry) -> None:
    error = validator_for(registry, "ErrorResponse")
    assert error.is_valid({"error": {"status_code": 401, "message": "Missing or invalid API key"}})
    assert not error.is_valid({"detail": "Unauthorized"})
    assert not error.is_valid({"error": "Unauthorized"})
