"""`specgen diff` through the real CLI: formats, exit codes, invalid input, `--base REV`."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.diff.helpers import Doc, api, ok, run_cli, write

STRING = {"type": "string"}


def doc(*, required: bool = False, enum: tuple[str, ...] = ("a", "b")) -> Doc:
    param = {"name": "q", "in": "query", "required": required, "schema": STRING}
    kind = {"type": "string", "enum": list(enum)}
    schema = {"type": "object", "properties": {"kind": kind}}
    operation = {"operationId": "list", "parameters": [param], "responses": ok(schema)}
    return api({"/items": {"get": operation}})


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    """OLD -> NEW: a parameter became required (breaking), an enum value was removed from a
    response (info), and one was added (breaking)."""
    return (
        write(tmp_path, "old.json", doc()),
        write(tmp_path, "new.json", doc(required=True, enum=("a", "c"))),
    )


def test_text_output(pair: tuple[Path, Path], tmp_path: Path) -> None:
    result = run_cli("diff", "old.json", "new.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "new.json:12:11 /paths/~1items/get/parameters/0: breaking "
        "request-parameter-became-required: GET /items (list): query parameter `q` became required"
    )
    kind = "/paths/~1items/get/responses/200/content/application~1json/schema/properties/kind"
    assert lines[1] == (
        f"new.json:29:21 {kind}: breaking response-property-enum-value-added: GET /items (list): "
        'response property `kind` (200): enum value(s) added: "c"'
    )
    assert lines[2].startswith(f"new.json:29:21 {kind}: info response-property-enum-value-removed")
    assert lines[-1] == "2 breaking, 0 warning(s), 1 info"


def test_fail_on(pair: tuple[Path, Path], tmp_path: Path) -> None:
    assert run_cli("diff", *pair, "--fail-on", "breaking", cwd=tmp_path).returncode == 1
    assert run_cli("diff", *pair, "--fail-on", "warning", cwd=tmp_path).returncode == 1
    info_only = write(tmp_path, "info.json", doc(enum=("a",)))
    result = run_cli("diff", pair[0], info_only, "--fail-on", "warning", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert "response-property-enum-value-removed" in result.stdout


def test_json_output(pair: tuple[Path, Path], tmp_path: Path) -> None:
    result = run_cli("diff", *pair, "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["summary"] == {"breaking": 2, "warning": 0, "info": 1}
    first = report["changes"][0]
    assert first == {
        "severity": "breaking",
        "id": "request-parameter-became-required",
        "operation": {"method": "GET", "path": "/items", "operationId": "list"},
        "pointer": "/paths/~1items/get/parameters/0",
        "side": "new",
        "location": "new.json:12:11",
        "message": "query parameter `q` became required",
    }
    removed = next(c for c in report["changes"] if c["id"].endswith("enum-value-removed"))
    assert removed["severity"] == "info" and removed["side"] == "new"


def test_markdown_output(pair: tuple[Path, Path], tmp_path: Path) -> None:
    result = run_cli("diff", *pair, "--format", "markdown", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert text.startswith("### API changes: 2 breaking, 0 warning(s), 1 info\n")
    assert "| breaking | `request-parameter-became-required` | `GET /items (list)` |" in text
    assert "<details><summary>1 compatible change(s)</summary>" in text


def test_min_severity(pair: tuple[Path, Path], tmp_path: Path) -> None:
    result = run_cli("diff", *pair, "--min-severity", "breaking", cwd=tmp_path)
    lines = result.stdout.splitlines()
    assert len(lines) == 3 and "enum-value-removed" not in result.stdout
    assert lines[-1] == "2 breaking, 0 warning(s), 1 info (1 not shown)"


def test_no_changes(pair: tuple[Path, Path], tmp_path: Path) -> None:
    result = run_cli("diff", pair[0], pair[0], "--fail-on", "warning", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "no changes\n")


def test_invalid_input_exits_2_with_diagnostics(pair: tuple[Path, Path], tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("openapi: 3.0.3\ninfo: [\n", "utf-8")
    result = run_cli("diff", pair[0], "bad.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert re.match(r"bad\.yaml:\d+:\d+ \S*: error SG101: ", result.stderr), result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    result = run_cli("diff", "only-one.json", cwd=tmp_path)
    assert result.returncode == 2 and "OLD and NEW" in result.stderr


# --- --base REV ----------------------------------------------------------------------------


def git(repo: Path, *args: str) -> None:
    identity = ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", *identity, *args], cwd=repo, check=True, capture_output=True)


def split_spec(kind_values: list[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A root spec whose schema lives in a sibling file (bundled by the loader)."""
    root = api(
        {
            "/items": {
                "get": {"operationId": "list", "responses": ok({"$ref": "schemas/item.json#/Item"})}
            }
        }
    )
    item = {
        "Item": {
            "type": "object",
            "required": ["kind"],
            "properties": {"kind": {"type": "string", "enum": kind_values}},
        }
    }
    return root, item


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    (repo / "specs" / "schemas").mkdir(parents=True)
    root, item = split_spec(["a", "b"])
    write(repo / "specs", "api.json", root)
    write(repo / "specs" / "schemas", "item.json", item)
    (repo / "pyproject.toml").write_text(
        '[tool.specgen]\noutput = "generated"\n\n[[tool.specgen.api]]\nname = "items"\n'
        'specs = ["specs/api.json"]\n',
        "utf-8",
    )
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base")
    # The working tree: the sibling file changed (a response enum value removed and one added).
    write(repo / "specs" / "schemas", "item.json", split_spec(["a", "c"])[1])
    return repo


def test_base_revision_reads_ref_siblings_from_git(repo: Path) -> None:
    result = run_cli("diff", "--base", "HEAD", "specs/api.json", "--format", "json", cwd=repo)
    assert result.returncode == 0, result.stderr
    changes = json.loads(result.stdout)["changes"]
    assert [c["id"] for c in changes] == [
        "response-property-enum-value-added",
        "response-property-enum-value-removed",
    ]
    # Located in the sibling file that changed, where the working tree has it.
    assert {c["location"] for c in changes} == {"specs/schemas/item.json:8:7"}


def test_base_revision_for_every_configured_api(repo: Path) -> None:
    result = run_cli("diff", "--base", "HEAD", "--fail-on", "breaking", cwd=repo)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "breaking response-property-enum-value-added: items: GET /items (list)" in result.stdout


def test_base_revision_removal_is_located_in_the_revision(repo: Path) -> None:
    root, _ = split_spec([])
    del root["paths"]["/items"]
    root["paths"]["/other"] = {"get": {"operationId": "other", "responses": ok()}}
    write(repo / "specs", "api.json", root)
    result = run_cli("diff", "--base", "HEAD", "specs/api.json", cwd=repo)
    removed = next(line for line in result.stdout.splitlines() if "path-removed" in line)
    assert removed.startswith("HEAD:specs/api.json:"), removed


def test_base_revision_errors(repo: Path) -> None:
    unknown = run_cli("diff", "--base", "no-such-branch", "specs/api.json", cwd=repo)
    assert unknown.returncode == 2 and "error SG630: unknown git revision" in unknown.stderr
    write(repo / "specs", "new_api.json", api({}))
    new = run_cli("diff", "--base", "HEAD", "specs/new_api.json", cwd=repo)
    assert new.returncode == 0 and "a new API, nothing to compare" in new.stderr


def test_base_head_before_the_first_commit(tmp_path: Path) -> None:
    """The pre-commit hook on a repository's first commit: nothing to compare yet."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    git(tmp_path, "init", "-q")
    write(tmp_path, "api.json", doc())
    result = run_cli("diff", "--base", "HEAD", "api.json", "--fail-on", "breaking", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "no changes\n"), result.stderr
    assert "nothing to compare" in result.stderr
