"""The complete Braintrust API (218 operations) through the real `specgen` CLI.

The specs live beside the repository, in shared/specs/braintrust-full/ (read-only). The
generated package must pass ruff (the project's rules for generated code) and mypy --strict,
import, and serve its contract. Timings are printed (`pytest -s` shows them), never asserted.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
FULL = REPO.parent / "shared" / "specs" / "braintrust-full"
NEW = FULL / "spec-2026-07-01.yaml"
OLD = FULL / "spec-2024-11-05.yaml"
NEW_NAME, OLD_NAME, TAGS_NAME = "braintrust_full", "braintrust_full_2024", "braintrust_by_tag"
MANIFEST = ".specgen-manifest.json"
CORE_FILES = {"__init__.py", "client.py", "handlers.py", "models.py", "py.typed", "server.py"}

pytestmark = [
    pytest.mark.scale,
    pytest.mark.slow,
    pytest.mark.skipif(not NEW.is_file(), reason=f"full Braintrust spec not found at {NEW}"),
]


def _run(
    args: Sequence[str | Path],
    cwd: Path,
    env: dict[str, str] | None = None,
    timeout: float = 600,
    stdin: str | None = None,
) -> tuple[subprocess.CompletedProcess[str], float]:
    start = time.perf_counter()
    result = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
        input=stdin,
    )
    return result, time.perf_counter() - start


def _specgen(*args: str | Path, cwd: Path = REPO, env: dict[str, str] | None = None) -> Any:
    return _run([sys.executable, "-m", "generator", *args], cwd, env)


@dataclass(frozen=True)
class Generated:
    out: Path  # the output folder: the package is out / name
    name: str
    result: subprocess.CompletedProcess[str]
    seconds: float

    @property
    def package(self) -> Path:
        return self.out / self.name

    @property
    def files(self) -> set[str]:
        """What the manifest says specgen wrote."""
        manifest = json.loads((self.package / MANIFEST).read_text("utf-8"))
        return set(manifest["files"])

    def check_files(self, core: set[str] = CORE_FILES) -> None:
        assert core <= self.files
        on_disk = {
            p.relative_to(self.package).as_posix() for p in self.package.rglob("*") if p.is_file()
        }
        assert on_disk == self.files | {MANIFEST}


def _generate(
    spec: Path, name: str, out: Path, seed: str = "0", layout: str = "module"
) -> Generated:
    # Every built-in style, so that all of them are type-checked at scale (mypy below; the
    # TypeScript client by tests/typescript).
    styles = [arg for style in ("fastapi", "flask", "httpx") for arg in ("--style", style)]
    result, seconds = _specgen(
        "generate",
        spec,
        "--name",
        name,
        "--out",
        out,
        *styles,
        "--layout",
        layout,
        env={"PYTHONHASHSEED": seed},
    )
    print(f"\n[scale] specgen generate {spec.name} --layout {layout}: {seconds:.2f}s")
    assert result.returncode == 0, result.stderr
    return Generated(out, name, result, seconds)


@pytest.fixture(scope="module")
def new_package(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    return _generate(NEW, NEW_NAME, tmp_path_factory.mktemp("full"))


@pytest.fixture(scope="module")
def old_package(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    if not OLD.is_file():
        pytest.skip(f"older Braintrust spec not found at {OLD}")
    return _generate(OLD, OLD_NAME, tmp_path_factory.mktemp("full-2024"))


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for both packages: the second run reuses the analysis of the dependencies."""
    return tmp_path_factory.mktemp("mypy-cache")


def _ruff(package: Generated) -> None:
    """As a team's own project sees it: no configuration, defaults and a broad rule set."""
    ruff = [sys.executable, "-m", "ruff"]
    for rules in ((), ("--select", "E,F,I,UP,B,RUF,PYI")):
        lint, seconds = _run(
            [*ruff, "check", "--isolated", "--no-cache", *rules, package.name], package.out
        )
        print(f"\n[scale] ruff check {' '.join(rules)} {package.name}: {seconds:.2f}s")
        assert lint.returncode == 0, lint.stdout[-4000:] + lint.stderr
    fmt, _ = _run(
        [*ruff, "format", "--isolated", "--check", "--no-cache", package.name], package.out
    )
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def _mypy(package: Generated, cache: Path) -> None:
    result, seconds = _run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", cache, "-p", package.name],
        package.out,
    )
    print(f"\n[scale] mypy --strict {package.name}: {seconds:.2f}s")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def _python(code: str, path: Path) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh interpreter with `path` first on sys.path."""
    result, _ = _run([sys.executable, "-c", code], path, {"PYTHONPATH": str(path)})
    return result


# ---------------------------------------------------------------------------------------------
# the 2026-07-01 spec


def test_validate_full_spec_warnings_only() -> None:
    result, seconds = _specgen("validate", "--format", "json", NEW)
    print(f"\n[scale] specgen validate {NEW.name}: {seconds:.2f}s")
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)
    assert items, "expected the 3.0/3.1 mixing warnings"
    errors = [i for i in items if i["severity"] != "warning"]
    assert not errors, errors
    sg302 = [i for i in items if i["code"] == "SG302"]
    assert any(
        i["pointer"].startswith("/components/schemas/NullableSavedFunctionId/") for i in sg302
    )
    for item in items:
        assert item["file"] and item["line"] > 0 and item["column"] > 0, item


def test_generate_full_spec(new_package: Generated) -> None:
    result = new_package.result
    assert "Traceback" not in result.stderr
    assert " error " not in result.stderr
    assert "warning SG302: " in result.stderr
    assert result.stdout.startswith(f"{NEW_NAME}: 218 operations, "), result.stdout
    new_package.check_files()
    sizes = {p.name: p.stat().st_size for p in new_package.package.iterdir()}
    print(f"\n[scale] {NEW_NAME} sizes: {sizes}")


def test_full_spec_generation_is_deterministic(new_package: Generated, tmp_path: Path) -> None:
    again = _generate(NEW, NEW_NAME, tmp_path, seed="12345")
    assert again.files == new_package.files
    for name in sorted(new_package.files | {MANIFEST}):
        first = (new_package.package / name).read_bytes()
        second = (again.package / name).read_bytes()
        assert first == second, f"{name} differs between PYTHONHASHSEED=0 and 12345"


def test_full_package_passes_ruff(new_package: Generated) -> None:
    _ruff(new_package)


def test_full_package_passes_mypy_strict(new_package: Generated, mypy_cache: Path) -> None:
    _mypy(new_package, mypy_cache)


@pytest.mark.parametrize("module", ["client", "server", "flask_server", "handlers", "models"])
def test_full_package_imports(new_package: Generated, module: str) -> None:
    """Each module imports in a fresh interpreter; the time it takes is printed."""
    code = (
        "import time; start = time.perf_counter()\n"
        f"import {NEW_NAME}.{module}\n"
        "print(f'{time.perf_counter() - start:.3f}')\n"
    )
    result = _python(code, new_package.out)
    assert result.returncode == 0, result.stderr
    print(f"\n[scale] import {NEW_NAME}.{module}: {result.stdout.strip()}s")


def test_full_server_serves_its_contract(new_package: Generated) -> None:
    code = (
        "import json, time\n"
        "from fastapi.testclient import TestClient\n"
        f"from {NEW_NAME}.server import create_app\n"
        f"from {NEW_NAME}.handlers import Handlers\n"
        "start = time.perf_counter()\n"
        "app = create_app(Handlers())\n"
        "built = time.perf_counter() - start\n"
        "client = TestClient(app)\n"
        "response = client.get('/openapi.json')\n"
        "greedy = client.post('/v1/proxy/a/b/c', json={}).status_code\n"
        "print(json.dumps({'status': response.status_code, 'built': built,"
        " 'greedy': greedy, 'document': response.json()}))\n"
    )
    result = _python(code, new_package.out)
    assert result.returncode == 0, result.stderr[-3000:]
    answer = json.loads(result.stdout)
    print(f"\n[scale] create_app({NEW_NAME}): {answer['built']:.2f}s")
    assert answer["status"] == 200
    # `{path+}` spans segments: the route is found (not 404) and the method too (not 405).
    assert answer["greedy"] not in (404, 405)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    spec = yaml.load(NEW.read_text("utf-8"), Loader=loader)
    assert set(answer["document"]["paths"]) == set(spec["paths"])
    bundled = json.loads((new_package.package / "openapi.json").read_text("utf-8"))
    assert answer["document"] == bundled


# ---------------------------------------------------------------------------------------------
# the 2024-11-05 spec


def test_generate_older_spec(old_package: Generated) -> None:
    result = old_package.result
    assert "Traceback" not in result.stderr
    assert " error " not in result.stderr
    assert result.stdout.startswith(f"{OLD_NAME}: 173 operations, "), result.stdout
    old_package.check_files()


def test_older_package_passes_ruff(old_package: Generated) -> None:
    _ruff(old_package)


def test_older_package_passes_mypy_strict(old_package: Generated, mypy_cache: Path) -> None:
    _mypy(old_package, mypy_cache)


# ---------------------------------------------------------------------------------------------
# the 2026-07-01 spec in the per-tag layout (29 tags)


@pytest.fixture(scope="module")
def tags_package(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    return _generate(NEW, TAGS_NAME, tmp_path_factory.mktemp("full-tags"), layout="tags")


def test_tags_layout_writes_a_module_per_tag(tags_package: Generated) -> None:
    assert tags_package.result.returncode == 0
    core = {"handlers/__init__.py", "_handlers_runtime.py", "server.py", "client/__init__.py"}
    tags_package.check_files(core)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    spec = yaml.load(NEW.read_text("utf-8"), Loader=loader)
    first_tags = {
        op["tags"][0]
        for item in spec["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and op.get("tags")
    }
    for folder in ("handlers", "routers", "blueprints", "client"):
        modules = {p for p in tags_package.files if p.startswith(f"{folder}/")}
        assert len(modules - {f"{folder}/__init__.py"}) == len(first_tags)


def test_tags_layout_passes_ruff_and_mypy_strict(tags_package: Generated, mypy_cache: Path) -> None:
    _ruff(tags_package)
    _mypy(tags_package, mypy_cache)


def test_tags_layout_serves_every_operation(tags_package: Generated) -> None:
    """Every operation of the spec is routed by both apps (through the routers and blueprints:
    no 404 or 405; unimplemented handlers answer 501, bad input 400) and is a method of one
    client group; import time is printed."""
    code = (
        "import json, re, sys, time\n"
        "start = time.perf_counter()\n"
        f"from {TAGS_NAME} import client, handlers, server, flask_server\n"
        "imported = time.perf_counter() - start\n"
        "from fastapi.testclient import TestClient\n"
        "ops = json.load(sys.stdin)\n"
        "fast = TestClient(server.create_app(handlers.Handlers()))\n"
        "wsgi = flask_server.create_app(handlers.Handlers()).test_client()\n"
        "uuid = '00000000-0000-4000-8000-000000000000'\n"
        "missing = []\n"
        "for path, method in ops:\n"
        "    url = re.sub(r'[{][^}]+[}]', uuid, path)\n"
        "    answers = {'fastapi': fast.request(method.upper(), url, json={}).status_code,\n"
        "               'flask': wsgi.open(url, method=method.upper(), json={}).status_code}\n"
        "    missing += [(k, method, path, v) for k, v in answers.items() if v in (404, 405)]\n"
        "groups = {k: sorted(m for m in dir(v) if not m.startswith('_'))"
        " for k, v in vars(client.Client()).items() if not k.startswith('_')}\n"
        "print(json.dumps({'imported': imported, 'missing': missing, 'groups': groups}))\n"
    )
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    spec = yaml.load(NEW.read_text("utf-8"), Loader=loader)
    ops = [
        (path, method)
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if isinstance(op, dict) and "responses" in op
    ]
    result, _ = _run(
        [sys.executable, "-c", code],
        tags_package.out,
        {"PYTHONPATH": str(tags_package.out)},
        stdin=json.dumps(ops),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    answer = json.loads(result.stdout)
    print(
        f"\n[scale] import {TAGS_NAME} (client, handlers, both servers): {answer['imported']:.2f}s"
    )
    assert len(ops) == 218 and answer["missing"] == []
    assert sum(len(methods) for methods in answer["groups"].values()) == 218
