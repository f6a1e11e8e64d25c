"""The declared OpenAPI version, and the schema forms of the *other* version a document uses.

Real specs mix versions: the Braintrust doc pages say `openapi: 3.1.1` but write 3.0's
`nullable: true`; the full Braintrust spec says 3.0.3 but puts 3.1's `{type: "null"}` in
`anyOf`. We read both forms (warning once per node) instead of rejecting the document.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from generator.diagnostics import Diagnostic, error, warning
from generator.load.spec import Spec
from generator.pointers import join_pointer
from generator.validate.schemas import SchemaNode
from generator.validate.tree import short_repr

_SUPPORTED = re.compile(r"^3\.([01])(\.|$)")

SG300_HINT = "specgen reads OpenAPI 3.0.x and 3.1.x documents"


def declared_version(document: dict[str, Any], spec: Spec) -> tuple[str, Diagnostic | None]:
    """("3.0" | "3.1", None), or ("", SG300 error) when the version is missing or unsupported."""
    if not isinstance(document, dict):
        message = f"the document is a {type(document).__name__}, not an OpenAPI object"
        return "", error("SG300", message, SG300_HINT, spec.locate(""))
    value = document.get("openapi", document.get("swagger"))
    loc = spec.locate("/openapi" if "openapi" in document else "/swagger")
    if "openapi" not in document and "swagger" in document:
        message = f"Swagger {short_repr(value)} documents are not supported"
        hint = "convert it to OpenAPI 3 first (for example with swagger2openapi)"
        return "", error("SG300", message, hint, loc)
    if value is None:
        message = "the document has no `openapi` version field"
        return "", error("SG300", message, 'add `openapi: "3.1.0"` (or 3.0.3)', loc)
    if not isinstance(value, str):
        message = f'`openapi` must be a string such as "3.0.3", not {short_repr(value)}'
        return "", error("SG300", message, "quote the version in YAML", loc)
    match = _SUPPORTED.match(value)
    if match is None:
        message = f"OpenAPI version {short_repr(value)} is not supported"
        return "", error("SG300", message, SG300_HINT, loc)
    return f"3.{match.group(1)}", None


def _is_3_1_null_type(value: Any) -> bool:
    return value == "null" or (isinstance(value, list) and "null" in value)


def _readings_3_1(node: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(keyword, what and how we read it, hint) for each 3.0 form in a 3.1 schema."""
    if "nullable" in node:
        reading = "null is also allowed" if node["nullable"] is True else "it has no effect"
        hint = 'in 3.1 write `type: [X, "null"]`, or add `{type: "null"}` to anyOf'
        yield "nullable", f"the 3.0 keyword `nullable`; read as: {reading}", hint
    for key, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(node.get(key), bool):
            hint = f"in 3.1 write `{key}: <number>` instead of `{bound}` + `{key}: true`"
            yield key, f"the 3.0 boolean `{key}`; read as the 3.1 numeric form", hint


def _readings_3_0(node: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(keyword, what and how we read it, hint) for each 3.1 form in a 3.0 schema."""
    kind = node.get("type")
    if _is_3_1_null_type(kind):
        shown = '`type: "null"`' if kind == "null" else f"the type list {short_repr(kind)}"
        hint = "in 3.0 write `nullable: true` next to the non-null schema"
        yield "type", f"the 3.1 form {shown}; read as `nullable: true`", hint
    elif isinstance(kind, list):
        hint = "in 3.0 write `anyOf: [{type: X}, {type: Y}]`"
        yield "type", f"the 3.1 type list {short_repr(kind)}; read as anyOf", hint
    if "const" in node:
        yield (
            "const",
            "the 3.1 keyword `const`; read as a one-value enum",
            "in 3.0 write `enum: [v]`",
        )
    if "examples" in node:
        hint = "in 3.0 write a single `example`"
        yield "examples", "the 3.1 schema keyword `examples`; kept as documentation", hint
    for key, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if key in node and not isinstance(node[key], bool):
            hint = f"in 3.0 write `{bound}: <number>` and `{key}: true`"
            yield key, f"the 3.1 numeric `{key}`; read as the 3.0 boolean form", hint


def mixing_diagnostics(nodes: tuple[SchemaNode, ...], version: str, spec: Spec) -> list[Diagnostic]:
    """SG301 (3.1 document, 3.0 form) and SG302 (3.0 document, 3.1 form), one per keyword."""
    code, readings = ("SG301", _readings_3_1) if version == "3.1" else ("SG302", _readings_3_0)
    found = []
    for item in nodes:
        for key, what, hint in readings(item.node):
            message = f"OpenAPI {version} document uses {what}"
            hint = f"{hint}, or declare `openapi: {'3.0.3' if version == '3.1' else '3.1.0'}`"
            found.append(warning(code, message, hint, spec.locate(join_pointer(item.pointer, key))))
    return found
