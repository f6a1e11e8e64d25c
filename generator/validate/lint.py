"""Lint rules for code generation: what a valid spec can still get wrong for a generator.

Operation and parameter rules live here; reference, name and media-type rules in
lint_components.py. Every access checks types first: the document may be invalid too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from generator.diagnostics import Diagnostic, Severity
from generator.ir.names import snake_case
from generator.load.spec import Spec
from generator.pointers import deref, join_pointer
from generator.validate.lint_components import (
    check_discriminators,
    check_enum_types,
    check_media_types,
    check_not_generated,
    check_null_unions,
    check_references,
    check_schema_names,
)
from generator.validate.lint_context import LintContext, Operation
from generator.validate.patterns import check_patterns
from generator.validate.schemas import SchemaWalk

_TEMPLATE_VAR = re.compile(r"\{([^{}]*)\}")
_RENAME = "legal OpenAPI; rename one to choose the names yourself"


@dataclass(frozen=True)
class _Param:
    name: str
    location: str
    pointer: str
    node: dict[str, Any]


def lint(document: dict[str, Any], spec: Spec, walk: SchemaWalk) -> list[Diagnostic]:
    """SG315-SG317 and SG401-SG413 over the source document; `walk` is its schema walk."""
    ctx = LintContext(document, spec, walk)
    check_references(ctx)
    check_discriminators(ctx)
    check_operation_ids(ctx)
    check_parameters(ctx)
    check_schema_names(ctx)
    check_media_types(ctx)
    check_not_generated(ctx)
    check_patterns(ctx)
    check_null_unions(ctx)
    check_enum_types(ctx)
    return ctx.found


def check_operation_ids(ctx: LintContext) -> None:
    """SG401 missing, SG402 duplicate, SG407 same Python name."""
    first_use: dict[str, str] = {}
    names: dict[str, tuple[str, str]] = {}
    for op in ctx.operations():
        raw = op.node.get("operationId")
        if isinstance(raw, str) and raw:
            pointer, label = join_pointer(op.pointer, "operationId"), f"`{raw}`"
            if raw in first_use:
                message = f"operationId `{raw}` is also used at {ctx.where(first_use[raw])}"
                hint = "operationIds must be unique: rename one of them"
                ctx.report(Severity.ERROR, "SG402", pointer, message, hint)
                continue
            first_use[raw] = pointer
            name = snake_case(raw)
        else:
            pointer, label = op.pointer, f"{op.label} (no operationId)"
            name = snake_case(f"{op.method}_{op.path}")
            message = f"{op.label} has no operationId; its method will be named `{name}`"
            ctx.report(Severity.WARNING, "SG401", pointer, message, "add `operationId: ...`")
        if name in names:
            # Distinct operationIds (legal, and published specs have them: `List rules` and
            # `List Rules`): the later operation's names are suffixed, as the view claims
            # them (its method `<name>_operation`, then numbered; its classes numbered).
            other, other_pointer = names[name]
            message = (
                f"{label} and {other} (at {ctx.where(other_pointer)}) both become the "
                f"Python name `{name}`; the later one's method is named `{name}_operation` "
                "(numbered after that), its classes numbered"
            )
            ctx.report(Severity.WARNING, "SG407", pointer, message, _RENAME)
        else:
            names[name] = (label, pointer)


def _parameter_list(ctx: LintContext, owner: dict[str, Any], owner_pointer: str) -> list[_Param]:
    """The parameters of a path item or operation, `$ref`s resolved; SG409 duplicates."""
    params = owner.get("parameters")
    found: list[_Param] = []
    seen: dict[tuple[str, str], str] = {}
    for index, raw in enumerate(params if isinstance(params, list) else []):
        pointer = join_pointer(owner_pointer, "parameters", index)
        node, _ = deref(ctx.document, raw)
        if not isinstance(node, dict):
            continue  # unresolvable: SG406
        name, location = node.get("name"), node.get("in")
        if not (isinstance(name, str) and isinstance(location, str)):
            continue  # structurally invalid: SG310
        if (name, location) in seen:
            first = ctx.where(seen[(name, location)])
            message = f"parameter `{name}` in {location} is declared twice (first at {first})"
            hint = "remove one: a parameter is identified by its name and location"
            ctx.report(Severity.ERROR, "SG409", pointer, message, hint)
            continue
        seen[(name, location)] = pointer
        found.append(_Param(name, location, pointer, node))
    return found


def check_parameters(ctx: LintContext) -> None:
    """SG403-SG405 path parameters, SG407/SG408 argument names, SG409 duplicates."""
    for op in ctx.operations():
        path_level = _parameter_list(ctx, op.path_item, op.path_item_pointer)
        op_level = _parameter_list(ctx, op.node, op.pointer)
        # operation-level parameters override path-level ones with the same name and `in`
        merged = {(p.name, p.location): p for p in (*path_level, *op_level)}
        params = list(merged.values())
        _check_path_parameters(ctx, op, params)
        _check_argument_names(ctx, op, params)


def _check_path_parameters(ctx: LintContext, op: Operation, params: list[_Param]) -> None:
    names = _TEMPLATE_VAR.findall(op.path)
    template = list(dict.fromkeys(names))
    for var in template:
        if names.count(var) > 1:
            message = f"{op.label}: the path names `{{{var}}}` {names.count(var)} times"
            hint = "give each path variable its own name (one parameter binds one segment)"
            ctx.report(Severity.ERROR, "SG411", op.pointer, message, hint)
    declared = {p.name: p for p in params if p.location == "path"}
    for var in template:
        if var not in declared:
            message = f"{op.label}: `{{{var}}}` has no `in: path` parameter"
            hint = f"declare `{{name: {var}, in: path, required: true, schema: ...}}`"
            ctx.report(Severity.ERROR, "SG403", op.pointer, message, hint)
    for param in declared.values():
        if param.name not in template:
            message = f"path parameter `{param.name}` is not in the path `{op.path}`"
            hint = f"add `{{{param.name}}}` to the path, or remove the parameter"
            ctx.report(Severity.ERROR, "SG404", param.pointer, message, hint)
        if param.node.get("required") is not True:
            message = f"path parameter `{param.name}` is not `required: true`; treated as required"
            hint = "path parameters must be required in OpenAPI: add `required: true`"
            ctx.report(Severity.WARNING, "SG405", param.pointer, message, hint)


def _check_argument_names(ctx: LintContext, op: Operation, params: list[_Param]) -> None:
    groups: dict[str, list[_Param]] = {}
    for param in params:
        groups.setdefault(snake_case(param.name), []).append(param)
    for name, members in groups.items():
        first = members[0]
        for other in members[1:]:
            # The later one takes its location as a suffix, as the view names it (numbered,
            # should that be taken too).
            second = snake_case(f"{other.name}_{other.location}")
            if other.name == first.name:
                message = (
                    f"parameter `{other.name}` is in both {first.location} and "
                    f"{other.location}; the arguments are named `{name}` and `{second}`"
                )
                hint = "legal OpenAPI; rename one to choose the argument names yourself"
                ctx.report(Severity.WARNING, "SG408", other.pointer, message, hint)
            else:
                # Legal OpenAPI too (the names differ), common in published specs
                # (`next-token` and `NextToken`).
                message = (
                    f"parameters `{first.name}` ({first.location}) and `{other.name}` "
                    f"({other.location}) both become the Python name `{name}`; the second "
                    f"is named `{second}`"
                )
                ctx.report(Severity.WARNING, "SG407", other.pointer, message, _RENAME)
