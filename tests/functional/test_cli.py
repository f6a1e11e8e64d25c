"""The `specgen` command line, end to end: real subprocesses, real files in tmp_path.

Exit codes for every command: 0 ok, 1 `check` found differences, 2 invalid input or usage.

Invalid-input diagnostics are snapshot-tested: the stderr of each broken spec is stored in
tests/functional/snapshots/<case>.txt (temporary paths replaced by `<tmp>`) and compared
exactly. After an intended change to a message, rewrite the snapshots with

    SPECGEN_UPDATE_SNAPSHOTS=1 python -m pytest tests/functional/test_cli.py

and review the diff of the snapshot files.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO.parent / "shared" / "seeds"
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
UPDATE_SNAPSHOTS = os.environ.get("SPECGEN_UPDATE_SNAPSHOTS") == "1"
BRAINTRUST = (
    "specs/braintrust/experiment_feedback.yaml",
    "specs/braintrust/project_logs_feedback.yaml",
)
MARTIAN = ("specs/martian/feedback.yaml",)
# Location first: `file:line:col pointer: severity CODE: message`.
LOCATED = re.compile(r"^(?P<file>[^\s:]+):(?P<line>\d+):(?P<col>\d+) (?P<pointer>/\S*): error ")
MAX_LINES = 25
MANIFEST = ".specgen-manifest.json"
# Every package has at least these; the full list is what the manifest says specgen wrote.
CORE_FILES = {"__init__.py", "client.py", "handlers.py", "models.py", "py.typed", "server.py"}

Specgen = Callable[..., subprocess.CompletedProcess[str]]

VALID = """\
openapi: 3.1.0
info:
  title: Pets
  version: 1.0.0
paths:
  /pets/{pet_id}:
    get:
      operationId: getPet
      parameters:
        - name: pet_id
          in: path
          required: true
          schema:
            type: integer
      responses:
        "200":
          description: The pet.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Pet"
components:
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties:
        id:
          type: integer
        name:
          type: string
"""

RESPONSES = """\
      responses:
        "200":
          description: The pet.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Pet"
"""


def edited(old: str, new: str, text: str = VALID, count: int = 1) -> str:
    """`text` with `old` replaced by `new`; the edit must apply exactly `count` times."""
    assert text.count(old) == count, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


# ---------------------------------------------------------------------------------------------
# validate


@pytest.fixture(scope="module")
def braintrust_validated(specgen: Specgen) -> subprocess.CompletedProcess[str]:
    return specgen("validate", *BRAINTRUST)


def test_validate_martian_ok(specgen: Specgen) -> None:
    result = specgen("validate", *MARTIAN)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"ok: {MARTIAN[0]} (0 warning(s))\n"
    assert result.stderr == ""


def test_validate_braintrust_shows_sg301_warnings(
    braintrust_validated: subprocess.CompletedProcess[str],
) -> None:
    """The seed pages keep the 3.0 keyword `nullable` under `openapi: 3.1.1`: SG301 warnings,
    one screen at most (3 per code), with the count of the hidden ones; exit 0."""
    result = braintrust_validated
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"ok: {', '.join(BRAINTRUST)} (")
    assert "Traceback" not in result.stderr
    assert " error " not in result.stderr
    lines = result.stderr.splitlines()
    warnings = [line for line in lines if " warning SG301: " in line]
    assert len(warnings) == 3, result.stderr
    for line in warnings:
        assert line.startswith("specs/braintrust/"), line
        assert re.match(r"^\S+:\d+:\d+ /paths/\S+/nullable: warning SG301: ", line), line
    assert sum(line.startswith("  hint: ") for line in lines) == 3
    summary = re.search(r"^\.\.\. and (\d+) more \((\d+) x SG301\)", result.stderr, re.M)
    assert summary, result.stderr
    total = 3 + int(summary.group(1))
    assert f"({total} warning(s))" in result.stdout


def test_validate_json_format(
    specgen: Specgen, braintrust_validated: subprocess.CompletedProcess[str]
) -> None:
    result = specgen("validate", "--format", "json", *BRAINTRUST)
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)
    assert isinstance(items, list) and items
    keys = {"severity", "code", "message", "hint", "file", "line", "column", "pointer"}
    for item in items:
        assert keys <= set(item), item
        assert item["severity"] == "warning"
        assert item["file"] in BRAINTRUST
        assert isinstance(item["line"], int) and item["line"] > 0
        assert isinstance(item["column"], int) and item["column"] > 0
        assert item["pointer"].startswith("/")
    assert {item["code"] for item in items} == {"SG301"}
    # JSON lists every diagnostic; text mode counts the same ones.
    assert f"({len(items)} warning(s))" in braintrust_validated.stdout


def test_validate_json_format_on_invalid_input(specgen: Specgen, tmp_path: Path) -> None:
    (tmp_path / "api.yaml").write_text(
        edited("        name:\n", "        id:\n          type: string\n        name:\n"), "utf-8"
    )
    result = specgen("validate", "--format", "json", "api.yaml", cwd=tmp_path)
    assert result.returncode == 2
    (item,) = json.loads(result.stdout)
    assert item["severity"] == "error"
    assert item["code"] == "SG102"
    assert (item["file"], item["line"], item["column"]) == ("api.yaml", 30, 9)
    assert item["pointer"] == "/components/schemas/Pet/properties/id"
    assert item["hint"]


# ---------------------------------------------------------------------------------------------
# invalid input: snapshots of stderr


@dataclass(frozen=True)
class Case:
    code: str
    text: str | None  # None: the file does not exist


CASES = {
    "yaml_syntax": Case(
        "SG101",
        edited("operationId: getPet", "operationId: [getPet"),
    ),
    "duplicate_key": Case(
        "SG102", edited("        name:\n", "        id:\n          type: string\n        name:\n")
    ),
    # `responses` is required in 3.0 (3.1 made it optional).
    "missing_responses": Case(
        "SG310", edited(RESPONSES, "", edited("openapi: 3.1.0", "openapi: 3.0.3"))
    ),
    "invalid_structure": Case("SG310", edited("  version: 1.0.0\n", "")),
    "undeclared_path_parameter": Case(
        "SG403", edited("/pets/{pet_id}:", "/pets/{pet_id}/toys/{toy_id}:")
    ),
    "duplicate_operation_id": Case(
        "SG402",
        edited(
            "components:\n",
            "  /pets:\n    get:\n      operationId: getPet\n"
            '      responses:\n        "204":\n          description: Nothing.\n'
            "components:\n",
        ),
    ),
    "unresolvable_ref": Case("SG201", edited('schemas/Pet"', 'schemas/Pets"')),
    "missing_file": Case("SG100", None),
}


def _normalise(text: str, tmp_path: Path) -> str:
    for root in {str(tmp_path.resolve()), str(tmp_path)}:
        text = text.replace(root, "<tmp>")
    return text


CaseRun = Callable[..., tuple[int, str, str]]


@pytest.fixture(scope="module")
def run_case(specgen: Specgen, tmp_path_factory: pytest.TempPathFactory) -> CaseRun:
    """Run a command on a case's spec (`api.yaml` in a folder of its own) once per module:
    (exit code, stdout, stderr with the folder shown as `<tmp>`)."""
    folders: dict[str, Path] = {}
    results: dict[tuple[str, ...], tuple[int, str, str]] = {}

    def run(name: str, *command: str) -> tuple[int, str, str]:
        if name not in folders:
            folders[name] = tmp_path_factory.mktemp(name)
            text = CASES[name].text
            if text is not None:
                (folders[name] / "api.yaml").write_text(text, "utf-8")
        key = (name, *command)
        if key not in results:
            result = specgen(*command, "api.yaml", cwd=folders[name])
            results[key] = (
                result.returncode,
                _normalise(result.stdout, folders[name]),
                _normalise(result.stderr, folders[name]),
            )
        return results[key]

    return run


def _compare_snapshot(name: str, actual: str) -> None:
    path = SNAPSHOTS / f"{name}.txt"
    if UPDATE_SNAPSHOTS:
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, "utf-8")
        return
    assert path.is_file(), f"no snapshot {path}; run with SPECGEN_UPDATE_SNAPSHOTS=1 to write it"
    expected = path.read_text("utf-8")
    assert actual == expected, (
        f"stderr differs from {path.relative_to(REPO)} "
        f"(SPECGEN_UPDATE_SNAPSHOTS=1 rewrites it):\n--- expected\n{expected}\n--- actual\n{actual}"
    )


@pytest.mark.parametrize("name", sorted(CASES))
def test_invalid_input_snapshot(run_case: CaseRun, name: str) -> None:
    code, stdout, stderr = run_case(name, "validate")
    assert code == 2, stderr
    assert stdout == ""
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert 1 <= len(lines) <= MAX_LINES, stderr
    first = lines[0]
    assert f"error {CASES[name].code}: " in first, first
    if CASES[name].text is None:
        assert first.startswith("api.yaml: error "), first
    else:
        located = LOCATED.match(first)
        assert located, f"location does not come first: {first}"
        assert located.group("file") == "api.yaml"
        assert int(located.group("line")) > 0 and int(located.group("col")) > 0
    _compare_snapshot(name, stderr)


@pytest.mark.parametrize(
    "name",
    [name for name in sorted(CASES)],
)
def test_invalid_input_has_hint(run_case: CaseRun, name: str) -> None:
    """Each error tells the user what to do next, on an indented `hint:` line below it."""
    _, _, stderr = run_case(name, "validate")
    lines = stderr.splitlines()
    assert len(lines) >= 2 and lines[1].startswith("  hint: ") and lines[1][8:].strip(), stderr


def test_structural_hint_links_the_enclosing_object(run_case: CaseRun) -> None:
    _, _, stderr = run_case("missing_responses", "validate")
    assert "https://spec.openapis.org/oas/v3.0.3#operation-object" in stderr


def test_structural_hint_links_the_info_object(run_case: CaseRun) -> None:
    _, _, stderr = run_case("invalid_structure", "validate")
    assert "https://spec.openapis.org/oas/v3.1.0#info-object" in stderr


@pytest.mark.parametrize("name", sorted(CASES))
def test_generate_reports_invalid_input_like_validate(
    specgen: Specgen, run_case: CaseRun, tmp_path: Path, name: str
) -> None:
    """`generate` prints the same diagnostics as `validate`, exits 2 and creates nothing."""
    _, _, validate_stderr = run_case(name, "validate")
    text = CASES[name].text
    if text is not None:
        (tmp_path / "api.yaml").write_text(text, "utf-8")
    result = specgen("generate", "api.yaml", "--name", "pets", "--out", "out", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert _normalise(result.stderr, tmp_path) == validate_stderr
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------------------------------------
# generate and check


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _stat_tree(root: Path) -> dict[str, tuple[bytes, int, int]]:
    """Bytes, mtime and inode of every file: "untouched" means all three are unchanged."""
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_ino)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _owned(package: Path) -> set[str]:
    """The files the package's manifest says specgen wrote."""
    return set(json.loads((package / MANIFEST).read_text("utf-8"))["files"])


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "api.yaml").write_text(VALID, "utf-8")
    return tmp_path


ADHOC = ("api.yaml", "--name", "pets", "--out", "out")


def test_generate_writes_package(specgen: Specgen, project: Path) -> None:
    result = specgen("generate", *ADHOC, cwd=project)
    assert result.returncode == 0, result.stderr
    owned = _owned(project / "out" / "pets")
    assert CORE_FILES <= owned
    assert result.stdout.splitlines()[0] == (
        f"pets: 1 operations, 1 models -> out/pets ({len(owned)} written, 0 unchanged, 0 deleted)"
    )
    assert set(_files(project / "out" / "pets")) == owned | {MANIFEST}
    assert os.listdir(project / "out") == ["pets"], "staging leftovers next to the package"
    header = (project / "out" / "pets" / "models.py").read_text("utf-8").splitlines()[:2]
    assert header[0].startswith("# Generated by specgen ")
    assert header[1] == "#   api.yaml"  # relative to the project root; no hash


def test_generate_check_cycle(specgen: Specgen, project: Path) -> None:
    package = project / "out" / "pets"

    def check(expected: int) -> subprocess.CompletedProcess[str]:
        result = specgen("check", *ADHOC, cwd=project)
        assert result.returncode == expected, result.stdout + result.stderr
        assert "Traceback" not in result.stderr
        return result

    def generate() -> subprocess.CompletedProcess[str]:
        result = specgen("generate", *ADHOC, cwd=project)
        assert result.returncode == 0, result.stderr
        return result

    generate()
    assert "up to date" in check(0).stdout

    again = generate()
    assert "nothing to write: generated code is up to date" in again.stdout
    total = len(_owned(package))
    assert f"(0 written, {total} unchanged, 0 deleted)" in again.stdout

    # A hand edit: check shows a unified diff naming the file, and does not undo the edit.
    models = package / "models.py"
    models.write_text(models.read_text("utf-8") + "# edited by hand\n", "utf-8")
    stale = check(1)
    assert "changed: models.py (edited since specgen wrote it)" in stale.stdout
    assert "--- a/models.py\n+++ b/models.py\n@@ " in stale.stdout
    assert "\n-# edited by hand" in stale.stdout
    assert "stale" in stale.stderr
    assert models.read_text("utf-8").endswith("# edited by hand\n")
    assert f"(1 written, {total - 1} unchanged, 0 deleted)" in generate().stdout
    check(0)

    # A removed file.
    (package / "client.py").unlink()
    stale = check(1)
    assert "added: client.py" in stale.stdout
    assert "+++ b/client.py" in stale.stdout
    assert not (package / "client.py").exists()
    generate()
    check(0)

    # A changed spec: a new property.
    spec = project / "api.yaml"
    spec.write_text(
        edited("        name:\n", "        nickname:\n          type: string\n        name:\n"),
        "utf-8",
    )
    stale = check(1)
    assert "+++ b/models.py" in stale.stdout
    assert re.search(r"^\+\s+nickname: ", stale.stdout, re.M), stale.stdout
    assert "nothing to write" not in generate().stdout
    check(0)
    assert "nothing to write" in generate().stdout


def test_check_without_output_folder(specgen: Specgen, project: Path) -> None:
    result = specgen("check", *ADHOC, "--max-diff-lines", "1000000", cwd=project)
    assert result.returncode == 1
    summary = result.stdout.splitlines()[0]
    assert re.search(
        r": 0 changed, \d+ added, 0 stale, \.specgen-manifest\.json out of date$", summary
    )
    for name in CORE_FILES:
        assert f"added: {name}\n" in result.stdout
    assert "diff truncated" not in result.stdout
    assert not (project / "out").exists(), "check must never write"

    # The default keeps the output to 200 lines and says so.
    short = specgen("check", *ADHOC, cwd=project)
    assert short.returncode == 1
    lines = short.stdout.splitlines()
    assert len(lines) == 201 and lines[-1].startswith("... diff truncated: ")


def test_user_files_are_never_deleted(specgen: Specgen, project: Path) -> None:
    package = project / "out" / "pets"
    assert specgen("generate", *ADHOC, cwd=project).returncode == 0
    (package / "notes.txt").write_text("mine\n", "utf-8")
    (package / "extra").mkdir()
    (package / "extra" / "data.json").write_text("{}\n", "utf-8")
    notes_inode = (package / "notes.txt").stat().st_ino

    # A real rewrite: the spec changes, so the package folder is rebuilt and swapped.
    (project / "api.yaml").write_text(edited("title: Pets", "title: Pet Store"), "utf-8")
    result = specgen("generate", *ADHOC, cwd=project)
    assert result.returncode == 0, result.stderr
    assert "nothing to write" not in result.stdout
    assert (package / "notes.txt").read_text("utf-8") == "mine\n"
    assert (package / "notes.txt").stat().st_ino == notes_inode
    assert (package / "extra" / "data.json").read_text("utf-8") == "{}\n"
    # Foreign files are not specgen's business: check stays clean.
    assert specgen("check", *ADHOC, cwd=project).returncode == 0

    # Nor does an API that now produces fewer files take the user's files with it.
    assert specgen("generate", *ADHOC, "--quiet", cwd=project).returncode == 0
    assert (package / "notes.txt").is_file()


@pytest.mark.parametrize("foreign", ["mine.py", "models.py"])
def test_foreign_folder_without_manifest_needs_force(
    specgen: Specgen, project: Path, foreign: str
) -> None:
    """A non-empty folder specgen did not create: refused (SG601, exit 2) without --force.
    With --force, files at paths specgen produces are overwritten; others are kept."""
    package = project / "out" / "pets"
    package.mkdir(parents=True)
    (package / foreign).write_text("# the user's\n", "utf-8")

    refused = specgen("generate", *ADHOC, cwd=project)
    assert refused.returncode == 2
    assert "Traceback" not in refused.stderr
    first, hint = refused.stderr.splitlines()[:2]
    assert "error SG601: " in first and foreign in first, refused.stderr
    assert hint.startswith("  hint: ") and "--force" in hint
    assert _files(package) == {foreign: b"# the user's\n"}, "a refused run wrote something"

    forced = specgen("generate", *ADHOC, "--force", cwd=project)
    assert forced.returncode == 0, forced.stderr
    files = _files(package)
    owned = _owned(package)
    assert set(files) == owned | {MANIFEST, foreign}
    if foreign in owned:
        assert files[foreign] != b"# the user's\n"
    else:
        assert files[foreign] == b"# the user's\n"
    assert specgen("check", *ADHOC, cwd=project).returncode == 0


def test_failed_run_leaves_output_untouched(specgen: Specgen, project: Path) -> None:
    """A run that fails (at loading, reference resolution or validation) changes nothing in
    the output: same bytes, same mtimes, same inodes, no staging folders left behind."""
    assert specgen("generate", *ADHOC, cwd=project).returncode == 0
    (project / "out" / "pets" / "notes.txt").write_text("mine\n", "utf-8")
    before = _stat_tree(project / "out")

    for broken in ("yaml_syntax", "unresolvable_ref", "missing_responses"):
        text = CASES[broken].text
        assert text is not None
        (project / "api.yaml").write_text(text, "utf-8")
        result = specgen("generate", *ADHOC, cwd=project)
        assert result.returncode == 2, broken
        assert f"error {CASES[broken].code}: " in result.stderr
        assert _stat_tree(project / "out") == before, broken
        assert os.listdir(project / "out") == ["pets"], broken


# ---------------------------------------------------------------------------------------------
# import

needs_seeds = pytest.mark.skipif(
    not SEEDS.is_dir(), reason=f"shared seed pages not found at {SEEDS}"
)


@needs_seeds
@pytest.mark.parametrize(
    ("page", "spec"),
    [
        ("braintrust_experiment_feedback.md", "specs/braintrust/experiment_feedback.yaml"),
        ("braintrust_project_logs_feedback.md", "specs/braintrust/project_logs_feedback.yaml"),
    ],
)
def test_import_reproduces_committed_spec(
    specgen: Specgen, tmp_path: Path, page: str, spec: str
) -> None:
    out = tmp_path / "imported.yaml"
    result = specgen("import", SEEDS / page, "-o", out, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"wrote {out}"
    assert out.read_bytes() == (REPO / spec).read_bytes()


@needs_seeds
def test_import_page_without_openapi_block(specgen: Specgen, tmp_path: Path) -> None:
    """The Martian page is prose only: SG105, exit 2, no file written."""
    out = tmp_path / "martian.yaml"
    result = specgen("import", SEEDS / "martian_feedback.md", "-o", out, cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    first, hint = result.stderr.splitlines()[:2]
    assert re.match(r"^\S+martian_feedback\.md:\d+:\d+: error SG105: ", first), first
    assert hint.startswith("  hint: ")
    assert not out.exists()


def test_import_missing_page_is_invalid_input(specgen: Specgen, tmp_path: Path) -> None:
    result = specgen("import", "missing.md", "-o", "out.yaml", cwd=tmp_path)
    assert "Traceback" not in result.stderr
    assert "missing.md" in result.stderr
    assert not (tmp_path / "out.yaml").exists()
    assert result.returncode == 2


# ---------------------------------------------------------------------------------------------
# usage


@pytest.mark.parametrize(
    "args",
    [
        ["generate", "--no-such-option"],
        ["validate", "--no-such-option", "api.yaml"],
        ["generate", "api.yaml"],  # SPECS without --name
        ["check", "api.yaml", "--out", "out"],  # SPECS without --name
        ["validate"],  # no SPECS
        ["validate", "--format", "xml", "api.yaml"],
        ["no-such-command"],
        ["generate"],  # no SPECS and no config above tmp_path
    ],
    ids=lambda args: " ".join(args),
)
def test_usage_errors_exit_2(specgen: Specgen, project: Path, args: list[str]) -> None:
    result = specgen(*args, cwd=project)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "Error: " in result.stderr
    assert not (project / "out").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["generate", "api.yaml", "--name", "Bad-Name", "--out", "out"],  # SG610
        ["check", "api.yaml", "--name", "../escape", "--out", "out"],  # SG610
        ["generate", "--config", "missing.toml"],  # SG611
        ["check", "--config", "bad.toml"],  # SG612
    ],
    ids=lambda args: " ".join(args),
)
def test_bad_name_or_config_is_a_diagnostic(
    specgen: Specgen, project: Path, args: list[str]
) -> None:
    (project / "bad.toml").write_text("[tool.specgen]\noutput = 3\n", "utf-8")
    result = specgen(*args, cwd=project)
    assert "Traceback" not in result.stderr, result.stderr
    assert re.search(r"error SG61\d: ", result.stderr.splitlines()[0])
    assert result.returncode == 2
    assert not (project / "out").exists()


def test_version(specgen: Specgen, tmp_path: Path) -> None:
    version = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    result = specgen("--version", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"specgen, version {version}"


def test_help(specgen: Specgen, tmp_path: Path) -> None:
    result = specgen("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("validate", "generate", "check", "import"):
        assert re.search(rf"^\s+{command}\s", result.stdout, re.M), result.stdout
