"""Schemas → TypeRefs, and the symbol table of named types.

One `SchemaTable` per API: it names every component schema once (PascalCase, numbered when two
names meet; the request side of a two-sided schema (generator.build.sides) `<Name>Input`, after
every spec name), hoists inline schemas that need a type of their own (objects with properties,
enums, combinators) under names derived from where they are used, and produces the schema
document the model renderers read (datamodel-code-generator for `models.py`, the TypeScript
declarations), every type under its name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.build.nesting import ANNOTATIONS, NESTED_PREFIX, is_flat, needs_type, nest, shape_key
from generator.build.sides import WRITE_SUFFIX
from generator.ir.model import NamedSchema, Side
from generator.ir.names import numbered, pascal_case
from generator.ir.types import Primitive, TypeRef
from generator.pointers import SCHEMAS_PREFIX, component_schema, deref, join_pointer, resolve_ref

_STRING_FORMATS = {
    "uuid": Primitive.UUID,
    "date-time": Primitive.DATE_TIME,
    "date": Primitive.DATE,
    "time": Primitive.TIME,
    "binary": Primitive.BINARY,
}
_SCALARS = {"string", "integer", "number", "boolean"}


def single_ref(schema: Mapping[str, Any]) -> str | None:
    """The ref of a schema that is one `$ref` in an allOf/anyOf/oneOf plus annotations."""
    for key in ("allOf", "anyOf", "oneOf"):
        members = schema.get(key)
        if (
            isinstance(members, list)
            and len(members) == 1
            and isinstance(members[0], Mapping)
            and set(members[0]) == {"$ref"}
            and isinstance(members[0]["$ref"], str)
            and set(schema) - ANNOTATIONS == {key}
        ):
            ref: str = members[0]["$ref"]
            return ref
    return None


def is_primitive_schema(schema: Any) -> bool:
    """A scalar schema that needs no class of its own (no enum, no combinators)."""
    if not isinstance(schema, Mapping):
        return False
    if any(k in schema for k in ("enum", "allOf", "anyOf", "oneOf", "properties", "$ref")):
        return False
    return schema.get("type") in _SCALARS


class SchemaTable:
    """Class names for schemas, and the hoisted inline schemas that need one."""

    def __init__(
        self, document: Mapping[str, Any], write_sides: Mapping[str, str] | None = None
    ) -> None:
        """`write_sides` maps the key of each write (request) side that
        `generator.build.sides` added to the component it is a side of."""
        self._document = document
        components = document.get("components") or {}
        self._components: Mapping[str, Any] = components.get("schemas") or {}
        self._write_sides: Mapping[str, str] = write_sides or {}
        self._taken: dict[str, str] = {}  # type name -> pointer that owns it
        self._component_names: dict[str, str] = {}
        for key in self._components:
            if key not in self._write_sides:
                self._component_names[key] = self._allocate(pascal_case(key), self._source(key))
        # After every spec name: a spec's own `OrderInput` keeps its name.
        for key, of in self._write_sides.items():
            self._component_names[key] = self._allocate(
                self._component_names[of] + WRITE_SUFFIX, self._source(key)
            )
        self._hoisted: dict[str, tuple[str, Any]] = {}
        self._hoisted_by_pointer: dict[str, str] = {}
        self._by_shape: dict[str, str] = {}  # canonical JSON of a nested type -> its name
        self._unwrapped: set[str] = set()  # components parameters use as their scalar
        self._referenced: set[str] = set()  # components used as types
        self._schemas: dict[str, Any] | None = None

    def _source(self, key: str) -> str:
        """The pointer of a component in the spec (a write side's is its component's)."""
        return join_pointer("/components/schemas", self._write_sides.get(key, key))

    def side_of(self, key: str) -> Side | None:
        """Which side a component's type is, when its two sides are two types."""
        if key in self._write_sides:
            return Side.WRITE
        return Side.READ if key in self._write_sides.values() else None

    def _allocate(self, name: str, pointer: str) -> str:
        candidate = numbered(name, self._taken)
        self._taken[candidate] = pointer
        return candidate

    def is_taken(self, name: str) -> bool:
        return name in self._taken

    def component_class(self, key: str) -> str:
        return self._component_names[key]

    def type_of(self, schema: Any, pointer: str, hint: str, *, unwrap: bool = False) -> TypeRef:
        """The TypeRef of `schema`; `hint` names a class if one must be hoisted.

        `unwrap` follows references to primitive components (parameters and headers want
        `UUID`, not a RootModel wrapping it).
        """
        if not isinstance(schema, Mapping):
            return TypeRef.any_()
        nullable = schema.get("nullable") is True
        ref = schema.get("$ref")
        if isinstance(ref, str):
            return self._ref_type(ref, hint, unwrap=unwrap).with_nullable(nullable)
        alias = single_ref(schema)
        if alias is not None:  # `allOf: [$ref]` to hang a default or description on a ref
            return self._ref_type(alias, hint, unwrap=unwrap).with_nullable(nullable)
        if any(k in schema for k in ("enum", "allOf", "anyOf", "oneOf", "properties")):
            return TypeRef.model(self._hoist(schema, pointer, hint), nullable=nullable)
        kind = schema.get("type")
        if kind == "string":
            fmt = schema.get("format")
            primitive = _STRING_FORMATS.get(fmt, Primitive.STRING) if isinstance(fmt, str) else None
            return TypeRef.primitive(primitive or Primitive.STRING, nullable=nullable)
        if kind in ("integer", "number", "boolean"):
            return TypeRef.primitive(Primitive(kind), nullable=nullable)
        if kind == "array":
            item = self.type_of(schema.get("items"), pointer + "/items", f"{hint}Item")
            return TypeRef.list_of(item, nullable=nullable)
        if kind == "object" or "additionalProperties" in schema:
            extra = schema.get("additionalProperties")
            value = (
                self.type_of(extra, pointer + "/additionalProperties", f"{hint}Value")
                if isinstance(extra, Mapping)
                else TypeRef.any_()
            )
            return TypeRef.dict_of(value, nullable=nullable)
        return TypeRef.any_()

    def _ref_type(self, ref: str, hint: str, *, unwrap: bool) -> TypeRef:
        key = component_schema(ref)
        if key is not None:
            target = self._components.get(key)
            if unwrap and is_primitive_schema(target):
                self._unwrapped.add(key)
                return self.type_of(target, ref[1:], hint, unwrap=True)
            self._referenced.add(key)
            if key in self._component_names:
                return TypeRef.model(self._component_names[key])
            return TypeRef.any_()
        # A reference into some other part of the document: treat the target as inline.
        target, pointer = deref(self._document, {"$ref": ref}, ref[1:])
        if pointer in self._hoisted_by_pointer:
            return TypeRef.model(self._hoisted_by_pointer[pointer])
        return self.type_of(target, pointer, hint, unwrap=unwrap)

    def _hoist(self, schema: Mapping[str, Any], pointer: str, hint: str) -> str:
        if pointer in self._hoisted_by_pointer:
            return self._hoisted_by_pointer[pointer]
        name = self._allocate(pascal_case(hint), pointer)
        # Nullability lives on the TypeRef (`X | None`), not in the class.
        self._hoisted[name] = (pointer, {k: v for k, v in schema.items() if k != "nullable"})
        self._hoisted_by_pointer[pointer] = name
        return name

    def named_schemas(self) -> tuple[NamedSchema, ...]:
        """Every named type, once the operations are built (see `_finish`)."""
        schemas = self._finish()
        named = [
            NamedSchema(name, self._source(key), side=self.side_of(key))
            for key, name in self._component_names.items()
            if name in schemas
        ]
        named += [
            NamedSchema(name, self._source_pointer(ptr), hoisted=True)
            for name, (ptr, _) in self._hoisted.items()
        ]
        return tuple(named)

    def _source_pointer(self, pointer: str) -> str:
        """A hoisted type's pointer in the spec (inside a write side: inside its component)."""
        for key in self._write_sides:
            prefix = join_pointer("/components/schemas", key)
            if pointer == prefix or pointer.startswith(prefix + "/"):
                return self._source(key) + pointer[len(prefix) :]
        return pointer

    def models_document(self, openapi_version: str) -> dict[str, Any]:
        """The schema document of the named types: every type under its name, every schema
        `$ref` pointing at one (datamodel-code-generator renders it as `models.py`)."""
        return {
            "openapi": openapi_version,
            "info": {"title": "models", "version": "0"},
            "paths": {},
            "components": {"schemas": self._finish()},
        }

    def _finish(self) -> dict[str, Any]:
        """The named types' schemas, computed once, after the operations are built: nested
        inline types hoisted (generator.build.nesting), then refs rewritten to our names; a
        scalar component that only parameters use, as the scalar they unwrap it to, is left
        out (a class nothing would refer to)."""
        if self._schemas is not None:
            return self._schemas
        entries: dict[str, Any] = {}  # type name -> its schema, nested types as references

        def hoist(shape: dict[str, Any], pointer: str, hint: str) -> str:
            if pointer in self._hoisted_by_pointer:  # also a type already: one name
                return self._hoisted_by_pointer[pointer]
            key = shape_key(shape)
            name = self._by_shape.get(key)
            if name is None:
                name = self._by_shape[key] = self._allocate(pascal_case(hint), pointer)
                self._hoisted[name] = (pointer, shape)
                entries[name] = shape  # innermost first: its own nested types are done
            self._hoisted_by_pointer[pointer] = name
            return name

        for key, name in self._component_names.items():
            schema = self._components[key]
            if needs_type(schema) and is_flat(schema):  # a nested copy of it is this type
                self._by_shape.setdefault(shape_key(schema), name)
        for key, name in self._component_names.items():
            pointer = join_pointer("/components/schemas", key)
            entries[name] = nest(self._components[key], pointer, name, hoist)
        schemas: dict[str, Any] = {}
        # Rewriting can hoist more (refs into other nodes): repeat until nothing is new.
        while True:
            for name, (pointer, schema) in list(self._hoisted.items()):
                if name not in entries:
                    entries[name] = nest(schema, pointer, name, hoist)
            pending = [name for name in entries if name not in schemas]
            if not pending:
                break
            for name in pending:
                schemas[name] = self._rewrite_refs(entries[name])
        for key in self._unwrapped - self._referenced:
            if is_primitive_schema(self._components.get(key)):
                del schemas[self._component_names[key]]
        self._schemas = schemas
        return schemas

    def _rewrite_refs(self, schema: Any) -> Any:
        """A copy of `schema` whose schema refs use our type names (iterative: deep
        documents). Copied and rewritten in one pass, each node's ref rewritten in the order
        a walk of a finished copy would meet it (a rewrite may name a hoisted type)."""
        if not isinstance(schema, dict | list):
            return schema
        root: Any = {} if isinstance(schema, dict) else []
        stack: list[tuple[Any, Any]] = [(schema, root)]
        mapping: dict[str, Any]
        items: list[Any]
        while stack:
            source, copy = stack.pop()
            children: list[tuple[Any, Any]] = []
            if isinstance(source, dict):
                for key, value in source.items():
                    if isinstance(value, dict):
                        copy[key] = mapping = {}
                        children.append((value, mapping))
                    elif isinstance(value, list):
                        copy[key] = items = []
                        children.append((value, items))
                    else:
                        copy[key] = value
                ref = copy.get("$ref")
                if isinstance(ref, str):
                    copy["$ref"] = self._rewritten_ref(ref)
            else:
                for value in source:
                    if isinstance(value, dict):
                        copy.append(mapping := {})
                        children.append((value, mapping))
                    elif isinstance(value, list):
                        copy.append(items := [])
                        children.append((value, items))
                    else:
                        copy.append(value)
            stack.extend(children)
        return root

    def _rewritten_ref(self, ref: str) -> str:
        if ref.startswith(NESTED_PREFIX):  # a type generator.build.nesting hoisted
            return SCHEMAS_PREFIX + ref[len(NESTED_PREFIX) :]
        key = component_schema(ref)
        if key is not None and key in self._component_names:
            self._referenced.add(key)
            return SCHEMAS_PREFIX + self._component_names[key]
        pointer = ref[1:]
        if pointer in self._hoisted_by_pointer:
            return SCHEMAS_PREFIX + self._hoisted_by_pointer[pointer]
        # Inline a reference into another part of the document under a hoisted name.
        target = resolve_ref(self._document, ref)
        name = self._hoist(target if isinstance(target, Mapping) else {}, pointer, pointer)
        return SCHEMAS_PREFIX + name
