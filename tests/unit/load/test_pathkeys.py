"""Path keys holding a query string (`/alerts?lat={lat}`) read as their path with query
parameters, with a warning at the key as written; what cannot be read so stays as written."""

from __future__ import annotations

from pathlib import Path

from generator.load import load_spec

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SPEC = CORPUS / "lenient_query_in_path_keys.yaml"


def test_each_pair_is_a_query_parameter_of_the_path_alone() -> None:
    spec, warnings = load_spec([SPEC])
    paths = spec.document["paths"]
    assert list(paths) == [  # in the order written
        "/alerts",
        "/stations/{lon}",
        "/search/articles",
        "/search/lists",
        "/uploads",
        "/rest?method=flickr.test.echo",  # a fixed value: no reading
    ]
    alerts = paths["/alerts"]["get"]["parameters"]
    assert [(p["name"], p["in"]) for p in alerts] == [
        ("lat", "query"),
        ("lon", "query"),
        ("units", "query"),
    ]
    assert alerts[0]["required"] is True and alerts[1]["schema"] == {"type": "number"}
    # The shared component stays a path parameter where a path names it.
    assert spec.document["components"]["parameters"]["Lon"]["in"] == "path"
    assert paths["/stations/{lon}"]["get"]["parameters"] == [
        {"$ref": "#/components/parameters/Lon"}
    ]
    [lists] = paths["/search/lists"]["get"]["parameters"]
    assert (lists["name"], lists["in"], lists["schema"]) == (
        "q",
        "query",
        {"type": "string", "minLength": 1},
    )
    assert paths["/uploads"]["post"]["parameters"] == [
        {"name": "convert", "in": "query", "schema": {"type": "string"}}
    ]
    assert [(w.code, w.location.line, w.location.pointer) for w in warnings if w.location] == [
        ("SG205", 9, "/paths/~1alerts?lat={lat}&lon={lon}"),
        ("SG205", 33, "/paths/~1search~1articles?query={query}"),
        ("SG205", 40, "/paths/~1search~1lists?q={query}"),
        ("SG205", 47, "/paths/~1uploads?convert={convert}"),
    ]
    assert "read as the path `/search/lists` with the query parameter(s) `q`" in warnings[2].message
    # Nodes under the new key are located where they are written.
    assert spec.locate("/paths/~1alerts/get/parameters/2").line == 15


def _paths(tmp_path: Path, body: str) -> tuple[list[str], list[str]]:
    path = tmp_path / "spec.yaml"
    path.write_text("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n" + body, "utf-8")
    spec, warnings = load_spec([path])
    return list(spec.document["paths"]), [w.code for w in warnings]


OK = "responses: {'200': {description: ok}}"


def test_a_key_whose_path_is_also_a_key_stays(tmp_path: Path) -> None:
    body = f"  /a?x={{x}}:\n    post: {{{OK}}}\n  /a:\n    get: {{{OK}}}\n"
    assert _paths(tmp_path, body) == (["/a?x={x}", "/a"], [])


def test_a_variable_also_in_the_path_stays(tmp_path: Path) -> None:
    body = f"  /a/{{x}}?x={{x}}:\n    get: {{{OK}}}\n"
    assert _paths(tmp_path, body) == (["/a/{x}?x={x}"], [])


def test_a_query_of_anything_but_pairs_of_variables_stays(tmp_path: Path) -> None:
    body = "".join(
        f"  {key}:\n    get: {{{OK}}}\n"
        for key in ("/a?{x}=1", "/b?x={x}&x={y}", "/c?x={x}#frag", "/d?", "/e?x={x}&v=2")
    )
    assert _paths(tmp_path, body) == (
        ["/a?{x}=1", "/b?x={x}&x={y}", "/c?x={x}#frag", "/d?", "/e?x={x}&v=2"],
        [],
    )
