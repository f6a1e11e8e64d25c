"""Binary bodies in the TypeScript client: the types a client of tests/corpus/binary.yaml
gives under tsc --strict (uploads as `Blob | ArrayBuffer | Uint8Array | ReadableStream`, a
`contentType` the caller must give for `image/*`), and the compiled client driven by Node
(`binary_calls.mjs`) against the generated FastAPI server over a socket."""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from tests.functional.conftest import run_specgen
from tests.fuzzing import binary_app
from tests.typescript.helpers import REPO, Tsc, build, serving, write_package
from tests.typescript.test_streams import _node_test

SPEC = REPO / "tests" / "corpus" / "binary.yaml"
HERE = Path(__file__).parent

USE = """import { ByteStream, Client } from "./index.js";

export async function use(client: Client, stream: ReadableStream<Uint8Array>): Promise<number> {
  const a = await client.uploadDocument({ body: new Uint8Array([1]) });
  const b = await client.uploadDocument({ body: new Blob(["x"]), contentType: "application/pdf" });
  await client.putImage({ name: "x", body: stream, contentType: "image/png" });
  const bytes: Uint8Array = await client.getImage({ name: "x" });
  let size = 0;
  for await (const chunk of await client.streamDownloadBlob({ blobId: "b" })) {
    size += chunk.length;
  }
  const download: ByteStream = await client.streamGetReport({ reportId: "r" });
  await download.close();
  return a.size + b.size + bytes.length + size + (download.contentType?.length ?? 0);
}
"""
MISUSE = """import { ByteStream, Client } from "./index.js";

export async function misuse(client: Client): Promise<void> {
  await client.putImage({ name: "x", body: new Uint8Array([1]) });
}
"""


def _tagged(text: str) -> str:
    # The tags layout: untagged operations are the `default_` group's.
    return text.replace("client.", "client.default_.")


@pytest.mark.parametrize("layout", ["module", "tags"])
def test_binary_types_under_tsc_strict(tsc: Tsc, tmp_path: Path, layout: str) -> None:
    project = write_package(build("binary", [SPEC]), tmp_path / layout, layout=layout)
    tagged = (lambda text: text) if layout == "module" else _tagged
    (project / "src" / "use.ts").write_text(tagged(USE), encoding="utf-8")
    tsc.check(project, "--noEmit")
    (project / "src" / "use.ts").write_text(tagged(MISUSE), encoding="utf-8")
    result = tsc.run("-p", project, "--noEmit")
    errors = [line for line in result.stdout.splitlines() if "error TS" in line]
    assert len(errors) == 1 and "contentType" in result.stdout, result.stdout


@pytest.fixture
def pkg(tmp_path: Path) -> Iterator[tuple[ModuleType, Path]]:
    """The generated FastAPI server (imported) and TypeScript client (its folder)."""
    name = binary_app.PACKAGE
    styles = ("--style", "fastapi", "--style", "typescript")
    result = run_specgen("generate", SPEC, "--name", name, "--out", tmp_path, *styles)
    assert result.returncode == 0, result.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module("tests.fuzzing.binary_app"), tmp_path / name / "typescript"
    finally:
        sys.path.remove(str(tmp_path))
        for module in [m for m in sys.modules if m == name or m.startswith(f"{name}.")]:
            del sys.modules[module]


def test_node_sends_and_reads_binary_bodies(
    node: str, tsc: Tsc, pkg: tuple[ModuleType, Path]
) -> None:
    app_module, client = pkg
    tsc.check(client)
    with serving(app_module.fastapi_app()) as url:
        config = {"url": url, "module": str(client / "dist" / "index.js")}
        _node_test(node, HERE / "binary_calls.mjs", {"SPECGEN_TS_BINARY": json.dumps(config)})
