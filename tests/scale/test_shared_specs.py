"""Every spec under ../shared/specs/ generates by default (no --allow-invalid), with every
operation of the document, a package that passes mypy --strict, and modules that import."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.build.api import build_api
from generator.load import load_spec
from generator.validate import validate
from tests.functional.conftest import run_specgen

SHARED = Path(__file__).resolve().parents[3] / "shared" / "specs"
SPECS = {
    "braintrust_2026": SHARED / "braintrust-full" / "spec-2026-07-01.yaml",
    "braintrust_2024": SHARED / "braintrust-full" / "spec-2024-11-05.yaml",
    "tgi": SHARED / "realworld" / "text-generation-inference.json",
    "resend": SHARED / "realworld" / "resend.yaml",
    "redocly": SHARED / "realworld" / "redocly-starter" / "openapi.yaml",
}
STYLES = ("--style", "fastapi", "--style", "flask", "--style", "httpx")
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not SHARED.is_dir(), reason=f"no shared specs at {SHARED}"),
]


def _operations(spec: Path) -> int:
    """Operations in the document, path items in other files included."""
    root = yaml.safe_load(spec.read_text("utf-8"))
    count = 0
    for item in (root.get("paths") or {}).values():
        if isinstance(item, dict) and isinstance(item.get("$ref"), str):
            item = yaml.safe_load((spec.parent / item["$ref"]).read_text("utf-8"))
        count += sum(1 for key in item if key in METHODS)
    return count


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mypy-cache")


@pytest.mark.parametrize("name", sorted(SPECS))
def test_shared_spec_generates_type_checks_and_imports(
    name: str, tmp_path: Path, mypy_cache: Path
) -> None:
    spec = SPECS[name]
    out = tmp_path / "out"
    result = run_specgen("generate", spec, "--name", name, "--out", out, *STYLES, "--json")
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout)["apis"][0]
    assert report["operations"]["count"] == _operations(spec)
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(mypy_cache), "-p", name],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert mypy.returncode == 0, mypy.stdout[-3000:]
    modules = sorted(f"{name}.{p.stem}" for p in (out / name).glob("*.py") if p.stem != "__init__")
    code = "import importlib, sys\nfor m in sys.argv[1:]: importlib.import_module(m)"
    run = subprocess.run(
        [sys.executable, "-c", code, *modules], cwd=out, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr[-3000:]


@pytest.mark.parametrize("name", sorted(SPECS))
def test_models_have_no_class_nothing_uses(name: str, tmp_path: Path) -> None:
    """Every class of models.py is a component schema of the spec, or something uses it."""
    spec = SPECS[name]
    out = tmp_path / "out"
    result = run_specgen("generate", spec, "--name", name, "--out", out, "--style", "httpx")
    assert result.returncode == 0, result.stderr[-3000:]
    loaded, _ = load_spec([spec])
    api = build_api(name, validate(loaded).document, loaded)
    components = {s.name for s in api.schemas if not s.hoisted}
    package = out / name
    text = "\n".join(p.read_text("utf-8") for p in sorted(package.rglob("*.py")))
    classes = [
        node.name
        for node in ast.parse((package / "models.py").read_text("utf-8")).body
        if isinstance(node, ast.ClassDef)
    ]
    unused = [
        c
        for c in classes
        if c not in components
        and c.removesuffix("Model") not in components
        and len(re.findall(rf"\b{re.escape(c)}\b", text)) < 2  # its definition only
    ]
    assert unused == []
    # Our names are not numbered copies: each nested type is named after its one parent, and
    # identical shapes are one type. (datamodel-code-generator still numbers the classes it
    # makes when it distributes an allOf over a union's members; those are its own.)
    numbered = [s.name for s in api.schemas if s.hoisted and re.search(r"(?<!Option)\d+$", s.name)]
    assert numbered == []
