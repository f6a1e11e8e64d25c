"""Webhooks (OpenAPI 3.1's top-level `webhooks`) and callbacks (an operation's `callbacks`)
→ IR operations without a path: requests the API's provider sends to a URL its consumer
chose. Each gets a default mount path for generated receivers, an operationId unique among
every operation, and only its own security."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from generator.build.operations import HTTP_METHODS, OperationBuilder
from generator.ir.hooks import CallbackOf
from generator.ir.model import Operation
from generator.ir.names import numbered, snake_case
from generator.pointers import deref, join_pointer, lookup_pointer

# A name that is a path segment as it is (RFC 3986 unreserved characters).
_SEGMENT = re.compile(r"[A-Za-z0-9._~-]+")


def _segment(name: str) -> str:
    """A webhook's or callback's name as a path segment: as written where it is one, else
    snake_case."""
    return name if _SEGMENT.fullmatch(name) else snake_case(name, "hook")


class HookBuilder:
    """Builds the webhooks and callbacks of one document with its `OperationBuilder`."""

    def __init__(self, document: Mapping[str, Any], builder: OperationBuilder) -> None:
        self._doc = document
        self._builder = builder
        self._mounts: set[str] = set()  # the default mount paths given so far

    def build_webhooks(self, taken: set[str]) -> tuple[Operation, ...]:
        """OpenAPI 3.1's `webhooks`: each an operation without a path, mounted by receivers
        at `/<name>` (see `_segment`). Its operationId (else the name; numbered where one
        is `taken`, which it is added to) is unique; only its own `security` applies (the
        API's is for calling the API)."""
        hooks: list[Operation] = []
        for name, item in (self._doc.get("webhooks") or {}).items():
            item_pointer = join_pointer("/webhooks", name)
            mount = f"/{_segment(name)}"
            default = name
            for built in self._hooks(item, item_pointer, mount, default, taken):
                hooks.append(replace(built, webhook=name))
        return tuple(hooks)

    def build_callbacks(
        self, operations: tuple[Operation, ...], taken: set[str]
    ) -> tuple[Operation, ...]:
        """`operations` with their `callbacks`: each callback an operation mounted by
        receivers at `/<operation>/<callback>`, whose operationId (else
        `<operationId>_<callback>`) is made unique in `taken` like a webhook's."""
        result: list[Operation] = []
        for op in operations:
            node = lookup_pointer(self._doc, op.pointer)
            raw = node.get("callbacks") if isinstance(node, Mapping) else None
            found: list[Operation] = []
            for name, callback in raw.items() if isinstance(raw, Mapping) else ():
                where = join_pointer(op.pointer, "callbacks", name)
                callback, where = deref(self._doc, callback, where)
                if not isinstance(callback, Mapping):
                    continue
                mount = f"/{_segment(op.operation_id)}/{_segment(name)}"
                default = f"{op.operation_id}_{name}"
                for expression, item in callback.items():
                    item_pointer = join_pointer(where, expression)
                    source = CallbackOf(op.operation_id, name, str(expression))
                    for built in self._hooks(item, item_pointer, mount, default, taken):
                        found.append(replace(built, callback=source))
            result.append(replace(op, callbacks=tuple(found)) if found else op)
        return tuple(result)

    def _hooks(
        self, item: Any, item_pointer: str, mount: str, default: str, taken: set[str]
    ) -> list[Operation]:
        """The operations of the path item of a webhook or callback, mounted at `mount`,
        their operationIds (`default` without one) made unique in `taken`."""
        item, item_pointer = deref(self._doc, item, item_pointer)
        if not isinstance(item, Mapping):
            return []
        mount = numbered(mount, self._mounts, "_")
        self._mounts.add(mount)
        built: list[Operation] = []
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, Mapping):
                continue
            op_id = op.get("operationId")
            if not isinstance(op_id, str) or not op_id:
                op_id = default if method == "post" else f"{default}_{method}"
            op_id = numbered(op_id, taken, "_")
            taken.add(op_id)
            pointer = join_pointer(item_pointer, method)
            operation = self._builder.operation
            built.append(operation(mount, method, item, op, pointer, op_id=op_id, inherit=False))
        return built
