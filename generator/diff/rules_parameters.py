"""Parameter rules: added, removed, moved, required, serialisation, and their schemas.

Parameters match by location and name (header names case-insensitively); path parameters
match by position in the path template, so a renamed `{id}` is the same parameter.
"""

from __future__ import annotations

from generator.diff.context import Context, schema_of
from generator.diff.document import OperationView, Param
from generator.diff.emit import Emitter
from generator.diff.model import Direction
from generator.diff.schemas import Where

_DEFAULT_STYLE = {"path": "simple", "query": "form", "header": "simple", "cookie": "form"}

ParamKey = tuple[str, str]


def _keyed(op: OperationView) -> dict[ParamKey, Param]:
    order = {name: i for i, name in enumerate(op.path_params)}
    keyed: dict[ParamKey, Param] = {}
    for param in op.params:
        if param.location == "path" and param.name in order:
            keyed[("path", f"#{order[param.name]}")] = param
        else:
            keyed[param.key] = param
    return keyed


def _required(param: Param) -> bool:
    return param.location == "path" or param.node.get("required") is True


def _style(param: Param) -> tuple[str, bool]:
    style = param.node.get("style")
    style = style if isinstance(style, str) else _DEFAULT_STYLE.get(param.location, "form")
    explode = param.node.get("explode")
    return style, explode if isinstance(explode, bool) else style == "form"


def _name(param: Param) -> str:
    return f"{param.location} parameter `{param.name}`"


def compare_parameters(
    ctx: Context,
    emit: Emitter,
    old: OperationView,
    new: OperationView,
    visited: set[tuple[str, str, bool]],
) -> None:
    old_params, new_params = _keyed(old), _keyed(new)
    removed = {k: old_params[k] for k in old_params.keys() - new_params.keys()}
    added = {k: new_params[k] for k in new_params.keys() - old_params.keys()}
    # The same name in another location: one move, not a removal and an addition.
    for old_key, param in sorted(removed.items()):
        moved = [k for k, p in added.items() if p.name.lower() == param.name.lower()]
        if len(moved) == 1:
            now = added.pop(moved[0])
            del removed[old_key]
            what = f"{_name(param)} moved to {now.location}"
            emit("request-parameter-location-changed", now.pointer, "new", what)
    for _, param in sorted(removed.items()):
        emit("request-parameter-removed", param.pointer, "old", f"{_name(param)} removed")
    for _, param in sorted(added.items()):
        kind = "required" if _required(param) else "optional"
        emit(
            f"request-parameter-added-{kind}", param.pointer, "new", f"{kind} {_name(param)} added"
        )
    for key in sorted(old_params.keys() & new_params.keys()):
        _compare_one(ctx, emit, old_params[key], new_params[key], visited)


def _compare_one(
    ctx: Context, emit: Emitter, old: Param, new: Param, visited: set[tuple[str, str, bool]]
) -> None:
    was, now = _required(old), _required(new)
    if was != now:
        state = "required" if now else "optional"
        emit(
            f"request-parameter-became-{state}", new.pointer, "new", f"{_name(new)} became {state}"
        )
    if _style(old) != _style(new):
        shown = ["style={}, explode={}".format(*_style(p)).lower() for p in (old, new)]
        what = f"{_name(new)}: serialisation changed from {shown[0]} to {shown[1]}"
        emit("request-parameter-style-changed", new.pointer, "new", what)
    if new.node.get("deprecated") is True and old.node.get("deprecated") is not True:
        emit("request-parameter-deprecated", new.pointer, "new", f"{_name(new)} deprecated")
    old_schema, old_ptr = schema_of(old.node, old.pointer)
    new_schema, new_ptr = schema_of(new.node, new.pointer)
    where = Where(
        Direction.REQUEST,
        "request-parameter",
        "request-parameter",
        _name(new),
        f"{new.location} parameter `{{}}`",
    )
    pointers = (old_ptr, new_ptr)
    ctx.compare_schemas(old_schema, new_schema, pointers, where, emit, visited, new.name)
