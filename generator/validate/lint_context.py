"""What every lint rule shares: the source document, reporting, and the operations."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from generator.diagnostics import Diagnostic, Severity
from generator.load.spec import Spec
from generator.pointers import deref, join_pointer, ref_pointer
from generator.validate.schemas import HTTP_METHODS, SchemaWalk


@dataclass(frozen=True)
class Operation:
    path: str
    method: str
    pointer: str
    node: dict[str, Any]
    path_item: dict[str, Any]
    path_item_pointer: str

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"


@dataclass
class LintContext:
    """The source document (never the rewritten one, so pointers are the user's) and the
    diagnostics found so far; one diagnostic per code and pointer."""

    document: dict[str, Any]
    spec: Spec
    walk: SchemaWalk  # schema walk of `document`
    found: list[Diagnostic] = field(default_factory=list)
    _reported: set[tuple[str, str]] = field(default_factory=set)

    def report(self, severity: Severity, code: str, pointer: str, message: str, hint: str) -> None:
        if (code, pointer) not in self._reported:
            self._reported.add((code, pointer))
            loc = self.spec.locate(pointer)
            self.found.append(Diagnostic(severity, code, message, hint, loc))

    def where(self, pointer: str) -> str:
        """A location for a message that names a second place."""
        return str(self.spec.locate(pointer))

    def operations(self) -> Iterator[Operation]:
        paths = self.document.get("paths")
        for path, item in paths.items() if isinstance(paths, dict) else ():
            item_pointer = join_pointer("", "paths", path)
            if isinstance(item, dict) and isinstance(item.get("$ref"), str):
                target = ref_pointer(item["$ref"])
                item_pointer = target if target is not None else item_pointer
            resolved, _ = deref(self.document, item)
            if not isinstance(resolved, dict):
                continue
            for method in HTTP_METHODS:
                op = resolved.get(method)
                if isinstance(op, dict):
                    pointer = join_pointer(item_pointer, method)
                    yield Operation(str(path), method, pointer, op, resolved, item_pointer)
