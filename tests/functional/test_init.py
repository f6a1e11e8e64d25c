"""`specgen init`: a commented [tool.specgen] section that `specgen generate` then runs from,
asked for on a terminal, written without questions elsewhere, never over an existing one."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
import tomllib
from pathlib import Path

from tests.functional.conftest import REPO, Specgen

SPEC = REPO / "specs" / "martian" / "feedback.yaml"


def _project(tmp_path: Path) -> Path:
    (tmp_path / "specs" / "billing").mkdir(parents=True)
    (tmp_path / "specs" / "billing" / "openapi.yaml").write_bytes(SPEC.read_bytes())
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "shop"  # ours\n', "utf-8")
    return tmp_path


def test_init_finds_the_spec_and_generate_runs_from_it(tmp_path: Path, specgen: Specgen) -> None:
    project = _project(tmp_path)
    result = specgen("init", cwd=project)
    assert result.returncode == 0, result.stderr
    text = (project / "pyproject.toml").read_text("utf-8")
    assert text.startswith('[project]\nname = "shop"  # ours\n')  # kept as it was
    table = tomllib.loads(text)["tool"]["specgen"]
    assert table["api"] == [{"name": "billing", "specs": ["specs/billing/openapi.yaml"]}]
    assert table["output"] == "generated" and table["styles"] == ["fastapi", "httpx"]
    assert "# layout = " in text  # the options are there, commented
    generated = specgen("generate", cwd=project)
    assert generated.returncode == 0, generated.stderr
    assert (project / "generated" / "billing" / "server.py").is_file()


def test_init_refuses_to_touch_an_existing_section(tmp_path: Path, specgen: Specgen) -> None:
    project = _project(tmp_path)
    assert specgen("init", cwd=project).returncode == 0
    before = (project / "pyproject.toml").read_bytes()
    again = specgen("init", "specs/billing/openapi.yaml", cwd=project)
    assert again.returncode == 2
    assert "SG617" in again.stderr and "configures specgen already" in again.stderr
    assert (project / "pyproject.toml").read_bytes() == before


def test_init_without_a_pyproject_or_spec(tmp_path: Path, specgen: Specgen) -> None:
    result = specgen("init", "--name", "orders", "--style", "flask", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no spec found" in result.stdout
    table = tomllib.loads((tmp_path / "pyproject.toml").read_text("utf-8"))["tool"]["specgen"]
    assert table["styles"] == ["flask"] and table["api"][0]["name"] == "orders"


def test_init_rejects_bad_names_and_styles(tmp_path: Path, specgen: Specgen) -> None:
    for args in (("--name", "../x"), ("--style", "fastapi2")):
        result = specgen("init", *args, cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        assert not (tmp_path / "pyproject.toml").exists()


def test_init_asks_on_a_terminal(tmp_path: Path) -> None:
    project = _project(tmp_path)
    answers = iter(["petshop\r", "src/petshop/api\r", "fastapi flask\r"])
    leader, follower = pty.openpty()
    child = subprocess.Popen(
        [sys.executable, "-m", "generator", "init"],
        cwd=project,
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    os.close(follower)
    seen = b""
    deadline = time.monotonic() + 60
    while child.poll() is None and time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.1)
        if not ready:
            continue
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        seen += chunk
        if chunk.rstrip().endswith(b":") or b"]:" in chunk:  # a prompt: answer it
            os.write(leader, next(answers, "\r").encode())
    child.wait(timeout=30)
    os.close(leader)
    assert child.returncode == 0, seen.decode(errors="replace")
    assert b"API name" in seen and b"Output folder" in seen and b"Styles" in seen
    table = tomllib.loads((project / "pyproject.toml").read_text("utf-8"))["tool"]["specgen"]
    assert table["output"] == "src/petshop/api" and table["styles"] == ["fastapi", "flask"]
    assert table["api"][0]["name"] == "petshop"
