"""`specgen diff` output: text (one line per change, like diagnostics), JSON, Markdown.

Text:      `file:line:col /pointer: breaking rule-id: GET /path (operationId): message`
JSON:      {"summary": {"breaking": n, "warning": n, "info": n}, "changes": [...]}
Markdown:  a pull-request comment: a headline, breaking changes and warnings in a table,
           compatible changes folded in <details>.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from generator.diff.model import Change, Severity

_MARKDOWN_ROWS = 150  # per table: a PR comment must stay under GitHub's 65,536 characters


@dataclass(frozen=True)
class Section:
    """The changes of one API (`name` is "" when only one API was compared): those to show,
    and all of them (for the counts; `--min-severity` hides some)."""

    name: str
    changes: Sequence[Change]
    every: Sequence[Change] | None = None

    @property
    def counted(self) -> Sequence[Change]:
        return self.changes if self.every is None else self.every


def _summary(changes: Sequence[Change]) -> dict[str, int]:
    return {str(s): sum(1 for c in changes if c.severity is s) for s in Severity}


def _counts(changes: Sequence[Change]) -> str:
    counts = _summary(changes)
    if not changes:
        return "no changes"
    parts = [f"{counts['breaking']} breaking", f"{counts['warning']} warning(s)"]
    return ", ".join([*parts, f"{counts['info']} info"])


def render_text(sections: Sequence[Section]) -> str:
    if not sections:
        return _counts([])
    lines: list[str] = []
    for section in sections:
        prefix = f"{section.name}: " if section.name else ""
        for c in section.changes:
            where = f"{c.location} {c.pointer}".strip()
            op = f"{c.operation}: " if c.operation else ""
            lines.append(f"{where}: {c.severity} {c.rule}: {prefix}{op}{c.message}")
        hidden = len(section.counted) - len(section.changes)
        shown = f" ({hidden} not shown)" if hidden else ""
        lines.append(f"{prefix}{_counts(section.counted)}{shown}")
    return "\n".join(lines)


def render_json(sections: Sequence[Section]) -> str:
    every = [c for s in sections for c in s.counted]
    changes = []
    for section in sections:
        for c in section.changes:
            entry = c.as_json()
            if section.name:
                entry = {"api": section.name, **entry}
            changes.append(entry)
    return json.dumps({"summary": _summary(every), "changes": changes}, indent=2)


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _table(changes: Sequence[tuple[Change, str]], api: bool) -> list[str]:
    head = ["severity", "rule", "operation", "change", "where"]
    lines = ["| " + " | ".join((["API"] if api else []) + head) + " |"]
    lines.append("|" + " --- |" * (len(head) + api))
    for c, name in changes[:_MARKDOWN_ROWS]:
        op = f"`{_cell(str(c.operation))}`" if c.operation else ""
        cells = [str(c.severity), f"`{c.rule}`", op, _cell(c.message), f"`{_cell(c.location)}`"]
        lines.append("| " + " | ".join(([name] if api else []) + cells) + " |")
    if len(changes) > _MARKDOWN_ROWS:
        lines.append(f"\n... and {len(changes) - _MARKDOWN_ROWS} more (see the JSON output)")
    return lines


def render_markdown(sections: Sequence[Section]) -> str:
    every = [(c, s.name) for s in sections for c in s.changes]
    api = len(sections) > 1
    counts = _counts([c for s in sections for c in s.counted])
    lines = [f"### API changes: {counts}", ""]
    if not any(s.counted for s in sections):
        return "\n".join([*lines, "The specs describe the same API."]) + "\n"
    serious = [(c, n) for c, n in every if c.severity is not Severity.INFO]
    compatible = [(c, n) for c, n in every if c.severity is Severity.INFO]
    if serious:
        lines += [*_table(serious, api), ""]
    else:
        lines += ["Nothing breaking, no warnings.", ""]
    if compatible:
        lines += [f"<details><summary>{len(compatible)} compatible change(s)</summary>", ""]
        lines += [*_table(compatible, api), "", "</details>"]
    return "\n".join(lines) + "\n"
