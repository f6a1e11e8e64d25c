"""The contract `specgen fuzz` hands schemathesis (generator/fuzz_contract.py): each way it
spells specgen's reading."""

from __future__ import annotations

from typing import Any

import jsonschema_rs
import pytest

from generator.fuzz_contract import fuzz_document

OK = {"200": {"description": "ok"}}


def document(paths: dict[str, Any], **rest: Any) -> dict[str, Any]:
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": paths, **rest}


def test_the_servers_own_errors_are_declared_where_nothing_covers_them() -> None:
    body = {"content": {"application/json": {"schema": {"type": "object"}}}}
    paths = {
        "/a": {"post": {"requestBody": body, "security": [{"key": []}], "responses": OK}},
        "/b": {"post": {"requestBody": body, "responses": {**OK, "4XX": {"description": "x"}}}},
        "/c": {"get": {"responses": OK}},
    }
    out = fuzz_document(document(paths))["paths"]
    assert sorted(out["/a"]["post"]["responses"]) == ["200", "400", "401", "415"]
    assert sorted(out["/b"]["post"]["responses"]) == ["200", "4XX"]  # the range covers them
    assert sorted(out["/c"]["get"]["responses"]) == ["200"]  # no input, no security


def test_openai_style_event_streams_become_item_schemas() -> None:
    stream = {"text/event-stream": {"schema": {"type": "object"}}}
    paths = {"/s": {"get": {"responses": {"200": {"description": "s", "content": stream}}}}}
    out = fuzz_document(document(paths, servers=[{"url": "https://x/{v}"}]))
    media = out["paths"]["/s"]["get"]["responses"]["200"]["content"]["text/event-stream"]
    assert "schema" not in media
    data = media["itemSchema"]["properties"]["data"]
    assert data["contentSchema"] == {"type": "object"}
    assert "servers" not in out


def test_inferred_discriminator_mappings() -> None:
    schemas = {
        "Cat": {"type": "object", "properties": {"kind": {"const": "cat"}}},
        "Dog": {"type": "object", "properties": {"kind": {"enum": ["dog"]}}},
        "Pet": {
            "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
            "discriminator": {"propertyName": "kind"},
        },
    }
    out = fuzz_document(document({}, components={"schemas": schemas}))
    mapping = out["components"]["schemas"]["Pet"]["discriminator"]["mapping"]
    assert mapping == {"cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"}
    assert "mapping" not in schemas["Pet"]["discriminator"]  # the input is not changed


def test_path_parameters_named_like_attributes_are_renamed() -> None:
    shared = {"name": "a.b", "in": "path", "required": True, "schema": {"type": "string"}}
    paths = {
        "/x/{item.id}/{a.b}": {
            "parameters": [{"$ref": "#/components/parameters/Shared"}],
            "get": {
                "parameters": [
                    {"name": "item.id", "in": "path", "required": True, "schema": {}},
                    {"name": "q.x", "in": "query", "schema": {}},
                ],
                "responses": OK,
            },
        }
    }
    out = fuzz_document(document(paths, components={"parameters": {"Shared": shared}}))
    (path,) = out["paths"]
    assert path == "/x/{item_id}/{a_b}"
    item = out["paths"][path]
    assert item["parameters"][0]["name"] == "a_b"
    names = [p["name"] for p in item["get"]["parameters"]]
    assert names == ["item_id", "q.x"]  # query names are sent as written


def test_data_that_looks_like_a_reference_is_left_out() -> None:
    schema = {
        "type": "object",
        "default": {"$ref": "/etc/passwd"},
        "example": {"link": {"$ref": "file:///etc/shadow"}},
        "properties": {"a": {"type": "string", "example": "kept"}},
    }
    out = fuzz_document(
        document({}, components={"schemas": {"S": schema}}, **{"x-n": {"$ref": "http://h"}})
    )
    kept = out["components"]["schemas"]["S"]
    assert "default" not in kept and "example" not in kept and "x-n" not in out
    assert kept["properties"]["a"]["example"] == "kept"


def test_literal_hash_and_question_mark_are_sent_encoded() -> None:
    out = fuzz_document(document({"/a#b?c/{id}": {"get": {"responses": OK}}}))
    assert list(out["paths"]) == ["/a%23b%3Fc/{id}"]


def test_boolean_exclusive_bounds_hold_in_every_draft() -> None:
    """schemathesis checks the examples it composes with a 2020-12 validator: over a 3.0
    boolean bound none can be built, and every example passed as valid."""
    bounds: dict[str, Any] = {
        "count": {"type": "integer", "minimum": 0, "exclusiveMinimum": True},
        "below": {"type": "integer", "maximum": 2.5, "exclusiveMaximum": True},
        "ratio": {
            "type": "number",
            "minimum": 0,
            "exclusiveMinimum": True,
            "maximum": 1,
            "exclusiveMaximum": True,
        },
        "odd": {"type": "number", "minimum": 0, "exclusiveMinimum": True, "not": {"enum": [3]}},
        "plain": {"type": "number", "minimum": 0, "exclusiveMinimum": False},
    }
    chat = {
        "allOf": [
            {
                "oneOf": [
                    {"type": "object", "required": ["content"]},
                    {"type": "object", "required": ["tool_calls"]},
                ]
            },
            {
                "type": "object",
                "properties": {
                    "role": {"type": "string", "example": "user"},
                    "bounds": {"$ref": "#/components/schemas/Bounds"},
                },
            },
        ]
    }
    schemas = {"Bounds": {"type": "object", "properties": bounds}, "Chat": chat}
    spec = {**document({}, components={"schemas": schemas}), "openapi": "3.0.3"}
    out = fuzz_document(spec)["components"]["schemas"]
    props = out["Bounds"]["properties"]
    assert props["count"] == {"type": "integer", "minimum": 1}
    assert props["below"] == {"type": "integer", "maximum": 2}
    assert props["ratio"] == {"type": "number", "minimum": 0, "maximum": 1, "not": {"enum": [0, 1]}}
    assert props["odd"]["allOf"] == [{"not": {"enum": [0]}}] and props["plain"] == {
        "type": "number",
        "minimum": 0,
    }
    # The same values pass as under 3.0's own reading (draft 4), now in draft 2020-12 too.
    for name, schema in bounds.items():
        old = jsonschema_rs.Draft4Validator(schema)
        new = jsonschema_rs.Draft202012Validator(props[name])
        for value in (-1, 0, 0.5, 1, 2, 2.5, 3, 4):
            assert old.is_valid(value) == new.is_valid(value), (name, value)
    # So a message composed from the property examples, without the `content` or
    # `tool_calls` one member needs, is refused, as it should be (and cannot be, as 3.0 says).
    with pytest.raises(ValueError, match="is not of type"):
        jsonschema_rs.validator_for(_chat(schemas))
    checked = jsonschema_rs.validator_for(_chat(out))
    assert not checked.is_valid({"role": "user"})
    assert checked.is_valid({"role": "user", "content": "hi", "bounds": {"ratio": 0.5}})
    assert "exclusiveMinimum" in bounds["count"]  # the input is not changed


def _chat(schemas: dict[str, Any]) -> dict[str, Any]:
    return {"$ref": "#/components/schemas/Chat", "components": {"schemas": schemas}}


def test_bodies_the_servers_take_as_bytes_have_no_schema() -> None:
    typed = {"schema": {"type": "object", "properties": {"a": {"type": "string"}}}}
    content = {
        "application/json": typed,
        "application/merge-patch+json": typed,
        "application/x-www-form-urlencoded": typed,
        "multipart/form-data": typed,
        "text/plain": {"schema": {"type": "string"}},
        "application/xml": {**typed, "example": "<a/>"},
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
    }
    paths = {"/a": {"post": {"requestBody": {"content": content}, "responses": OK}}}
    out = fuzz_document(document(paths))["paths"]["/a"]["post"]["requestBody"]["content"]
    assert out["application/xml"] == {"example": "<a/>"}
    assert out["application/octet-stream"] == {}
    for media in ("application/json", "application/merge-patch+json", "multipart/form-data"):
        assert out[media] == typed  # decoded and checked by the servers: kept
    assert out["application/x-www-form-urlencoded"] == typed
    assert out["text/plain"] == {"schema": {"type": "string"}}


def test_a_text_range_is_offered_as_text_plain() -> None:
    """For `text/*` schemathesis would send JSON as `text/json`: quotes the server reads
    as text, and then as breaking a date's format."""
    dated = {"schema": {"type": "string", "format": "date"}}

    def content(**declared: Any) -> list[tuple[str, Any]]:
        body = {"content": declared}
        paths = {"/a": {"post": {"requestBody": body, "responses": OK}}}
        out = fuzz_document(document(paths))["paths"]["/a"]["post"]["requestBody"]
        return list(out["content"].items())

    typed = {"schema": {"type": "object"}}
    assert content(**{"application/json": typed, "text/*": dated}) == [
        ("application/json", typed),
        ("text/plain", dated),
    ]
    plain = {"schema": {"type": "string"}}
    assert content(**{"text/*": dated, "text/plain": plain}) == [
        ("text/*", dated),
        ("text/plain", plain),
    ]
