"""Examples of scalar schemas that their own schema refuses (`"example": "null"` on an
integer, a value outside the enum or the bounds): SG312 warnings, and the example dropped
from the document generation reads.

openapi-spec-validator does not check a schema's `example`, yet every tool that reads the
document takes it for a valid value: a fuzzer sends it as valid data, a mock answers with
it. Only scalar schemas are checked here, on their own keywords (no `$ref` or combinators
to follow), which is where published specs go wrong (TGI's `"example": "null"`) and cheap
enough for documents with thousands of examples.
"""

from __future__ import annotations

from typing import Any

from generator.diagnostics import Diagnostic, Severity
from generator.load.spec import Spec
from generator.pointers import join_pointer
from generator.validate.schemas import SchemaWalk

_SCALARS = frozenset({"integer", "number", "boolean", "string"})
_COMPOUND = ("$ref", "allOf", "anyOf", "oneOf", "not", "properties", "items")
_HINT = "fix the example (--strict makes this an error); other generators accept it too"


def refused_examples(walk: SchemaWalk, spec: Spec) -> tuple[list[Diagnostic], list[str]]:
    """The SG312 findings, and the pointers of the schemas whose `example` is dropped (a 3.1
    `examples` list keeps the entries its schema accepts)."""
    findings: list[Diagnostic] = []
    dropped: list[str] = []
    for item in walk.nodes:
        node = item.node
        if "example" not in node and "examples" not in node:
            continue  # most schemas: nothing to judge
        kinds = _scalar_types(node)
        if kinds is None:
            continue
        if "example" in node:
            why = _refusal(node, kinds, node["example"])
            if why:
                pointer = join_pointer(item.pointer, "example")
                findings.append(_finding(spec, pointer, why))
                dropped.append(item.pointer)
        examples = node.get("examples")
        if isinstance(examples, list):
            for index, value in enumerate(examples):
                why = _refusal(node, kinds, value)
                if why:
                    pointer = join_pointer(item.pointer, "examples", str(index))
                    findings.append(_finding(spec, pointer, why))
                    dropped.append(item.pointer)
    return findings, list(dict.fromkeys(dropped))


def drop_refused(node: dict[str, Any]) -> None:
    """Drop what `refused_examples` found in this schema node."""
    kinds = _scalar_types(node)
    if kinds is None:
        return
    if "example" in node and _refusal(node, kinds, node["example"]):
        del node["example"]
    if isinstance(node.get("examples"), list):
        node["examples"] = [v for v in node["examples"] if not _refusal(node, kinds, v)]


def _scalar_types(node: dict[str, Any]) -> frozenset[str] | None:
    """The types a scalar schema allows (with "null"), None for any other schema."""
    if any(key in node for key in _COMPOUND):
        return None
    kind = node.get("type")
    kinds = {kind} if isinstance(kind, str) else set(kind) if isinstance(kind, list) else set()
    if not kinds or not kinds - {"null"} <= _SCALARS:
        return None
    if node.get("nullable") is True:
        kinds.add("null")
    return frozenset(kinds)


def _refusal(node: dict[str, Any], kinds: frozenset[str], value: Any) -> str:
    """Why `node` refuses `value` ("" when it does not)."""
    if value is None:
        return "" if "null" in kinds else "null is not allowed"
    if not any(_is(kind, value) for kind in kinds):
        return f"{value!r} is not of type {' or '.join(sorted(kinds - {'null'}))}"
    enum = node.get("enum")
    if isinstance(enum, list) and value not in enum:
        return f"{value!r} is not one of the enum's values"
    if isinstance(value, int | float) and not isinstance(value, bool):
        low, high = node.get("minimum"), node.get("maximum")
        if isinstance(low, int | float) and value < low:
            return f"{value!r} is less than the minimum {low}"
        if isinstance(high, int | float) and value > high:
            return f"{value!r} is more than the maximum {high}"
    if isinstance(value, str):
        shortest, longest = node.get("minLength"), node.get("maxLength")
        if isinstance(shortest, int) and len(value) < shortest:
            return f"{value!r} is shorter than minLength {shortest}"
        if isinstance(longest, int) and len(value) > longest:
            return f"{value!r} is longer than maxLength {longest}"
    return ""


def _is(kind: str, value: Any) -> bool:
    if kind == "integer":
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, float) and value.is_integer()
        )
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    return kind == "string" and isinstance(value, str)


def _finding(spec: Spec, pointer: str, why: str) -> Diagnostic:
    return Diagnostic(
        Severity.WARNING,
        "SG312",
        f"example does not match its schema: {why} (an example is data: it is dropped)",
        _HINT,
        spec.locate(pointer),
    )
