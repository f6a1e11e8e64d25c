"""What the mock reads in the contract: the answers the generated `mock.py` lists (each
declared variant with the JSON pointers of its response and media type), the schema of
a stream's items, the examples that validate (jsonschema-rs), concrete media types and
sample bytes for binary bodies."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import jsonschema_rs

from ._handlers_runtime import ResponseVariant

# Wildcard media types a handler must make concrete; the bytes of a few real formats.
CONCRETE = {
    "image": "image/png",
    "text": "text/plain",
    "audio": "audio/mpeg",
    "video": "video/mp4",
    "application": "application/octet-stream",
    "*": "application/octet-stream",
}
SAMPLES = {
    "image/png": bytes.fromhex(
        "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
        "0000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
    ),
    "image/gif": bytes.fromhex(
        "47494638396101000100800000000000ffffff21f90401000000002c00000000"
        "010001000002024401003b"
    ),
    "application/pdf": b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n",
    "application/json": b"{}",
}


@dataclass(frozen=True)
class Answer:
    """One declared response variant of an operation, and where the contract has it."""

    status: str  # the response key: "200", "4XX" or "default"
    response: str  # JSON pointer of the response object in the contract
    content: str  # JSON pointer of its media type object; "" when it has no body
    variant: type[ResponseVariant]


@dataclass(frozen=True)
class MockOperation:
    method: str  # as the generated table spells it (upper case); compare lowered
    path: str  # the path template, as the contract writes it
    answers: tuple[Answer, ...]
    path_params: tuple[tuple[str, str], ...] = ()  # (wire name, request record field)


def concrete(media: str) -> str:
    media = media.split(";", 1)[0].strip().lower()
    major, _, minor = media.partition("/")
    if minor != "*" and major != "*":
        return media
    return CONCRETE.get(major, "application/octet-stream")


def item_schema(
    document: Mapping[str, Any], media: Mapping[str, Any], pointer: str
) -> tuple[Any, str]:
    """The schema of each item of a stream: an event's `data` (OpenAPI 3.2's
    `itemSchema` of an event object, `contentSchema` of its data) or the item
    (`itemSchema`, or the OpenAI style's `schema` of each event's data); None for
    untyped text events."""
    if "itemSchema" in media:
        item = media["itemSchema"]
        resolved = item
        for _ in range(32):
            if isinstance(resolved, Mapping) and isinstance(resolved.get("$ref"), str):
                resolved = lookup(document, resolved["$ref"][1:])
        properties = (
            resolved.get("properties") if isinstance(resolved, Mapping) else None
        )
        if isinstance(properties, Mapping) and "data" in properties:
            data = properties["data"]
            if isinstance(data, Mapping) and "contentSchema" in data:
                return data["contentSchema"], f"{pointer}/itemSchema"
            return None, f"{pointer}/itemSchema"
        return item, f"{pointer}/itemSchema"
    return media.get("schema"), f"{pointer}/schema"


def lookup(document: Any, pointer: str) -> Any:
    node = document
    for part in pointer.split("/")[1:]:
        key = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, Mapping):
            node = node.get(key)
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            return None
    return node


class SchemaChecks:
    """Whether an example validates against the schema at a pointer (jsonschema-rs, over
    the contract in JSON Schema form: OpenAPI 3.0's `nullable` and boolean exclusive
    bounds rewritten), one compiled validator per schema."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self._document = document
        self._validators: dict[str, jsonschema_rs.Validator | None] = {}
        self._root: dict[str, Any] | None = None

    def valid(self, pointer: str, value: Any) -> bool:
        if pointer not in self._validators:
            if self._root is None:
                self._root = _json_schema_form(self._document)
            schema = {**self._root, "$ref": "#" + quote(pointer, safe="/~")}
            try:
                self._validators[pointer] = jsonschema_rs.validator_for(schema)
            except (
                ValueError
            ):  # a schema jsonschema-rs cannot compile: trust no example
                self._validators[pointer] = None
        validator = self._validators[pointer]
        return validator is not None and bool(validator.is_valid(value))


_DATA_KEYS = frozenset({"example", "examples", "default", "enum", "const"})


def _json_schema_form(document: Mapping[str, Any]) -> dict[str, Any]:
    root: dict[str, Any] = copy.deepcopy(dict(document))
    if str(root.get("openapi", "")).startswith("3.0"):
        _rewrite(root)
    return root


def _rewrite(node: Any) -> None:
    if isinstance(node, list):
        for item in node:
            _rewrite(item)
        return
    if not isinstance(node, dict):
        return
    for bound, limit in (
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ):
        if isinstance(node.get(bound), bool) and node.pop(bound) and limit in node:
            node[bound] = node.pop(limit)
    if node.get("nullable") is True:
        del node["nullable"]
        kind = node.get("type")
        if isinstance(kind, str):
            node["type"] = [kind, "null"]
            if isinstance(node.get("enum"), list) and None not in node["enum"]:
                node["enum"] = [*node["enum"], None]
        elif kind is None:
            rest = dict(node)
            node.clear()
            node["anyOf"] = [rest, {"type": "null"}]
    for key, value in node.items():
        if key not in _DATA_KEYS:
            _rewrite(value)
