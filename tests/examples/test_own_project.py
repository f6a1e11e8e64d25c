"""The worked example of using specgen inside your own project (examples/own-project):
built from scratch in a temporary copy, the generated package lands inside the project's own
package (`petshop/api/pets/`), imports as `petshop.api.pets` without PYTHONPATH, is served by
uvicorn from the project folder and called with the generated client over a socket."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.functional.conftest import run_specgen

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "own-project"

CALLS = """
from petshop.api.pets.client import Client, GetPet404Error
from petshop.api.pets import models

with Client("http://127.0.0.1:{port}") as client:
    rex = client.create_pet(models.NewPet(name="Rex", tag="dog"))
    assert rex.id == 1 and client.get_pet(1) == rex
    assert client.list_pets(limit=5) == [rex]
    try:
        client.get_pet(7)
    except GetPet404Error as error:
        assert error.body.detail == "no pet 7"
    else:
        raise AssertionError("no 404")
print("ok")
"""


def _env() -> dict[str, str]:
    """The environment with no PYTHONPATH: imports must work from the project folder."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("own") / "petshop-project"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("pets", ".*cache*"))
    assert not (target / "petshop" / "api" / "pets").exists()  # generated here, not copied
    result = run_specgen("generate", cwd=target)
    assert result.returncode == 0, result.stderr
    return target


def test_the_generated_package_is_a_subpackage(project: Path) -> None:
    package = project / "petshop" / "api" / "pets"
    assert (package / "server.py").is_file() and (package / "client.py").is_file()
    code = "import petshop.api.pets.server, petshop.app; print(petshop.api.pets.__name__)"
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=project, env=_env(), capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "petshop.api.pets"


def test_served_by_uvicorn_and_called_by_the_client(project: Path) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "petshop.app:app", "--port", str(port)],
        cwd=project,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, (
                    "uvicorn did not start"
                )
                time.sleep(0.1)
        run = subprocess.run(
            [sys.executable, "-c", CALLS.format(port=port)],
            cwd=project,
            env=_env(),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert run.returncode == 0 and run.stdout.strip() == "ok", run.stderr
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_project_type_checks_and_lints(project: Path) -> None:
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "petshop"],
        cwd=project,
        env=_env(),
        capture_output=True,
        text=True,
    )
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr
    ruff = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--isolated",
            "--select",
            "E,F,I,UP,B,RUF,PYI",
            ".",
        ],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr
