"""Hypothesis strategies for random valid OpenAPI 3.0 and 3.1 documents.

Documents have component schemas (nested objects, arrays, allOf/anyOf/oneOf, enums, formats,
constraints, nullability in each version's own form, recursion through properties), paths with
operations, parameters in every location, request bodies, several responses with several
media types and headers, security schemes, and hostile text in names, descriptions, enum
values and defaults. "Valid" is the aim, not a promise: what the generator may still refuse
(names that collide once sanitised, say) it must refuse with a diagnostic.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

Schema = dict[str, Any]

# Text that has broken code generators: quotes, escapes, template syntax, code, odd lines.
HOSTILE = (
    '"""', "'''", '"', "'", "\\", "\\n", "\\x00", "{{ 7*7 }}", "{% if x %}", "{#", "#", "\x00",
    "\u2028", "\u2029", "\x85", "\r", "\t", "\x1b[2J", "__import__('os').system('touch PWNED')",
    "{{ self.__init__.__globals__ }}", "class", "None", "from", "list", "type", "self", "🐶",
    "ид", "", " ", "0", "1st", "a-b", "a.b", "a b", "__init__", "close", "models", "field",
)  # fmt: skip
KEYWORDS = ("class", "from", "list", "type", "None", "self", "import", "def", "match")

# Any character but surrogates (a YAML/JSON escape cannot hold one alone).
_CHARS = st.characters(blacklist_categories=["Cs"])
text = st.one_of(st.text(_CHARS, max_size=24), st.sampled_from(HOSTILE))
# Names that travel in requests: printable, no control or line-break characters.
wire_text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=16
).filter(lambda s: s.strip() == s and s)
identifier = st.from_regex(r"[a-z][a-zA-Z0-9]{0,10}", fullmatch=True)
component_name = st.one_of(
    st.from_regex(r"[A-Za-z][A-Za-z0-9._-]{0,12}", fullmatch=True), st.sampled_from(KEYWORDS)
)
path_name = st.from_regex(r"[a-z][a-z0-9_.-]{0,8}", fullmatch=True)
FORMATS = {
    "string": [None, "uuid", "date-time", "date", "email", "uri", "binary", "byte", "password"],
    "integer": [None, "int32", "int64"],
    "number": [None, "float", "double"],
}
MEDIA_TYPES = (
    "application/json", "application/problem+json", "text/plain", "application/xml",
    "application/octet-stream", "application/x-www-form-urlencoded", "*/*",
)  # fmt: skip
STATUSES = ("200", "201", "202", "204", "2XX", "301", "400", "404", "409", "4XX", "500", "default")


def nullable(schema: Schema, version: str) -> Schema:
    """The schema that also accepts null, in the version's own form."""
    if version.startswith("3.0"):
        return {**schema, "nullable": True}
    kind = schema.get("type")
    if isinstance(kind, str):
        enum = schema.get("enum")
        extra = {"enum": [*enum, None]} if isinstance(enum, list) else {}
        return {**schema, "type": [kind, "null"], **extra}
    return {"anyOf": [schema, {"type": "null"}]}


@st.composite
def primitive(draw: st.DrawFn) -> Schema:
    kind = draw(st.sampled_from(["string", "integer", "number", "boolean"]))
    schema: Schema = {"type": kind}
    if kind in FORMATS and (fmt := draw(st.sampled_from(FORMATS[kind]))):
        schema["format"] = fmt
    if draw(st.booleans()):
        schema["description"] = draw(text)
    if kind == "string" and "format" not in schema:
        choice = draw(st.integers(0, 3))
        if choice == 1:
            values = draw(st.lists(text, min_size=1, max_size=5, unique=True))
            schema["enum"] = values
            if draw(st.booleans()):
                schema["default"] = draw(st.sampled_from(values))
        elif choice == 2:
            schema.update(minLength=draw(st.integers(0, 3)), maxLength=draw(st.integers(3, 50)))
        elif choice == 3:
            schema["default"] = draw(text)
    elif kind == "integer":
        low = draw(st.integers(-(2**40), 2**40))
        if draw(st.booleans()):
            schema.update(minimum=low, maximum=low + draw(st.integers(0, 1000)))
        if draw(st.booleans()):
            schema["enum"] = draw(st.lists(st.integers(-5, 5), min_size=1, max_size=4, unique=True))
    elif kind == "number" and draw(st.booleans()):
        schema["default"] = draw(st.floats(allow_nan=False, allow_infinity=False, width=32))
    elif kind == "boolean" and draw(st.booleans()):
        schema["default"] = draw(st.booleans())
    return schema


@st.composite
def schema(draw: st.DrawFn, version: str, names: list[str], depth: int) -> Schema:
    """A schema; `names` are component schemas it may refer to."""
    choices = ["primitive", "empty"] + (["ref"] if names else [])
    if depth > 0:
        choices += ["object", "object", "array", "map", "combinator"]
    kind = draw(st.sampled_from(choices))
    result: Schema
    if kind == "primitive":
        result = draw(primitive())
    elif kind == "empty":
        result = {}
    elif kind == "ref":
        return {"$ref": f"#/components/schemas/{draw(st.sampled_from(names))}"}
    elif kind == "object":
        keys = draw(st.lists(text, max_size=4, unique=True))
        props = {k: draw(schema(version, names, depth - 1)) for k in keys}
        result = {"type": "object", "properties": props}
        if draw(st.booleans()) and keys:
            result["required"] = draw(st.lists(st.sampled_from(keys), unique=True, max_size=2))
        if draw(st.booleans()):
            result["additionalProperties"] = draw(st.booleans())
    elif kind == "array":
        result = {"type": "array", "items": draw(schema(version, names, depth - 1))}
        if draw(st.booleans()):
            result.update(minItems=0, maxItems=draw(st.integers(1, 10)))
    elif kind == "map":
        result = {"type": "object", "additionalProperties": draw(schema(version, names, depth - 1))}
    else:
        keyword = draw(st.sampled_from(["allOf", "anyOf", "oneOf"]))
        members = draw(st.lists(schema(version, names, depth - 1), min_size=1, max_size=3))
        if keyword == "allOf":  # objects only: conflicting types are another test's business
            members = [m if m.get("type") == "object" or "$ref" in m else {} for m in members]
        result = {keyword: members}
    if draw(st.integers(0, 4)) == 0:
        result = nullable(result, version)
    if draw(st.integers(0, 3)) == 0:
        result["title" if draw(st.booleans()) else "description"] = draw(text)
    return result


@st.composite
def parameter(draw: st.DrawFn, version: str, location: str, name: str) -> Schema:
    kind = draw(st.sampled_from(["primitive", "primitive", "array"]))
    param_schema = draw(primitive())
    if kind == "array":
        param_schema = {"type": "array", "items": param_schema}
    param: Schema = {"name": name, "in": location, "schema": param_schema}
    if location == "path" or draw(st.booleans()):
        param["required"] = True
    if draw(st.booleans()):
        param["description"] = draw(text)
    if draw(st.integers(0, 5)) == 0:
        param["deprecated"] = True
    return param


@st.composite
def content(draw: st.DrawFn, version: str, names: list[str]) -> Schema:
    media = draw(st.lists(st.sampled_from(MEDIA_TYPES), min_size=1, max_size=2, unique=True))
    result: Schema = {}
    for media_type in media:
        entry: Schema = {}
        if draw(st.integers(0, 4)) > 0:
            entry["schema"] = draw(schema(version, names, 2))
        result[media_type] = entry
    return result


@st.composite
def operation(draw: st.DrawFn, version: str, names: list[str], path_params: list[str]) -> Schema:
    op: Schema = {}
    if draw(st.integers(0, 5)) > 0:
        op["operationId"] = draw(st.one_of(identifier, identifier, text.filter(bool)))
    for key in ("summary", "description"):
        if draw(st.booleans()):
            op[key] = draw(text)
    params = [draw(parameter(version, "path", name)) for name in path_params]
    for location in ("query", "header", "cookie"):
        for name in draw(st.lists(wire_text, max_size=2, unique=True)):
            params.append(draw(parameter(version, location, name)))
    if params:
        op["parameters"] = params
    if draw(st.booleans()):
        op["requestBody"] = {"content": draw(content(version, names))}
        if draw(st.booleans()):
            op["requestBody"]["required"] = True
    responses: Schema = {}
    for status in draw(st.lists(st.sampled_from(STATUSES), min_size=1, max_size=3, unique=True)):
        response: Schema = {"description": draw(text)}
        if status != "204" and draw(st.integers(0, 3)) > 0:
            response["content"] = draw(content(version, names))
        if draw(st.integers(0, 3)) == 0:
            headers = draw(st.lists(wire_text, min_size=1, max_size=2, unique=True))
            response["headers"] = {h: {"schema": draw(primitive())} for h in headers}
        responses[status] = response
    op["responses"] = responses
    return op


@st.composite
def documents(draw: st.DrawFn) -> Schema:
    """A random OpenAPI document, 3.0 or 3.1."""
    version = draw(st.sampled_from(["3.0.3", "3.1.0"]))
    names = draw(st.lists(component_name, max_size=4, unique_by=str.lower))
    schemas: Schema = {}
    for index, name in enumerate(names):
        # Refer only to earlier components at the top (no alias cycles), to any inside.
        top = draw(schema(version, names[:index], 2))
        schemas[name] = top
    paths: Schema = {}
    for _ in range(draw(st.integers(0, 3))):
        params = draw(st.lists(path_name, max_size=2, unique=True))
        segments = draw(st.lists(path_name, min_size=1, max_size=3))
        path = "/" + "/".join(segments + [f"{{{p}}}" for p in params])
        methods = draw(st.lists(st.sampled_from(["get", "post", "put", "delete", "patch"]),
                                min_size=1, max_size=2, unique=True))  # fmt: skip
        paths[path] = {m: draw(operation(version, names, params)) for m in methods}
    document: Schema = {
        "openapi": version,
        "info": {"title": draw(text), "version": draw(text.filter(bool)) or "1"},
        "paths": paths,
    }
    if draw(st.booleans()):
        document["info"]["description"] = draw(text)
    if draw(st.booleans()):
        document["servers"] = [{"url": "https://api.example.invalid/v1"}]
    components: Schema = {}
    if schemas:
        components["schemas"] = schemas
    if draw(st.booleans()):
        components["securitySchemes"] = {
            "bearer": {"type": "http", "scheme": "bearer"},
            "key": {"type": "apiKey", "in": draw(st.sampled_from(["header", "query", "cookie"])),
                    "name": draw(wire_text)},
        }  # fmt: skip
        document["security"] = draw(st.sampled_from([[{"bearer": []}], [{"key": []}, {}]]))
    if components:
        document["components"] = components
    return document


# libyaml refuses these characters even inside JSON strings, and reads NEL, LS and PS as line
# breaks (YAML 1.1), which a mapping key may not hold (see
# tests/corpus/json_line_separator_in_key.json): JSON escapes them instead.
_ESCAPE_FOR_YAML: dict[str, str | int | None] = {chr(c): f"\\u{c:04x}" for c in range(0x7F, 0xA0)}
_ESCAPE_FOR_YAML |= {ch: f"\\u{ord(ch):04x}" for ch in "\ufffe\uffff\u2028\u2029"}


def to_json(document: Schema) -> str:
    """The document as JSON text the loader reads (UTF-8, control characters escaped)."""
    dumped = json.dumps(document, ensure_ascii=False, indent=1)
    return dumped.translate(str.maketrans(_ESCAPE_FOR_YAML))
