"""Schemas for mock values: local refs, allOf merged into one schema, a small validator.

The validator is ours (runtime modules are stdlib only) and covers what mock values
need: types, enum/const, bounds, lengths, patterns, common formats, objects, arrays and
the combinators, with the readOnly/writeOnly rules of a request or a response. It
decides which default or example may be reused (published specs have wrong ones) and
which oneOf member a value is told apart by.
"""

from __future__ import annotations

import ipaddress
import math
import re
import uuid
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any
from urllib.parse import unquote

_TYPES = ("object", "array", "string", "integer", "number", "boolean", "null")
INT_FORMATS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
_HINTS = (  # keywords that say the type when `type` is left out
    ("object", ("properties", "required", "additionalProperties", "patternProperties")),
    ("array", ("items", "prefixItems", "minItems", "maxItems", "uniqueItems")),
    (
        "string",
        ("minLength", "maxLength", "pattern", "contentMediaType", "contentEncoding"),
    ),
    (
        "number",
        ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"),
    ),
)


class SynthesisError(Exception):
    """The schema admits no value we can build; the message starts with its pointer."""


def types_of(s: Mapping[str, Any]) -> list[str] | None:
    kind = s.get("type")
    if isinstance(kind, str):
        return [kind]
    if isinstance(kind, list):
        return [k for k in kind if k in _TYPES]
    if s.get("format") in INT_FORMATS:
        return ["integer"]
    if isinstance(s.get("format"), str):
        return ["string"]
    return next(([t] for t, keys in _HINTS if any(k in s for k in keys)), None)


def _numeric_bounds(node: dict[str, Any]) -> dict[str, Any]:
    """3.0's boolean exclusive bounds as 3.1's numbers: merging keeps their meaning."""
    for key, bound in (
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ):
        if isinstance(node.get(key), bool):
            if node[key] and bound in node:
                node[key] = node.pop(bound)
            else:
                del node[key]
    return node


def _sub(a: Any, b: Any) -> Any:
    """Both subschemas at once (for a property or items declared twice)."""
    if a is True or a == {}:
        return b
    if b is True or b == {}:
        return a
    return False if a is False or b is False else {"allOf": [a, b]}


def merge(a: Mapping[str, Any], b: Mapping[str, Any]) -> dict[str, Any]:
    """allOf of two flattened schemas as one: requirements joined, tightest bounds."""
    out = dict(a)
    for key, theirs in b.items():
        if key not in out:
            out[key] = theirs
            continue
        ours = out[key]
        if key == "properties" or key == "patternProperties":
            out[key] = {
                **ours,
                **{n: _sub(ours[n], s) if n in ours else s for n, s in theirs.items()},
            }
        elif key == "required":
            out[key] = list(dict.fromkeys([*ours, *theirs]))
        elif key in (
            "minimum",
            "exclusiveMinimum",
            "minLength",
            "minItems",
            "minProperties",
        ):
            out[key] = max(ours, theirs)
        elif key in (
            "maximum",
            "exclusiveMaximum",
            "maxLength",
            "maxItems",
            "maxProperties",
        ):
            out[key] = min(ours, theirs)
        elif key == "type":
            mine, other = types_of(out) or [], types_of(b) or []
            both = [
                t for t in mine if t in other or (t == "integer" and "number" in other)
            ]
            both += ["integer"] if "number" in mine and "integer" in other else []
            out[key] = both
        elif key == "enum":
            out[key] = [x for x in ours if any(equal(x, y) for y in theirs)]
        elif key in ("items", "additionalProperties", "unevaluatedProperties"):
            out[key] = _sub(ours, theirs)
        elif key == "not":
            out[key] = {"anyOf": [ours, theirs]}
        elif key in ("oneOf", "anyOf"):  # a second choice waits until the first is made
            out["_defer"] = [*out.get("_defer", []), {key: theirs}]
        elif key in ("readOnly", "writeOnly", "uniqueItems"):
            out[key] = ours or theirs
        elif key == "_defer":
            out[key] = [*ours, *theirs]
    return out


def equal(a: Any, b: Any) -> bool:
    """JSON equality: true is not 1, 1 is 1.0."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(map(equal, a, b))
    return bool(a == b) and (type(a) is type(b) or {type(a), type(b)} <= {int, float})


def _is_type(v: Any, kind: str) -> bool:
    if kind == "integer":
        return (isinstance(v, int) and not isinstance(v, bool)) or (
            isinstance(v, float) and v.is_integer()
        )
    if kind == "number":
        return isinstance(v, int | float) and not isinstance(v, bool)
    expected = {"object": dict, "array": list, "string": str, "boolean": bool}.get(kind)
    return (
        v is None
        if kind == "null"
        else expected is not None and isinstance(v, expected)
    )


_DATE_TIME = re.compile(
    r"\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)"
)
_FORMATS: dict[str, Callable[[str], object]] = {
    "date-time": lambda v: (
        _DATE_TIME.fullmatch(v) and datetime.fromisoformat(v.upper())
    ),
    "date": lambda v: re.fullmatch(r"\d{4}-\d\d-\d\d", v) and date.fromisoformat(v),
    "uuid": lambda v: uuid.UUID(v) and all(v[i] == "-" for i in (8, 13, 18, 23)),
    "email": lambda v: re.fullmatch(r"[^@\s]+@[^@\s]+", v),
    "ipv4": ipaddress.IPv4Address,
    "ipv6": ipaddress.IPv6Address,
    "uri": lambda v: re.match(r"[A-Za-z][A-Za-z0-9+.-]*:\S*$", v),
}


def format_ok(value: str, fmt: Any) -> bool:
    """The formats whose wrong examples are common and that validators check."""
    check = _FORMATS.get(fmt) if isinstance(fmt, str) else None
    try:
        return check is None or bool(check(value))
    except (ValueError, IndexError):
        return False


def unescape(token: str) -> str:
    """One JSON pointer token (RFC 6901), percent-decoded as in a URI fragment."""
    return unquote(token).replace("~1", "/").replace("~0", "~")


class Schemas:
    """The schemas of one OpenAPI document: refs, flattening and checks."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        # `nullable` is 3.0's; a 3.1 validator ignores it, and so do we.
        self._nullable = (
            "nullable" if not str(document.get("openapi")).startswith("3.1") else ""
        )
        self._flat: dict[str, tuple[dict[str, Any], tuple[str, ...]]] = {}

    def deref(self, ref: str, where: str) -> Any:
        if not ref.startswith("#"):
            raise SynthesisError(f"{where}: only local $refs are followed, not {ref!r}")
        node: Any = self.document
        for token in ref[1:].split("/")[1:]:
            key = unescape(token)
            if isinstance(node, list) and key.isdigit() and int(key) < len(node):
                node = node[int(key)]
            elif isinstance(node, Mapping) and key in node:
                node = node[key]
            else:
                raise SynthesisError(f"{where}: $ref {ref!r} points at nothing")
        return node

    def flat(
        self, schema: Any, where: str, seen: tuple[str, ...] = ()
    ) -> tuple[dict[str, Any], tuple[str, ...]]:
        """The schema with its $ref and allOf merged in, and the refs followed."""
        if schema is True or schema is None or not isinstance(schema, Mapping):
            return ({"not": {}} if schema is False else {}), ()
        node = {k: v for k, v in schema.items() if k not in ("$ref", "allOf")}
        if node.pop(self._nullable, False) is True and "type" in node:
            node["type"] = [*(types_of(node) or []), "null"]
            if isinstance(node.get("enum"), list):
                node["enum"] = [*node["enum"], None]
        node = _numeric_bounds(node)
        refs: tuple[str, ...] = ()
        ref = schema.get("$ref")
        if isinstance(ref, str):
            if ref in seen:
                raise SynthesisError(f"{where}: {ref} is its own allOf member")
            if ref not in self._flat:
                self._flat[ref] = self.flat(self.deref(ref, where), ref, (*seen, ref))
            target, inner = self._flat[ref]
            node, refs = merge(node, target), (ref, *inner)
        for i, part in enumerate(schema.get("allOf") or ()):
            flat, inner = self.flat(part, f"{where}/allOf/{i}", (*seen, *refs))
            node, refs = merge(node, flat), (*refs, *inner)
        return node, refs

    def flag(self, schema: Any, key: str) -> bool:
        try:
            return bool(self.flat(schema, "#")[0].get(key))
        except SynthesisError:
            return False

    def hidden(self, schema: Any, response: bool) -> bool:
        """Left out: writeOnly properties in responses, readOnly ones in requests."""
        return self.flag(schema, "writeOnly" if response else "readOnly")

    def check(self, v: Any, schema: Any, response: bool, depth: int = 0) -> bool:
        """Whether `v` is valid against `schema` (best effort, see above)."""
        if schema is True or schema is None or depth > 64:
            return True
        if schema is False or not isinstance(schema, Mapping):
            return schema is not False

        def ok(v: Any, s: Any) -> bool:
            return self.check(v, s, response, depth + 1)

        ref = schema.get("$ref")
        if isinstance(ref, str):
            try:
                if not ok(v, self.deref(ref, "#")):
                    return False
            except SynthesisError:
                return False
        nullable = schema.get(self._nullable) is True
        if v is None and nullable and "type" not in schema:
            return True  # 3.0's nullable without a type: JSON Schema's anyOf [it, null]
        kinds = types_of({"type": schema["type"]}) if "type" in schema else None
        if kinds is not None and not any(
            _is_type(v, k) for k in [*kinds, *["null"] * nullable]
        ):
            return False
        if "const" in schema and not equal(v, schema["const"]):
            return False
        enum = schema.get("enum")
        if isinstance(enum, list) and not any(
            equal(v, e) for e in [*enum, *[None] * nullable]
        ):
            return False
        if not all(
            ok(v, s) for s in [*schema.get("allOf", ()), *schema.get("_defer", ())]
        ):
            return False
        if "anyOf" in schema and not any(ok(v, s) for s in schema["anyOf"]):
            return False
        if "oneOf" in schema and sum(ok(v, s) for s in schema["oneOf"]) != 1:
            return False
        if "not" in schema and ok(v, schema["not"]):
            return False
        if isinstance(v, int | float) and not isinstance(v, bool):
            return number_ok(v, _numeric_bounds(dict(schema)))
        if isinstance(v, str):
            return self._string_ok(v, schema)
        if isinstance(v, list):
            return self._array_ok(v, schema, ok)
        if isinstance(v, dict):
            return self._object_ok(v, schema, response, ok)
        return True

    def _string_ok(self, v: str, s: Mapping[str, Any]) -> bool:
        if len(v) < s.get("minLength", 0) or len(v) > s.get("maxLength", len(v)):
            return False
        pattern = s.get("pattern")
        try:
            if isinstance(pattern, str) and not re.search(pattern, v):
                return False
        except re.error:
            pass  # not a Python regex: nothing we can say
        return format_ok(v, s.get("format"))

    def _array_ok(
        self, v: list[Any], s: Mapping[str, Any], ok: Callable[[Any, Any], bool]
    ) -> bool:
        if not s.get("minItems", 0) <= len(v) <= s.get("maxItems", len(v)):
            return False
        if s.get("uniqueItems") and any(
            equal(x, y) for i, x in enumerate(v) for y in v[:i]
        ):
            return False
        prefix = s.get("prefixItems") or []
        rest = s.get("items", True)
        return all(
            ok(x, prefix[i] if i < len(prefix) else rest) for i, x in enumerate(v)
        )

    def _object_ok(
        self,
        v: dict[str, Any],
        s: Mapping[str, Any],
        response: bool,
        ok: Callable[[Any, Any], bool],
    ) -> bool:
        if not s.get("minProperties", 0) <= len(v) <= s.get("maxProperties", len(v)):
            return False
        props = s.get("properties") or {}
        if any(
            n not in v and not self.hidden(props.get(n), response)
            for n in s.get("required", ())
        ):
            return False
        patterns = s.get("patternProperties") or {}
        for name, item in v.items():
            if name in props and (
                self.hidden(props[name], response) or not ok(item, props[name])
            ):
                return False
            matched = [p for p in patterns if search(p, name)]
            if not all(ok(item, patterns[p]) for p in matched):
                return False
            if (
                name not in props
                and not matched
                and not ok(item, s.get("additionalProperties", True))
            ):
                return False
        return True


def search(pattern: str, text: str) -> bool:
    try:
        return re.search(pattern, text) is not None
    except re.error:
        return False


def bounds(s: Mapping[str, Any]) -> tuple[float | None, bool, float | None, bool]:
    """(low, low is exclusive, high, high is exclusive): numeric bounds of a schema."""
    low, high = s.get("minimum"), s.get("maximum")
    low_x = high_x = False
    x = s.get("exclusiveMinimum")
    if (
        isinstance(x, int | float)
        and not isinstance(x, bool)
        and (low is None or x >= low)
    ):
        low, low_x = x, True
    x = s.get("exclusiveMaximum")
    if (
        isinstance(x, int | float)
        and not isinstance(x, bool)
        and (high is None or x <= high)
    ):
        high, high_x = x, True
    return low, low_x, high, high_x


def number_ok(v: float, s: Mapping[str, Any]) -> bool:
    low, low_x, high, high_x = bounds(s)
    if low is not None and (v < low or (low_x and v == low)):
        return False
    if high is not None and (v > high or (high_x and v == high)):
        return False
    step = s.get("multipleOf")
    if isinstance(step, int | float) and not isinstance(step, bool) and step > 0:
        if isinstance(step, int) and isinstance(v, int):
            return v % step == 0
        quotient = v / step  # as jsonschema checks it: an exact integer quotient
        return math.isfinite(quotient) and int(quotient) == quotient
    return True
