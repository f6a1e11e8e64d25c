"""Properties (in both directions), renamed components, recursion, allOf, variants."""

from __future__ import annotations

from typing import Any

import pytest

from generator.diff.model import Severity
from tests.diff.helpers import Diff, Doc, api, ok, only, rules

STRING = {"type": "string"}


def obj(required: tuple[str, ...] = (), **properties: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema


def request(schema: Any, **components: Any) -> Doc:
    content = {"application/json": {"schema": schema}}
    operation = {"operationId": "create", "requestBody": {"content": content}, "responses": ok()}
    extra = {"components": {"schemas": components}} if components else {}
    return api({"/items": {"post": operation}}, **extra)


def response(schema: Any, **components: Any) -> Doc:
    extra = {"components": {"schemas": components}} if components else {}
    return api({"/items": {"get": {"operationId": "list", "responses": ok(schema)}}}, **extra)


@pytest.mark.parametrize(
    ("old", "new", "in_request", "in_response"),
    [
        (obj(a=STRING), obj(), "request-property-removed", "response-optional-property-removed"),
        (
            obj(("a",), a=STRING),
            obj(),
            "request-property-removed",
            "response-required-property-removed",
        ),
        (
            obj(),
            obj(("a",), a=STRING),
            "request-required-property-added",
            "response-property-added",
        ),
        (obj(), obj(a=STRING), "request-optional-property-added", "response-property-added"),
        (
            obj(a=STRING),
            obj(("a",), a=STRING),
            "request-property-became-required",
            "response-property-became-required",
        ),
        (
            obj(("a",), a=STRING),
            obj(a=STRING),
            "request-property-became-optional",
            "response-property-became-optional",
        ),
    ],
)
def test_property_rules_by_direction(
    diff: Diff, old: Any, new: Any, in_request: str, in_response: str
) -> None:
    assert rules(diff(request(old), request(new))) == {in_request}
    assert rules(diff(response(old), response(new))) == {in_response}


def test_adding_a_required_property_breaks_requests_only(diff: Diff) -> None:
    old, new = obj(), obj(("a",), a=STRING)
    assert (
        only(diff(request(old), request(new)), "request-required-property-added").severity
        is Severity.BREAKING
    )
    assert (
        only(diff(response(old), response(new)), "response-property-added").severity
        is Severity.INFO
    )


def test_nested_property_names_its_path(diff: Diff) -> None:
    old = obj(items={"type": "array", "items": obj(name=STRING)})
    new = obj(items={"type": "array", "items": obj(name={"type": "integer"})})
    change = only(diff(response(old), response(new)), "response-property-type-changed")
    assert "`items[].name`" in change.message
    assert change.pointer.endswith("/properties/items/items/properties/name")


def test_read_only_properties_are_not_part_of_requests(diff: Diff) -> None:
    old = obj(id={"type": "string", "readOnly": True})
    new = obj(("id",), id={"type": "integer", "readOnly": True})
    assert diff(request(old), request(new)) == []
    assert rules(diff(response(old), response(new))) == {
        "response-property-became-required",
        "response-property-type-changed",
    }


def test_renamed_component_with_the_same_shape_is_not_breaking(diff: Diff) -> None:
    pet = obj(("name",), name=STRING)
    old = response({"$ref": "#/components/schemas/Pet"}, Pet=pet)
    new = response({"$ref": "#/components/schemas/Animal"}, Animal=pet)
    changes = diff(old, new)
    assert rules(changes) == {"schema-component-renamed"}
    (change,) = changes
    assert change.severity is Severity.INFO and change.operation is None
    assert change.pointer == "/components/schemas/Animal"
    assert "`Pet` renamed to `Animal`" in change.message


def test_renamed_component_with_a_change(diff: Diff) -> None:
    old = request({"$ref": "#/components/schemas/Pet"}, Pet=obj(name=STRING))
    new = request({"$ref": "#/components/schemas/Animal"}, Animal=obj(("name",), name=STRING))
    assert rules(diff(old, new)) == {"schema-component-renamed", "request-property-became-required"}


def test_recursive_schemas_terminate(diff: Diff) -> None:
    def node(kind: str) -> dict[str, Any]:
        children = {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}
        return obj(
            value={"type": kind}, children=children, parent={"$ref": "#/components/schemas/Node"}
        )

    old = response({"$ref": "#/components/schemas/Node"}, Node=node("string"))
    new = response({"$ref": "#/components/schemas/Node"}, Node=node("integer"))
    change = only(diff(old, new), "response-property-type-changed")
    assert change.pointer == "/components/schemas/Node/properties/value"


def test_mutually_recursive_schemas(diff: Diff) -> None:
    def doc(b_type: str) -> Doc:
        a = obj(b={"$ref": "#/components/schemas/B"})
        b = obj(a={"$ref": "#/components/schemas/A"}, x={"type": b_type})
        return request({"$ref": "#/components/schemas/A"}, A=a, B=b)

    assert rules(diff(doc("number"), doc("integer"))) == {"request-property-type-narrowed"}


def test_moving_properties_into_all_of_changes_nothing(diff: Diff) -> None:
    flat = obj(("id", "name"), id=STRING, name=STRING)
    base = obj(("id",), id=STRING)
    composed = {"allOf": [{"$ref": "#/components/schemas/Base"}, obj(("name",), name=STRING)]}
    assert diff(response(flat, Base=base), response(composed, Base=base)) == []


def test_keywords_next_to_a_ref_count(diff: Diff) -> None:
    """`nullable: true` next to `$ref` (read as OpenAPI 3.1 does) vs `allOf` + nullable."""
    kind = {"type": "string", "enum": ["a", "b"]}
    old = request(
        obj(k={"allOf": [{"$ref": "#/components/schemas/Kind"}, {"nullable": True}]}), Kind=kind
    )
    new = request(obj(k={"$ref": "#/components/schemas/Kind", "nullable": True}), Kind=kind)
    assert diff(old, new) == []


def test_enum_split_into_branches_changes_nothing(diff: Diff) -> None:
    whole = {"type": "string", "enum": ["a", "b", "c"]}
    split = {"anyOf": [{"type": "string", "enum": ["a", "b"]}, {"type": "string", "enum": ["c"]}]}
    assert diff(response(obj(k=split)), response(obj(k=whole))) == []


def test_one_of_to_one_schema_compares_each_branch(diff: Diff) -> None:
    """A request that was a oneOf of two shapes and is now one schema: each old branch must
    still be accepted by the new schema."""
    old = {"oneOf": [obj(("a",), a=STRING), obj(("a", "b"), a=STRING, b=STRING)]}
    new = obj(("a",), a=STRING, b=STRING)
    changes = diff(request(old), request(new))
    assert rules(changes) == {"request-optional-property-added", "request-property-became-optional"}


def test_tagged_variants_pair_by_tag(diff: Diff) -> None:
    def variant(tag: str, *extra: str) -> dict[str, Any]:
        props = {"type": {"type": "string", "enum": [tag]}, **{e: STRING for e in extra}}
        return obj(("type",), **props)

    old = {"oneOf": [variant("cat"), variant("dog")]}
    new = {"oneOf": [variant("dog", "bark"), variant("bird"), variant("cat")]}
    changes = diff(response(old), response(new))
    assert rules(changes) == {"response-body-variant-added", "response-property-added"}
    assert "`bark`" in only(changes, "response-property-added").message


def test_version_mix_nullability_reads_the_same(diff: Diff) -> None:
    """3.0 `nullable: true` and 3.1 `type: [string, "null"]` are the same schema."""
    old = response(obj(a={"type": "string", "nullable": True}))
    new = response(obj(a={"type": ["string", "null"]}))
    new["openapi"] = "3.1.0"
    assert diff(old, new) == []


RO = {"type": "string", "readOnly": True}
WO = {"type": "string", "writeOnly": True}


def test_a_required_read_only_property_added_breaks_no_request(diff: Diff) -> None:
    old, new = obj(name=STRING), obj(("id",), name=STRING, id=RO)
    assert diff(request(old), request(new)) == []
    assert rules(diff(response(old), response(new))) == {"response-property-added"}


def test_a_required_write_only_property_added_breaks_requests_only(diff: Diff) -> None:
    old, new = obj(name=STRING), obj(("password",), name=STRING, password=WO)
    change = only(diff(request(old), request(new)), "request-required-property-added")
    assert change.severity is Severity.BREAKING
    assert diff(response(old), response(new)) == []


def test_a_write_only_property_removed_is_no_response_change(diff: Diff) -> None:
    old, new = obj(("password",), name=STRING, password=WO), obj(name=STRING)
    assert diff(response(old), response(new)) == []
    assert rules(diff(request(old), request(new))) == {"request-property-removed"}


def test_read_only_and_write_only_apply_through_refs_and_allof(diff: Diff) -> None:
    old = obj(name=STRING)
    new = obj(("id",), name=STRING, id={"allOf": [{"$ref": "#/components/schemas/Id"}]})
    assert diff(request(old), request(new, Id=RO)) == []
    hidden = {"$ref": "#/components/schemas/Secret"}
    new = obj(("secret",), name=STRING, secret=hidden)
    assert diff(response(old), response(new, Secret=WO)) == []


def test_a_property_that_becomes_read_only_breaks_requests(diff: Diff) -> None:
    old, new = obj(("id",), id=STRING), obj(("id",), id=RO)
    change = only(diff(request(old), request(new)), "request-property-became-read-only")
    assert change.severity is Severity.BREAKING and "became readOnly" in change.message
    assert diff(response(old), response(new)) == []


def test_a_property_that_becomes_write_only_leaves_responses(diff: Diff) -> None:
    old, new = obj(("token",), token=STRING), obj(("token",), token=WO)
    change = only(diff(response(old), response(new)), "response-required-property-removed")
    assert "became writeOnly" in change.message
    assert diff(request(old), request(new)) == []


def test_a_property_no_longer_read_only_joins_requests(diff: Diff) -> None:
    old, new = obj(("id",), id=RO), obj(("id",), id=STRING)
    change = only(diff(request(old), request(new)), "request-required-property-added")
    assert "no longer readOnly" in change.message
