"""generator/runtime/python/_mock_values.py as code: every synthesised value is validated by
jsonschema (Draft 2020-12, 3.0 documents converted first, formats checked), on small inline
schemas per keyword family, on random schemas (hypothesis) and on the real shared specs."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pydantic
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build.jsonschema import to_json_schema
from generator.runtime.python._mock_values import SynthesisError, Synthesizer
from generator.validate.schemas import walk_schemas

ROOT = Path(__file__).resolve().parents[3]
SPECS = ROOT.parent / "shared" / "specs"
BRAINTRUST = SPECS / "braintrust-full" / "spec-2026-07-01.yaml"
RESEND = SPECS / "realworld" / "resend.yaml"
TGI = SPECS / "realworld" / "text-generation-inference.json"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SEEDS = range(8)


def _document(version: str, schemas: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": version,
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    }


def _resolve(document: dict[str, Any], schema: Any) -> Any:
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
        node: Any = document
        for token in schema["$ref"][2:].split("/"):
            node = node[token.replace("~1", "/").replace("~0", "~")]
        schema = node
    return schema


def _as_json_schema(document: dict[str, Any], response: bool) -> dict[str, Any]:
    """The document's schemas as JSON Schema 2020-12 for one side: 3.0's forms rewritten,
    and properties hidden on that side (writeOnly in responses) forbidden, not required."""
    converted = copy.deepcopy(document)
    nodes = [item.node for item in walk_schemas(converted).nodes]
    hidden = "writeOnly" if response else "readOnly"
    for node in nodes:
        props = node.get("properties")
        if isinstance(props, dict):
            for name, prop in list(props.items()):
                if isinstance(_resolve(converted, prop), dict) and _resolve(converted, prop).get(
                    hidden
                ):
                    props[name] = False
                    if name in node.get("required", []):
                        node["required"] = [n for n in node["required"] if n != name]
    if not str(document["openapi"]).startswith("3.1"):
        for node in nodes:
            to_json_schema(node)
    return converted


def _with_roots(document: dict[str, Any], roots: list[Any]) -> dict[str, Any]:
    """The document with `roots` added as components x-root-<i>, so that they are converted
    with the rest (the schema walk starts from the document's own places)."""
    components = dict(document.get("components") or {})
    schemas = dict(components.get("schemas") or {})
    schemas.update({f"x-root-{i}": copy.deepcopy(r) for i, r in enumerate(roots)})
    return {**document, "components": {**components, "schemas": schemas}}


def _validator(converted: dict[str, Any], i: int = 0) -> jsonschema.Draft202012Validator:
    root = {"$ref": f"#/components/schemas/x-root-{i}", "components": converted["components"]}
    return jsonschema.Draft202012Validator(
        root, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def _errors(document: dict[str, Any], schema: Any, value: Any, response: bool = True) -> list[str]:
    converted = _as_json_schema(_with_roots(document, [schema]), response)
    errors = _validator(converted).iter_errors(value)
    return [f"{list(e.absolute_path)}: {e.message}" for e in errors]


def _check(
    version: str,
    schema: Any,
    schemas: dict[str, Any] | None = None,
    seeds: range = SEEDS,
    response: bool = True,
) -> list[Any]:
    """Values for several seeds, each asserted valid; returned for more assertions."""
    document = _document(version, schemas or {})
    synth = Synthesizer(document)
    values = []
    for seed in seeds:
        value = synth.value(schema, seed=seed, response=response)
        assert _errors(document, schema, value, response) == [], (seed, value)
        values.append(value)
    return values


# Keyword families: (name, version, schema, components).
DATE_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
CASES: list[tuple[str, str, Any, dict[str, Any]]] = [
    ("string", "3.0.3", {"type": "string"}, {}),
    ("lengths", "3.0.3", {"type": "string", "minLength": 30, "maxLength": 31}, {}),
    ("short", "3.1.0", {"type": "string", "maxLength": 2}, {}),
    ("pattern", "3.0.3", {"type": "string", "pattern": r"^[A-Z]{3}-\d{2,4}$"}, {}),
    (
        "pattern alternation",
        "3.1.0",
        {"type": "string", "pattern": r"^(red|green|blue)(-\w+)?$"},
        {},
    ),
    ("pattern negated class", "3.1.0", {"type": "string", "pattern": r"^[^a-z\s]{5}$"}, {}),
    ("pattern backref", "3.1.0", {"type": "string", "pattern": r"^(ab|cd)x\1$"}, {}),
    ("pattern unanchored", "3.1.0", {"type": "string", "pattern": r"\d", "minLength": 12}, {}),
    (
        "pattern and lengths",
        "3.1.0",
        {"type": "string", "pattern": "^[a-z]+$", "minLength": 25},
        {},
    ),
    ("date-time", "3.0.3", {"type": "string", "format": "date-time"}, {}),
    ("date", "3.1.0", {"type": "string", "format": "date"}, {}),
    ("time", "3.1.0", {"type": "string", "format": "time"}, {}),
    ("uuid", "3.0.3", {"type": "string", "format": "uuid"}, {}),
    ("email", "3.0.3", {"type": "string", "format": "email", "maxLength": 30}, {}),
    ("uri", "3.0.3", {"type": "string", "format": "uri"}, {}),
    ("hostname", "3.0.3", {"type": "string", "format": "hostname"}, {}),
    (
        "ipv4 ipv6",
        "3.1.0",
        {"anyOf": [{"type": "string", "format": "ipv4"}, {"type": "string", "format": "ipv6"}]},
        {},
    ),
    ("byte", "3.0.3", {"type": "string", "format": "byte", "maxLength": 16}, {}),
    ("binary", "3.0.3", {"type": "string", "format": "binary"}, {}),
    ("password", "3.0.3", {"type": "string", "format": "password", "minLength": 12}, {}),
    ("unknown format", "3.0.3", {"type": "string", "format": "x-thing"}, {}),
    (
        "content",
        "3.1.0",
        {"type": "string", "contentMediaType": "image/png", "contentEncoding": "base64"},
        {},
    ),
    ("integer", "3.0.3", {"type": "integer", "minimum": 5, "maximum": 7}, {}),
    ("int32", "3.0.3", {"type": "integer", "format": "int32"}, {}),
    ("negative", "3.0.3", {"type": "integer", "maximum": -1000}, {}),
    (
        "exclusive 3.0",
        "3.0.3",
        {
            "type": "integer",
            "minimum": 1,
            "maximum": 3,
            "exclusiveMinimum": True,
            "exclusiveMaximum": True,
        },
        {},
    ),
    (
        "exclusive 3.1",
        "3.1.0",
        {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 0.5},
        {},
    ),
    ("multipleOf int", "3.0.3", {"type": "integer", "minimum": 10, "multipleOf": 7}, {}),
    (
        "multipleOf float",
        "3.1.0",
        {"type": "number", "minimum": 0.1, "maximum": 2, "multipleOf": 0.1},
        {},
    ),
    ("number", "3.0.3", {"type": "number", "format": "double"}, {}),
    ("boolean", "3.0.3", {"type": "boolean"}, {}),
    ("null", "3.1.0", {"type": "null"}, {}),
    ("type list", "3.1.0", {"type": ["string", "integer", "null"], "minimum": 3}, {}),
    ("nullable", "3.0.3", {"type": "string", "nullable": True, "maxLength": 4}, {}),
    ("const", "3.1.0", {"const": {"a": [1, 2]}}, {}),
    ("enum", "3.0.3", {"type": "string", "enum": ["a", "b", None], "nullable": True}, {}),
    ("enum filtered", "3.1.0", {"type": "integer", "enum": [1, 2, 30], "minimum": 10}, {}),
    ("empty", "3.1.0", {}, {}),
    ("true", "3.1.0", True, {}),
    (
        "object",
        "3.0.3",
        {
            "type": "object",
            "required": ["a"],
            "properties": {"a": {"type": "integer"}, "b": {"type": "string"}},
            "additionalProperties": False,
        },
        {},
    ),
    ("map", "3.0.3", {"type": "object", "additionalProperties": {"type": "integer"}}, {}),
    (
        "minProperties",
        "3.0.3",
        {"type": "object", "minProperties": 3, "additionalProperties": {"type": "boolean"}},
        {},
    ),
    (
        "maxProperties",
        "3.1.0",
        {
            "type": "object",
            "maxProperties": 1,
            "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
        },
        {},
    ),
    (
        "patternProperties",
        "3.1.0",
        {
            "type": "object",
            "minProperties": 1,
            "patternProperties": {"^x-[a-z]+$": {"type": "integer"}},
            "additionalProperties": False,
        },
        {},
    ),
    ("array", "3.0.3", {"type": "array", "items": {"type": "string", "format": "uuid"}}, {}),
    ("array bounds", "3.0.3", {"type": "array", "minItems": 4, "maxItems": 5, "items": {}}, {}),
    (
        "uniqueItems",
        "3.0.3",
        {
            "type": "array",
            "minItems": 3,
            "uniqueItems": True,
            "items": {"type": "string", "enum": ["a", "b", "c"]},
        },
        {},
    ),
    (
        "uniqueItems example",
        "3.0.3",
        {
            "type": "array",
            "minItems": 3,
            "uniqueItems": True,
            "items": {"type": "integer", "example": 4},
        },
        {},
    ),
    (
        "prefixItems",
        "3.1.0",
        {
            "type": "array",
            "prefixItems": [{"type": "integer"}, {"type": "string"}],
            "items": False,
            "minItems": 2,
        },
        {},
    ),
    (
        "allOf",
        "3.0.3",
        {
            "allOf": [
                {"$ref": "#/components/schemas/A"},
                {
                    "type": "object",
                    "required": ["b"],
                    "properties": {"b": {"type": "integer", "maximum": 3}},
                },
            ]
        },
        {
            "A": {
                "type": "object",
                "required": ["a"],
                "properties": {
                    "a": {"type": "integer", "minimum": 1},
                    "b": {"type": "integer", "minimum": 2},
                },
            }
        },
    ),
    (
        "nested allOf",
        "3.1.0",
        {"$ref": "#/components/schemas/C"},
        {
            "A": {"type": "string", "minLength": 5},
            "B": {"allOf": [{"$ref": "#/components/schemas/A"}, {"maxLength": 6}]},
            "C": {"allOf": [{"$ref": "#/components/schemas/B"}, {"pattern": "^[0-9]+$"}]},
        },
    ),
    (
        "oneOf types",
        "3.0.3",
        {
            "oneOf": [
                {"type": "string"},
                {"type": "integer"},
                {"type": "array", "items": {"type": "boolean"}},
            ]
        },
        {},
    ),
    ("oneOf overlapping", "3.1.0", {"oneOf": [{"type": "number"}, {"type": "integer"}]}, {}),
    (
        "oneOf const property",
        "3.1.0",
        {
            "oneOf": [
                {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "a"}}},
                {"type": "object", "required": ["kind"], "properties": {"kind": {"enum": ["b"]}}},
            ]
        },
        {},
    ),
    (
        "anyOf",
        "3.0.3",
        {"anyOf": [{"type": "string", "format": "date"}, {"type": "integer", "minimum": 100}]},
        {},
    ),
    (
        "nullable ref",
        "3.0.3",
        {"allOf": [{"$ref": "#/components/schemas/A"}], "nullable": True},
        {"A": {"type": "object", "properties": {"x": {"type": "string"}}}},
    ),
    ("not", "3.1.0", {"not": {"type": "string"}}, {}),
    ("not enum", "3.1.0", {"type": "string", "enum": ["a", "b"], "not": {"const": "a"}}, {}),
    (
        "escaped ref",
        "3.1.0",
        {"$ref": "#/components/schemas/a~1b~0c"},
        {"a/b~c": {"type": "integer", "minimum": 3, "maximum": 3}},
    ),
    (
        "ref siblings 3.1",
        "3.1.0",
        {"$ref": "#/components/schemas/A", "maxLength": 3},
        {"A": {"type": "string", "minLength": 2}},
    ),
]


@pytest.mark.parametrize(
    ("version", "schema", "schemas"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_values_validate(version: str, schema: Any, schemas: dict[str, Any]) -> None:
    _check(version, schema, schemas)


def test_strings_are_small_formats_exact_and_seeds_differ() -> None:
    values = _check("3.0.3", {"type": "string"}, seeds=range(20))
    assert all(8 <= len(v) <= 20 for v in values)
    assert len(set(values)) == 20
    for v in _check("3.0.3", {"type": "string", "format": "date-time"}):
        assert DATE_TIME.match(v), v
    assert all(type(v) is int for v in _check("3.1.0", {"type": "integer", "multipleOf": 0.5}))


def test_defaults_and_examples_are_reused_only_when_valid() -> None:
    assert _check("3.0.3", {"type": "integer", "default": 7, "example": 9}) == [7] * 8
    assert _check("3.0.3", {"type": "integer", "maximum": 5, "default": 7, "example": 3}) == [3] * 8
    wrong = {"type": "string", "format": "uuid", "example": "not-a-uuid"}
    assert "not-a-uuid" not in _check("3.0.3", wrong)
    assert _check("3.1.0", {"type": "string", "examples": [5, "ok"]}) == ["ok"] * 8
    bad_object = {
        "type": "object",
        "required": ["a"],
        "properties": {"a": {"type": "string"}},
        "example": {"a": 1},
    }
    assert all(isinstance(v["a"], str) for v in _check("3.0.3", bad_object))


def test_enums_pick_members_and_null_only_when_alone() -> None:
    values = _check(
        "3.0.3",
        {"type": "string", "enum": ["a", "b", "c", None], "nullable": True},
        seeds=range(30),
    )
    assert set(values) == {"a", "b", "c"}
    assert _check("3.1.0", {"enum": [None]}) == [None] * 8


SIDES = {
    "Item": {
        "type": "object",
        "required": ["id", "secret", "name"],
        "properties": {
            "id": {"type": "string", "readOnly": True},
            "secret": {"type": "string", "writeOnly": True},
            "name": {"type": "string"},
            "ref": {"$ref": "#/components/schemas/Token"},
        },
    },
    "Token": {"type": "string", "writeOnly": True},
}


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_read_only_and_write_only_by_side(version: str) -> None:
    schema = {"$ref": "#/components/schemas/Item"}
    for value in _check(version, schema, SIDES, response=True):
        assert set(value) == {"id", "name"}
    for value in _check(version, schema, SIDES, response=False):
        assert set(value) == {"secret", "name", "ref"}


PETS = {
    "Cat": {
        "type": "object",
        "required": ["pet_type", "meows"],
        "properties": {"pet_type": {"type": "string"}, "meows": {"type": "boolean"}},
    },
    "Dog": {
        "type": "object",
        "required": ["pet_type", "barks"],
        "properties": {"pet_type": {"type": "string"}, "barks": {"type": "integer"}},
    },
    "Lizard": {
        "type": "object",
        "required": ["pet_type"],
        "properties": {"pet_type": {"type": "string", "enum": ["lizard"]}},
        "additionalProperties": False,
    },
}


def test_discriminator_without_mapping_uses_schema_names() -> None:
    schema = {
        "oneOf": [{"$ref": f"#/components/schemas/{n}"} for n in PETS],
        "discriminator": {"propertyName": "pet_type"},
    }
    values = _check("3.0.3", schema, PETS, seeds=range(20))
    for v in values:
        expected = "Cat" if "meows" in v else "Dog" if "barks" in v else "lizard"
        assert v["pet_type"] == expected, v
    assert {v["pet_type"] for v in values} == {"Cat", "Dog", "lizard"}


def test_discriminator_with_mapping_uses_its_keys() -> None:
    schema = {
        "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
        "discriminator": {
            "propertyName": "pet_type",
            "mapping": {"cat": "#/components/schemas/Cat", "dog": "Dog"},
        },
    }
    values = _check("3.1.0", schema, PETS, seeds=range(12))
    assert {v["pet_type"] for v in values} == {"cat", "dog"}
    assert all(("meows" in v) == (v["pet_type"] == "cat") for v in values)


TREE = {
    "Node": {
        "type": "object",
        "required": ["value"],
        "properties": {
            "value": {"type": "integer"},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
            "parent": {"allOf": [{"$ref": "#/components/schemas/Node"}], "nullable": True},
        },
    },
    "Forest": {
        "type": "object",
        "required": ["trees"],
        "properties": {
            "trees": {"type": "array", "items": {"$ref": "#/components/schemas/Forest"}}
        },
    },
    "Chain": {
        "type": "object",
        "required": ["next"],
        "properties": {"next": {"$ref": "#/components/schemas/Chain"}},
    },
    "Pair": {
        "type": "object",
        "required": ["a"],
        "properties": {"a": {"$ref": "#/components/schemas/Either"}},
    },
    "Either": {"oneOf": [{"$ref": "#/components/schemas/Pair"}, {"type": "string"}]},
}


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


def test_recursion_is_bounded_and_required_cycles_resolve() -> None:
    for value in _check("3.0.3", {"$ref": "#/components/schemas/Node"}, TREE):
        assert _depth(value) <= 12
    assert _check("3.0.3", {"$ref": "#/components/schemas/Forest"}, TREE)
    assert _check("3.0.3", {"$ref": "#/components/schemas/Pair"}, TREE)
    document = _document("3.1.0", TREE)
    shallow = Synthesizer(document, max_depth=1).value({"$ref": "#/components/schemas/Node"})
    assert _depth(shallow) <= 6


def test_a_required_self_cycle_raises_with_its_pointer() -> None:
    synth = Synthesizer(_document("3.0.3", TREE))
    with pytest.raises(SynthesisError, match="#/components/schemas/Chain"):
        synth.value({"$ref": "#/components/schemas/Chain"})


@pytest.mark.parametrize(
    "schema",
    [
        False,
        {"type": "string", "pattern": "^a$", "minLength": 3},
        {"type": "integer", "minimum": 5, "maximum": 4},
        {"$ref": "#/components/schemas/Missing"},
        {"type": "array", "minItems": 3, "uniqueItems": True, "items": {"type": "boolean"}},
    ],
)
def test_impossible_schemas_raise(schema: Any) -> None:
    with pytest.raises(SynthesisError, match=r"^#"):
        Synthesizer(_document("3.1.0", {})).value(schema)


DETERMINISM = {
    "type": "object",
    "properties": {
        "s": {"type": "string"},
        "n": {"type": "number"},
        "u": {"type": "string", "format": "uuid"},
        "t": {
            "type": "array",
            "uniqueItems": True,
            "items": {"type": "string", "pattern": r"^\w+$"},
        },
        "e": {"enum": ["x", "y", "z"]},
        "m": {"type": "object", "additionalProperties": True, "properties": {"k": {}}},
    },
}


def test_values_are_deterministic_across_processes() -> None:
    synth = Synthesizer(_document("3.1.0", {}))
    here = [synth.value(DETERMINISM, seed=s) for s in ("a", 1, "order-42")]
    assert here == [synth.value(DETERMINISM, seed=s) for s in ("a", 1, "order-42")]
    assert here[0] != here[1]
    code = (
        "import json, sys\n"
        "from generator.runtime.python._mock_values import Synthesizer\n"
        "doc = {'openapi': '3.1.0', 'components': {'schemas': {}}}\n"
        "schema = json.loads(sys.argv[1])\n"
        "print(json.dumps([Synthesizer(doc).value(schema, seed=s) for s in ('a', 1, 'order-42')]))"
    )
    for hash_seed in ("1", "987"):
        result = subprocess.run(
            [sys.executable, "-c", code, json.dumps(DETERMINISM)],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
        )
        assert json.loads(result.stdout) == here


# Random schemas: every one of them must get a valid value.
SAFE_PATTERNS = [
    r"^[a-z]+$",
    r"^\d{3}-\d{4}$",
    r"[A-Z]{2,4}",
    r"^(foo|bar)_\w+$",
    r"^\S+$",
    r"^#[0-9a-fA-F]{6}$",
    r"^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$",
]
FORMATS = ["date-time", "date", "uuid", "email", "ipv4", "ipv6", "uri", "byte", None]


@st.composite
def _string(draw: st.DrawFn) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    kind = draw(st.sampled_from(["plain", "pattern", "format"]))
    if kind == "pattern":
        schema["pattern"] = draw(st.sampled_from(SAFE_PATTERNS))
    elif kind == "format":
        fmt = draw(st.sampled_from(FORMATS))
        if fmt:
            schema["format"] = fmt
    else:
        low = draw(st.integers(0, 30))
        schema |= {"minLength": low, "maxLength": low + draw(st.integers(0, 30))}
    return schema


@st.composite
def _number(draw: st.DrawFn) -> dict[str, Any]:
    integer = draw(st.booleans())
    low = draw(st.integers(-(10**6), 10**6))
    schema: dict[str, Any] = {"type": "integer" if integer else "number"}
    step = draw(st.sampled_from([None, 1, 3, 7, 0.5, 0.25] if not integer else [None, 2, 5]))
    width = draw(st.integers(0, 1000)) + (2 * step if step else 1)
    if draw(st.booleans()):
        schema["minimum"] = low
    if draw(st.booleans()):
        schema["maximum"] = low + width
    if draw(st.booleans()) and not integer:
        schema["exclusiveMinimum"] = schema.pop("minimum", low)
    if step:
        schema["multipleOf"] = step
    return schema


_leaves = st.one_of(
    _string(),
    _number(),
    st.just({"type": "boolean"}),
    st.just({"type": "null"}),
    st.lists(
        st.one_of(st.text(max_size=5), st.integers()), min_size=1, max_size=4, unique=True
    ).map(lambda e: {"enum": e}),
)


def _containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    objects = st.dictionaries(st.from_regex(r"[a-z]{1,6}", fullmatch=True), children, max_size=4)

    @st.composite
    def obj(draw: st.DrawFn) -> dict[str, Any]:
        props = draw(objects)
        required = [n for n in props if draw(st.booleans())]
        schema = {"type": "object", "properties": props, "required": required}
        if draw(st.booleans()):
            schema["additionalProperties"] = False
        return schema

    @st.composite
    def arr(draw: st.DrawFn) -> dict[str, Any]:
        low = draw(st.integers(0, 3))
        return {
            "type": "array",
            "items": draw(children),
            "minItems": low,
            "maxItems": low + draw(st.integers(0, 3)),
        }

    @st.composite
    def all_of(draw: st.DrawFn) -> dict[str, Any]:
        a, b = draw(obj()), draw(obj())
        b["properties"] = {f"{n}_2": s for n, s in b["properties"].items()}
        b["required"] = [f"{n}_2" for n in b["required"]]
        a.pop("additionalProperties", None)
        b.pop("additionalProperties", None)
        return {"allOf": [a, b]}

    nullable = children.map(lambda s: {"anyOf": [s, {"type": "null"}]})
    return st.one_of(obj(), arr(), all_of(), nullable)


_schemas = st.recursive(_leaves, _containers, max_leaves=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schema=_schemas, seed=st.integers(0, 10**6))
def test_random_schemas_get_valid_values(schema: Any, seed: int) -> None:
    document = _document("3.1.0", {})
    value = Synthesizer(document).value(schema, seed=seed)
    assert _errors(document, schema, value) == [], value


# The real specs beside the repository.
def _spec(path: Path) -> dict[str, Any]:
    if not path.is_file():
        pytest.skip(f"shared spec not found at {path}")
    loaded: dict[str, Any] = yaml.safe_load(path.read_text("utf-8"))
    return loaded


def _ref(name: str) -> dict[str, str]:
    return {"$ref": "#/components/schemas/" + name.replace("~", "~0").replace("/", "~1")}


def _responses(document: dict[str, Any]) -> Iterator[tuple[str, str, Any]]:
    """(operation, status, schema) for every JSON-ish response body of the document."""
    for path, item in (document.get("paths") or {}).items():
        for method in METHODS:
            operation = (item or {}).get(method)
            if not isinstance(operation, dict):
                continue
            for status, response in (operation.get("responses") or {}).items():
                response = _resolve(document, response)
                for media in (response.get("content") or {}).values():
                    if isinstance(media, dict) and "schema" in media:
                        yield f"{method.upper()} {path}", str(status), media["schema"]


@pytest.mark.parametrize("spec", [BRAINTRUST, RESEND, TGI], ids=["braintrust", "resend", "tgi"])
def test_every_schema_of_the_real_specs_validates(spec: Path) -> None:
    document = _spec(spec)
    synth = Synthesizer(document)
    targets = [(f"schema {n}", _ref(n)) for n in document["components"]["schemas"]]
    targets += [(f"{op} {status}", s) for op, status, s in _responses(document)]
    converted = _as_json_schema(_with_roots(document, [s for _, s in targets]), response=True)
    started, failures = time.perf_counter(), []
    for i, (where, schema) in enumerate(targets):
        value = synth.value(schema, seed=i)
        errors = _validator(converted, i).iter_errors(value)
        failures += [f"{where}: {e.message[:200]}" for e in errors][:1]
    print(
        f"\n[mock] {spec.name}: {len(targets) - len(failures)}/{len(targets)} valid "
        f"in {time.perf_counter() - started:.2f}s"
    )
    assert failures == []


@pytest.mark.slow
def test_braintrust_responses_are_accepted_by_its_pydantic_models(tmp_path: Path) -> None:
    document = _spec(BRAINTRUST)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "generate",
            str(BRAINTRUST),
            "--name",
            "bt_mock",
            "--out",
            str(tmp_path),
            "--style",
            "models",
            "-q",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        import bt_mock.models as models  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(tmp_path))
    synth = Synthesizer(document)
    targets = [(f"{op} {status}", s) for op, status, s in _responses(document) if status == "200"]
    targets += [(f"schema {n}", _ref(n)) for n in document["components"]["schemas"]]
    checked, failures = 0, []
    for i, (where, schema) in enumerate(targets):
        model = getattr(models, str(schema.get("$ref", "")).rsplit("/", 1)[-1], None)
        if not hasattr(model, "model_validate"):
            continue  # an inline schema: no model of its own
        checked += 1
        try:
            model.model_validate(synth.value(schema, seed=i))
        except pydantic.ValidationError as e:
            failures.append(f"{where}: {str(e)[:300]}")
    print(f"\n[mock] pydantic accepted {checked - len(failures)}/{checked} Braintrust values")
    assert checked > 200
    assert failures == []


def test_pydantic_accepts_date_times_and_uuids() -> None:
    model = pydantic.create_model(
        "M",
        at=(pydantic.AwareDatetime, ...),
        id=(pydantic.UUID4, ...),
        day=(__import__("datetime").date, ...),
    )
    schema = {
        "type": "object",
        "required": ["at", "id", "day"],
        "properties": {
            "at": {"type": "string", "format": "date-time"},
            "id": {"type": "string", "format": "uuid"},
            "day": {"type": "string", "format": "date"},
        },
    }
    for value in _check("3.0.3", schema):
        model.model_validate(value)


def test_patterns_python_cannot_read_are_left_out() -> None:
    synth = Synthesizer(_document("3.1.0", {}))
    value = synth.value({"type": "string", "pattern": r"^\p{L}+$", "maxLength": 5})
    assert isinstance(value, str) and len(value) <= 5
