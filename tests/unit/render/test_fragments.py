"""Rendered fragments kept across runs (`{% cached %}`): a block reads only what it names
(checked as a template compiles), a kept fragment is reused only for the same values, and a
package made with kept fragments is byte for byte what a cold run makes, edit after edit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import jinja2
import pytest

from generator.config import ApiConfig
from generator.pipeline import Options, render_api
from generator.render import fragments
from generator.render.code import Code
from generator.render.env import make_environment
from generator.render.fragments import Fragments


def _compile(source: str, templates: dict[str, str] | None = None) -> jinja2.Template:
    env = make_environment()
    env.loader = jinja2.DictLoader(templates or {})
    return env.from_string(source)


@pytest.mark.parametrize(
    ("source", "named"),
    [
        ("{% cached op %}{{ py.name }}{% endcached %}", "py"),
        ("{% for x in xs %}{% cached op %}{{ loop.index }}{% endcached %}{% endfor %}", "loop"),
        ("{% cached op %}{{ x }}{% set x = 1 %}{{ group }}{% endcached %}", "group"),
        (
            "{% macro m(a) %}{{ a }}{{ api }}{% endmacro %}"
            "{% cached op %}{{ m(op) }}{% endcached %}",
            "m",
        ),
        ("{% import 'lib' as c with context %}{% cached op %}{{ c.f(op) }}{% endcached %}", "c"),
        ("{% cached op %}{{ self.x() }}{% endcached %}{% block x %}{% endblock %}", "self"),
        ("{% cached op.body %}{{ op }}{% endcached %}", "op"),
    ],
)
def test_a_block_that_reads_what_it_does_not_name_fails_to_compile(source: str, named: str) -> None:
    lib = {"lib": "{% macro f(a) %}{{ a }}{% endmacro %}"}
    with pytest.raises(jinja2.TemplateSyntaxError, match=f"reads .*{named}"):
        _compile(source, lib)


def test_a_block_may_read_its_values_its_own_names_and_context_free_macros() -> None:
    lib = {"lib": "{% macro f(a) %}<{{ a }}>{% endmacro %}"}
    source = (
        "{% import 'lib' as c %}{% from 'lib' import f as g %}"
        "{% macro twice(a) %}{{ a }}{{ a }}{% endmacro %}"
        "{% cached op, flag %}{% set n = op %}{{ c.f(n) }}{{ g(flag | literal) }}"
        "{% for x in range(2) %}{{ twice(loop.index) }}{% endfor %}{% endcached %}"
    )
    template = _compile(source, lib)
    assert template.render(op=Code("a"), flag=True) == "<a><True>1122"


class _View:
    def __init__(self, key: str) -> None:
        self.fragment_key = key


def _renders(fragments: Fragments, block: str, values: list[object], text: str) -> bool:
    """Whether the block was rendered (not taken from `fragments`)."""
    called: list[bool] = []

    def caller() -> str:
        called.append(True)
        return text

    assert fragments.render(block, values, caller) == text
    return bool(called)


def test_a_kept_fragment_is_reused_only_for_the_same_block_and_values() -> None:
    first = Fragments("salt")
    assert _renders(first, "t:1", [_View("a"), True], "A")
    again = Fragments("salt", first.used)
    assert not _renders(again, "t:1", [_View("a"), True], "A")
    for block, values in [
        ("t:2", [_View("a"), True]),  # another block
        ("t:1", [_View("b"), True]),  # another view
        ("t:1", [_View("a"), 1]),  # 1 is not True
        ("t:1", [_View("a"), "True"]),
        ("t:1", [_View("a")]),
    ]:
        assert _renders(again, block, values, "other"), (block, values)
    assert _renders(Fragments("another salt", first.used), "t:1", [_View("a"), True], "A")


def test_values_without_a_key_are_rendered_every_time() -> None:
    kept = Fragments("salt")
    named = type("Scheme", (), {"key": "bearer"})()  # a `key` that is no digest
    for values in ([_View("")], [object()], [[1, 2]], [named]):
        assert kept.key("t:1", values) is None
        assert _renders(kept, "t:1", values, "x") and _renders(kept, "t:1", values, "x")


SPEC = """\
openapi: 3.0.3
info: {title: Pets, version: "1"}
paths:
  /pets:
    get:
      operationId: listPets
      summary: List pets
      parameters:
        - {name: kind, in: query, schema: {$ref: "#/components/schemas/Kind"}}
        - {name: size, in: query, schema: {$ref: "#/components/schemas/Size"}}
      responses:
        "200":
          description: the pets
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Pet"}}
    post:
      operationId: list_pets
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Pet"}
      responses:
        "201": {description: made}
  /pets/{id}:
    get:
      operationId: getPet
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: a pet
          content:
            application/octet-stream: {schema: {type: string, format: binary}}
        "404": {description: none}
components:
  schemas:
    Kind: {type: string, enum: [cat, dog], default: cat}
    Size: {type: integer, enum: [1, 2], default: 1}
    Pet:
      type: object
      properties:
        name: {type: string}
"""

EDITS: list[tuple[str, Callable[[str], str]]] = [
    ("a summary", lambda s: s.replace("summary: List pets", "summary: All pets")),
    (
        "a parameter",
        lambda s: s.replace(
            "in: path, required: true", "in: path, required: true, deprecated: true"
        ),
    ),
    # listPets held `list_pets`: the other operation gets its name back.
    ("a name freed", lambda s: s.replace("operationId: listPets", "operationId: allPets")),
    ("a name taken", lambda s: s.replace("operationId: getPet", "operationId: all_pets")),
    (
        "an enum member",
        lambda s: s.replace("enum: [cat, dog], default: cat", "enum: [dog, cat], default: dog"),
    ),
    ("a response", lambda s: s.replace('"404": {description: none}', '"410": {description: gone}')),
    (
        "a schema",
        lambda s: s.replace(
            "name: {type: string}", "name: {type: string}\n        age: {type: integer}"
        ),
    ),
    ("back", lambda s: SPEC),
]


@pytest.mark.parametrize("layout", ["module", "tags"])
def test_edit_after_edit_a_package_with_kept_fragments_is_what_a_cold_run_makes(
    tmp_path: Path, layout: str
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC)
    styles = ("fastapi", "flask", "httpx")
    config = ApiConfig("pets", (spec,), tmp_path / "out", styles, layout=layout, root=tmp_path)
    render_api(config, Options())
    kept = tmp_path / ".specgen-cache" / fragments.MEMO_FOLDER
    assert list(kept.glob("*.json"))
    text = SPEC
    for what, edit in EDITS:
        text = edit(text)
        assert text != SPEC or what == "back", what
        spec.write_text(text)
        warm = render_api(config, Options()).files
        cold = render_api(config, Options(memo=False)).files
        assert warm == cold, what


def test_an_edit_renders_again_only_the_fragments_of_what_it_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rendered: list[str] = []
    real = Fragments.render

    def render(self: Fragments, block: str, values: list[object], caller: Callable[[], str]) -> str:
        def counted() -> str:
            rendered.append(block)
            return caller()

        return real(self, block, values, counted)

    monkeypatch.setattr(Fragments, "render", render)
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC)
    config = ApiConfig("pets", (spec,), tmp_path / "out", ("fastapi", "httpx"), root=tmp_path)
    render_api(config, Options())
    cold = list(rendered)
    # Each block once per operation, and again for listPets, whose defaults are enum members
    # models.py tells of (the first rendering is made before models.py is known).
    assert len(cold) == 4 * len(set(cold))
    rendered.clear()
    render_api(config, Options())
    assert rendered == []  # nothing changed: every fragment kept
    spec.write_text(SPEC.replace("summary: List pets", "summary: All pets"))
    render_api(config, Options())
    assert sorted(rendered) == sorted(set(cold))  # one operation's blocks
