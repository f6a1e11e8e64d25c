"""Deterministic mock values for OpenAPI 3.0/3.1 schemas: what `specgen mock` answers.

A value is built from the schema with its refs and allOf merged (`_mock_schema`), then
checked against it: the check picks the defaults and examples worth reusing, the oneOf
member a value is told apart by, and retries. Randomness comes from one
`random.Random(str(seed))` per value, never from `hash()`: the same in every process.
"""

from __future__ import annotations

import copy
import math
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ._mock_scalars import fill, number_value, pattern_string, string_value
from ._mock_schema import (
    Schemas,
    SynthesisError,
    equal,
    merge,
    search,
    types_of,
    unescape,
)

__all__ = ["SynthesisError", "Synthesizer"]

_MISSING: Any = object()
_EXAMPLES = ("default", "example", "examples")


@dataclass
class _Context:
    rng: random.Random
    response: bool
    stack: list[str] = field(default_factory=list)  # refs being built, outermost first
    minimal: list[str] = field(default_factory=list)  # those entered past max_depth
    fresh: bool = False  # retrying for another value: no defaults or examples


class Synthesizer:
    """Mock values for the schemas of one OpenAPI document (3.0.x or 3.1.x)."""

    def __init__(self, document: Mapping[str, Any], *, max_depth: int = 4) -> None:
        """document: the whole OpenAPI document, for local $refs."""
        self._schemas = Schemas(document)
        self._max_depth = max_depth

    def value(self, schema: Any, *, seed: str | int = 0, response: bool = True) -> Any:
        """A JSON value valid against `schema`: the same for the same schema and seed.
        response=True: readOnly properties present, writeOnly ones left out (even if
        required); response=False: the reverse."""
        ctx = _Context(random.Random(str(seed)), response)
        result = self._build(schema, ctx, "#", 0)
        for _ in range(
            3
        ):  # our own choices are checked; a few more tries if one was wrong
            if self._schemas.check(result, schema, response):
                break
            ctx.fresh = True
            result = self._build(schema, ctx, "#", 0)
        return result

    def _ok(self, v: Any, schema: Any, ctx: _Context) -> bool:
        return self._schemas.check(v, schema, ctx.response)

    def _build(self, schema: Any, ctx: _Context, path: str, depth: int) -> Any:
        if schema is False:
            raise SynthesisError(f"{path}: the schema `false` admits no value")
        s, refs = self._schemas.flat(schema, path)
        minimal = depth > self._max_depth
        for ref in refs:
            if ref in ctx.minimal:
                raise SynthesisError(
                    f"{path}: {ref} requires itself, it has no finite value"
                )
            minimal = minimal or ctx.stack.count(ref) >= self._max_depth
        depth = max(depth, self._max_depth + 1) if minimal else depth
        if isinstance(schema, Mapping) and isinstance(schema.get("$ref"), str):
            path = schema["$ref"]
        ctx.stack += refs
        ctx.minimal += refs if minimal else []
        try:
            return self._node(schema, s, ctx, path, depth, minimal)
        finally:
            del ctx.stack[len(ctx.stack) - len(refs) :]
            del ctx.minimal[len(ctx.minimal) - (len(refs) if minimal else 0) :]

    def _node(
        self,
        orig: Any,
        s: dict[str, Any],
        ctx: _Context,
        path: str,
        depth: int,
        minimal: bool,
    ) -> Any:
        if s.get("not") in ({}, True):
            raise SynthesisError(f"{path}: the schema admits no value")
        if minimal and self._ok(None, orig, ctx):
            return None  # the cheapest way out of a recursion
        if not ctx.fresh:
            examples: list[Any] = (
                s["examples"] if isinstance(s.get("examples"), list) else []
            )
            for candidate in [
                s.get("default", _MISSING),
                s.get("example", _MISSING),
                *examples,
            ]:
                if candidate is not _MISSING and self._ok(candidate, orig, ctx):
                    return copy.deepcopy(candidate)
        if "const" in s:
            return copy.deepcopy(s["const"])
        if isinstance(s.get("enum"), list):
            members = [m for m in s["enum"] if self._ok(m, orig, ctx)]
            if not members:
                raise SynthesisError(f"{path}: no member of the enum is valid")
            return copy.deepcopy(
                ctx.rng.choice([m for m in members if m is not None] or members)
            )
        if "oneOf" in s or "anyOf" in s:
            return self._choose(s, ctx, path, depth, minimal)
        if s.get("_defer"):
            first, *rest = s["_defer"]
            return self._node(
                orig, merge({**s, "_defer": rest}, first), ctx, path, depth, minimal
            )
        if "not" in s:
            return self._avoid(s, ctx, path, depth)
        kinds = types_of(s)
        if kinds is None:  # anything goes: something small
            return (
                fill(ctx.rng, ctx.rng.randint(8, 12))
                if ctx.rng.random() < 0.7
                else ctx.rng.randint(0, 99)
            )
        choices = [k for k in kinds if k != "null"]
        ctx.rng.shuffle(choices)
        error = SynthesisError(f"{path}: no type is left ({s.get('type')!r})")
        for kind in choices:
            try:
                return self._typed(kind, s, ctx, path, depth, minimal)
            except SynthesisError as e:
                error = e
        if "null" in kinds:
            return None
        raise error

    def _typed(
        self,
        kind: str,
        s: dict[str, Any],
        ctx: _Context,
        path: str,
        depth: int,
        minimal: bool,
    ) -> Any:
        if kind == "object":
            return self._object(s, ctx, path, depth, minimal)
        if kind == "array":
            return self._array(s, ctx, path, depth, minimal)
        if kind == "string":
            return string_value(s, ctx.rng, path)
        if kind in ("integer", "number"):
            return number_value(s, ctx.rng, path, kind == "integer")
        return ctx.rng.random() < 0.5

    def _choose(
        self, s: dict[str, Any], ctx: _Context, path: str, depth: int, minimal: bool
    ) -> Any:
        """A oneOf/anyOf member merged with the rest of the schema; for oneOf, one that
        the value can be told apart by, when we can."""
        key = "oneOf" if "oneOf" in s else "anyOf"
        members = s[key]
        rest = {
            k: v for k, v in s.items() if k not in (key, "discriminator", *_EXAMPLES)
        }
        order = list(range(len(members)))
        ctx.rng.shuffle(order)
        if key == "oneOf":
            order.sort(key=lambda i: not self._distinct(members, i))
        if minimal:  # a member that stops the recursion first
            order.sort(key=lambda i: not self._ok(None, members[i], ctx))
        else:  # null last: a richer mock, and 3.0 models often drop `type: "null"`
            order.sort(key=lambda i: self._null_only(members[i]))
        first, error = _MISSING, SynthesisError(f"{path}: no {key} member can be built")
        for i in order[:8]:
            try:
                v = self._build(
                    {"allOf": [rest, members[i]]}, ctx, f"{path}/{key}/{i}", depth
                )
            except SynthesisError as e:
                error = e
                continue
            v = self._discriminate(v, s.get("discriminator"), members[i])
            if key == "anyOf" or sum(self._ok(v, m, ctx) for m in members) == 1:
                return v
            first = v if first is _MISSING else first
        if first is _MISSING:
            raise error
        return first

    def _null_only(self, member: Any) -> bool:
        try:
            flat = self._schemas.flat(member, "#")[0]
        except SynthesisError:
            return False
        return types_of(flat) == ["null"] or _values(flat) == [None]

    def _distinct(self, members: list[Any], i: int) -> bool:
        """A member whose type or const/enum property no other member shares."""
        try:
            flats = [self._schemas.flat(m, "#")[0] for m in members]
        except SynthesisError:
            return False
        own, others = flats[i], flats[:i] + flats[i + 1 :]
        kinds = set(types_of(own) or ())
        if kinds and all(not kinds & set(types_of(o) or ("any",)) for o in others):
            return True
        for name, prop in (own.get("properties") or {}).items():
            mine = _values(self._schemas.flat(prop, "#")[0])
            theirs = [
                _values(
                    self._schemas.flat((o.get("properties") or {}).get(name), "#")[0]
                )
                for o in others
            ]
            if mine and all(
                t and not any(equal(a, b) for a in mine for b in t) for t in theirs
            ):
                return True
        return False

    def _discriminate(self, v: Any, discriminator: Any, member: Any) -> Any:
        """The discriminating property of an object set to the chosen member's name."""
        if not isinstance(discriminator, Mapping) or not isinstance(v, dict):
            return v
        name, ref = discriminator.get("propertyName"), (member or {}).get("$ref")
        if not isinstance(name, str) or not isinstance(ref, str):
            return v
        prop = (self._schemas.flat(member, "#")[0].get("properties") or {}).get(name)
        if _values(self._schemas.flat(prop, "#")[0]):
            return v  # the member's own const/enum wins
        mapping = discriminator.get("mapping") or {}
        short = unescape(ref.rsplit("/", 1)[-1])
        key = next((k for k, t in mapping.items() if t in (ref, short)), short)
        return {**v, name: key}

    def _avoid(self, s: dict[str, Any], ctx: _Context, path: str, depth: int) -> Any:
        """A value of the rest that `not` rejects: avoiding its type first."""
        negated, rest = s["not"], {k: v for k, v in s.items() if k != "not"}
        kinds = types_of(self._schemas.flat(negated, path)[0])
        if kinds and "type" not in rest:
            rest["type"] = [
                t for t in ("string", "integer", "object", "boolean") if t not in kinds
            ]
        fresh = ctx.fresh
        try:
            for _ in range(6):
                v = self._build(rest, ctx, path, depth)
                if not self._ok(v, negated, ctx):
                    return v
                ctx.fresh = True
        finally:
            ctx.fresh = fresh
        raise SynthesisError(f"{path}: every value tried is one that `not` forbids")

    def _object(
        self, s: dict[str, Any], ctx: _Context, path: str, depth: int, minimal: bool
    ) -> Any:
        props: Mapping[str, Any] = s.get("properties") or {}
        patterns: Mapping[str, Any] = s.get("patternProperties") or {}
        extra = s.get("additionalProperties", True)
        shown = [n for n in props if not self._schemas.hidden(props[n], ctx.response)]
        required = [n for n in s.get("required", ()) if n in shown or n not in props]
        optional = [] if minimal else [n for n in shown if n not in required]
        names = (
            required
            + optional[: max(s.get("maxProperties", len(props)) - len(required), 0)]
        )
        more = [n for n in shown if n not in names]
        want = s.get("minProperties", 0)
        if not minimal and not props and extra not in (True, False, {}):
            want = max(want, 1)  # a map: one entry makes a richer mock
        result: dict[str, Any] = {}

        def put(name: str, schema: Any) -> None:
            matching = [patterns[p] for p in patterns if search(p, name)]
            if name not in props and not matching and extra is False:
                raise SynthesisError(
                    f"{path}: {name!r} is required but no property may be added"
                )
            inner = [props[name]] if name in props else matching or [extra]
            result[name] = self._build(
                {"allOf": [schema, *inner]}, ctx, f"{path}/properties/{name}", depth + 1
            )

        for name in names:
            put(name, True)
        for i in range(len(result), s.get("maxProperties", want)):
            if len(result) >= want:
                break
            if more:
                put(more.pop(0), True)
                continue
            pattern = next(iter(patterns), None)
            key = self._key(pattern, ctx.rng, result) if pattern else f"key{i}"
            if pattern is None and extra is False:
                raise SynthesisError(f"{path}: minProperties {want} cannot be reached")
            put(key, True)
        return result

    def _key(self, pattern: str, rng: random.Random, taken: Mapping[str, Any]) -> str:
        for _ in range(8):
            key = pattern_string(pattern, rng, 1, 20)
            if key is not None and key not in taken:
                return key
        raise SynthesisError(f"#: no property name matches {pattern!r}")

    def _array(
        self, s: dict[str, Any], ctx: _Context, path: str, depth: int, minimal: bool
    ) -> Any:
        prefix: list[Any] = s.get("prefixItems") or []
        items = s.get("items", True)
        low, high = s.get("minItems", 0), s.get("maxItems", math.inf)
        count = low if minimal else min(ctx.rng.randint(max(low, 1), max(low, 2)), high)
        if items is False:
            count = min(count, len(prefix))
        result: list[Any] = []
        fresh, unique = ctx.fresh, bool(s.get("uniqueItems"))
        try:
            for i in range(int(count)):
                schema = prefix[i] if i < len(prefix) else items
                for attempt in range(25 if unique else 1):
                    ctx.fresh = fresh or attempt > 0  # not the same example again
                    v = self._build(schema, ctx, f"{path}/items/{i}", depth + 1)
                    if not unique or not any(equal(v, x) for x in result):
                        break
                else:
                    if len(result) >= low:
                        break
                    raise SynthesisError(
                        f"{path}: no {low} distinct items (uniqueItems)"
                    )
                result.append(v)
        finally:
            ctx.fresh = fresh
        if len(result) < low:
            raise SynthesisError(f"{path}: minItems {low} cannot be reached")
        return result


def _values(s: Mapping[str, Any]) -> list[Any]:
    """What a const or enum allows, or nothing."""
    return [s["const"]] if "const" in s else list(s.get("enum") or [])
