"""One layout for every problem specgen reports: severity, code, location, message, hint.

Codes are stable (tests and users grep for them):
  SG1xx  loading (YAML/JSON/Markdown, files, size limits)
  SG2xx  references ($ref resolution, cycles, external refs)
  SG3xx  structural validation (openapi-spec-validator) and version mixing
  SG4xx  lint rules for code generation (operationId, parameters, names)
  SG5xx  emit safety and generation
  SG6xx  configuration and output folder
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Location:
    """Where a problem is: a file position and the JSON pointer of the node."""

    file: str
    line: int = 0
    column: int = 0
    pointer: str = ""

    def __str__(self) -> str:
        pos = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        return f"{pos} {self.pointer}".rstrip() if self.pointer else pos


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    code: str
    message: str
    hint: str = ""
    location: Location | None = None

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location or Location("")
        return (loc.file, loc.line, loc.column, self.code, self.message)

    def render(self) -> str:
        where = f"{self.location}: " if self.location else ""
        text = f"{where}{self.severity} {self.code}: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


def error(code: str, message: str, hint: str = "", location: Location | None = None) -> Diagnostic:
    return Diagnostic(Severity.ERROR, code, message, hint, location)


def warning(code: str, message: str, hint: str = "", location: Location | None = None) -> Diagnostic:
    return Diagnostic(Severity.WARNING, code, message, hint, location)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def render_all(diagnostics: Iterable[Diagnostic], limit: int = 20) -> str:
    """Render sorted diagnostics; past `limit`, summarise so the output stays on one screen."""
    items = sorted(diagnostics, key=lambda d: d.sort_key)
    shown = [d.render() for d in items[:limit]]
    if len(items) > limit:
        shown.append(f"... and {len(items) - limit} more (use --max-diagnostics to see them)")
    return "\n".join(shown)


class SpecError(Exception):
    """Raised by a pipeline stage that cannot go on; carries every diagnostic found so far."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__(render_all(self.diagnostics))
