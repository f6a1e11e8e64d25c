"""`pip install specgen` without extras: every command works, and what only generated code
needs (FastAPI, Flask, httpx, pydantic) is named in a one-line error with exit 2 when a
command has to import it. A fresh virtual environment, the real CLI, a real fuzz run against
a server on 127.0.0.1 (served by the test environment, which has the runtime extras)."""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.fuzz import serve_in_thread

ROOT = Path(__file__).resolve().parents[2]
MARTIAN = ROOT / "specs" / "martian" / "feedback.yaml"
KEY = "plain-key"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment with `pip install .` and nothing else."""
    venv = tmp_path_factory.mktemp("plain") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    install = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", str(ROOT)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    return venv / "bin"


def specgen(bin_dir: Path, *args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(bin_dir / "specgen"), *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    if str(ROOT / "generated") not in sys.path:
        sys.path.insert(0, str(ROOT / "generated"))  # the reference servers import them
    from reference.app import Settings, create_martian_app

    app = create_martian_app(Settings(api_keys=(KEY,), inference_ids=(uuid.UUID(int=1),)))
    with serve_in_thread(app) as base_url:
        yield base_url


def test_the_runtime_extras_are_not_installed(plain: Path) -> None:
    # httpx is specgen's own (`specgen proxy` forwards with it), not only generated code's.
    for module in ("fastapi", "flask", "httpx_sse"):
        probe = subprocess.run(
            [str(plain / "python"), "-c", f"import {module}"], capture_output=True, check=False
        )
        assert probe.returncode != 0, f"{module} is installed by a plain install"


def test_the_spec_commands_work(plain: Path, tmp_path: Path) -> None:
    assert specgen(plain, "validate", MARTIAN).returncode == 0
    out = tmp_path / "out"
    generated = specgen(plain, "generate", MARTIAN, "--name", "m", "--out", out, "--quiet")
    assert generated.returncode == 0, generated.stderr
    assert (out / "m" / "server.py").is_file() and (out / "m" / "client.py").is_file()
    assert specgen(plain, "check", MARTIAN, "--name", "m", "--out", out).returncode == 0
    assert specgen(plain, "diff", MARTIAN, MARTIAN).returncode == 0
    assert "fastapi" in specgen(plain, "styles").stdout


def test_fuzz_runs_against_a_server(plain: Path, server: str, tmp_path: Path) -> None:
    report = tmp_path / "junit.xml"
    result = specgen(
        plain, "fuzz", "--spec", MARTIAN, "--url", server, "--max-examples", "10", "--seed", "1",
        "--header", f"Authorization: Bearer {KEY}", "--junit", report,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert report.is_file()


def test_commands_that_need_runtime_packages_say_what_to_install(plain: Path) -> None:
    served = specgen(plain, "serve", "--app", "reference.app:martian_app")
    assert served.returncode == 2
    (first, hint) = served.stderr.strip().splitlines()[-2:]
    assert "No module named" in first and "pip install 'specgen[" in hint
    app = specgen(plain, "fuzz", "--spec", MARTIAN, "--app", "reference.app:martian_app")
    assert app.returncode == 2 and "pip install 'specgen[" in app.stderr
    assert "Traceback" not in served.stderr + app.stderr
