"""The Braintrust specs are the OpenAPI blocks of the published doc pages, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from openapi_spec_validator import validate

REPO = Path(__file__).resolve().parents[3]
SEEDS = REPO / ".." / "shared" / "seeds"
SPECS = REPO / "specs" / "braintrust"

PAIRS = [
    ("braintrust_experiment_feedback.md", "experiment_feedback.yaml"),
    ("braintrust_project_logs_feedback.md", "project_logs_feedback.yaml"),
]
IDS = [spec for _, spec in PAIRS]


def fenced_yaml_block(page: bytes) -> bytes:
    """The lines between the page's ````yaml fence and its closing ````, as bytes.

    Trailing blank lines inside the fence are dropped and the block ends with exactly one
    newline; every other byte is kept as it is.
    """
    lines = page.splitlines(keepends=True)
    openings = [i for i, line in enumerate(lines) if line.startswith(b"````yaml")]
    assert len(openings) == 1, "expected exactly one ````yaml fence"
    start = openings[0]
    end = next(i for i in range(start + 1, len(lines)) if lines[i].rstrip(b"\r\n") == b"````")
    body = lines[start + 1 : end]
    while body and not body[-1].strip():
        body.pop()
    assert body, "empty ````yaml block"
    return b"".join(body).rstrip(b"\r\n") + b"\n"


def seed(name: str) -> bytes:
    path = SEEDS / name
    if not path.is_file():
        pytest.skip(f"seed page {path} is absent (shared/seeds/ is not beside the repo)")
    return path.read_bytes()


@pytest.mark.parametrize(("page", "spec"), PAIRS, ids=IDS)
def test_spec_is_the_fenced_block_byte_for_byte(page: str, spec: str) -> None:
    expected = fenced_yaml_block(seed(page))
    actual = (SPECS / spec).read_bytes()
    assert actual == expected


@pytest.mark.parametrize("spec", IDS)
def test_spec_ends_with_exactly_one_newline(spec: str) -> None:
    data = (SPECS / spec).read_bytes()
    assert data.endswith(b"\n")
    assert not data.endswith(b"\n\n")
    assert b"\r" not in data


def test_project_logs_keeps_the_published_mis_decoded_apostrophe() -> None:
    text = (SPECS / "project_logs_feedback.yaml").read_text(encoding="utf-8")
    assert "The API key doesn\u00e2\u20ac\u2122t have permissions" in text


@pytest.mark.parametrize("spec", IDS)
def test_spec_is_valid_openapi(spec: str) -> None:
    document = yaml.safe_load((SPECS / spec).read_text(encoding="utf-8"))
    validate(document)
    assert document["openapi"] == "3.1.1"


@pytest.mark.parametrize(
    ("spec", "path", "operation_id"),
    [
        (
            "experiment_feedback.yaml",
            "/v1/experiment/{experiment_id}/feedback",
            "postExperimentIdFeedback",
        ),
        (
            "project_logs_feedback.yaml",
            "/v1/project_logs/{project_id}/feedback",
            "postProjectLogsIdFeedback",
        ),
    ],
    ids=IDS,
)
def test_spec_describes_its_endpoint(spec: str, path: str, operation_id: str) -> None:
    document = yaml.safe_load((SPECS / spec).read_text(encoding="utf-8"))
    assert list(document["paths"]) == [path]
    assert document["paths"][path]["post"]["operationId"] == operation_id


def test_fence_extraction_drops_only_trailing_blank_lines() -> None:
    page = b"intro\n````yaml x\na: 1\n\nb: 2\n\n\n````\nafter\n"
    assert fenced_yaml_block(page) == b"a: 1\n\nb: 2\n"
