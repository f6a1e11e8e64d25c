"""Hostile input beyond the corpus: resource limits, the size limit and its flag, API names
that try to leave the output folder, folders holding foreign files or symlinks, `$ref` roots,
and spec text that is code (it must never run). Real CLI runs in subprocesses, no network.
"""

from __future__ import annotations

import json
import resource
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.config import ApiConfig
from generator.diagnostics import SpecError
from generator.load.spec import SourceFile, Spec
from generator.pipeline import Options, render_api
from generator.validate.schemas import walk_schemas
from generator.validate.structural import check_structure
from tests.hostile.helpers import CORPUS, REPO, run_specgen

SPEC = """\
openapi: 3.1.0
info: {title: Pets, version: "1"}
paths:
  /pets/{pet_id}:
    get:
      operationId: getPet
      parameters:
        - {name: pet_id, in: path, required: true, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
components:
  schemas:
    Pet:
      type: object
      properties:
        name: {type: string}
"""
GIB = 1024**3


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "api.yaml"
    path.write_text(SPEC, "utf-8")
    return path


# -------------------------------------------------------------------------------------------
# resource limits


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (GIB, GIB))


def test_billion_laughs_is_refused_fast_in_bounded_memory(tmp_path: Path) -> None:
    """10^9 expanded nodes would need tens of GB: under a 1 GiB address-space limit the run
    must still end, quickly, with SG104 (the loader counts aliases before expanding them)."""
    started = time.monotonic()
    result = run_specgen(
        "generate",
        CORPUS / "yaml_billion_laughs.yaml",
        "--name",
        "case",
        "--out",
        tmp_path / "out",
        timeout=60,
        preexec_fn=_limit_memory,
    )
    assert result.returncode == 2, result.stderr
    assert " error SG104: " in result.stderr.splitlines()[0]
    assert "MemoryError" not in result.stderr and "Traceback" not in result.stderr
    assert time.monotonic() - started < 30
    assert not (tmp_path / "out").exists()


def test_ten_thousand_levels_of_nesting_do_not_recurse(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text('{"openapi": "3.1.0", "x": ' + "[" * 10_000 + "]" * 10_000 + "}", "utf-8")
    result = run_specgen("validate", deep, timeout=60, preexec_fn=_limit_memory)
    assert result.returncode == 2
    assert "RecursionError" not in result.stderr and "Traceback" not in result.stderr
    assert "nesting deeper than 1000 levels" in result.stderr


def _big_spec(path: Path, megabytes: int) -> None:
    """A valid spec padded to `megabytes` MiB with one long extension string."""
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "Big", "version": "1"},
        "paths": {},
        "x-padding": "x" * (megabytes * 1024 * 1024),
    }
    path.write_text(json.dumps(document), "utf-8")


def test_a_50_mb_spec_is_refused_by_the_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    _big_spec(big, 50)
    result = run_specgen(
        "generate", big, "--name", "big", "--out", tmp_path / "out", timeout=60, cwd=tmp_path
    )
    assert result.returncode == 2
    assert result.stderr.startswith("big.json: error SG106: file is 52,4"), result.stderr
    assert "--max-spec-size" in result.stderr
    assert not (tmp_path / "out").exists()


def test_max_spec_size_lets_a_25_mb_spec_through(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    _big_spec(big, 25)
    refused = run_specgen("validate", big, cwd=tmp_path, timeout=60)
    assert refused.returncode == 2 and " error SG106: " in refused.stderr
    allowed = run_specgen("validate", "--max-spec-size", "30000000", big, cwd=tmp_path)
    assert allowed.returncode == 0, allowed.stderr
    assert allowed.stdout.startswith("ok: ")


# -------------------------------------------------------------------------------------------
# the output folder


@pytest.mark.parametrize("name", ["../../x", "../x", "/tmp/x", "a/b", ".", "x y"])
def test_api_names_cannot_leave_the_output_folder(spec: Path, tmp_path: Path, name: str) -> None:
    out = tmp_path / "nest" / "out"
    before = sorted(p.name for p in tmp_path.rglob("*"))
    result = run_specgen("generate", spec, "--name", name, "--out", out, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
    assert not Path("/tmp/x").exists() or name != "/tmp/x"


def test_foreign_files_are_kept_and_refused_unless_forced(spec: Path, tmp_path: Path) -> None:
    package = tmp_path / "out" / "case"
    package.mkdir(parents=True)
    (package / "notes.txt").write_text("mine", "utf-8")
    (package / "models.py").write_text("# my own models\n", "utf-8")
    args = ("generate", spec, "--name", "case", "--out", tmp_path / "out")
    refused = run_specgen(*args, cwd=tmp_path)
    assert refused.returncode == 2
    assert " error SG601: " in refused.stderr and "hint: " in refused.stderr
    assert _tree(package) == {"notes.txt": b"mine", "models.py": b"# my own models\n"}
    forced = run_specgen(*args, "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert (package / "notes.txt").read_text("utf-8") == "mine"
    assert "class Pet" in (package / "models.py").read_text("utf-8")


def test_an_output_folder_that_is_a_symlink_is_refused(spec: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "case").symlink_to(elsewhere, target_is_directory=True)
    for extra in ((), ("--force",)):
        result = run_specgen(
            "generate", spec, "--name", "case", "--out", tmp_path / "out", *extra, cwd=tmp_path
        )
        assert result.returncode == 2
        assert " error SG602: " in result.stderr
        assert list(elsewhere.iterdir()) == []


def test_a_generated_file_replaced_by_a_symlink_is_never_followed(
    spec: Path, tmp_path: Path
) -> None:
    args = ("generate", spec, "--name", "case", "--out", tmp_path / "out")
    assert run_specgen(*args, cwd=tmp_path).returncode == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", "utf-8")
    models = tmp_path / "out" / "case" / "models.py"
    models.unlink()
    models.symlink_to(victim)
    spec.write_text(SPEC.replace("name: {type: string}", "name: {type: integer}"), "utf-8")
    for extra in ((), ("--force",)):
        result = run_specgen(*args, *extra, cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        assert " error SG602: " in result.stderr
        assert victim.read_text("utf-8") == "precious"
        assert models.is_symlink()


# -------------------------------------------------------------------------------------------
# references


def test_ref_roots_outside_the_spec_folder_need_a_flag(tmp_path: Path) -> None:
    (tmp_path / "api").mkdir()
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "pet.yaml").write_text(
        "Pet: {type: object, properties: {name: {type: string}}}\n", "utf-8"
    )
    text = SPEC.replace('{$ref: "#/components/schemas/Pet"}', '{$ref: "../shared/pet.yaml#/Pet"}')
    (tmp_path / "api" / "api.yaml").write_text(text.split("components:")[0], "utf-8")
    args = ("generate", "api/api.yaml", "--name", "case", "--out", "out")
    refused = run_specgen(*args, cwd=tmp_path)
    assert refused.returncode == 2
    assert refused.stderr.startswith("api/api.yaml:14:24 /paths/"), refused.stderr
    assert " error SG203: " in refused.stderr and "--allow-ref-root" in refused.stderr
    allowed = run_specgen(*args, "--allow-ref-root", "shared", cwd=tmp_path)
    assert allowed.returncode == 0, allowed.stderr
    assert "class Pet" in (tmp_path / "out" / "case" / "models.py").read_text("utf-8")


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every attempt to open a connection or a URL, recorded and refused."""
    attempts: list[str] = []

    def connect(self: socket.socket, address: Any) -> None:
        attempts.append(f"connect {address!r}")
        raise OSError("network access in a test")

    def urlopen(url: Any, *args: Any, **kwargs: Any) -> Any:
        attempts.append(f"urlopen {url!r}")
        raise OSError("network access in a test")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    yield attempts


def test_refs_inside_data_are_never_followed(tmp_path: Path, no_network: list[str]) -> None:
    """`{$ref: URL}` inside a default or an example is data; openapi-spec-validator would
    follow it (it fetched the URL before this was fixed)."""
    text = SPEC.replace(
        "name: {type: string}",
        'name: {type: object, default: {$ref: "http://127.0.0.1:9/x"}}\n'
        '        other: {type: object, default: {$ref: "/etc/passwd#/x"}}\n'
        '        more: {type: object, example: {$ref: "file:///etc/passwd"}}',
    )
    (tmp_path / "api.yaml").write_text(text, "utf-8")
    config = ApiConfig("case", (tmp_path / "api.yaml",), tmp_path / "out")
    rendered = render_api(config, Options())
    assert "class Pet" in rendered.files["models.py"]
    assert no_network == []


def test_the_validator_cannot_retrieve_anything(tmp_path: Path, no_network: list[str]) -> None:
    """Even given a document with remote references (the loader never lets one through),
    openapi-spec-validator is refused every read: a finding, not a fetch."""
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {"/a": {"$ref": "http://127.0.0.1:9/item.json"}},
        "components": {"schemas": {"Local": {"$ref": "file:///etc/passwd"}}},
    }
    source = SourceFile(tmp_path / "api.json", "api.json", "0" * 64, document, {})
    spec = Spec(document=document, sources=(source,))
    found = check_structure(document, "3.1", walk_schemas(document), spec)
    assert found and all(d.code == "SG310" for d in found), found
    assert no_network == []


def test_diagnostics_in_process_are_spec_errors(tmp_path: Path) -> None:
    (tmp_path / "api.yaml").write_text(SPEC.replace("getPet", "close"), "utf-8")
    config = ApiConfig("case", (tmp_path / "api.yaml",), tmp_path / "out")
    rendered = render_api(config, Options())
    assert "def close_operation(" in rendered.files["client.py"]
    (tmp_path / "bad.yaml").write_text(SPEC.replace("/pets/{pet_id}", "/pets/{id}"), "utf-8")
    with pytest.raises(SpecError) as caught:
        render_api(ApiConfig("case", (tmp_path / "bad.yaml",), tmp_path / "out"), Options())
    assert {d.code for d in caught.value.diagnostics} == {"SG403", "SG404"}


def test_diagnostics_never_print_control_characters(tmp_path: Path) -> None:
    result = run_specgen(
        "generate",
        "text_control_chars_in_wire_names.yaml",
        "--name",
        "case",
        "--out",
        str(tmp_path),
        cwd=CORPUS,
        timeout=60,
    )
    assert result.returncode == 2
    bad = [ch for ch in result.stderr if ch != "\n" and not ch.isprintable()]
    assert bad == [], bad


# -------------------------------------------------------------------------------------------
# spec text is never executed


PAYLOAD_CHECK = """
import importlib, sys
sys.path.insert(0, sys.argv[1])
for name in ("case", "case.models", "case.handlers", "case.client", "case.server"):
    importlib.import_module(name)
from case import handlers, models, server
server.create_app(handlers.Handlers())
payload = models.Payload()
assert payload.mode.value == "{{ self.__init__.__globals__ }}", payload.mode
dumped = payload.model_dump(by_alias=True)
assert dumped["__import__('os').system('touch PWNED')"] == "__import__('os').system('touch PWNED')"
with open(sys.argv[2], "w") as done:
    done.write("imported")
"""


def test_spec_text_that_is_code_is_never_run(tmp_path: Path) -> None:
    """Python and Jinja payloads in descriptions, defaults, enums, names and URLs: generated,
    imported and instantiated, no PWNED file appears and the Jinja stays text."""
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(CORPUS / "text_injection_payload.yaml", work / "payload.yaml")
    result = run_specgen("generate", "payload.yaml", "--name", "case", "--out", "out", cwd=work)
    assert result.returncode == 0, result.stderr
    package = work / "out" / "case"
    sources = {p.name: p.read_text("utf-8") for p in package.glob("*.py")}
    text = "\n".join(sources.values())
    assert "self.__init__.__globals__" in text  # printed as text...
    assert "__builtins__" not in text and "<built-in" not in text  # ...never evaluated
    done = work / "imported.txt"
    check = subprocess.run(
        [sys.executable, "-c", PAYLOAD_CHECK, str(work / "out"), str(done)],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert check.returncode == 0, check.stderr[-3000:]
    assert done.read_text("utf-8") == "imported"
    for root in (tmp_path, CORPUS, REPO, Path.cwd()):
        assert not list(root.glob("PWNED")), root
    assert not list(tmp_path.rglob("PWNED"))
