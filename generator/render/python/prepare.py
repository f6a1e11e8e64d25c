"""The schema document datamodel-code-generator gets, prepared so that models.py means what
the spec says and passes mypy --strict. Each step works around one known weakness of the
model generator, only where the spec has the construct it trips on:

- class names: every schema under its Python class name (`models.py` binds some names itself);
- bytes (`format: binary`, see `is_file_schema`): the runtime's `File` (bytes or a stream,
  with a filename and content type), which the model generator imports from a placeholder
  module that `mend.relative_file_import` points at the package's `_forms.py`;
- `format: byte`: pydantic's `Base64Bytes` (base64 of any bytes, read as `bytes`), where the
  model generator's `Base64Str` also wants the decoded bytes to be UTF-8 text; beside a
  default or an enum, which it writes as text, the field is the base64 text (`str`);
- integer formats (int32, int64): their ranges as bounds (`ge`/`le`), which the model
  generator leaves out (it types both `int`);
- string formats whose pydantic types need a package generated code does not depend on
  (EmailStr needs email-validator, ULID python-ulid): those fields stay `str`;
- allOf that narrows a property of its base (`kind: {const: cat}` over `kind: Kind`): the
  model generator would subclass the base and override the field with an incompatible type,
  so the base's other properties are copied in instead (the child is a class of its own);
- a discriminator whose property some member does not declare: dropped (the model generator
  would add the property to that member);
- a union (anyOf/oneOf) with a nullable member: the model generator drops a member's
  `nullable`, so the union would refuse null; the union is made nullable instead;
- a nullable union that refers to its own schema (a JSON value type): the model generator
  spells its members `str | None` inside `Optional[Union[...]]`, which ruff refuses (PYI016),
  so its null is a member of the union instead (`{type: "null"}`), which it spells once;
- a discriminated base that other schemas extend (`allOf: [$ref: Pet]`), whose tag property
  is an enum: each extending class narrows the property to its tag (`kind: Literal["cat"]`),
  which mypy refuses as an override of the enum type, so the base's property is a string
  here (what the tag may be is said by the subclasses, and checked by the servers' schemas);
- a discriminator without a mapping for some member: the model generator would use the
  member's schema name as its tag; where the member fixes the property (`const`, or an enum
  of one value) that value is the tag, as the spec means it.

After rendering, `mend.py` mends the model generator's output where it is known to go wrong.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from generator.build.forms import is_file_schema
from generator.build.jsonschema import bound_integer_format
from generator.load.tree import deep_copy
from generator.pointers import SCHEMAS_PREFIX, component_schema

# String formats whose pydantic types need a package the generated code does not depend on.
_FORMATS_NEEDING_EXTRAS: Final = frozenset({"email", "idn-email", "ulid"})
# The model generator wants an absolute path; the import is made relative after rendering.
FILE_TYPE_PATH: Final = "specgen_runtime_forms.File"
FORMS_MODULE: Final = "_forms.py"
# `format: byte` is base64 of any bytes: the model generator's `Base64Str` also wants them to
# be UTF-8 text, and refused most binary data (Google's and Kubernetes' specs use it).
_BASE64_BYTES: Final = "pydantic.Base64Bytes"
_MAX_DEPTH: Final = 16  # allOf chains followed when copying a base (cycles end here)


def prepare(document: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    """A copy of `document` ready for datamodel-code-generator; `names` maps each type name
    to its class name."""
    changed = {old: new for old, new in names.items() if old != new}
    copy: dict[str, Any] = deep_copy(dict(document))
    schemas: dict[str, Any] = {
        changed.get(k, k): v for k, v in copy["components"]["schemas"].items()
    }
    copy["components"]["schemas"] = schemas
    for node in _nodes(schemas):
        ref = node.get("$ref")
        key = component_schema(ref) if isinstance(ref, str) else None
        if key is not None and key in changed:
            node["$ref"] = SCHEMAS_PREFIX + changed[key]
        fmt = node.get("format")  # a dict here is a property named "format"
        if isinstance(fmt, str) and fmt in _FORMATS_NEEDING_EXTRAS and "type" in node:
            del node["format"]
        if is_file_schema(node):
            node["customTypePath"] = FILE_TYPE_PATH
        elif node.get("format") == "byte" and node.get("type") == "string":
            if node.keys() & {"default", "enum", "const"}:
                del node["format"]  # values it writes as text: the base64 text, a `str`
            else:
                node["customTypePath"] = _BASE64_BYTES
        bound_integer_format(node)
    for node in _nodes(schemas):
        _nullable_union(node, schemas)
    for name, schema in schemas.items():
        _null_member_of_self_union(name, schema)
    _plain_tags_of_extended_bases(schemas)
    for schema in schemas.values():
        if isinstance(schema, dict):
            _flatten_narrowing(schema, schemas)
    for node in _nodes(schemas):
        infer_mapping(node, schemas)
    return copy


def _nodes(root: Any) -> Iterable[dict[str, Any]]:
    """Every dict below `root` (iterative; the document may nest deeply)."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            yield node
            stack.extend(v for v in node.values() if isinstance(v, dict | list))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, dict | list))


def _nullable_union(node: dict[str, Any], schemas: Mapping[str, Any]) -> None:
    """A union takes null when a member does (`{type: object, nullable: true}`, the
    "nullableVariant" of Stainless specs)."""
    for keyword in ("anyOf", "oneOf"):
        members = node.get(keyword)
        for member in members if isinstance(members, list) else ():
            target = _target(member, schemas)
            part = target[1] if target else member
            if isinstance(part, dict) and part.get("nullable") is True:
                node["nullable"] = True
                return


def _null_member_of_self_union(name: str, schema: Any) -> None:
    """`{nullable: true, oneOf: [string, {type: array, items: {$ref: <itself>}}]}` ->
    `{oneOf: [string, {type: array, ...}, {type: "null"}]}`."""
    if not isinstance(schema, dict) or schema.get("nullable") is not True or "type" in schema:
        return
    own = SCHEMAS_PREFIX + name
    for keyword in ("anyOf", "oneOf"):
        members = schema.get(keyword)
        if isinstance(members, list) and any(node.get("$ref") == own for node in _nodes(members)):
            del schema["nullable"]
            schema[keyword] = [*members, {"type": "null"}]
            return


def _plain_tags_of_extended_bases(schemas: dict[str, Any]) -> None:
    """The tag property of each discriminated base another schema extends, as a string."""
    extended = {
        component_schema(member["$ref"])
        for schema in schemas.values()
        if isinstance(schema, dict) and isinstance(schema.get("allOf"), list)
        for member in schema["allOf"]
        if isinstance(member, dict) and isinstance(member.get("$ref"), str)
    }
    for name in extended:
        base = schemas.get(name) if name is not None else None
        found = base.get("discriminator") if isinstance(base, dict) else None
        props = base.get("properties") if isinstance(base, dict) else None
        prop = found.get("propertyName") if isinstance(found, dict) else None
        if not isinstance(props, dict) or not isinstance(prop, str):
            continue
        tag = props.get(prop)
        ref = tag.get("$ref") if isinstance(tag, dict) else None
        key = component_schema(ref) if isinstance(ref, str) else None
        schema = schemas.get(key) if key is not None else tag
        enum = schema.get("enum") if isinstance(schema, dict) else None
        if (
            isinstance(tag, dict)
            and isinstance(enum, list)
            and all(isinstance(v, str) for v in enum)
        ):
            described = {k: v for k, v in tag.items() if k in ("description", "title")}
            props[prop] = {**described, "type": "string"}


def _target(node: Any, schemas: Mapping[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """(name, schema) of a member that is only a `$ref` to a component schema."""
    if not isinstance(node, dict) or set(node) != {"$ref"} or not isinstance(node["$ref"], str):
        return None
    key = component_schema(node["$ref"])
    schema = schemas.get(key) if key is not None else None
    return (key, schema) if key is not None and isinstance(schema, dict) else None


def _properties(
    schema: dict[str, Any], schemas: Mapping[str, Any], depth: int = 0
) -> dict[str, Any]:
    """The properties of an object schema, those of its allOf members included."""
    found: dict[str, Any] = {}
    for member in schema.get("allOf") or () if depth < _MAX_DEPTH else ():
        target = _target(member, schemas)
        part = target[1] if target else member
        if isinstance(part, dict):
            found.update(_properties(part, schemas, depth + 1))
    own = schema.get("properties")
    if isinstance(own, dict):
        found.update(own)
    return found


def _required(schema: dict[str, Any], schemas: Mapping[str, Any], depth: int = 0) -> list[str]:
    found: list[str] = []
    for member in schema.get("allOf") or () if depth < _MAX_DEPTH else ():
        target = _target(member, schemas)
        part = target[1] if target else member
        if isinstance(part, dict):
            found += _required(part, schemas, depth + 1)
    own = schema.get("required")
    found += [r for r in own if isinstance(r, str)] if isinstance(own, list) else []
    return list(dict.fromkeys(found))


def _flatten_narrowing(schema: dict[str, Any], schemas: Mapping[str, Any]) -> None:
    """Replace each `$ref` member of `schema`'s allOf whose properties the other members
    redefine differently by a copy of that base without them."""
    members = schema.get("allOf")
    if not isinstance(members, list):
        return
    own: dict[str, Any] = {}
    for member in members:
        if _target(member, schemas) is None and isinstance(member, dict):
            props = member.get("properties")
            own.update(props if isinstance(props, dict) else {})
    for index, member in enumerate(members):
        target = _target(member, schemas)
        if target is None:
            continue
        base = _properties(target[1], schemas)
        narrowed = {p for p in own if p in base and base[p] != own[p]}
        if not narrowed:
            continue
        copy: dict[str, Any] = {
            "type": "object",
            "properties": {k: deep_copy(v) for k, v in base.items() if k not in narrowed},
        }
        required = _required(target[1], schemas)
        if required:
            copy["required"] = required
        members[index] = copy


def _fixed_value(schema: Any, prop: str, schemas: Mapping[str, Any]) -> str | None:
    """The one value a member's discriminating property can take, if it says so."""
    if not isinstance(schema, dict):
        return None
    node = _properties(schema, schemas).get(prop)
    target = _target(node, schemas)
    node = target[1] if target else node
    if not isinstance(node, dict):
        return None
    if isinstance(node.get("const"), str):
        return str(node["const"])
    enum = node.get("enum")
    if isinstance(enum, list) and len(enum) == 1 and isinstance(enum[0], str):
        return enum[0]
    return None


def infer_mapping(node: dict[str, Any], schemas: Mapping[str, Any]) -> None:
    """Complete the mapping of a discriminator from the members' fixed property values."""
    discriminator = node.get("discriminator")
    members = node.get("oneOf") or node.get("anyOf")
    if not isinstance(discriminator, dict) or not isinstance(members, list):
        return
    prop = discriminator.get("propertyName")
    mapping = discriminator.get("mapping")
    mapping = dict(mapping) if isinstance(mapping, dict) else {}
    if not isinstance(prop, str):
        return
    if not all(_declares(member, prop, schemas) for member in members):
        # The model generator would add the property to each member that lacks it (as a
        # required literal), changing that member everywhere it is used: without it, the
        # union is told apart by validation.
        del node["discriminator"]
        return
    mapped = set(mapping.values())
    for member in members:
        target = _target(member, schemas)
        if target is None or member["$ref"] in mapped:
            continue
        value = _fixed_value(target[1], prop, schemas)
        if value is not None and value not in mapping:
            mapping[value] = member["$ref"]
    if mapping:
        discriminator["mapping"] = mapping


def _declares(member: Any, prop: str, schemas: Mapping[str, Any]) -> bool:
    """Whether a union member (a `$ref` or inline) declares the property `prop`."""
    target = _target(member, schemas)
    schema = target[1] if target else member
    return isinstance(schema, dict) and prop in _properties(schema, schemas)


def self_arrays(schemas: Mapping[str, Any]) -> list[str]:
    """Names of the schemas that are arrays of themselves."""
    found = []
    for name, schema in schemas.items():
        items = schema.get("items") if isinstance(schema, dict) else None
        if isinstance(items, dict) and component_schema(str(items.get("$ref", ""))) == name:
            found.append(name)
    return found
