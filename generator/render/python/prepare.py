"""The schema document datamodel-code-generator gets, prepared so that models.py means what
the spec says and passes mypy --strict. Each step works around one known weakness of the
model generator, only where the spec has the construct it trips on:

- class names: every schema under its Python class name (`models.py` binds some names itself);
- bytes (`format: binary`, see `is_file_schema`): the runtime's `File` (bytes or a stream,
  with a filename and content type), which the model generator imports from a placeholder
  module that `relative_file_import` points at the package's `_forms.py`;
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

After rendering, its output is mended where it is known to go wrong: an array schema whose
items are itself comes out as `RootModel[list]` (a bare `list`), which `fix_self_arrays` makes
`list[<Name>]`; `alias_field_calls` spells `Field` as the module imports it; and
`rename_shadowing_members` renames enum members named like a method of str or int; and
`narrow_enum_literals` spells a subclass's string literals over its base's enum field as
that enum's members.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

from generator.build.forms import is_file_schema
from generator.build.jsonschema import bound_integer_format
from generator.load.tree import deep_copy
from generator.pointers import SCHEMAS_PREFIX, component_schema

# String formats whose pydantic types need a package the generated code does not depend on.
_FORMATS_NEEDING_EXTRAS: Final = frozenset({"email", "idn-email", "ulid"})
# The model generator wants an absolute path; the import is made relative after rendering.
FILE_TYPE_PATH: Final = "specgen_runtime_forms.File"
_FILE_IMPORT: Final = "from specgen_runtime_forms import File\n"
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


def relative_file_import(source: str) -> str:
    """models.py importing `File` from the package's runtime module `_forms.py`."""
    return source.replace(_FILE_IMPORT, "from ._forms import File\n", 1)


def uses_files(source: str) -> bool:
    """Whether models.py needs the runtime module `_forms.py`."""
    return "from ._forms import File\n" in source


def self_arrays(schemas: Mapping[str, Any]) -> list[str]:
    """Names of the schemas that are arrays of themselves."""
    found = []
    for name, schema in schemas.items():
        items = schema.get("items") if isinstance(schema, dict) else None
        if isinstance(items, dict) and component_schema(str(items.get("$ref", ""))) == name:
            found.append(name)
    return found


def _typed_self_array(name: str) -> Callable[[re.Match[str]], str]:
    head, root = f"class {name}(RootModel[list[Any]]):\n", f"root: list[{name}]"
    return lambda m: f"{head}{m['body']}{m['indent']}{root}"


def fix_self_arrays(source: str, names: Iterable[str]) -> str:
    """`class N(RootModel[list]): root: list` -> `RootModel[list[Any]]` with `root: list[N]`
    (the base class is evaluated at class creation, before N exists)."""
    fixed = source
    for name in names:
        pattern = re.compile(
            rf"^class {re.escape(name)}\(RootModel\[list\]\):\n(?P<body>(?:[ \t]+.*\n|\n)*?)"
            rf"(?P<indent>[ \t]+)root: list\b(?!\[)",
            re.M,
        )
        fixed = pattern.sub(_typed_self_array(name), fixed)
    if fixed != source and not re.search(r"^from typing import .*\bAny\b", fixed, re.M):
        fixed = fixed.replace(
            "from __future__ import annotations\n",
            "from __future__ import annotations\n\nfrom typing import Any\n",
            1,
        )
    return fixed


# What a member of a str or int enum must not be named: mypy reads `join = "join"` in a
# StrEnum as an incompatible override of `str.join`.
_MIXIN_ATTRIBUTES: Final = {
    "StrEnum": frozenset(n for n in dir(str) if not n.startswith("_")),
    "str": frozenset(n for n in dir(str) if not n.startswith("_")),
    "IntEnum": frozenset(n for n in dir(int) if not n.startswith("_")),
    "int": frozenset(n for n in dir(int) if not n.startswith("_")),
}


# A class-level assignment to one of those names, the only place a member can be.
_SHADOWED_NAMES: Final = "|".join(sorted(frozenset().union(*_MIXIN_ATTRIBUTES.values())))
_SHADOWING: Final = re.compile(rf"^[ \t]+(?:{_SHADOWED_NAMES})[ \t]*=", re.MULTILINE)


def rename_shadowing_members(source: str) -> str:
    """models.py with each enum member named like a method of its mixin type (`join`,
    `count`, `replace` in a StrEnum: all over published specs' enums of actions and sort
    keys) renamed with a trailing `_`, and the references to it (`Sort.count` as a default).
    The member keeps its value; the view reads member names off the mended module."""
    if _SHADOWING.search(source) is None:  # the parse below costs 25 ms on a large module
        return source
    lines = source.splitlines(keepends=True)
    renames: list[tuple[str, str, str]] = []
    for node in ast.parse(source).body:
        if not isinstance(node, ast.ClassDef):
            continue
        bases = [b.id for b in node.bases if isinstance(b, ast.Name)]
        shadowed = frozenset().union(*(_MIXIN_ATTRIBUTES.get(b, frozenset()) for b in bases))
        members = [
            stmt.targets[0]
            for stmt in node.body
            if isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
        ]
        taken = {target.id for target in members}
        for target in members:
            if target.id not in shadowed:
                continue
            new = f"{target.id}_"
            while new in taken or new in shadowed:
                new += "_"
            taken.add(new)
            line = lines[target.lineno - 1]
            start, end = target.col_offset, target.end_col_offset
            lines[target.lineno - 1] = line[:start] + new + line[end:]
            renames.append((node.name, target.id, new))
    fixed = "".join(lines)
    for cls, old, new in renames:
        fixed = re.sub(rf"\b{re.escape(cls)}\.{re.escape(old)}\b", f"{cls}.{new}", fixed)
    return fixed


def narrow_enum_literals(source: str) -> str:
    """models.py with each field a subclass narrows to string literals (`type:
    Literal["episode"]`, a tag its union fixes) spelled as members of the enum its base types
    the field with (`Literal[EpisodeType.episode]`): mypy refuses a string literal as an
    override of an enum type (Spotify's `EpisodeBase`). pydantic reads both alike."""
    if "Literal[" not in source:
        return source
    tree = ast.parse(source)
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    members = {
        name: {
            stmt.value.value: stmt.targets[0].id
            for stmt in node.body
            if isinstance(stmt, ast.Assign)
            and isinstance(stmt.targets[0], ast.Name)
            and isinstance(stmt.value, ast.Constant)
        }
        for name, node in classes.items()
        if any(isinstance(b, ast.Name) and b.id in ("StrEnum", "Enum") for b in node.bases)
    }
    lines = source.splitlines(keepends=True)
    edits: list[tuple[ast.expr, str]] = []
    for node in classes.values():
        for stmt in node.body:
            values = _string_literal(stmt)
            if values is None or not isinstance(stmt, ast.AnnAssign):
                continue
            assert isinstance(stmt.target, ast.Name)
            enum = _base_enum(classes, node, stmt.target.id, set(members))
            if enum is None or not all(v in members[enum] for v in values):
                continue
            spelled = ", ".join(f"{enum}.{members[enum][v]}" for v in values)
            edits.append((stmt.annotation, f"Literal[{spelled}]"))
    for annotation, text in sorted(
        edits, key=lambda e: (e[0].lineno, e[0].col_offset), reverse=True
    ):
        if annotation.lineno != annotation.end_lineno:
            continue
        line = lines[annotation.lineno - 1]
        start, end = annotation.col_offset, annotation.end_col_offset
        lines[annotation.lineno - 1] = line[:start] + text + line[end:]
    return "".join(lines)


def _string_literal(stmt: ast.stmt) -> list[str] | None:
    """The values of a field annotated `Literal["a", ...]` (strings only), else None."""
    if not isinstance(stmt, ast.AnnAssign) or not isinstance(stmt.target, ast.Name):
        return None
    annotation = stmt.annotation
    if not (
        isinstance(annotation, ast.Subscript)
        and isinstance(annotation.value, ast.Name)
        and annotation.value.id == "Literal"
    ):
        return None
    inner = annotation.slice
    parts = inner.elts if isinstance(inner, ast.Tuple) else [inner]
    if not all(isinstance(p, ast.Constant) and isinstance(p.value, str) for p in parts):
        return None
    return [p.value for p in parts if isinstance(p, ast.Constant) and isinstance(p.value, str)]


def _base_enum(
    classes: Mapping[str, ast.ClassDef], node: ast.ClassDef, field: str, enums: set[str]
) -> str | None:
    """The one enum class the nearest base class that declares `field` types it with."""
    pending = [b.id for b in node.bases if isinstance(b, ast.Name) and b.id in classes]
    seen: set[str] = set()
    while pending:
        name = pending.pop(0)
        if name in seen:
            continue
        seen.add(name)
        base = classes[name]
        for stmt in base.body:
            if (
                isinstance(stmt, ast.AnnAssign)
                and isinstance(stmt.target, ast.Name)
                and stmt.target.id == field
            ):
                found = {n.id for n in ast.walk(stmt.annotation) if isinstance(n, ast.Name)}
                named = found & enums
                return named.pop() if len(named) == 1 else None
        pending.extend(b.id for b in base.bases if isinstance(b, ast.Name) and b.id in classes)
    return None


def alias_field_calls(source: str) -> str:
    """models.py with each call of pydantic's `Field` spelled as the module imports it.
    datamodel-code-generator imports it under another name (`Field as Field_aliased`) when a
    model has a property named `Field` (AWS's specs), then writes the plain name in root
    models, which then fail to build (nothing binds `Field` in the module)."""
    if "Field as " not in source:  # the parse below is for the rare module that needs it
        return source
    tree = ast.parse(source)
    aliases = [
        a.asname
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module == "pydantic"
        for a in node.names
        if a.name == "Field" and a.asname
    ]
    if len(aliases) != 1 or any(_binds(node, "Field") for node in tree.body):
        return source
    spots = [
        (node.lineno, node.col_offset)
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node.id == "Field" and isinstance(node.ctx, ast.Load)
    ]
    lines = source.splitlines(keepends=True)
    for lineno, offset in sorted(spots, reverse=True):
        line = lines[lineno - 1]
        column = len(line.encode("utf-8")[:offset].decode("utf-8"))  # ast counts bytes
        lines[lineno - 1] = f"{line[:column]}{aliases[0]}{line[column + len('Field') :]}"
    return "".join(lines)


def _binds(node: ast.stmt, name: str) -> bool:
    """Whether a top-level statement binds `name` (an import, a class, an assignment)."""
    if isinstance(node, ast.Import | ast.ImportFrom):
        return any((a.asname or a.name.split(".")[0]) == name for a in node.names)
    if isinstance(node, ast.ClassDef | ast.FunctionDef):
        return node.name == name
    if isinstance(node, ast.Assign | ast.AnnAssign):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return any(isinstance(t, ast.Name) and t.id == name for t in targets)
    return False


_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")


def drop_unused(source: str, keep: Iterable[str]) -> str:
    """models.py without the top-level classes and type aliases that nothing uses, other than
    those in `keep` (the spec's components and the types operations use). The model generator
    leaves such classes behind: the enum of a discriminating property it re-types as a
    `Literal` in each member, and what only that enum used."""
    # One parse: which top-level statements use which names, then drop the unused ones
    # until none is left (what dropping one leaves behind may be unused in turn).
    kept = set(keep)
    tree = ast.parse(source)
    defined: dict[str, ast.stmt] = {}
    for node in tree.body:
        name = _defined_name(node)
        if name is not None:
            defined[name] = node
    uses: list[tuple[str | None, set[str]]] = []  # (the name a definition binds, its uses)
    rebuilds: dict[str, list[ast.stmt]] = {}
    for node in tree.body:
        own = _defined_name(node) or _rebuilt_name(node)
        if own is not None and node is not defined.get(own):
            rebuilds.setdefault(own, []).append(node)  # `X.model_rebuild()`: not a use
            continue
        uses.append((own if own in defined else None, _names_in(node) - {own}))
    dropped: set[str] = set()
    while True:
        used = set().union(*(names for own, names in uses if own not in dropped))
        unused = [n for n in defined if n not in used and n not in kept and n not in dropped]
        if not unused:
            break
        dropped.update(unused)
    if not dropped:
        return source
    lines = source.splitlines(keepends=True)
    for name in dropped:
        for node in [defined[name], *rebuilds.get(name, [])]:
            assert node.end_lineno is not None
            for index in range(node.lineno - 1, node.end_lineno):
                lines[index] = ""
    return "".join(lines)


def _defined_name(node: ast.stmt) -> str | None:
    if isinstance(node, ast.ClassDef):
        return node.name
    if (
        isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
    ):
        return node.targets[0].id
    return None


def _rebuilt_name(node: ast.stmt) -> str | None:
    """`X` of a top-level `X.model_rebuild()`."""
    if (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Attribute)
        and isinstance(node.value.func.value, ast.Name)
    ):
        return node.value.func.value.id
    return None


def _names_in(node: ast.AST) -> set[str]:
    """Names `node` refers to, in code and in strings other than docstrings (any identifier
    in a string counts, as it may be an annotation: keeping a class too many is harmless)."""
    names: set[str] = set()
    docstrings: set[int] = set()
    strings: list[tuple[int, str]] = []  # (the constant's id, its text)
    for sub in ast.walk(node):  # one walk: the models' ASTs are large
        if isinstance(sub, ast.Name):
            names.add(sub.id)
        elif isinstance(sub, ast.Expr) and isinstance(sub.value, ast.Constant):
            docstrings.add(id(sub.value))
        elif isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            strings.append((id(sub), sub.value))
    for constant, text in strings:
        if constant not in docstrings:
            names.update(_IDENTIFIER.findall(text))
    return names
