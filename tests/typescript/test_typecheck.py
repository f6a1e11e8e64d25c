"""`tsc --noEmit` (strict) on generated TypeScript clients: the seed APIs, the full Braintrust
API, every clean spec of the corpus (hostile names and text), and alias cycles; plus a Node.js
round trip proving that escaped spec text reads back as the same value and cannot leave a
comment."""

from __future__ import annotations

import dataclasses
import json
import subprocess
from pathlib import Path

import pytest

from generator.diagnostics import SpecError
from generator.render.typescript import render_typescript_client
from generator.render.typescript.literals import ts_doc, ts_literal
from tests.typescript.helpers import (
    FULL_SPEC,
    REPO,
    SEEDS,
    Tsc,
    build,
    seed_api,
    write_files,
    write_package,
)

CORPUS = REPO / "tests" / "corpus"


@pytest.mark.parametrize("name", SEEDS)
def test_seed_clients_type_check(name: str, tsc: Tsc, tmp_path: Path) -> None:
    tsc.check(write_package(seed_api(name), tmp_path / name), "--noEmit")


@pytest.mark.skipif(
    not FULL_SPEC.is_file(), reason=f"full Braintrust spec not found at {FULL_SPEC}"
)
def test_full_braintrust_client_type_checks(tsc: Tsc, tmp_path: Path) -> None:
    api = build("braintrust_full", [FULL_SPEC])
    files = render_typescript_client(api)
    assert files["src/client.ts"].count("\n  async ") == len(api.operations) == 218
    models = files["src/models.ts"]
    for name in api.models_document["components"]["schemas"]:
        assert f"export interface {name} {{" in models or f"export type {name} = " in models
    tsc.check(write_files(files, tmp_path / "braintrust_full"), "--noEmit")


def _clean_corpus_specs() -> list[Path]:
    """Corpus specs whose first line says they generate cleanly."""
    return [
        p
        for p in sorted(CORPUS.glob("*.yaml"))
        if "-> clean" in p.read_text("utf-8", "replace").split("\n", 1)[0]
    ]


def test_corpus_clients_type_check_together(tsc: Tsc, tmp_path: Path) -> None:
    """Every clean corpus spec (odd names, keywords, Jinja, injection text, U+2028, NUL...)
    renders a client that type-checks; one tsc run for all of them."""
    rendered: list[str] = []
    for spec in _clean_corpus_specs():
        try:
            api = build(spec.stem, [spec], allow_invalid=True)
        except SpecError:
            continue  # refused before generation: nothing to render
        write_package(api, tmp_path / spec.stem)
        rendered.append(spec.stem)
    assert len(rendered) >= 30, rendered
    first = rendered[0]
    config = {
        "extends": f"./{first}/tsconfig.json",
        "compilerOptions": {"rootDir": ".", "noEmit": True},
        "include": ["*/src"],
    }
    (tmp_path / "tsconfig.json").write_text(json.dumps(config), encoding="utf-8")
    tsc.check(tmp_path)


def test_alias_cycles_type_check(tsc: Tsc, tmp_path: Path) -> None:
    api = seed_api("martian")
    schemas = {
        "A": {"allOf": [{"$ref": "#/components/schemas/B"}]},
        "B": {"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "string"}]},
        "C": {"$ref": "#/components/schemas/C", "nullable": True},
        "List": {"type": "array", "items": {"$ref": "#/components/schemas/List"}},
        "Tree": {"oneOf": [{"type": "integer"}, {"$ref": "#/components/schemas/Forest"}]},
        "Forest": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Tree"}},
        "Mixed": {
            "allOf": [{"$ref": "#/components/schemas/Forest"}],
            "properties": {"self": {"$ref": "#/components/schemas/Mixed"}},
        },
    }
    document = {
        "components": {"schemas": {**api.models_document["components"]["schemas"], **schemas}}
    }
    files = render_typescript_client(dataclasses.replace(api, models_document=document))
    assert "export type B = unknown | string;" not in files["src/models.ts"]  # unknown absorbs
    assert "export type B = unknown;" in files["src/models.ts"]
    tsc.check(write_files(files, tmp_path / "cycles"), "--noEmit")


HOSTILE = [
    "",
    'quote " backslash \\ end\\',
    "*/ export const pwned = 1; /*",
    "</script><!-- -->",
    "line\nbreak\r\nand\u2028sep\u2029para\u0085nel",
    "\x00\x01\x1b[31m\x7f",
    "${template} `backtick` {{ jinja }}",
    "\ud83d lone surrogate, 😀 pair, \U000e0001 tag",
    "é ü ß 中文 עברית",
]


def test_escaped_text_round_trips_through_node(node: str, tmp_path: Path) -> None:
    docs = "\n".join(f"{ts_doc(text)}\nexport const d{i} = {i};" for i, text in enumerate(HOSTILE))
    module = f"{docs}\nexport const values = [{', '.join(ts_literal(t) for t in HOSTILE)}];\n"
    (tmp_path / "m.mjs").write_text(module, encoding="utf-8")
    probe = (
        "const m = await import('./m.mjs');"
        "console.log(JSON.stringify({keys: Object.keys(m).sort(), values: m.values}));"
    )
    out = subprocess.run(
        [node, "--input-type=module", "-e", probe],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    seen = json.loads(out.stdout)
    assert seen["keys"] == sorted([f"d{i}" for i in range(len(HOSTILE))] + ["values"])
    assert seen["values"] == HOSTILE


# Spec text that would inject code if it left a comment or a string: every kind of text slot.
HOSTILE_SPEC = r"""
openapi: 3.1.0
info:
  title: "*/ export const pwned = 1; /* </script>"
  version: "1.0.0\u2028"
  description: "*/ export const pwned = 2; /*"
servers:
  - url: "https://x.test/*/\"'`${a}`\u2028</script>"
security:
  - "key*/": []
paths:
  "/items/{id}":
    get:
      operationId: "*/ pwned(); /*"
      summary: "*/ export const pwned = 3; /*"
      description: "line\u2028sep */ \\"
      parameters:
        - name: id
          in: path
          required: true
          description: "*/ export const pwned = 4; /*"
          schema: {type: string}
        - name: "q\"*/ `${x}`"
          in: query
          schema: {type: string, enum: ["*/", "\"", "</script>", "\u2028", "${x}"]}
        - name: "X-Odd-Header"
          in: header
          description: "*/ export const pwned = 44; /*"
          deprecated: true
          schema: {type: string}
      responses:
        "200":
          description: "*/ export const pwned = 5; /*"
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
        "400":
          description: "*/ export const pwned = 6; /*"
          content:
            "text/plain; x=\"*/\"":
              schema: {type: string}
components:
  securitySchemes:
    "key*/":
      type: apiKey
      in: header
      name: "X-Key"
      description: "*/ export const pwned = 7; /*"
  schemas:
    Thing:
      description: "*/ export const pwned = 8; /*"
      type: object
      properties:
        "*/ weird key \"": {type: string, description: "*/ export const pwned = 9; /*"}
        "__proto__": {type: integer}
        "constructor": {type: string, enum: ["a*/b", "c\\d", "</script>"]}
      required: ["__proto__"]
"""


def test_hostile_spec_text_stays_inert(node: str, tsc: Tsc, tmp_path: Path) -> None:
    """Compiled and imported, the client exports exactly its own names: no spec text ran."""
    spec = tmp_path / "hostile.yaml"
    spec.write_text(HOSTILE_SPEC, encoding="utf-8")
    package = write_package(build("hostile", [spec], allow_invalid=True), tmp_path / "hostile")
    tsc.check(package)
    probe = (
        "const m = await import('./dist/index.js');"
        "console.log(JSON.stringify({keys: Object.keys(m).sort(), url: m.DEFAULT_BASE_URL,"
        " methods: Object.getOwnPropertyNames(m.Client.prototype).sort()}));"
    )
    out = subprocess.run(
        [node, "--input-type=module", "-e", probe],
        cwd=package,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    seen = json.loads(out.stdout)
    assert seen["keys"] == [
        "ApiError",
        "ByteStream",
        "Client",
        "DEFAULT_BASE_URL",
        "NO_RETRY",
        "Pwned400Error",
        "ResponseParseError",
        "Stream",
        "TimeoutError",
        "UnexpectedStatusError",
        "retryAfterMs",
        "retryDelayMs",
    ]
    assert seen["url"] == "https://x.test/*/\"'`${a}`\u2028</script>"
    assert seen["methods"] == ["constructor", "pwned"]


def test_runtime_files_type_check_on_their_own(tsc: Tsc, tmp_path: Path) -> None:
    """generator/runtime/typescript/ is real TypeScript, checked as it is kept (not only as
    copied into packages), under the strict tsconfig every package gets."""
    runtime = REPO / "generator" / "runtime" / "typescript"
    files = {f"src/{p.name}": p.read_text("utf-8") for p in sorted(runtime.glob("*.ts"))}
    assert set(files) == {"src/errors.ts", "src/retry.ts", "src/runtime.ts", "src/streams.ts"}
    files["tsconfig.json"] = render_typescript_client(seed_api("martian"))["tsconfig.json"]
    tsc.check(write_files(files, tmp_path / "runtime"), "--noEmit")


READ_WRITE_USE = """import { Client } from "./index.js";
import type * as models from "./models.js";

export async function roundTrip(client: Client): Promise<string> {
  const input: models.OrderInput = { item: "tea", quantity: 1, secret: "k", lines: [{ sku: "a" }] };
  const order: models.Order = await client.createOrder({ body: input });
  const again = await client.getOrder({ orderId: order.id });
  return again.created_at + String(again.lines?.[0]?.line_id);
}
"""
READ_WRITE_MISUSE = """import { Client } from "./index.js";
import type * as models from "./models.js";

export async function misuse(client: Client, order: models.Order): Promise<string> {
  await client.createOrder({ body: { item: "tea", quantity: 1, secret: "k", id: "mine" } });
  return order.secret;
}
"""


def test_read_write_only_client_types_each_side(tsc: Tsc, tmp_path: Path) -> None:
    """The request side (`OrderInput`) is what createOrder takes, the response side (`Order`)
    what it returns: an order is created without its id, and neither side takes the other's
    properties (tsc --strict)."""
    api = build("orders", [CORPUS / "models_read_write_only.yaml"])
    project = write_package(api, tmp_path / "orders")
    (project / "src" / "use.ts").write_text(READ_WRITE_USE, encoding="utf-8")
    tsc.check(project, "--noEmit")
    (project / "src" / "use.ts").write_text(READ_WRITE_MISUSE, encoding="utf-8")
    result = tsc.run("-p", project, "--noEmit")
    errors = [line for line in result.stdout.splitlines() if "error TS" in line]
    assert len(errors) == 2, result.stdout
    assert "'id' does not exist in type 'OrderInput'" in errors[0]
    assert "'secret' does not exist on type 'Order'" in errors[1]
