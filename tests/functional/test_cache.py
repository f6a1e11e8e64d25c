"""The no-op cache through the real CLI: a second `generate`/`check` with nothing changed
answers without importing the pipeline, prints what a full run prints, and anything that
decides the output (a spec, a `$ref`'d file, a Markdown page, the config, a user template, a
tool version, an edited generated file) makes the next run a full one again."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cache import key, lookup, versions
from generator.cli import main
from generator.commands.cached import cache_key
from generator.commands.common import DEFAULT_MAX_BYTES, options_key
from generator.config import load_config
from tests.functional.conftest import REPO

HEAVY = ("generator.pipeline", "datamodel_code_generator", "openapi_spec_validator", "jinja2")
# Runs the CLI in this process, then says on stderr's last line which heavy modules it loaded.
PROBE = """\
import json, sys
from generator.cli import main
try:
    main(sys.argv[2:], prog_name="specgen")
    code = 0
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
heavy = json.loads(sys.argv[1])
loaded = sorted(m for m in sys.modules if m.split(".")[0] in heavy or m in heavy)
print("PROBE " + json.dumps(loaded), file=sys.stderr)
sys.exit(code)
"""

SPEC = """\
openapi: 3.0.3
info: {title: Pets, version: "1.0"}
paths:
  /pets/{id}:
    get:
      operationId: getPet
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: a pet
          content:
            application/json:
              schema: {$ref: "schemas.yaml#/Pet"}
"""
SCHEMAS = """\
Pet:
  type: object
  required: [name, name]  # a warning (SG314): a hit replays it
  properties:
    name: {type: string}
"""
CONFIG = """\
[tool.specgen]
output = "generated"
templates = ["templates"]

[[tool.specgen.api]]
name = "pets"
specs = ["spec.yaml"]
"""
TEMPLATE = "package/__init__.py.jinja"


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str  # without the probe's line
    loaded: tuple[str, ...]  # heavy modules the run imported

    @property
    def hit(self) -> bool:
        return "generator.pipeline" not in self.loaded


def specgen(project: Path, *args: str) -> Run:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(HEAVY), *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    lines = result.stderr.splitlines()
    assert lines and lines[-1].startswith("PROBE "), result.stderr
    stderr = "".join(f"{line}\n" for line in lines[:-1])
    return Run(result.returncode, result.stdout, stderr, tuple(json.loads(lines[-1][6:])))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "templates" / "package").mkdir(parents=True)
    (root / "pyproject.toml").write_text(CONFIG)
    (root / "spec.yaml").write_text(SPEC)
    (root / "schemas.yaml").write_text(SCHEMAS)
    shutil.copy(REPO / "templates" / TEMPLATE, root / "templates" / TEMPLATE)
    return root


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def entries(project: Path) -> list[Path]:
    return sorted((project / ".specgen-cache").glob("*.json"))


def generated_cold(project: Path, tmp: Path) -> dict[str, bytes]:
    """The output of a cold run over a copy of `project` (no output, no cache)."""
    copy = tmp / "cold"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("generated", ".specgen-cache"))
    assert specgen(copy, "generate", "--no-cache").code == 0
    return tree(copy / "generated")


def test_unchanged_input_is_a_hit_that_prints_what_a_full_run_prints(project: Path) -> None:
    first = specgen(project, "generate")
    assert first.code == 0 and not first.hit, first.stderr
    assert len(entries(project)) == 1
    assert (project / ".specgen-cache" / ".gitignore").read_text().endswith("*\n")

    hit = specgen(project, "generate")
    full = specgen(project, "generate", "--no-cache")
    assert hit.hit and not full.hit
    assert (hit.code, hit.stdout, hit.stderr) == (full.code, full.stdout, full.stderr)
    assert "nothing to write" in hit.stdout and "SG314" in hit.stderr
    assert hit.loaded == ()  # not even jinja2 or datamodel-code-generator

    as_json = specgen(project, "generate", "--json")
    assert (
        as_json.hit
        and as_json.stdout == specgen(project, "generate", "--json", "--no-cache").stdout
    )

    check_hit = specgen(project, "check")
    check_full = specgen(project, "check", "--no-cache")
    assert check_hit.hit and not check_full.hit
    assert (
        (check_hit.code, check_hit.stdout)
        == (check_full.code, check_full.stdout)
        == (
            0,
            f"{project / 'generated' / 'pets'}: up to date\n",
        )
    )


def _edit_spec(project: Path) -> None:
    (project / "spec.yaml").write_text(SPEC.replace("a pet", "the pet"))


def _edit_referenced_file(project: Path) -> None:
    (project / "schemas.yaml").write_text(SCHEMAS + "    age: {type: integer}\n")


def _edit_config(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        CONFIG.replace('name = "pets"', 'name = "pets"\nlayout = "tags"')
    )


def _edit_template(project: Path) -> None:
    path = project / "templates" / TEMPLATE
    path.write_text(path.read_text() + "\nCUSTOM = 1\n")


@pytest.mark.parametrize(
    "edit",
    [_edit_spec, _edit_referenced_file, _edit_config, _edit_template],
    ids=lambda f: f.__name__[1:],
)
def test_each_input_invalidates_and_a_hit_after_it_matches_a_cold_run(
    project: Path, tmp_path: Path, edit: object
) -> None:
    assert specgen(project, "generate").code == 0
    assert specgen(project, "generate").hit
    before = tree(project / "generated")
    assert callable(edit)
    edit(project)

    stale = specgen(project, "check")
    assert not stale.hit and stale.code == 1, stale.stdout
    regenerated = specgen(project, "generate")
    assert not regenerated.hit and regenerated.code == 0, regenerated.stderr
    assert tree(project / "generated") != before
    assert specgen(project, "generate").hit
    assert tree(project / "generated") == generated_cold(project, tmp_path)


def test_an_edited_generated_file_is_no_hit(project: Path) -> None:
    assert specgen(project, "generate").code == 0
    models = project / "generated" / "pets" / "models.py"
    written = models.read_bytes()
    models.write_bytes(written + b"# by hand\n")

    check = specgen(project, "check")
    assert not check.hit and check.code == 1
    assert "edited since specgen wrote it" in check.stdout
    generate = specgen(project, "generate")
    assert not generate.hit and generate.code == 0
    assert models.read_bytes() == written
    assert specgen(project, "generate").hit

    models.unlink()
    assert not specgen(project, "check").hit


@pytest.mark.parametrize(
    "content", [b'{"specgen_cache": 1, "inp', b"\xff\x00", b'{"specgen_cache": 99}']
)
def test_a_corrupt_or_foreign_entry_is_ignored_with_one_warning(
    project: Path, content: bytes
) -> None:
    assert specgen(project, "generate").code == 0
    (entry,) = entries(project)
    entry.write_bytes(content)

    generate = specgen(project, "generate")
    assert not generate.hit and generate.code == 0
    warnings = [line for line in generate.stderr.splitlines() if "cache" in line]
    assert len(warnings) == 1 and warnings[0].startswith("warning: ignoring the cache entry")
    assert specgen(project, "generate").hit  # the run wrote a good entry again


def test_no_cache_bypasses_it(project: Path) -> None:
    assert specgen(project, "generate").code == 0
    assert not specgen(project, "generate", "--no-cache").hit
    assert not specgen(project, "check", "--no-cache").hit


def test_a_failed_run_leaves_no_entry(project: Path) -> None:
    assert specgen(project, "generate").code == 0
    good = (project / "schemas.yaml").read_text()
    (project / "schemas.yaml").write_text("Pet: [unclosed\n")
    failed = specgen(project, "generate")
    assert failed.code == 2 and not failed.hit
    assert entries(project) == []
    (project / "schemas.yaml").write_text(good)
    assert not specgen(project, "generate").hit
    assert specgen(project, "generate").hit


def test_another_tool_version_is_no_hit(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In process: the key the CLI computes changes with any reported version."""
    assert specgen(project, "generate").code == 0
    monkeypatch.chdir(project)
    configs = load_config(project / "pyproject.toml").apis
    settings = options_key(DEFAULT_MAX_BYTES, (), False)
    assert lookup(cache_key(configs, settings), print) is not None

    real = versions()
    monkeypatch.setattr(key, "versions", lambda: {**real, "ruff": "0.0.1"})
    assert lookup(cache_key(configs, settings), print) is None
    result = CliRunner().invoke(main, ["generate"])
    assert result.exit_code == 0 and "nothing to write" in result.output
    assert len(entries(project)) == 2  # the full run recorded the new key
    assert lookup(cache_key(configs, settings), print) is not None


def test_a_markdown_source_is_part_of_the_key(project: Path) -> None:
    page = project / "page.md"
    page.write_text(f"# Pets\n\n```yaml\n{SPEC}```\n")
    (project / "pyproject.toml").write_text(CONFIG.replace("spec.yaml", "page.md"))
    assert specgen(project, "generate").code == 0
    assert specgen(project, "generate").hit
    page.write_text(page.read_text().replace("a pet", "the pet"))
    assert not specgen(project, "check").hit


def test_each_api_has_its_own_entry(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With several APIs, the ones nothing touched are not rendered again: one API's spec
    change renders that API alone, and the report still covers both, in config order."""
    (project / "other.yaml").write_text(SPEC.replace("Pets", "Others"))
    config = CONFIG + '\n[[tool.specgen.api]]\nname = "others"\nspecs = ["other.yaml"]\n'
    (project / "pyproject.toml").write_text(config)
    first = specgen(project, "generate")
    assert first.code == 0 and not first.hit, first.stderr
    assert len(entries(project)) == 2

    (project / "other.yaml").write_text(SPEC.replace("Pets", "Others, renamed"))
    monkeypatch.chdir(project)
    rendered: list[str] = []
    from generator import pipeline

    real = pipeline.render_api
    monkeypatch.setattr(
        pipeline, "render_api", lambda c, *a, **k: rendered.append(c.name) or real(c, *a, **k)
    )
    result = CliRunner().invoke(main, ["generate"])
    assert result.exit_code == 0, result.output
    assert rendered == ["others"]
    lines = result.output.splitlines()
    pets = next(i for i, line in enumerate(lines) if line.startswith("pets:"))
    others = next(i for i, line in enumerate(lines) if line.startswith("others:"))
    assert pets < others
    assert "0 written" in lines[pets] and "0 written" not in lines[others]

    checked = CliRunner().invoke(main, ["check"])
    assert checked.exit_code == 0, checked.output
    assert rendered == ["others"]  # check rendered nothing: both entries are hits
    assert specgen(project, "generate").hit
    assert generated_cold(project, project.parent) == tree(project / "generated")


def _imports_model_generator(project: Path) -> bool:
    """Whether a `generate` run, or a process it forked, imported datamodel-code-generator
    (`-X importtime` writes each import on the stderr the children share)."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "generator", "generate", "-q"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return "datamodel_code_generator" in result.stderr


def test_only_runs_that_may_change_models_warm_their_generator_up(project: Path) -> None:
    """The spare process imports datamodel-code-generator ahead of the models only when
    the schemas are not those of a run whose models the memo keeps."""
    assert _imports_model_generator(project)  # cold
    spec = project / "spec.yaml"
    spec.write_text(SPEC.replace("description: a pet", "description: one pet"))
    assert not _imports_model_generator(project)  # the schemas as before: models.py kept
    (project / "schemas.yaml").write_text(SCHEMAS + "    age: {type: integer}\n")
    assert _imports_model_generator(project)
