"""The corpus of hostile and broken specs (tests/corpus/), each through the real CLI.

Every case ends in a clean generation or a located diagnostic with exit code 2: never a
traceback, a hang or a partial write (tests/corpus/expectations.toml says which). The cases run
in parallel subprocesses once per session; the clean packages are then imported together in
one subprocess and type-checked together by one `mypy --strict` run.

After an intended change to a message: SPECGEN_UPDATE_SNAPSHOTS=1 rewrites the snapshots.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.hostile.helpers import (
    CORPUS,
    check_error_screen,
    compare_snapshot,
    normalise,
    run_specgen,
)

CASE_TIMEOUT = 120  # seconds; a case is a few KB, so this only catches hangs
EXPECTATIONS: dict[str, Any] = tomllib.loads((CORPUS / "expectations.toml").read_text("utf-8"))
CASES: dict[str, Any] = EXPECTATIONS["cases"]
XFAIL: dict[str, dict[str, str]] = EXPECTATIONS.get("xfail", {})
MODULES = ("case", "case.models", "case.handlers", "case.client", "case.server")


@dataclass(frozen=True)
class Expected:
    outcome: str  # "ok" or an error code
    pointer: bool = True

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


def expected(name: str) -> Expected:
    value = CASES[name]
    if isinstance(value, str):
        return Expected(value)
    return Expected(value["outcome"], value.get("pointer", True))


@dataclass(frozen=True)
class Result:
    returncode: int | None  # None: timed out
    stdout: str
    stderr: str  # with the output folder shown as <tmp>
    out: Path  # the --out folder


def case_files() -> list[str]:
    return sorted(
        p.name
        for p in CORPUS.iterdir()
        if p.is_file() and p.suffix in (".yaml", ".json") and not p.name.startswith("_")
    )


def params(check: str, names: list[str]) -> list[Any]:
    reasons = XFAIL.get(check, {})
    return [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=reasons[n]))
        if n in reasons
        else n
        for n in names
    ]


CLEAN = [n for n in sorted(CASES) if expected(n).ok]
FAILING = [n for n in sorted(CASES) if not expected(n).ok]


def _run(name: str, root: Path) -> Result:
    out = root / Path(name).stem
    try:
        done = run_specgen(
            "generate", name, "--name", "case", "--out", out, cwd=CORPUS, timeout=CASE_TIMEOUT
        )
    except subprocess.TimeoutExpired:
        return Result(None, "", "", out)
    return Result(done.returncode, done.stdout, normalise(done.stderr, [root]), out)


@pytest.fixture(scope="session")
def corpus_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Result]:
    root = tmp_path_factory.mktemp("corpus")
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        results = pool.map(lambda n: (n, _run(n, root)), sorted(CASES))
        return dict(results)


def test_every_case_file_is_listed_and_says_what_it_exercises() -> None:
    assert len(CASES) >= 60
    assert sorted(CASES) == case_files(), "tests/corpus/expectations.toml and the files differ"
    for name in CASES:
        first = (CORPUS / name).read_bytes().split(b"\n", 1)[0].removeprefix(b"\xef\xbb\xbf")
        assert re.match(rb"# exercises: \S", first), f"{name}: first line {first[:60]!r}"
        outcome = expected(name).outcome
        assert outcome == "ok" or re.fullmatch(r"SG\d{3}", outcome), (name, outcome)


@pytest.mark.parametrize("name", sorted(CASES))
def test_case_ends_cleanly_or_with_a_located_diagnostic(
    corpus_runs: dict[str, Result], name: str
) -> None:
    result, want = corpus_runs[name], expected(name)
    assert result.returncode is not None, f"{name}: no answer within {CASE_TIMEOUT}s"
    assert "Traceback" not in result.stderr, result.stderr
    leftovers = [p.name for p in result.out.parent.glob(f".{result.out.name}*")]
    leftovers += [p.name for p in result.out.glob(".*.specgen-*")] if result.out.is_dir() else []
    assert not leftovers, f"staging leftovers: {leftovers}"
    if want.ok:
        assert result.returncode == 0, result.stderr
        assert " error " not in result.stderr, result.stderr
        _check_files(result.out / "case")
    else:
        assert result.returncode == 2, (result.returncode, result.stderr)
        assert result.stdout == ""
        assert not result.out.exists(), "a failed run wrote output"
        check_error_screen(result.stderr, want.outcome, pointer=want.pointer)


def _check_files(package: Path) -> None:
    files = sorted(p for p in package.rglob("*") if p.is_file())
    assert {p.name for p in files} >= {"__init__.py", "models.py", "handlers.py", "client.py"}
    for path in files:
        text = path.read_text("utf-8")
        if path.suffix == ".py":
            compile(ast.parse(text, str(path)), str(path), "exec")
        elif path.suffix == ".json":
            json.loads(text, parse_constant=_no_constant)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


@pytest.mark.parametrize("name", FAILING)
def test_error_output_snapshot(corpus_runs: dict[str, Result], name: str) -> None:
    compare_snapshot(Path(name).stem, corpus_runs[name].stderr)


# -------------------------------------------------------------------------------------------
# clean cases: import, build the app, type-check

IMPORT_SCRIPT = """
import importlib, json, sys, traceback
results = {}
for folder, modules in json.loads(sys.argv[1]).items():
    sys.path.insert(0, folder)
    try:
        loaded = [importlib.import_module(m) for m in modules]
        server, handlers = sys.modules["case.server"], sys.modules["case.handlers"]
        results[folder] = {"import": "ok", "app": "ok"}
        try:
            server.create_app(handlers.Handlers())
        except Exception as exc:
            results[folder]["app"] = "".join(traceback.format_exception_only(exc)).strip()
    except BaseException as exc:
        results[folder] = {"import": "".join(traceback.format_exception(exc))[-2000:]}
    for key in [k for k in sys.modules if k == "case" or k.startswith("case.")]:
        del sys.modules[key]
    sys.path.remove(folder)
print(json.dumps(results))
"""


@pytest.fixture(scope="session")
def clean_imports(
    corpus_runs: dict[str, Result], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, str]]:
    """Import every clean package in one subprocess (each under the name `case`, one after
    another), and build its FastAPI app; the working directory is empty, so a payload that
    ran would leave its traces there."""
    folders = {str(r.out): list(MODULES) for n, r in corpus_runs.items() if r.returncode == 0}
    cwd = tmp_path_factory.mktemp("import-cwd")
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_SCRIPT, json.dumps(folders)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results: dict[str, dict[str, str]] = json.loads(done.stdout.splitlines()[-1])
    assert list(cwd.iterdir()) == [], "importing the packages wrote files"
    return {Path(folder).name: found for folder, found in results.items()}


@pytest.mark.parametrize("name", params("import", CLEAN))
def test_clean_case_imports(clean_imports: dict[str, dict[str, str]], name: str) -> None:
    found = clean_imports.get(Path(name).stem)
    assert found is not None, "not generated"
    assert found["import"] == "ok", found["import"]


@pytest.mark.parametrize("name", params("app", CLEAN))
def test_clean_case_app_builds(clean_imports: dict[str, dict[str, str]], name: str) -> None:
    found = clean_imports.get(Path(name).stem)
    assert found is not None and found["import"] == "ok", "did not import"
    assert found["app"] == "ok", found["app"]


@pytest.fixture(scope="session")
def mypy_errors(
    corpus_runs: dict[str, Result], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[str]]:
    """One `mypy --strict` over every clean package, each copied under its own name (they
    are all `case`, and relative imports make the copy work), errors by case stem."""
    root = tmp_path_factory.mktemp("mypy")
    names: dict[str, str] = {}
    for name, result in corpus_runs.items():
        if result.returncode == 0 and (result.out / "case").is_dir():
            module = "c_" + re.sub(r"\W", "_", Path(name).stem)
            shutil.copytree(result.out / "case", root / module)
            names[module] = Path(name).stem
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull,
         "--config-file", os.devnull, *sorted(names)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stdout[-3000:] + done.stderr[-3000:]
    errors: dict[str, list[str]] = {stem: [] for stem in names.values()}
    for line in done.stdout.splitlines():
        module = line.split("/", 1)[0]
        if module in names and ": error:" in line:
            errors[names[module]].append(line)
    return errors


@pytest.mark.parametrize("name", params("mypy", CLEAN))
def test_clean_case_passes_mypy_strict(mypy_errors: dict[str, list[str]], name: str) -> None:
    stem = Path(name).stem
    assert stem in mypy_errors, "not generated"
    assert mypy_errors[stem] == [], "\n".join(mypy_errors[stem][:20])
