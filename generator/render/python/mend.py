"""datamodel-code-generator's output (models.py) mended where it is known to go wrong, text
in, text out; each mend leaves a module without its construct as it is:

- `relative_file_import`: the `File` type imported from the package's `_forms.py` instead of
  the placeholder module `prepare.FILE_TYPE_PATH` names;
- `fix_self_arrays`: an array schema whose items are itself comes out as `RootModel[list]` (a
  bare `list`); it becomes `list[<Name>]`;
- `alias_field_calls`: `Field` spelled as the module imports it;
- `rename_shadowing_members`: enum members named like a method of str or int renamed;
- `narrow_enum_literals`: a subclass's string literals over its base's enum field spelled as
  that enum's members;
- `narrow_enum_overrides`: a subclass's wider enum over its base's enum field typed with the
  base's;
- `drop_unused`: classes nothing the package uses needs, left out.

The defaults pydantic must read are mended in `defaults.py` (`typed_defaults`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Final

from generator.render.python.prepare import FILE_TYPE_PATH

_FILE_MODULE, _, _FILE_NAME = FILE_TYPE_PATH.rpartition(".")
_FILE_IMPORT: Final = f"from {_FILE_MODULE} import {_FILE_NAME}\n"


def relative_file_import(source: str) -> str:
    """models.py importing `File` from the package's runtime module `_forms.py`."""
    return source.replace(_FILE_IMPORT, "from ._forms import File\n", 1)


def uses_files(source: str) -> bool:
    """Whether models.py needs the runtime module `_forms.py`."""
    return "from ._forms import File\n" in source


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
        name: {value: member for member, value in pairs}
        for name, pairs in _enum_members(classes).items()
    }
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
    return _replace(source, edits)


# A class statement with one base that is not pydantic's or an enum's: a class of the module.
_SUBCLASS = re.compile(
    r"^class \w+\((?!(?:BaseModel|RootModel|StrEnum|Enum|IntEnum)\b)\w+\):", re.M
)


def narrow_enum_overrides(source: str) -> str:
    """models.py with each subclass field that retypes its base's enum field with a wider
    enum typed with the base's instead: a schema with properties beside a oneOf of partial
    objects, each narrowing a property (GitHub's check run `status`: `completed` in one member,
    `queued`/`in_progress` in the other) becomes one class per member that extends it and
    redeclares the property with the outer, wider enum, which mypy refuses as an override.
    The value must be in both: the base's enum holds exactly those values. The field keeps
    its own `| MISSING` or `| None`."""
    if not _redeclares_enum_fields(source):
        return source
    tree = ast.parse(source)
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    members = {name: dict(pairs) for name, pairs in _enum_members(classes).items()}
    edits: list[tuple[ast.expr, str]] = []
    for node in classes.values():
        for stmt in node.body:
            if not isinstance(stmt, ast.AnnAssign) or not isinstance(stmt.target, ast.Name):
                continue
            own = one_class(stmt.annotation, members)
            base = _base_enum(classes, node, stmt.target.id, set(members))
            if own is None or base is None or base == own.id:
                continue
            narrow, wide = members[base], members[own.id]
            if not set(narrow.values()) <= set(wide.values()):
                continue
            default = _member_default(stmt.value, own.id, wide)
            if stmt.value is not None and not is_absent(stmt.value):
                if default is None or default not in narrow.values():
                    continue  # a default this field no longer takes: left for mypy to say
                member = next(m for m, v in narrow.items() if v == default)
                edits.append((stmt.value, f"{base}.{member}"))
            edits.append((own, base))
    return _replace(source, edits)


def _member_default(value: ast.expr | None, enum: str, members: Mapping[str, object]) -> object:
    """The value of a default `<enum>.<member>` (None for any other default)."""
    if (
        isinstance(value, ast.Attribute)
        and isinstance(value.value, ast.Name)
        and value.value.id == enum
        and value.attr in members
    ):
        return members[value.attr]
    return None


_ENUM_CLASS = re.compile(r"^class (\w+)\((?:StrEnum|Enum)\):", re.M)
_CLASS_LINE = re.compile(r"^class (\w+)\((\w+)\):", re.M)
_FIELD = re.compile(r"^    (\w+): (\w+)\b", re.M)


def _redeclares_enum_fields(source: str) -> bool:
    """Whether a subclass types a field with an enum its base class types with another:
    what `narrow_enum_overrides` looks for, found without parsing (a large models.py takes
    30 ms to parse)."""
    if not _SUBCLASS.search(source):
        return False
    enums = set(_ENUM_CLASS.findall(source))
    found = list(_CLASS_LINE.finditer(source))
    ends = [m.start() for m in found[1:]] + [len(source)]
    classes = {
        m[1]: (m[2], dict(_FIELD.findall(source, m.end(), end)))
        for m, end in zip(found, ends, strict=True)
    }
    for base, fields in classes.values():
        for name, annotation in fields.items():
            seen: set[str] = set()
            parent = base
            while annotation in enums and parent in classes and parent not in seen:
                seen.add(parent)
                parent, above = classes[parent]
                if name in above:
                    if above[name] in enums and above[name] != annotation:
                        return True
                    break
    return False


def one_class(annotation: ast.expr, names: Mapping[str, object]) -> ast.Name | None:
    """The one class of `names` an annotation `C`, `C | MISSING` or `C | None` holds."""
    parts: list[ast.expr] = []
    stack = [annotation]
    while stack:
        part = stack.pop()
        if isinstance(part, ast.BinOp) and isinstance(part.op, ast.BitOr):
            stack += [part.left, part.right]
        else:
            parts.append(part)
    named = [p for p in parts if isinstance(p, ast.Name) and p.id in names]
    rest = [p for p in parts if p not in named]
    if len(named) != 1 or not all(is_absent(p) for p in rest):
        return None
    return named[0]


def is_absent(node: ast.expr) -> bool:
    return (isinstance(node, ast.Constant) and node.value is None) or (
        isinstance(node, ast.Name) and node.id == "MISSING"
    )


def _replace(source: str, edits: list[tuple[ast.expr, str]]) -> str:
    """`source` with each one-line node of `edits` replaced by its text."""
    lines = source.splitlines(keepends=True)
    for node, text in sorted(edits, key=lambda e: (e[0].lineno, e[0].col_offset), reverse=True):
        if node.lineno != node.end_lineno or node.end_col_offset is None:
            continue
        line = lines[node.lineno - 1]
        encoded = line.encode("utf-8")  # ast's columns count bytes
        start = len(encoded[: node.col_offset].decode("utf-8"))
        end = len(encoded[: node.end_col_offset].decode("utf-8"))
        lines[node.lineno - 1] = line[:start] + text + line[end:]
    return "".join(lines)


def _enum_members(classes: Mapping[str, ast.ClassDef]) -> dict[str, list[tuple[str, object]]]:
    """The (member, value) pairs of each enum class among `classes`, in order."""
    return {
        name: [
            (stmt.targets[0].id, stmt.value.value)
            for stmt in node.body
            if isinstance(stmt, ast.Assign)
            and isinstance(stmt.targets[0], ast.Name)
            and isinstance(stmt.value, ast.Constant)
        ]
        for name, node in classes.items()
        if any(isinstance(b, ast.Name) and b.id in ("StrEnum", "Enum") for b in node.bases)
    }


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
