"""Defects other generators accept are warnings that say what generation does about them;
--strict makes every warning an error; ignored codes are not reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.diagnostics import Severity, SpecError
from generator.pipeline import Options, load_and_validate

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SPEC = CORPUS / "lenient_published_defects.yaml"
DISCRIMINATOR = CORPUS / "structure_discriminator_missing_mapping.yaml"


def test_each_defect_is_a_located_warning_with_its_own_code() -> None:
    _, _, found = load_and_validate([SPEC], Options())
    by_pointer = {(d.location.pointer if d.location else ""): d for d in found}
    expected = {
        "/components/schemas/Grammar/default": "SG311",
        "/components/schemas/Request/properties/max_tokens/default": "SG311",
        "/components/schemas/Request/properties/stream/default": "SG311",
        "/components/schemas/Request/required": "SG314",
        "/components/schemas/Mode/enum": "SG314",
        "/components/schemas/Reason/enum": "SG317",
        "/components/schemas/Request/properties/temperature": "SG313",
        # openapi-spec-validator checks no default in a request body: specgen does.
        "/paths/~1accounts~1{id}/put/requestBody/content/application~1json/schema/properties/"
        "creditLimit/default": "SG311",
    }
    for pointer, code in expected.items():
        assert by_pointer[pointer].code == code, pointer
        assert by_pointer[pointer].severity is Severity.WARNING
    assert (
        "deprecatedSince"
        in by_pointer["/components/schemas/Request/properties/temperature"].message
    )


def test_generation_reads_the_spec_as_meant() -> None:
    _, validated, _ = load_and_validate([SPEC], Options())
    schemas = validated.document["components"]["schemas"]
    assert "default" not in schemas["Grammar"]
    request = schemas["Request"]
    assert "default" not in request["properties"]["max_tokens"]
    assert "default" not in request["properties"]["stream"]
    body = validated.document["paths"]["/accounts/{id}"]["put"]["requestBody"]
    assert (
        "default" not in body["content"]["application/json"]["schema"]["properties"]["creditLimit"]
    )
    assert request["properties"]["temperature"]["default"] == 0.5  # a valid default stays
    assert request["required"] == ["prompt"]
    assert schemas["Mode"]["enum"] == ["fast", "exact"]
    assert schemas["Reason"]["enum"] == ["DEFAULT"]  # an object and a number: no string


def test_an_unresolvable_discriminator_is_dropped_with_a_warning() -> None:
    _, validated, found = load_and_validate([DISCRIMINATOR], Options())
    warnings = [d for d in found if d.code == "SG412"]
    assert warnings and all(d.severity is Severity.WARNING for d in warnings)
    pet = validated.document["components"]["schemas"]["Pet"]
    assert "discriminator" not in pet and "oneOf" in pet


def test_strict_makes_every_warning_an_error() -> None:
    with pytest.raises(SpecError) as caught:
        load_and_validate([SPEC], Options(strict=True))
    codes = {d.code for d in caught.value.diagnostics}
    assert {"SG311", "SG313", "SG314"} <= codes
    assert all(d.severity is Severity.ERROR for d in caught.value.diagnostics)
    assert all(d.message.endswith("(--strict)") for d in caught.value.diagnostics)


def test_ignored_codes_are_not_reported_but_errors_always_are() -> None:
    ignore = frozenset({"SG311", "SG312", "SG313", "SG317"})
    _, _, found = load_and_validate([SPEC], Options(ignore=ignore))
    assert {d.code for d in found} == {"SG314"}
    with pytest.raises(SpecError) as caught:  # strict and ignore together: the rest are errors
        load_and_validate([SPEC], Options(strict=True, ignore=ignore))
    assert {d.code for d in caught.value.diagnostics} == {"SG314"}


def test_a_default_its_referenced_schema_rejects_is_dropped_where_it_is(tmp_path: Path) -> None:
    """`"default": "null"` beside `allOf: [$ref]`: the validator fails inside the referenced
    schema, but the default belongs to (and is dropped from) the property; the referenced
    schema keeps what it has."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        """openapi: 3.0.3
info: {title: T, version: "1"}
paths: {}
components:
  schemas:
    Grammar:
      type: object
      properties: {kind: {type: string}}
    Request:
      type: object
      properties:
        format: {allOf: [{$ref: "#/components/schemas/Grammar"}], nullable: true, default: "null"}
        other: {allOf: [{$ref: "#/components/schemas/Grammar"}], default: {kind: k}}
""",
        encoding="utf-8",
    )
    _, validated, found = load_and_validate([spec], Options())
    pointers = {d.location.pointer for d in found if d.code == "SG311" and d.location}
    assert pointers == {"/components/schemas/Request/properties/format/default"}
    props = validated.document["components"]["schemas"]["Request"]["properties"]
    assert "default" not in props["format"]
    assert props["other"]["default"] == {"kind": "k"}


def test_scalar_examples_their_schema_refuses_are_dropped(tmp_path: Path) -> None:
    spec = tmp_path / "examples.yaml"
    spec.write_text(
        """\
openapi: 3.0.3
info: {title: T, version: "1"}
paths: {}
components:
  schemas:
    Params:
      type: object
      properties:
        seed: {type: integer, nullable: true, example: "null"}
        best: {type: integer, minimum: 1, example: 0}
        mode: {type: string, enum: [a, b], example: c}
        ok: {type: integer, nullable: true, example: 3}
        empty: {type: string, nullable: true, example: null}
"""
    )
    _, validated, found = load_and_validate([spec], Options())
    refused = sorted(d.location.pointer for d in found if d.code == "SG312" and d.location)
    properties = "/components/schemas/Params/properties"
    assert refused == [f"{properties}/{name}/example" for name in ("best", "mode", "seed")]
    assert all(d.severity is Severity.WARNING for d in found if d.code == "SG312")
    kept = validated.document["components"]["schemas"]["Params"]["properties"]
    assert [name for name, node in kept.items() if "example" in node] == ["ok", "empty"]


PATTERNS = CORPUS / "lenient_ecma_patterns.yaml"


def test_a_pattern_python_cannot_compile_is_dropped_with_a_warning() -> None:
    """ECMA-262 syntax (`\\p{L}`, `[\\w- ]`): openapi-spec-validator refused it, and the
    schema holding it; a nested class made a models.py that failed to import. Now each is a
    warning and generation reads no pattern there."""
    _, validated, found = load_and_validate([PATTERNS], Options())
    assert sorted((d.code, d.location.pointer) for d in found if d.location) == [
        ("SG315", "/components/schemas/Tag/properties/code/pattern"),
        ("SG315", "/components/schemas/Tag/properties/path/pattern"),
        ("SG315", "/components/schemas/Tag/properties/stamp/pattern"),
        ("SG315", "/components/schemas/Tag/properties/timecode/pattern"),
        ("SG315", "/components/schemas/TagValue/pattern"),
        ("SG315", "/paths/~1tags~1{key}/get/parameters/0/schema/pattern"),
    ]
    assert all(d.severity is Severity.WARNING for d in found)
    schemas = validated.document["components"]["schemas"]
    assert "pattern" not in schemas["TagValue"]
    assert "pattern" not in schemas["Tag"]["properties"]["path"]
    assert schemas["Tag"]["properties"]["plain"]["pattern"] == "^[a-z]+$"  # all read it
    assert "pattern" not in schemas["Tag"]["properties"]["code"]  # the Rust crate does not
    assert "pattern" not in schemas["Tag"]["properties"]["timecode"]  # no string
    assert schemas["Tag"]["properties"]["slug"]["pattern"] == "^(?!admin).*$"
    parameter = validated.document["paths"]["/tags/{key}"]["get"]["parameters"][0]
    assert "pattern" not in parameter["schema"]
    with pytest.raises(SpecError) as caught:
        load_and_validate([PATTERNS], Options(strict=True))
    assert {d.code for d in caught.value.diagnostics} == {"SG315"}


NULL_UNIONS = CORPUS / "lenient_null_beside_union.yaml"


def test_null_beside_a_union_is_read_as_a_nullable_union() -> None:
    """`{type: "null", oneOf: [...]}` (vercel's spec): no value meets both, so the mock could
    answer nothing and servers would refuse every body. The author meant null or a branch."""
    _, validated, found = load_and_validate([NULL_UNIONS], Options())
    assert sorted((d.code, d.severity, d.location.pointer) for d in found if d.location) == [
        ("SG316", Severity.WARNING, "/components/schemas/Item/properties/assignedAt/type"),
        ("SG316", Severity.WARNING, "/components/schemas/ItemValue/type"),
    ]
    schemas = validated.document["components"]["schemas"]
    assert schemas["ItemValue"]["nullable"] is True and "type" not in schemas["ItemValue"]
    assert len(schemas["ItemValue"]["oneOf"]) == 4
    assigned = schemas["Item"]["properties"]["assignedAt"]
    assert assigned == {"anyOf": [{"type": "number"}, {"type": "boolean"}], "nullable": True}
    with pytest.raises(SpecError) as caught:
        load_and_validate([NULL_UNIONS], Options(strict=True))
    assert {d.code for d in caught.value.diagnostics} == {"SG316"}
