"""An SDK written by others against a mock of its own published spec: `braintrust-api` (the
official Braintrust API client, a Stainless-generated SDK) against `specgen mock` of the full
Braintrust spec, over a socket."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.mock.mockserver import SHARED, Mock, mock_server

braintrust_api = pytest.importorskip("braintrust_api")
SPEC = SHARED / "braintrust-full" / "spec-2026-07-01.yaml"
pytestmark = pytest.mark.skipif(not SPEC.is_file(), reason=f"{SPEC} is not here")


@pytest.fixture(scope="module")
def mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Mock]:
    cache: Path = tmp_path_factory.mktemp("sdk-mock-cache")
    with mock_server([SPEC], "--stateful", "--api-key", "sdk-key", cache=cache) as server:
        yield server


@pytest.fixture
def sdk(mock: Mock) -> Any:
    return braintrust_api.Braintrust(api_key="sdk-key", base_url=mock.url, max_retries=0)


def test_create_read_list_delete_projects(sdk: Any) -> None:
    created = [sdk.projects.create(name=f"sdk-{n}") for n in range(3)]
    assert [p.name for p in created] == ["sdk-0", "sdk-1", "sdk-2"]
    assert len({p.id for p in created}) == 3

    read = sdk.projects.retrieve(created[1].id)
    assert (read.id, read.name) == (created[1].id, "sdk-1")

    # The SDK pages with starting_after until a page is empty.
    listed = [p.name for p in sdk.projects.list() if p.name.startswith("sdk-")]
    assert listed == ["sdk-0", "sdk-1", "sdk-2"]
    first_page = sdk.projects.list(limit=2)
    assert [p.name for p in first_page.objects] == ["sdk-0", "sdk-1"]

    sdk.projects.delete(created[0].id)
    assert [p.name for p in sdk.projects.list()] == ["sdk-1", "sdk-2"]
    with pytest.raises(braintrust_api.NotFoundError):
        sdk.projects.retrieve(created[0].id)


def test_feedback(sdk: Any) -> None:
    project = sdk.projects.create(name="feedback-target")
    answer = sdk.projects.logs.feedback(
        project.id,
        feedback=[{"id": "row-1", "scores": {"accuracy": 0.9}, "comment": "good"}],
    )
    assert answer.status == "success"
    experiment = sdk.experiments.create(project_id=project.id)
    answer = sdk.experiments.feedback(
        experiment.id, feedback=[{"id": "row-1", "scores": {"accuracy": 0.5}}]
    )
    assert answer.status == "success"


def test_credentials_are_checked(mock: Mock) -> None:
    wrong = braintrust_api.Braintrust(api_key="other", base_url=mock.url, max_retries=0)
    with pytest.raises(braintrust_api.AuthenticationError):
        wrong.projects.list()
