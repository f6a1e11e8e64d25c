"""The kept parse of a large spec file (`.specgen-cache/parse/`, generator/load/
incremental.py) through the real CLI: after each edit, what `generate` writes and reports is
what a cold run writes and reports, whether the edit was parsed in part (one operation) or
in full (a path item added, a YAML error)."""

from __future__ import annotations

from pathlib import Path

from generator.load.incremental import MIN_SIZE
from tests.functional.test_cache import generated_cold, specgen, tree

CONFIG = """\
[tool.specgen]
output = "generated"

[[tool.specgen.api]]
name = "big"
specs = ["spec.yaml"]
"""
TEXT = " ".join(["Lorem ipsum dolor sit amet, consectetur adipiscing elit."] * 25)


def _spec(count: int) -> str:
    lines = ["openapi: 3.0.3", "info:", "  title: Big", '  version: "1.0"', "paths:"]
    for n in range(count):
        lines += [
            f"  /items{n}/{{id}}:",
            "    get:",
            f"      operationId: getItem{n}",
            f"      summary: Get item {n}",
            f"      description: {TEXT}",
            "      parameters:",
            "        - {name: id, in: path, required: true, schema: {type: string}}",
            "        - name: limit",
            "          in: query",
            "          schema: {type: integer}",
            "      responses:",
            '        "200":',
            "          description: OK",
            "          content:",
            "            application/json:",
            "              schema:",
            f"                $ref: '#/components/schemas/Item{n % 3}'",
        ]
    lines += ["components:", "  schemas:"]
    for n in range(3):
        lines += [f"    Item{n}:", "      type: object", "      properties:"]
        lines += ["        name: {type: string}", "        size: {type: integer}"]
    return "\n".join(lines) + "\n"


def test_edits_of_a_large_file_generate_what_a_cold_run_does(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text(CONFIG)
    spec = project / "spec.yaml"
    text = _spec(40)
    assert len(text) >= MIN_SIZE
    spec.write_text(text)
    assert specgen(project, "generate").code == 0
    assert len(list((project / ".specgen-cache" / "parse").glob("*.bin"))) == 1

    edits = [
        ("      summary: Get item 7\n", "      summary: Fetch item 7\n"),  # one operation
        ("          in: query\n", "          in: query\n          deprecated: true\n"),
        # a path item added: `paths` is parsed again
        (
            "  /items3/{id}:\n",
            "  /extra:\n    get:\n      responses: {'204': {description: No}}\n  /items3/{id}:\n",
        ),
    ]
    for old, new in edits:
        text = text.replace(old, new, 1)
        spec.write_text(text)
        run = specgen(project, "generate")
        assert run.code == 0, run.stderr
        assert tree(project / "generated") == generated_cold(project, tmp_path / str(len(text)))

    broken = text.replace("      summary: Get item 9\n", "      summary: [Get item 9\n", 1)
    spec.write_text(broken)
    failed, cold = specgen(project, "generate"), specgen(project, "generate", "--no-cache")
    assert failed.code == cold.code == 2
    assert failed.stderr == cold.stderr and "spec.yaml:" in failed.stderr
