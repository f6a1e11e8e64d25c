"""`GET /openapi.json` of the generated apps serves the source contract, not FastAPI's own
reconstruction of the routes."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from braintrust import handlers as bh
from braintrust import server as bs
from martian import handlers as mh
from martian import server as ms

REPO = Path(__file__).resolve().parents[2]
SPECS = {
    "braintrust": [
        REPO / "specs" / "braintrust" / "experiment_feedback.yaml",
        REPO / "specs" / "braintrust" / "project_logs_feedback.yaml",
    ],
    "martian": [REPO / "specs" / "martian" / "feedback.yaml"],
}
OPERATIONS = {
    "braintrust": {"postExperimentIdFeedback", "postProjectLogsIdFeedback"},
    "martian": {"postFeedback"},
}
APPS = {
    "braintrust": lambda: bs.create_app(bh.Handlers()),
    "martian": lambda: ms.create_app(mh.Handlers()),
}


def load(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return document


def get(app: Any, path: str) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            return await http.get(path)

    return asyncio.run(go())


@pytest.mark.parametrize("api", list(SPECS))
def test_openapi_json_serves_the_source_paths(api: str) -> None:
    """The served contract is the merged source, with version mixes read as meant."""
    response = get(APPS[api](), "/openapi.json")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    served = response.json()
    sources = [load(path) for path in SPECS[api]]
    expected_paths: dict[str, Any] = {}
    for source in sources:
        expected_paths.update(source["paths"])
    assert list(served["paths"]) == list(expected_paths)
    assert served["openapi"] == sources[0]["openapi"]
    assert served["info"]["title"] == sources[0]["info"]["title"]
    assert served["info"]["version"] == sources[0]["info"]["version"]
    assert served["security"] == sources[0]["security"]
    for source in sources:
        assert set(source["components"]["schemas"]) <= set(served["components"]["schemas"])
    # A 3.1 document has no `nullable`: the 3.0 keyword is served as a JSON Schema null type.
    assert "nullable" not in json.dumps(served)


def test_braintrust_nullable_is_served_as_null_type() -> None:
    served = get(APPS["braintrust"](), "/openapi.json").json()
    item = served["components"]["schemas"]["FeedbackExperimentItem"]["properties"]
    assert item["comment"]["type"] == ["string", "null"]
    assert item["source"]["enum"] == ["app", "api", "external", None]
    assert item["scores"]["additionalProperties"]["type"] == ["number", "null"]


def test_martian_openapi_json_is_the_spec_document() -> None:
    served = get(APPS["martian"](), "/openapi.json").json()

    assert served == load(SPECS["martian"][0])


@pytest.mark.parametrize("api", list(SPECS))
def test_openapi_json_is_the_bundled_file(api: str) -> None:
    served = get(APPS[api](), "/openapi.json").json()

    bundled = json.loads((REPO / "generated" / api / "openapi.json").read_text("utf-8"))
    assert served == bundled


@pytest.mark.parametrize("api", list(SPECS))
def test_docs_page_is_served_and_can_be_turned_off(api: str) -> None:
    assert get(APPS[api](), "/docs").status_code == 200
    app = bs.create_app(bh.Handlers(), docs=False) if api == "braintrust" else None
    app = app or ms.create_app(mh.Handlers(), docs=False)
    assert get(app, "/docs").status_code == 404
