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
        return printable(text)


def printable(text: str) -> str:
    """`text` with every control or invisible character escaped (newlines kept): spec keys and
    values end up in messages, and must not reach a terminal as escape sequences."""
    return "".join(ch if ch == "\n" or ch.isprintable() else ascii(ch)[1:-1] for ch in text)


def error(code: str, message: str, hint: str = "", location: Location | None = None) -> Diagnostic:
    return Diagnostic(Severity.ERROR, code, message, hint, location)


def warning(
    code: str, message: str, hint: str = "", location: Location | None = None
) -> Diagnostic:
    return Diagnostic(Severity.WARNING, code, message, hint, location)


def apply_policy(
    diagnostics: Iterable[Diagnostic], *, strict: bool = False, ignore: Iterable[str] = ()
) -> list[Diagnostic]:
    """The diagnostics a run reports: warnings with an `ignore`d code left out, and with
    `strict` every other warning made an error (errors are never ignored)."""
    ignored = frozenset(ignore)
    kept = [d for d in diagnostics if d.severity is Severity.ERROR or d.code not in ignored]
    if not strict:
        return kept
    return [
        Diagnostic(Severity.ERROR, d.code, f"{d.message} (--strict)", d.hint, d.location)
        if d.severity is Severity.WARNING
        else d
        for d in kept
    ]


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def render_all(diagnostics: Iterable[Diagnostic], limit: int = 20, per_code: int = 3) -> str:
    """Render sorted diagnostics on one screen: errors first; past `per_code` warnings of one
    code, or `limit` in all, a summary line says how many more there are."""
    items = sorted(diagnostics, key=lambda d: (d.severity is not Severity.ERROR, *d.sort_key))
    shown: list[str] = []
    hidden: dict[str, int] = {}
    per: dict[str, int] = {}
    for d in items:
        per[d.code] = per.get(d.code, 0) + 1
        quiet = d.severity is Severity.WARNING and per[d.code] > per_code
        if quiet or len(shown) >= limit:
            hidden[d.code] = hidden.get(d.code, 0) + 1
        else:
            shown.append(d.render())
    if hidden:
        counts = ", ".join(f"{n} x {code}" for code, n in sorted(hidden.items()))
        shown.append(
            f"... and {sum(hidden.values())} more ({counts}); --max-diagnostics shows more"
        )
    return "\n".join(shown)


class SpecError(Exception):
    """Raised by a pipeline stage that cannot go on; carries every diagnostic found so far."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__(render_all(self.diagnostics))
