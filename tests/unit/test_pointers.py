"""generator.pointers: the one JSON pointer and `$ref` module of every stage."""

from __future__ import annotations

import pytest

from generator.pointers import (
    MAX_REF_HOPS,
    MISSING,
    PointerError,
    component_schema,
    deref,
    join_pointer,
    lookup_pointer,
    ref_pointer,
    resolve_pointer,
    resolve_ref,
    split_pointer,
)

DOC = {
    "paths": {"/pets/{id}": {"get": {"responses": {"200": {"$ref": "#/components/responses/Ok"}}}}},
    "components": {
        "responses": {"Ok": {"$ref": "#/components/responses/Real"}, "Real": {"description": "ok"}},
        "schemas": {"a/b": {"type": "string"}, "Null": None},
    },
    "list": [10, 20],
}


def test_tokens_are_escaped_and_unescaped() -> None:
    pointer = join_pointer("/paths", "/pets/{id}", "get")
    assert pointer == "/paths/~1pets~1{id}/get"
    assert split_pointer(pointer) == ["paths", "/pets/{id}", "get"]
    assert join_pointer("", "~x", 0) == "/~0x/0" and split_pointer("/~0x/0") == ["~x", "0"]
    assert split_pointer("") == []
    with pytest.raises(PointerError):
        split_pointer("paths")


def test_lookups_tell_missing_from_null() -> None:
    assert lookup_pointer(DOC, "/components/schemas/Null") is None
    assert lookup_pointer(DOC, "/components/schemas/nope") is MISSING
    assert lookup_pointer(DOC, "/list/1") == 20 and lookup_pointer(DOC, "/list/2") is MISSING
    assert lookup_pointer(DOC, "no-slash") is MISSING
    assert resolve_pointer(DOC, "/list/0") == 10
    with pytest.raises(PointerError, match="/components has no 'nope'"):
        resolve_pointer(DOC, "/components/nope/x")


def test_local_references() -> None:
    assert ref_pointer("#/a/b") == "/a/b" and ref_pointer("#") == ""
    assert ref_pointer("other.yaml#/a") is None and ref_pointer("http://x/#/a") is None
    assert resolve_ref(DOC, "#/components/schemas/a~1b") == {"type": "string"}
    assert resolve_ref(DOC, "x.yaml#/components") is MISSING
    assert component_schema("#/components/schemas/a~1b") == "a/b"


def test_a_reference_is_a_uri_fragment_read_percent_decoded() -> None:
    """RFC 6901 section 6: `#/paths/~1jobs~1%7Bid%7D` is the pointer `/paths/~1jobs~1{id}`."""
    assert ref_pointer("#/paths/~1jobs~1%7Bid%7D/get") == "/paths/~1jobs~1{id}/get"
    assert component_schema("#/components/schemas/Job%20Status") == "Job Status"
    assert component_schema("#/components/schemas/a%2Fb") is None  # two tokens
    assert ref_pointer("#/components/schemas/100%") == "/components/schemas/100%"  # no escape
    assert component_schema("#/components/schemas/Pet/properties/id") is None
    assert component_schema("#/components/responses/Ok") is None


def test_deref_follows_chains_and_reports_broken_ones() -> None:
    start = DOC["paths"]["/pets/{id}"]["get"]["responses"]["200"]
    assert deref(DOC, start, "/x") == ({"description": "ok"}, "/components/responses/Real")
    assert deref(DOC, {"type": "string"}, "/here") == ({"type": "string"}, "/here")
    assert deref(DOC, {"$ref": "#/nowhere"}, "/x") == (MISSING, "/nowhere")
    assert deref(DOC, {"$ref": "other.yaml#/a"}, "/x") == (MISSING, "/x")
    loop = {"a": {"$ref": "#/b"}, "b": {"$ref": "#/a"}}
    assert deref(loop, loop["a"], "/a")[0] is MISSING  # after MAX_REF_HOPS hops
    assert MAX_REF_HOPS == 32


def test_closest_pointer_suggests_a_target_that_exists() -> None:
    from generator.pointers import closest_pointer

    doc = {"components": {"schemas": {"Pet": {}, "Owner": {"properties": {"name": {}}}}}}
    assert closest_pointer(doc, "/components/schemas/Pett") == "/components/schemas/Pet"
    assert closest_pointer(doc, "/component/schemas/Ownr") == "/components/schemas/Owner"
    assert closest_pointer(doc, "/components/schemas/Owner/properties/nme") == (
        "/components/schemas/Owner/properties/name"
    )
    assert closest_pointer(doc, "/components/schemas/Zebra") is None
    assert closest_pointer(doc, "/components/schemas/Pet") is None  # exists: nothing to say
