"""Styles: what each produces, and the combinations that are refused."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.config import ApiConfig
from generator.diagnostics import SpecError
from generator.pipeline import Options, render_api
from generator.render.styles import BUILTIN, resolve_styles

ROOT = Path(__file__).resolve().parents[3]
MARTIAN = (ROOT / "specs" / "martian" / "feedback.yaml",)


def render(styles: tuple[str, ...], model_type: str = "pydantic") -> dict[str, str]:
    config = ApiConfig("martian", MARTIAN, ROOT / "unused", styles=styles, model_type=model_type)
    return render_api(config, Options()).files


def test_server_styles_share_the_contract_and_models() -> None:
    files = render(("fastapi", "flask"))
    assert {"models.py", "handlers.py", "_server_core.py", "server.py", "flask_server.py"} <= set(
        files
    )
    assert "client.py" not in files and "typescript/package.json" not in files


def test_client_styles() -> None:
    files = render(("httpx", "typescript"))
    assert "client.py" in files and "typescript/src/client.ts" in files
    assert "handlers.py" not in files and "openapi.json" not in files


@pytest.mark.parametrize("model_type", ["dataclasses", "typeddict", "pydantic-dataclass"])
def test_models_style_in_other_flavours_compiles(model_type: str) -> None:
    files = render(("models",), model_type)
    assert set(files) == {"__init__.py", "models.py", "py.typed"}
    compile(files["models.py"], "models.py", "exec")
    assert {"dataclasses": "@dataclass", "typeddict": "TypedDict"}.get(model_type, "") in files[
        "models.py"
    ]


@pytest.mark.parametrize(
    ("styles", "model_type", "code"),
    [
        (("fastapi",), "typeddict", "SG614"),
        (("httpx",), "msgspec", "SG614"),
        (("django",), "pydantic", "SG613"),
        (("models",), "attrs", "SG613"),
    ],
)
def test_impossible_combinations_are_refused(
    styles: tuple[str, ...], model_type: str, code: str
) -> None:
    with pytest.raises(SpecError) as caught:
        resolve_styles(styles, model_type)
    assert {d.code for d in caught.value.diagnostics} == {code}


def test_config_with_an_impossible_combination_exits_2(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.specgen]\nstyles = ['fastapi']\nmodel_type = 'typeddict'\n\n"
        f"[[tool.specgen.api]]\nname = 'martian'\nspecs = ['{MARTIAN[0]}']\n",
        "utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "generator", "generate"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "SG614" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "generated").exists()


def test_styles_command_lists_every_style() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "styles"], capture_output=True, text=True, check=True
    )
    for name in BUILTIN:
        assert name in result.stdout
    assert "layout: module, tags" in result.stdout
