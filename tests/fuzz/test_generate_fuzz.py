"""Generator fuzzing: random valid OpenAPI documents through the whole pipeline, in process.

Property: generation either succeeds, with every generated Python file compiling, every JSON
file parsing and (one success in IMPORT_EVERY, picked by the hash of the document) the package
importing in a subprocess, or
fails with diagnostics (SpecError: what `specgen generate` prints before exiting 2). Any other
exception, or a diagnostic that says "specgen bug" (a template failed, generated code did not
parse), fails the test. See conftest.py for the CI and long runs.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given, settings

from generator.config import ApiConfig
from generator.diagnostics import SpecError, render_all
from generator.pipeline import Options, render_api
from tests.fuzz.conftest import CI_EXAMPLES, LONG_EXAMPLES
from tests.fuzz.strategies import documents, to_json

pytestmark = pytest.mark.slow

IMPORT_EVERY = 10
# Codes that mean specgen itself produced something broken (never the spec's fault).
BUG_CODES = frozenset({"SG503", "SG590", "SG591", "SG592", "SG603"})
_CODE = re.compile(r"SG\d{3}")


def _examples() -> int:
    if os.environ.get("SPECGEN_FUZZ_EXAMPLES"):
        return int(os.environ["SPECGEN_FUZZ_EXAMPLES"])
    # `--hypothesis-profile=long` makes that profile the default.
    current = settings.default
    long = current is not None and current.max_examples == LONG_EXAMPLES
    return LONG_EXAMPLES if long else CI_EXAMPLES


IMPORT = """
import importlib, sys
sys.path.insert(0, sys.argv[1])
for name in ("fz", "fz.models", "fz.handlers", "fz.client", "fz.server"):
    importlib.import_module(name)
server, handlers = sys.modules["fz.server"], sys.modules["fz.handlers"]
server.create_app(handlers.Handlers())
"""


def _check_files(files: dict[str, str], folder: Path, import_it: bool) -> None:
    for name, text in files.items():
        if name.endswith(".py"):
            compile(text, name, "exec")
        elif name.endswith(".json"):
            json.loads(text, parse_constant=_refuse)
    if not import_it:
        return
    package = folder / "fz"
    for name, text in files.items():
        target = package / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
    done = subprocess.run(
        [sys.executable, "-c", IMPORT, str(folder)],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]


def _refuse(name: str) -> Any:
    raise ValueError(f"{name} in generated JSON")


@settings(settings.get_profile("specgen-fuzz-ci"), max_examples=_examples())
@given(documents())
def test_generation_succeeds_or_reports_diagnostics(document: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory(prefix="specgen-fuzz-") as tmp:
        folder = Path(tmp)
        spec = folder / "api.json"
        spec.write_text(to_json(document), "utf-8")
        config = ApiConfig("fz", (spec,), folder / "out")
        try:
            rendered = render_api(config, Options())
        except SpecError as exc:
            codes = {d.code for d in exc.diagnostics}
            assert exc.diagnostics and all(_CODE.fullmatch(c) for c in codes), codes
            assert not codes & BUG_CODES, render_all(exc.diagnostics)
            assert "Traceback" not in render_all(exc.diagnostics)
            event(f"diagnostic {sorted(codes)[0]}")
            return
        event(f"generated ({document['openapi'][:3]})")
        # Chosen by the document, not by a counter: a failing example imports again when
        # Hypothesis replays and shrinks it.
        import_it = zlib.crc32(spec.read_bytes()) % IMPORT_EVERY == 0
        _check_files(rendered.files, folder / "import", import_it)
