"""The rule catalog: well-formed, documented, and every rule exercised by a test."""

from __future__ import annotations

import re
from pathlib import Path

from generator.diff.catalog import FIXED, RULES
from generator.diff.docgen import markdown_tables

REPO = Path(__file__).resolve().parents[2]


def test_rules_are_many_and_well_formed() -> None:
    assert len(FIXED) >= 40
    assert len(RULES) == len({r.id for r in RULES.values()})
    for rule in RULES.values():
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.id), rule.id
        assert rule.direction in ("request", "response", "-")
        assert rule.description


def test_docs_list_every_rule() -> None:
    text = (REPO / "docs" / "diff-rules.md").read_text("utf-8")
    block = re.search(r"<!-- rules:begin[^>]*-->\n(.*)<!-- rules:end -->", text, re.S)
    assert block, "docs/diff-rules.md lost its generated block"
    assert block.group(1) == markdown_tables(), "run: python -m generator.diff.docgen"


def test_every_fixed_rule_has_a_test() -> None:
    """Schema rules are all exercised by test_rules_schema_matrix (every scope x aspect);
    every other rule must be named in some test."""
    tests = "".join(p.read_text("utf-8") for p in Path(__file__).parent.glob("test_*.py"))
    untested = [rule.id for rule in FIXED if f'"{rule.id}"' not in tests]
    assert not untested
