"""Generated Python passes ruff in any project: with no configuration at all (`--isolated`),
under ruff's defaults and under a broad rule set, for every built-in Python style, both
layouts and every model flavour. Spec text that must stay verbatim is exempted by the file
itself (its header); everything else is clean as generated."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.config import ApiConfig
from generator.pipeline import Options, render_api
from generator.render.styles import MODEL_TYPES

ROOT = Path(__file__).resolve().parents[2]
# The Braintrust seeds carry long descriptions and look-alike quotes (U+2019); the corpus case
# names everything after what the generated code binds.
SPECS = {
    "braintrust": tuple(sorted((ROOT / "specs" / "braintrust").glob("*.yaml"))),
    "names": (ROOT / "tests" / "corpus" / "names_generated_bindings.yaml",),
    "forms": (ROOT / "tests" / "corpus" / "uploads.yaml",),
    "binary": (ROOT / "tests" / "corpus" / "binary.yaml",),
    "media": (ROOT / "tests" / "corpus" / "media_types_bodies.yaml",),
    "webhooks only": (ROOT / "tests" / "corpus" / "structure_webhooks_only.yaml",),
    "recursive union": (ROOT / "tests" / "corpus" / "models_recursive_union_root.yaml",),
}
RULE_SETS = ((), ("--select", "E,F,I,UP,B,RUF,PYI"))
SERVERS_AND_CLIENT = ("fastapi", "flask", "mock", "httpx")
CASES = [
    *(
        (spec, SERVERS_AND_CLIENT, "pydantic", layout)
        for spec in SPECS
        for layout in ("module", "tags")
    ),
    *(("braintrust", ("models",), model_type, "module") for model_type in MODEL_TYPES),
]


@pytest.mark.parametrize(("spec", "styles", "model_type", "layout"), CASES)
def test_output_passes_ruff_with_no_configuration(
    tmp_path: Path, spec: str, styles: tuple[str, ...], model_type: str, layout: str
) -> None:
    config = ApiConfig(
        "case", SPECS[spec], tmp_path, styles=styles, model_type=model_type, layout=layout
    )
    files = render_api(config, Options()).files
    for path, text in files.items():
        if path.endswith(".py"):
            target = tmp_path / "case" / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, "utf-8")
    for rules in RULE_SETS:
        result = subprocess.run(
            [sys.executable, "-m", "ruff", "check", "--isolated", "--no-cache", *rules, "case"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
    formatted = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--isolated", "--no-cache", "--check", "case"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr
