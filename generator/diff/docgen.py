"""The rule tables of docs/diff-rules.md, from the catalog (a test keeps the two in step).

python -m generator.diff.docgen
"""

from __future__ import annotations

from generator.diff.catalog import ASPECTS, FIXED, SCOPES, SEVERITY_BY_EFFECT
from generator.diff.model import Direction


def markdown_tables() -> str:
    """The rule tables of docs/diff-rules.md (kept in step by a test)."""
    lines = ["| id | severity | direction | area | meaning |", "| --- | --- | --- | --- | --- |"]
    for rule in FIXED:
        lines.append(
            f"| `{rule.id}` | {rule.severity} | {rule.direction} | {rule.area} | "
            f"{rule.description} |"
        )
    lines += ["", "Schema rules: the id is `<scope>-<aspect>`.", ""]
    lines += ["| scope | direction | where |", "| --- | --- | --- |"]
    lines += [f"| `{s.name}` | {s.direction} | {s.description} |" for s in SCOPES]
    lines += ["", "| aspect | effect | request scopes | response scopes | meaning |"]
    lines.append("| --- | --- | --- | --- | --- |")
    for a in ASPECTS:
        request = SEVERITY_BY_EFFECT[Direction.REQUEST][a.effect]
        response = SEVERITY_BY_EFFECT[Direction.RESPONSE][a.effect]
        lines.append(f"| `{a.suffix}` | {a.effect} | {request} | {response} | {a.description} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown_tables(), end="")
