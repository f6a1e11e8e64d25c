"""The declared OpenAPI version, and the schema forms of the *other* version a document uses.

Real specs mix versions: the Braintrust doc pages say `openapi: 3.1.1` but write 3.0's
`nullable: true`; the full Braintrust spec says 3.0.3 but puts 3.1's `{type: "null"}` in
`anyOf`. We read both forms (warning once per node) instead of rejecting the document.
"""

from __future__ import annotations

import re
from typing import Any

from generator.diagnostics import Diagnostic, error, warning
from generator.load.spec import Spec, join_pointer
from generator.validate.schemas import SchemaNode
from generator.validate.tree import short_repr

_SUPPORTED = re.compile(r"^3\.([01])(\.|$)")

SG300_HINT = "specgen reads OpenAPI 3.0.x and 3.1.x documents"
SG301_HINT = (
    'in 3.1 write `type: [X, "null"]` (or add `{type: "null"}` to anyOf) and a numeric '
    "`exclusiveMinimum`; or declare `openapi: 3.0.3`"
)
SG302_HINT = (
    "in 3.0 write `nullable: true` next to the non-null schema, `enum: [v]` for `const`, "
    "`minimum` + `exclusiveMinimum: true`; or declare `openapi: 3.1.0`"
)


def declared_version(document: dict[str, Any], spec: Spec) -> tuple[str, Diagnostic | None]:
    """("3.0" | "3.1", None), or ("", SG300 error) when the version is missing or unsupported."""
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
        message = f"`openapi` must be a string such as \"3.0.3\", not {short_repr(value)}"
        return "", error("SG300", message, "quote the version in YAML", loc)
    match = _SUPPORTED.match(value)
    if match is None:
        message = f"OpenAPI version {short_repr(value)} is not supported"
        return "", error("SG300", message, SG300_HINT, loc)
    return f"3.{match.group(1)}", None


def _is_3_1_null_type(value: Any) -> bool:
    return value == "null" or (isinstance(value, list) and "null" in value)


def mixing_diagnostics(
    nodes: tuple[SchemaNode, ...], version: str, spec: Spec
) -> list[Diagnostic]:
    """SG301 (3.1 document, 3.0 form) and SG302 (3.0 document, 3.1 form), one per keyword."""
    found: list[Diagnostic] = []

    def report(code: str, pointer: str, key: str, what: str, reading: str) -> None:
        where = join_pointer(pointer, key)
        declared = "3.1" if code == "SG301" else "3.0"
        message = f"OpenAPI {declared} document uses {what}; read as {reading}"
        hint = SG301_HINT if code == "SG301" else SG302_HINT
        found.append(warning(code, message, hint, spec.locate(where)))

    for item in nodes:
        node, pointer = item.node, item.pointer
        if version == "3.1":
            if "nullable" in node:
                report("SG301", pointer, "nullable", "the 3.0 keyword `nullable`",
                       "'null is also allowed'" if node["nullable"] is True else "no-op")
            for key in ("exclusiveMinimum", "exclusiveMaximum"):
                if isinstance(node.get(key), bool):
                    report("SG301", pointer, key, f"the 3.0 boolean form of `{key}`",
                           "the 3.1 numeric form")
            continue
        kind = node.get("type")
        if _is_3_1_null_type(kind):
            shown = '`type: "null"`' if kind == "null" else f"the type list {short_repr(kind)}"
            report("SG302", pointer, "type", f"the 3.1 form {shown}", "`nullable: true`")
        elif isinstance(kind, list):
            report("SG302", pointer, "type", f"the 3.1 type list {short_repr(kind)}", "`anyOf`")
        if "const" in node:
            report("SG302", pointer, "const", "the 3.1 keyword `const`", "a one-value enum")
        if "examples" in node:
            report("SG302", pointer, "examples", "the 3.1 schema keyword `examples`",
                   "documentation only")
        for key in ("exclusiveMinimum", "exclusiveMaximum"):
            if key in node and not isinstance(node[key], bool):
                report("SG302", pointer, key, f"the 3.1 numeric form of `{key}`",
                       "the 3.0 boolean form")
    return found
