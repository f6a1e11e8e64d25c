"""The per-tag layout, end to end: the reference implementations (written once, against the
handler contract) run unchanged on packages generated with `layout = "tags"`, are fuzzed by
schemathesis through `specgen fuzz`, and are called through the grouped httpx clients.

Each test runs in a subprocess whose import path holds a temporary project: its own
pyproject.toml (tags layout), the packages it generated and a link to `reference/`, so that
`braintrust` and `martian` are the tags-layout packages, never the committed ones.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SPECS = {
    "braintrust": sorted((REPO / "specs" / "braintrust").glob("*.yaml")),
    "martian": [REPO / "specs" / "martian" / "feedback.yaml"],
}


def _run(
    project: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH" and "SPECGEN_" not in k}
    return subprocess.run(
        [sys.executable, *args],
        cwd=project,
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tags-project")
    lines = [
        "[tool.specgen]",
        'output = "generated"',
        'styles = ["fastapi", "flask", "httpx"]',
        'layout = "tags"',
    ]
    for name, specs in SPECS.items():
        lines += ["", "[[tool.specgen.api]]", f'name = "{name}"']
        lines.append("specs = [" + ", ".join(f'"{p.as_posix()}"' for p in specs) + "]")
    (root / "pyproject.toml").write_text("\n".join(lines) + "\n", "utf-8")
    (root / "reference").symlink_to(REPO / "reference", target_is_directory=True)
    result = _run(root, "-m", "generator", "generate", "-q")
    assert result.returncode == 0, result.stderr
    assert (root / "generated" / "braintrust" / "routers" / "experiments.py").is_file()
    assert not (root / "generated" / "braintrust" / "handlers.py").exists()
    return root


CLIENT_SCRIPT = """
import asyncio, sys, uuid
sys.path[:0] = [{generated!r}, {root!r}]

import httpx
import braintrust.client as bc
import braintrust.handlers as bh
import braintrust.models as bm
from reference.app import Settings, create_braintrust_app, create_braintrust_flask_app

# The tags-layout packages, not the committed ones.
assert bh.__file__.endswith("handlers/__init__.py"), bh.__file__
assert bc.__file__.endswith("client/__init__.py"), bc.__file__

KEY = "k1"
ROW = {{"feedback": [{{"id": "row-1", "scores": {{"accuracy": 0.5}}, "comment": "ok"}}]}}
container = uuid.UUID(int=7)
settings = Settings(api_keys=(KEY,))

async def fastapi_side() -> None:
    app = create_braintrust_app(settings)
    try:
        transport = httpx.ASGITransport(app)
        async with bc.AsyncClient("http://t", token=KEY, transport=transport) as api:
            body = bm.FeedbackExperimentEventRequest.model_validate(ROW)
            done = await api.experiments.post_experiment_id_feedback(container, body=body)
            assert done.status == bm.FeedbackResponseSchemaStatus.success, done
            logs = bm.FeedbackProjectLogsEventRequest.model_validate(ROW)
            done = await api.logs.post_project_logs_id_feedback(container, body=logs)
            assert done.status == bm.FeedbackResponseSchemaStatus.success, done
        async with bc.AsyncClient("http://t", token="wrong", transport=transport) as api:
            try:
                await api.logs.post_project_logs_id_feedback(container, body=logs)
            except bc.PostProjectLogsIdFeedback401Error as exc:
                assert exc.status_code == 401
            else:
                raise AssertionError("a wrong key was accepted")
    finally:
        app.state.store.close()

def flask_side() -> None:
    app = create_braintrust_flask_app(settings)
    try:
        transport = httpx.WSGITransport(app)
        with bc.Client("http://t", token=KEY, transport=transport) as api:
            body = bm.FeedbackExperimentEventRequest.model_validate(ROW)
            done = api.experiments.post_experiment_id_feedback(container, body=body)
            assert done.status == bm.FeedbackResponseSchemaStatus.success, done
            done = api.logs.post_project_logs_id_feedback(container, body=None)
            assert done.status == bm.FeedbackResponseSchemaStatus.success, done
    finally:
        app.extensions["store"].close()

asyncio.run(fastapi_side())
flask_side()
print("ok")
"""


def test_reference_servers_and_grouped_clients(project: Path) -> None:
    script = CLIENT_SCRIPT.format(generated=str(project / "generated"), root=str(project))
    result = _run(project, "-c", textwrap.dedent(script))
    assert result.returncode == 0 and result.stdout.strip().endswith("ok"), (
        result.stdout[-2000:] + result.stderr[-4000:]
    )


@pytest.mark.parametrize(
    ("api", "factory"),
    [
        ("braintrust", "reference.app:braintrust_app"),
        ("martian", "reference.app:martian_flask_app"),
    ],
)
def test_fuzz_reference_on_tags_layout(project: Path, api: str, factory: str) -> None:
    """schemathesis, every check, against the reference server on the tags-layout package."""
    report = project / f"junit-{api}.xml"
    result = _run(
        project,
        "-m",
        "generator",
        "fuzz",
        "--api",
        api,
        "--app",
        factory,
        "--max-examples",
        "25",
        "--seed",
        "11",
        "--header",
        "Authorization: Bearer k1",
        "--junit",
        str(report),
        env={"SPECGEN_API_KEYS": "k1"},
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert report.is_file()
