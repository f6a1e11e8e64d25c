"""A spec path in Starlette's and Werkzeug's route syntax (`generator/render/python/paths.py`)."""

from __future__ import annotations

import pytest

from generator.render.python.paths import starlette_path, werkzeug_rule

PARAMS = {"id": ("id", False), "ünï": ("uni", False), "path+": ("path", True)}


@pytest.mark.parametrize(
    ("path", "starlette", "werkzeug"),
    [
        ("/", "/", "/"),
        ("/a/{id}.{ünï}", "/a/{id}.{uni}", "/a/<id>.<uni>"),
        ("/f/{path+}", "/f/{path:path}", "/f/<path:path>"),
        # Literal text is URL text: Starlette's route keeps it (the runtime matches it
        # decoded), Werkzeug's is decoded, a brace included.
        ("/j/{id}/%7B%7Bx%7D%7D", "/j/{id}/%7B%7Bx%7D%7D", "/j/<id>/{{x}}"),
        ("/z/%7Bid%7D/a b/100%25", "/z/%7Bid%7D/a b/100%25", "/z/{id}/a b/100%"),
        # A literal `<` would open a converter: an `any` of it, named apart from the
        # parameters.
        (
            "/lt/%3C_lt0%3E/{id}%3C",
            "/lt/%3C_lt0%3E/{id}%3C",
            '/lt/<any("<"):_lt0>_lt0>/<id><any("<"):_lt1>',
        ),
    ],
)
def test_paths_in_each_route_syntax(path: str, starlette: str, werkzeug: str) -> None:
    assert starlette_path(path, PARAMS) == starlette
    assert werkzeug_rule(path, PARAMS) == werkzeug


def test_a_variable_name_of_a_parameter_is_not_reused() -> None:
    params = {"_lt0": ("_lt0", False)}
    assert werkzeug_rule("/%3C/{_lt0}", params) == '/<any("<"):_lt1>/<_lt0>'
