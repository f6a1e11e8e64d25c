"""models.py through datamodel-code-generator's public `generate()`, and the Python names of
the model classes.

A type keeps its name as its class name, except where that would be a keyword (`None` ->
`NoneModel`) or a name models.py binds itself (datamodel-code-generator imports `Field`,
`BaseModel`, `UUID`, ... as the schemas need them, and renames a class that would take one).
Those are read off the rendered module: a class datamodel-code-generator did not write under
its name is renamed to `<Name>Model` (numbered if taken) and the module rendered again, so
that every class the templates refer to exists under the name they use.
"""

from __future__ import annotations

import ast
import hashlib
import math
import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, partial
from importlib.metadata import version
from pathlib import Path
from typing import Any

import orjson

from generator.cache.memo import Memo, memo_key
from generator.diagnostics import SpecError, error
from generator.fingerprint import code_hash
from generator.forked import Forked, Spare
from generator.ir.model import Api
from generator.render.python.defaults import typed_defaults
from generator.render.python.mend import (
    alias_field_calls,
    drop_unused,
    fix_self_arrays,
    narrow_enum_literals,
    narrow_enum_overrides,
    relative_file_import,
    rename_shadowing_members,
)
from generator.render.python.names import PyClass, Scope
from generator.render.python.prepare import prepare, self_arrays
from generator.validate.schemas import schema_roots

# One place for the options that shape models.py (golden files depend on them), with the
# input type (OpenAPI) and the target Python (3.11) that `_generate` adds.
_OPTIONS: dict[str, Any] = {
    "use_annotated": True,
    "field_constraints": True,
    "use_standard_collections": True,
    "use_union_operator": True,
    "disable_timestamp": True,
    "use_schema_description": True,
    "use_field_description": True,
    "strict_nullable": True,
    "set_default_enum_member": True,
    "formatters": [],
    # A property named `list` would shadow the builtin in its class's annotations (mypy:
    # "not valid as a type"); the model generator suffixes `str`, `int`, `dict`... itself.
    "aliases": {"list": "list_"},
}


# A model class's enum members: class name -> value -> member name.
Enums = dict[str, dict[object, str]]
# models.py, the class of each named type, and the enum members it defines.
Finished = tuple[str, dict[str, PyClass], Enums]


def render_models(
    api: Api,
    header: str,
    model_type: str = "pydantic_v2.BaseModel",
    *,
    absent: str = "none",
    memo: Memo | None = None,
) -> tuple[str, dict[str, PyClass]]:
    """models.py, and the class of each named type (type name -> class name). With `absent`
    "missing", an optional property that is absent is pydantic's `MISSING` (and None only
    where the property is nullable)."""
    pending = start_models(api, header, model_type, absent=absent, memo=memo)
    source, names, _enums = pending.result()
    return source, names


def start_models(
    api: Api,
    header: str,
    model_type: str = "pydantic_v2.BaseModel",
    *,
    absent: str = "none",
    memo: Memo | None = None,
    spare: Spare | None = None,
    first: dict[str, PyClass] | None = None,
) -> Forked[Finished]:
    """`render_models` and its enum members (`enum_members`), pending: in the `spare`
    process where `memo` does not hold the text (datamodel-code-generator is about half of
    a cold run), else here when the result is asked for. With a spare, the caller renders
    the rest of the package meanwhile, with the classes of `first_classes` (`first`, when
    the caller has them). An unused `spare` is closed."""
    names = first if first is not None else first_classes(api)
    if not api.schemas:
        if spare is not None:
            spare.close()
        return Forked(lambda: (f"{header}\n", names, {}), fork=False)
    needed = {s.name for s in api.schemas if not s.hoisted} | api.operation_types()
    models = _Models(api.models_document, frozenset(needed), header, model_type, absent, memo)
    # The finished module too (classes renamed, unused ones dropped), by what it is made
    # from: a spec edit that leaves the schemas alone reads it whole, without preparing the
    # schema document or parsing models.py again.
    final = models.finished_key(names) if memo is not None else ""
    done = _read_finished(memo, final) if memo is not None else None
    if done is not None:
        if spare is not None:
            spare.close()
        return Forked(lambda: done, fork=False)
    document, key = models.prepared(names)
    known = memo.get(key) if memo is not None else None
    if spare is not None and known is None:
        return spare.submit(models.finish, names, document, key, None, final)
    if spare is not None:
        spare.close()
    return Forked(partial(models.finish, names, document, key, known, final), fork=False)


def _read_finished(memo: Memo, key: str) -> Finished | None:
    entry = memo.get_value(key)
    if entry is None:
        return None
    source = entry.get("source") if isinstance(entry, dict) else None
    names = entry.get("names") if isinstance(entry, dict) else None
    enums = _read_enums(entry.get("enums")) if isinstance(entry, dict) else None
    if (
        isinstance(source, str)
        and isinstance(names, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in names.items())
        and enums is not None
    ):
        return source, {k: PyClass(v) for k, v in names.items()}, enums
    memo.warn(f"ignored the cache entry {memo.folder / key}.json (not a finished models.py)")
    return None


def _enum_rows(enums: Enums) -> list[list[Any]] | None:
    """`enums` as JSON: [class, [[value, member], ...]] rows, or None where a value would not
    read back as itself (then the entry keeps no models.py)."""
    rows = []
    for cls, members in enums.items():
        if not all(_json_exact(value) for value in members):
            return None
        rows.append([cls, [[value, name] for value, name in members.items()]])
    return rows


def _json_exact(value: object) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    return value is None or isinstance(value, str | int)  # bool is an int


def _read_enums(rows: object) -> Enums | None:
    if not isinstance(rows, list):
        return None
    enums: Enums = {}
    for row in rows:
        if not (
            isinstance(row, list)
            and len(row) == 2
            and isinstance(row[0], str)
            and isinstance(row[1], list)
            and all(
                isinstance(pair, list) and len(pair) == 2 and isinstance(pair[1], str)
                for pair in row[1]
            )
        ):
            return None
        members = enums.setdefault(row[0], {})
        for value, name in row[1]:
            members.setdefault(value, name)
    return enums


def warm_up() -> None:
    """Import what datamodel-code-generator imports on first use (about 0.3 s): a spare
    process does it while the IR is built (see `start_models`)."""
    schemas = {"A": {"type": "object", "properties": {"a": {"type": "string"}}}}
    document = {"openapi": "3.0.3", "info": {"title": "", "version": ""}, "paths": {}}
    _generate(
        {**document, "components": {"schemas": schemas}},
        "",
        "pydantic_v2.BaseModel",
    )


def schemas_seen_key(document: Mapping[str, Any]) -> str | None:
    """A key for what the models.py of a loaded document is made of, near enough to tell a
    run whose models the memo most likely holds (an edit that left every schema alone):
    every schema root with its place, and the operationIds hoisted types are named after.
    Only a forecast (`seen/` holds an entry under it once such a run is done): it decides
    whether the spare process warms up early, never what models.py is. About 8 ms on
    Braintrust's spec; None where orjson cannot write the document."""
    digest = hashlib.sha256()
    try:
        for pointer, root in schema_roots(dict(document)):
            digest.update(orjson.dumps([pointer, root]))
        paths = document.get("paths")
        items = paths.values() if isinstance(paths, Mapping) else ()
        ids = [
            op.get("operationId")
            for item in items
            if isinstance(item, Mapping)
            for op in item.values()
            if isinstance(op, Mapping)
        ]
        digest.update(orjson.dumps(ids))
    except TypeError:  # orjson.JSONEncodeError: a key that is not a string, a huge int
        return None
    return memo_key("schemas seen", digest.hexdigest(), _generator_fingerprint(), code_hash())


def first_classes(api: Api) -> dict[str, PyClass]:
    """The class of each named type, unless datamodel-code-generator binds that name itself
    (then `render_models` renames it)."""
    scope = Scope()
    return {s.name: scope.cls(s.name, suffix="Model") for s in api.schemas}


@dataclass(frozen=True)
class _Models:
    """One API's models.py, rendered with given class names (picklable: a spare process
    receives it)."""

    source_document: Mapping[str, Any]  # the IR's models_document
    needed: frozenset[str]  # the types whose classes models.py keeps (with what they use)
    header: str
    model_type: str
    absent: str
    memo: Memo | None

    def finish(
        self,
        names: dict[str, PyClass],
        document: dict[str, Any],
        key: str,
        known: str | None,
        final: str,
    ) -> Finished:
        """models.py from the first rendering (`known`, or generated now from `document`),
        with its enum members, kept in the memo under `final`."""
        source = self.text(document, key, known)
        tree = ast.parse(source)
        defined = _top_level_names(tree)
        missing = [name for name, cls in names.items() if cls not in defined]
        if missing:
            # A name models.py binds itself (an import): rename those classes, render again.
            scope = Scope(_imported_names(tree))
            kept = {name: scope.cls(cls) for name, cls in names.items() if name not in missing}
            renamed = {name: scope.cls(f"{names[name]} Model") for name in missing}
            names = {name: kept.get(name) or renamed[name] for name in names}
            document, key = self.prepared(names)
            source = self.text(document, key, self.memo.get(key) if self.memo else None)
            _check_classes(source, names.values())
        source = drop_unused(source, [names[n] for n in self.needed if n in names])
        if "validate_default=True" in source:
            # datamodel-code-generator writes the default of a RootModel-wrapped enum as its
            # raw value and has pydantic convert it (validate_default); correct at run time,
            # but mypy sees a str assigned to the model type. Only that code is silenced.
            header = self.header
            source = source.replace(header, f'{header}\n# mypy: disable-error-code="assignment"', 1)
        # After that test: a typed field's string default is given to pydantic the same way,
        # in code mypy reads as it is (`Field(default=..., validate_default=True)`).
        source = typed_defaults(source)
        if _UNION_BASE.search(source):
            # A recursive root model's base spells its union `Union[..., "Self"]`: a base is
            # evaluated as the class is made, where `X | "Self"` raises. ruff (UP007, UP045)
            # would have it written so; only those rules are silenced, in that module.
            source = source.replace(self.header, f"{self.header}\n# ruff: noqa: UP007, UP045", 1)
        enums = enum_members(source)
        rows = _enum_rows(enums)
        if self.memo is not None and rows is not None:
            self.memo.put_value(final, {"source": source, "names": names, "enums": rows})
        return source, names, enums

    def finished_key(self, names: Mapping[str, str]) -> str:
        """The key of the finished module: everything `finish` reads (the document before
        `prepare`, which specgen's code turns into the one datamodel-code-generator reads)."""
        missing = self.absent == "missing"
        document, fingerprint = self.source_document, _generator_fingerprint()
        settings = (self.header, self.model_type, missing, sorted(self.needed))
        return memo_key("models finished", fingerprint, document, *settings, names, code_hash())

    def prepared(self, names: Mapping[str, str]) -> tuple[dict[str, Any], str]:
        """The schema document datamodel-code-generator reads (prepare.py), and its memo key."""
        document = prepare(self.source_document, names)
        missing = self.absent == "missing"
        fingerprint = _generator_fingerprint()
        key = memo_key("models", fingerprint, document, self.header, self.model_type, missing)
        return document, key

    def text(self, document: dict[str, Any], key: str, known: str | None) -> str:
        """models.py from the prepared `document`: `known` (the memo's), or generated."""
        source = known
        if source is None:
            missing = self.absent == "missing"
            source = _generate(document, self.header, self.model_type, missing=missing)
            if self.memo is not None:
                self.memo.put(key, source)
        source = relative_file_import(source)
        return fix_self_arrays(source, self_arrays(document["components"]["schemas"]))


def _generate(
    document: Mapping[str, Any], header: str, model_type: str, *, missing: bool = False
) -> str:
    # Imported here (0.3 s with what it imports on first use): a run whose models.py comes
    # from the memo, or is made in the spare process, never imports it in this one.
    from datamodel_code_generator import InputFileType, PythonVersion, generate
    from datamodel_code_generator.enums import DataModelType

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            source = generate(
                dict(document),
                output_model_type=DataModelType(model_type),
                input_file_type=InputFileType.OpenAPI,
                target_python_version=PythonVersion.PY_311,
                custom_file_header=header,
                use_missing_sentinel=missing,
                **_OPTIONS,
            )
        except Exception as exc:  # the dependency raises many types; report, do not crash
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise SpecError(
                [
                    error(
                        "SG501",
                        f"datamodel-code-generator failed: {first[:200]}",
                        "the schemas use a construct the model generator cannot handle; "
                        "simplify the schema it names or report it",
                    )
                ]
            ) from exc
    if not isinstance(source, str):
        raise SpecError([error("SG501", "datamodel-code-generator returned no single module")])
    # MISSING left pydantic.experimental in 2.14, which warns on the old import.
    source = source.replace(_EXPERIMENTAL_MISSING, "from pydantic import MISSING\n", 1)
    source = narrow_enum_literals(rename_shadowing_members(alias_field_calls(source)))
    source = narrow_enum_overrides(source)
    # datamodel-code-generator writes `X | None | MISSING`; ruff (RUF036) wants None last.
    return _NONE_BEFORE_MISSING.sub(r"\1MISSING | None", source)


@cache
def _generator_fingerprint() -> tuple[str, str]:
    """What else decides `_generate`'s text: datamodel-code-generator's version and this
    module's own code (its options and the mending of the output)."""
    own = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    return version("datamodel-code-generator"), own


_EXPERIMENTAL_MISSING = "from pydantic.experimental.missing_sentinel import MISSING\n"
# A class statement whose bases hold `Union[` or `Optional[` (datamodel-code-generator's
# output is one line per class statement).
_UNION_BASE = re.compile(r"^class \w+\([^\n]*\b(?:Union|Optional)\[", re.MULTILINE)
# Only in a field annotation (`    name: ... | None | MISSING`), never in docstring text.
_NONE_BEFORE_MISSING = re.compile(r"^(\s+\w+: (?:[^\n]*? \| )?)None \| MISSING\b", re.MULTILINE)


def _imported_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            names.update(a.asname or a.name.split(".")[0] for a in node.names)
    return names


def _check_classes(source: str, expected: Iterable[str]) -> None:
    defined = _top_level_names(ast.parse(source))
    missing = sorted(set(expected) - defined)
    if missing:
        raise SpecError(
            [
                error(
                    "SG502",
                    "datamodel-code-generator renamed or dropped model(s): "
                    + ", ".join(missing[:5]),
                    "rename the schema in the spec; this is a specgen limitation, please report it",
                )
            ]
        )


def enum_members(source: str) -> Enums:
    """The members of each enum class of models.py: class name -> value -> member name (the
    templates spell an enum default as `models.Status.open`, not as a call)."""
    members: Enums = {}
    for node in ast.parse(source).body:
        if not isinstance(node, ast.ClassDef) or not any(
            isinstance(base, ast.Name) and base.id in _ENUM_BASES for base in node.bases
        ):
            continue
        values = members.setdefault(node.name, {})
        for stmt in node.body:
            if (
                isinstance(stmt, ast.Assign)
                and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Name)
                and isinstance(stmt.value, ast.Constant)
            ):
                values.setdefault(stmt.value.value, stmt.targets[0].id)
    return members


_ENUM_BASES = frozenset({"Enum", "StrEnum", "IntEnum"})


def _top_level_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names
