"""The OpenAPI block of a Markdown page: found, verbatim, and positioned in the page."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.diagnostics import SpecError
from generator.load.files import load_file
from generator.load.markdown import extract_openapi_block

SEEDS = Path(__file__).resolve().parents[3] / ".." / "shared" / "seeds"
BRAINTRUST = [
    # page, line of the opening fence, path of its one operation
    ("braintrust_experiment_feedback.md", 13, "/v1/experiment/{experiment_id}/feedback"),
    ("braintrust_project_logs_feedback.md", 15, "/v1/project_logs/{project_id}/feedback"),
]


def seed(name: str) -> Path:
    path = SEEDS / name
    if not path.is_file():
        pytest.skip(f"seed page {path} is absent (shared/seeds/ is not beside the repo)")
    return path


@pytest.mark.parametrize(("page", "fence", "path"), BRAINTRUST)
def test_braintrust_block_is_verbatim(page: str, fence: int, path: str) -> None:
    text = seed(page).read_bytes().decode("utf-8")
    block, first_line = extract_openapi_block(text)
    lines = text.splitlines(keepends=True)
    closing = next(i for i in range(fence, len(lines)) if lines[i].startswith("````"))
    assert first_line == fence + 1
    assert block == "".join(lines[fence:closing])
    assert block.startswith("openapi: 3.1.1\n")


@pytest.mark.parametrize(("page", "fence", "path"), BRAINTRUST)
def test_braintrust_positions_point_into_the_page(page: str, fence: int, path: str) -> None:
    source = load_file(seed(page))
    lines = source.path.read_text("utf-8").splitlines()
    assert source.positions["/openapi"] == (fence + 1, 1)
    operation = "/paths/" + path.replace("/", "~1") + "/post/operationId"
    line, column = source.positions[operation]
    assert lines[line - 1][column - 1 :].startswith("operationId: post")
    assert source.locate(operation).file.endswith(page)


def test_fences_of_tildes_longer_closing_and_inner_fences() -> None:
    page = (
        "# Title\n\n```yaml\nnot: openapi\n```\n\n"
        "~~~~ YML title=spec\nopenapi: 3.0.3\ninfo:\n  description: |\n"
        "    ```yaml\n    inner: fence\n    ```\n    ~~~\n~~~~~~\nafter\n"
    )
    block, first_line = extract_openapi_block(page)
    assert first_line == 8
    assert block == (
        "openapi: 3.0.3\ninfo:\n  description: |\n    ```yaml\n    inner: fence\n    ```\n    ~~~\n"
    )


def test_json_block_and_crlf_are_kept_verbatim() -> None:
    page = 'text\r\n```json\r\n{\r\n  "openapi": "3.1.0"\r\n}\r\n```\r\n'
    block, first_line = extract_openapi_block(page)
    assert (block, first_line) == ('{\r\n  "openapi": "3.1.0"\r\n}\r\n', 3)


def test_unclosed_fence_runs_to_the_end_and_gets_a_newline() -> None:
    block, _ = extract_openapi_block("```yaml\nopenapi: 3.1.0\npaths: {}")
    assert block == "openapi: 3.1.0\npaths: {}\n"


def test_other_languages_and_indented_code_are_ignored() -> None:
    page = "```python\nopenapi: 1\n```\n\n    ```yaml\n    openapi: 2\n    ```\n"
    with pytest.raises(SpecError) as caught:
        extract_openapi_block(page, "page.md")
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "SG105"
    assert diagnostic.location is not None and diagnostic.location.file == "page.md"
    assert "no fenced yaml/json block" in diagnostic.message


def test_two_openapi_blocks_are_refused_at_the_second() -> None:
    page = '```yaml\nopenapi: 3.1.0\n```\n\ntext\n\n```json\n{"openapi": "3.1.0"}\n```\n'
    with pytest.raises(SpecError) as caught:
        extract_openapi_block(page, "page.md")
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "SG105"
    assert diagnostic.location is not None and diagnostic.location.line == 7
    assert "fences at lines 1, 7" in diagnostic.message


def test_markdown_file_errors_point_into_the_page(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("# API\n\n```yaml\nopenapi: 3.1.0\ninfo: {}\ninfo: {}\n```\n", "utf-8")
    with pytest.raises(SpecError) as caught:
        load_file(page)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "SG102"
    assert diagnostic.location is not None
    assert (diagnostic.location.line, diagnostic.location.column) == (6, 1)


def test_only_newlines_count_as_line_breaks() -> None:
    page = "intro \u2028 with a line separator\f\n```yaml\nopenapi: 3.1.0\n```\n"
    block, first_line = extract_openapi_block(page)
    assert (block, first_line) == ("openapi: 3.1.0\n", 3)
