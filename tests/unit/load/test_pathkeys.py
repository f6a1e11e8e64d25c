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
        ("SG205", 10, "/paths/~1alerts?lat={lat}&lon={lon}"),
        ("SG205", 34, "/paths/~1stations~1{lon}#remove"),
        ("SG205", 41, "/paths/~1search~1articles?query={query}"),
        ("SG205", 48, "/paths/~1search~1lists?q={query}"),
        ("SG205", 55, "/paths/~1uploads?convert={convert}"),
    ]
    assert list(paths["/stations/{lon}"]) == ["get", "delete"]
    assert "read as the path `/search/lists` with the query parameter(s) `q`" in warnings[3].message
    # Nodes under the new key are located where they are written.
    assert spec.locate("/paths/~1alerts/get/parameters/2").line == 16
    assert spec.locate("/paths/~1stations~1{lon}/delete").line == 35


def _paths(tmp_path: Path, body: str) -> tuple[list[str], list[str]]:
    path = tmp_path / "spec.yaml"
    path.write_text("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n" + body, "utf-8")
    spec, warnings = load_spec([path])
    return list(spec.document["paths"]), [w.code for w in warnings]


OK = "responses: {'200': {description: ok}}"


def test_keys_of_one_path_join_unless_a_method_is_in_two(tmp_path: Path) -> None:
    body = f"  /a?x={{x}}:\n    post: {{{OK}}}\n  /a:\n    get: {{{OK}}}\n"
    assert _paths(tmp_path, body) == (["/a"], ["SG205"])
    body = f"  /a?x={{x}}:\n    get: {{{OK}}}\n  /a:\n    get: {{{OK}}}\n"
    assert _paths(tmp_path, body) == (["/a?x={x}", "/a"], [])


def test_fragments_leave_the_path_and_its_keys_join(tmp_path: Path) -> None:
    """AWS: `/tags/{arn}#tagKeys` beside `/tags/{arn}`, both with the signature headers;
    `/#Action=...` keys are one path and method, told apart by what they send: they stay."""
    path = tmp_path / "spec.yaml"
    arn = "{name: arn, in: path, required: true, schema: {type: string}}"
    sig = "{name: X-Amz-Date, in: header, schema: {type: string}}"
    path.write_text(
        f"""openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  /tags/{{arn}}:
    parameters: [{arn}, {sig}]
    get: {{{OK}}}
  /tags/{{arn}}#tagKeys:
    parameters: [{arn}, {sig}]
    delete: {{{OK}}}
  /keys/{{arn}}#one:
    parameters: [{arn}]
    get: {{{OK}}}
  /keys/{{arn}}#two:
    parameters: [{{name: arn, in: path, required: true, schema: {{type: integer}}}}]
    delete: {{{OK}}}
  /#Action=A:
    post: {{{OK}}}
  /#Action=B:
    post: {{{OK}}}
""",
        "utf-8",
    )
    spec, warnings = load_spec([path])
    paths = spec.document["paths"]
    assert list(paths) == ["/tags/{arn}", "/keys/{arn}", "/#Action=A", "/#Action=B"]
    assert list(paths["/tags/{arn}"]) == ["parameters", "get", "delete"]
    assert "parameters" not in paths["/tags/{arn}"]["delete"]  # the same for all
    # The second's own path parameter goes down to its operation (it said integer).
    assert paths["/keys/{arn}"]["delete"]["parameters"][0]["schema"] == {"type": "integer"}
    assert "parameters" not in paths["/keys/{arn}"]["get"]
    assert [w.code for w in warnings] == ["SG205"] * 3
    assert "holds a fragment, which no request carries" in warnings[0].message
    # The joined operation is located where it is written.
    assert spec.locate("/paths/~1tags~1{arn}/delete").line == 9


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
