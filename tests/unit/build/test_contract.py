"""The contract servers serve (`contract_document`): the normalised document in its declared
version's form, sharing with that document every schema the rewrite leaves alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.build.jsonschema import contract_document, to_json_schema, webhook_contract
from generator.diagnostics import SpecError
from generator.ir.model import Operation
from generator.load import load_spec
from generator.load.tree import deep_copy
from generator.validate import validate
from generator.validate.normalise import to_3_0
from generator.validate.schemas import schema_nodes

CORPUS = Path(__file__).parents[2] / "corpus"


def _every_node_rewritten(document: dict[str, Any]) -> dict[str, Any]:
    """What the contract means: a copy of the whole document, each schema node rewritten."""
    copy: dict[str, Any] = deep_copy(document)
    version = str(copy.get("openapi", ""))
    rewrite = to_json_schema if version.startswith("3.1") else to_3_0
    for node in schema_nodes(copy):
        rewrite(node)
    return copy


def _document(text: str, tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "spec.yaml"
    path.write_text(text)
    spec, _ = load_spec([path])
    return validate(spec, allow_invalid=True).document


SPEC_30 = """
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /a:
    get:
      parameters:
        - {name: q, in: query, schema: {type: integer, minimum: 0, exclusiveMinimum: true}}
      responses:
        '200':
          description: ok
          content:
            application/json: {schema: {$ref: '#/components/schemas/Plain'}}
components:
  schemas:
    Plain:
      type: object
      properties: {name: {type: string, nullable: true}}
    Bounded:
      type: object
      properties:
        size: {type: number, exclusiveMaximum: 10}
        kind: {const: fixed}
"""


def test_a_30_contract_shares_what_it_leaves_alone(tmp_path: Path) -> None:
    document = _document(SPEC_30, tmp_path)
    before = deep_copy(document)
    contract = contract_document(document)
    assert contract == _every_node_rewritten(before)
    assert document == before  # the document is not changed
    schemas = contract["components"]["schemas"]
    assert schemas["Plain"] is document["components"]["schemas"]["Plain"]
    assert schemas["Bounded"] is not document["components"]["schemas"]["Bounded"]
    assert schemas["Bounded"]["properties"]["kind"] == {"enum": ["fixed"]}
    assert contract["components"] is not document["components"]
    assert contract["paths"] is document["paths"]  # nothing below it is rewritten


def test_a_31_contract_rewrites_nullable(tmp_path: Path) -> None:
    document = _document(SPEC_30.replace("3.0.3", "3.1.0"), tmp_path)
    before = deep_copy(document)
    contract = contract_document(document)
    assert contract == _every_node_rewritten(before)
    assert document == before
    name = contract["components"]["schemas"]["Plain"]["properties"]["name"]
    assert name == {"type": ["string", "null"]}


def test_the_webhook_contract_leaves_the_document_alone(tmp_path: Path) -> None:
    document = _document(SPEC_30, tmp_path)
    before = deep_copy(document)
    hook = Operation(operation_id="ping", method="GET", path="/a", pointer="/paths/~1a/get")
    contract = webhook_contract(document, [hook])
    assert contract["info"]["title"] == "T webhooks"
    assert list(contract["paths"]) == ["/webhooks/a"]
    assert document == before


@pytest.mark.parametrize(
    "path",
    sorted(p for p in CORPUS.iterdir() if p.suffix in (".yaml", ".json")),
    ids=lambda p: p.name,
)
def test_every_corpus_contract_is_the_rewritten_document(path: Path) -> None:
    try:
        spec, _ = load_spec([path])
    except SpecError:
        pytest.skip("refused at load")
    document = validate(spec, allow_invalid=True).document
    before = deep_copy(document)
    assert contract_document(document) == _every_node_rewritten(before)
    assert document == before
