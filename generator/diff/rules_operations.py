"""Rules on paths and operations: removed, added, deprecated, renamed; then each matched
operation's security, parameters, request body and responses."""

from __future__ import annotations

from generator.diff.context import Context
from generator.diff.document import OperationView, path_key
from generator.diff.emit import Emitter
from generator.diff.rules_bodies import compare_request_body
from generator.diff.rules_parameters import compare_parameters
from generator.diff.rules_responses import compare_responses
from generator.diff.rules_security import compare_security

OperationKey = tuple[str, str]  # (method, path with parameter names blanked)


def _by_key(operations: list[OperationView]) -> dict[OperationKey, OperationView]:
    return {(op.method, path_key(op.path)): op for op in operations}


def compare_operations(ctx: Context) -> None:
    old_ops = _by_key(list(ctx.old.operations()))
    new_ops = _by_key(list(ctx.new.operations()))
    new_paths = {key[1] for key in new_ops}
    for key in sorted(old_ops.keys() - new_ops.keys()):
        op = old_ops[key]
        scope = "api" if key[1] in new_paths else "api-path"
        how = "with" if op.deprecated else "without"
        what = "operation removed" if key[1] in new_paths else f"path {op.path} removed"
        note = " (it was deprecated)" if op.deprecated else " without deprecation"
        ctx.emitter(op.ref)(f"{scope}-removed-{how}-deprecation", op.pointer, "old", what + note)
    for key in sorted(new_ops.keys() - old_ops.keys()):
        op = new_ops[key]
        ctx.emitter(op.ref)("endpoint-added", op.pointer, "new", "operation added")
    for key in sorted(old_ops.keys() & new_ops.keys()):
        compare_operation(ctx, old_ops[key], new_ops[key])


def compare_operation(ctx: Context, old: OperationView, new: OperationView) -> None:
    emit = ctx.emitter(new.ref)
    _renamed_path_parameters(emit, old, new)
    if old.deprecated != new.deprecated:
        rule = "api-deprecated" if new.deprecated else "api-reactivated"
        emit(rule, new.pointer, "new", "deprecated" if new.deprecated else "no longer deprecated")
    old_id, new_id = old.ref.operation_id, new.ref.operation_id
    if old_id and old_id != new_id:
        what = f"operationId changed from `{old_id}` to `{new_id or '(none)'}`"
        emit("api-operation-id-changed", new.pointer, "new", what + ": client methods renamed")
    compare_security(emit, old, new)
    requests: set[tuple[str, str, bool]] = set()
    compare_parameters(ctx, emit, old, new, requests)
    compare_request_body(ctx, emit, old, new, requests)
    compare_responses(ctx, emit, old, new, set())


def _renamed_path_parameters(emit: Emitter, old: OperationView, new: OperationView) -> None:
    for was, now in zip(old.path_params, new.path_params, strict=False):
        if was != now:
            what = f"path parameter `{{{was}}}` renamed to `{{{now}}}` (same URLs)"
            emit("api-path-parameter-renamed", new.pointer, "new", what)
