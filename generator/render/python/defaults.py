"""The defaults of models.py that pydantic must read, given to it as `Field(default=...)`
(`typed_defaults`): a mend of datamodel-code-generator's output, beside those of `mend.py`."""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from typing import Final

from generator.render.python.mend import one_class

# The modules whose classes models.py types string formats with (`date`, `UUID`, `AnyUrl`...).
_TYPED_MODULES: Final = frozenset(
    {"datetime", "decimal", "ipaddress", "pathlib", "pydantic", "uuid"}
)


def typed_defaults(source: str) -> str:
    """models.py with each default pydantic must read given to it as `Field(default=...)`,
    which mypy reads as any value:
    - a string default of a field a string format types (`day: date = "2020-01-01"`, `url:
      AnyUrl = "https://..."`), also marked `validate_default=True`: the model generator wrote
      the text, which mypy refuses for the type and pydantic left a `str` in the field. A
      default the field's type refuses (`""` for a URL, which the spec's own validation cannot
      tell: it knows no `uri` format) is left as it is;
    - a default the model generator has pydantic validate (`Field(validate_default=True)` in
      the annotation), written as the JSON value: a list of objects for a list of models (mypy:
      "List item 0 has incompatible type dict")."""
    if not _may_type_defaults(source):
        return source
    tree = ast.parse(source)
    typed: dict[str, tuple[str, str]] = {}  # local name -> (module, name)
    field = None  # the local name of pydantic's Field
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module in _TYPED_MODULES:
            for alias in node.names:
                local = alias.asname or alias.name
                if node.module == "pydantic" and alias.name == "Field":
                    field = local
                elif node.module != "pydantic" or alias.name[:1].isupper():
                    typed[local] = (node.module, alias.name)
    call = field or "Field"
    wraps: list[tuple[ast.expr, str, str]] = []
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        for stmt in node.body:
            if not isinstance(stmt, ast.AnnAssign) or stmt.value is None:
                continue
            value = stmt.value
            # pydantic's `Field` types its default as any value only with validate_default.
            wrap = (value, f"{call}(default=", ", validate_default=True)")
            if _validated_default(stmt.annotation, call) and not _calls(value, call):
                wraps.append(wrap)
            elif isinstance(value, ast.Constant) and isinstance(value.value, str):
                kind = _typed_name(stmt.annotation, typed)
                if kind is not None and _takes(typed[kind], value.value):
                    wraps.append(wrap)
    if not wraps:
        return source
    mended = _wrap(source, wraps)
    if field is None:  # imported beside pydantic's other names (the format pass merges them)
        first = re.search(r"^from pydantic import ", mended, re.M)
        if first is None:
            return source
        mended = f"{mended[: first.start()]}from pydantic import Field\n{mended[first.start() :]}"
    return mended


_TYPED_NAMES = re.compile(
    r"^from (?:datetime|decimal|ipaddress|pathlib|uuid|pydantic) import (.+)$", re.M
)
_STRING_DEFAULT = re.compile(r"^    \w+: ([^\n]*?) = [\"'(]", re.M)
_VALIDATED = re.compile(r"validate_default=True\)\s*\]\s*=\s*(?!\w*Field)")


def _may_type_defaults(source: str) -> bool:
    """Whether `typed_defaults` may find something, without parsing (30 ms for a large
    models.py): a default pydantic validates, or a string default (or a parenthesised one)
    of a field whose annotation names an imported class."""
    if _VALIDATED.search(source):
        return True
    names = {
        name.strip().split(" as ")[-1]
        for line in _TYPED_NAMES.findall(source)
        for name in line.split(",")
    }
    names = {n for n in names if n and n[0].isalpha() and n not in ("Field", "BaseModel")}
    return any(
        any(word in names for word in re.findall(r"\w+", match))
        for match in _STRING_DEFAULT.findall(source)
    )


def _validated_default(annotation: ast.expr, field: str) -> bool:
    """Whether an annotation is `Annotated[..., Field(..., validate_default=True)]`."""
    if not (
        isinstance(annotation, ast.Subscript)
        and isinstance(annotation.value, ast.Name)
        and annotation.value.id == "Annotated"
        and isinstance(annotation.slice, ast.Tuple)
    ):
        return False
    return any(
        _calls(part, field)
        and any(
            k.arg == "validate_default"
            and isinstance(k.value, ast.Constant)
            and k.value.value is True
            for k in part.keywords
        )
        for part in annotation.slice.elts[1:]
        if isinstance(part, ast.Call)
    )


def _calls(node: ast.expr, name: str) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name


def _wrap(source: str, wraps: list[tuple[ast.expr, str, str]]) -> str:
    """`source` with each node of `wraps` between its prefix and suffix (nodes may span
    lines; ast's columns count bytes)."""
    lines = source.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(lineno: int, column: int) -> int:
        line = lines[lineno - 1]
        return starts[lineno - 1] + len(line.encode("utf-8")[:column].decode("utf-8"))

    out = source
    for node, prefix, suffix in sorted(
        wraps, key=lambda w: (w[0].lineno, w[0].col_offset), reverse=True
    ):
        if node.end_lineno is None or node.end_col_offset is None:
            continue
        begin = offset(node.lineno, node.col_offset)
        end = offset(node.end_lineno, node.end_col_offset)
        out = out[:begin] + prefix + out[begin:end] + suffix + out[end:]
    return out


def _typed_name(annotation: ast.expr, typed: Mapping[str, object]) -> str | None:
    """The typed class of an annotation `T`, `T | None`, `T | MISSING` or `Annotated[T, ...]`."""
    if (
        isinstance(annotation, ast.Subscript)
        and isinstance(annotation.value, ast.Name)
        and annotation.value.id == "Annotated"
        and isinstance(annotation.slice, ast.Tuple)
    ):
        annotation = annotation.slice.elts[0]
    found = one_class(annotation, typed)  # one class among absent markers
    return found.id if found is not None else None


def _takes(kind: tuple[str, str], text: str) -> bool:
    """Whether the class `kind` (module, name) reads `text` as pydantic does."""
    import importlib

    from pydantic import TypeAdapter

    try:
        cls = getattr(importlib.import_module(kind[0]), kind[1])
        TypeAdapter(cls).validate_python(text)
    except Exception:  # not a type pydantic reads, or a text it refuses
        return False
    return True
