"""$ref resolution: local checks, bundling of other files, refusals, cycles."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path
from typing import Any

import pytest

from generator.diagnostics import Diagnostic, SpecError
from generator.load import load_spec
from generator.load.spec import Spec

HEAD = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\n"


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), "utf-8")
    return root / next(iter(files))


def load(root: Path, files: dict[str, str], **kwargs: Any) -> Spec:
    spec, warnings = load_spec([write(root, files)], **kwargs)
    assert warnings == []
    return spec


def errors(root: Path, files: dict[str, str], **kwargs: Any) -> list[Diagnostic]:
    with pytest.raises(SpecError) as caught:
        load_spec([write(root, files)], **kwargs)
    return sorted(caught.value.diagnostics, key=lambda d: d.sort_key)


def at(diagnostic: Diagnostic) -> tuple[str, str, int, int, str]:
    loc = diagnostic.location
    assert loc is not None
    return diagnostic.code, Path(loc.file).name, loc.line, loc.column, loc.pointer


def schema_ref(ref: str) -> str:
    return (
        HEAD
        + f"""\
paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '{ref}'
"""
    )


ERROR = "{type: object, properties: {code: {type: integer}}}\n"
SCHEMA_REF = "/paths/~1a/get/responses/200/content/application~1json/schema/$ref"


def test_missing_local_target(tmp_path: Path) -> None:
    (diagnostic,) = errors(tmp_path, {"api.yaml": schema_ref("#/components/schemas/Nope")})
    assert at(diagnostic) == ("SG201", "api.yaml", 12, 17, SCHEMA_REF)
    assert "'#/components/schemas/Nope'" in diagnostic.message


def test_sibling_files_are_bundled(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "api.yaml": schema_ref("schemas/pet.yaml#/components/schemas/Pet")
            + "    post:\n      requestBody:\n        $ref: './bodies.yaml#/NewPet'\n"
            + "      responses: {'204': {description: done}}\n",
            "schemas/pet.yaml": """\
                components:
                  schemas:
                    Pet:
                      type: object
                      properties:
                        tag: {$ref: '#/components/schemas/Tag'}
                        error: {$ref: '../common.json#/definitions/Error'}
                        owner: {$ref: './dir/owner-info.yaml'}
                    Tag: {type: string}
                """,
            "common.json": '{"definitions": {"Error": {"type": "object"}}}\n',
            "schemas/dir/owner-info.yaml": "type: object\nproperties:\n"
            + "  pet: {$ref: '../pet.yaml#/components/schemas/Pet'}\n",
            "bodies.yaml": "NewPet:\n  content:\n    application/json:\n"
            + "      schema: {$ref: 'schemas/pet.yaml#/components/schemas/Pet'}\n",
        },
    )
    doc = spec.document
    assert doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ] == {"$ref": "#/components/schemas/Pet"}
    assert doc["paths"]["/a"]["post"]["requestBody"] == {
        "$ref": "#/components/requestBodies/NewPet"
    }
    schemas = doc["components"]["schemas"]
    assert list(schemas) == ["Pet", "Tag", "Error", "OwnerInfo"]
    assert schemas["Pet"]["properties"] == {
        "tag": {"$ref": "#/components/schemas/Tag"},
        "error": {"$ref": "#/components/schemas/Error"},
        "owner": {"$ref": "#/components/schemas/OwnerInfo"},
    }
    assert schemas["OwnerInfo"]["properties"]["pet"] == {"$ref": "#/components/schemas/Pet"}
    assert [s.path.name for s in spec.sources] == [
        "api.yaml", "pet.yaml", "bodies.yaml", "common.json", "owner-info.yaml",
    ]  # fmt: skip
    location = spec.locate("/components/schemas/Pet/properties/owner")
    assert (Path(location.file).name, location.line, location.column) == ("pet.yaml", 8, 9)
    location = spec.locate("/components/schemas/Error/type")
    assert (Path(location.file).name, location.line) == ("common.json", 1)


def test_names_collide_only_with_different_values(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "api.yaml": schema_ref("other.yaml#/components/schemas/Pet")
            + "components:\n  schemas:\n    Pet: {type: string}\n"
            + "    Same: {type: object}\n"
            + "    UseSame: {$ref: 'other.yaml#/components/schemas/Same'}\n",
            "other.yaml": "components:\n  schemas:\n"
            + "    Pet: {type: integer}\n    Same: {type: object}\n",
        },
    )
    schemas = spec.document["components"]["schemas"]
    assert schemas["Pet2"] == {"type": "integer"}
    assert schemas["UseSame"] == {"type": "object"}  # a whole component is inlined
    assert "Same2" not in schemas
    location = spec.locate("/components/schemas/Pet2")
    assert (Path(location.file).name, location.line) == ("other.yaml", 3)


def test_identical_bundled_copy_collapses_into_the_existing_name(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "api.yaml": schema_ref("other.yaml#/components/schemas/Error")
            + "components:\n  schemas:\n    Error: "
            + ERROR,
            "other.yaml": "components:\n  schemas:\n    Error: " + ERROR,
        },
    )
    assert list(spec.document["components"]["schemas"]) == ["Error"]
    assert spec.document["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ] == {"$ref": "#/components/schemas/Error"}


def test_cycles_between_files_terminate(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "api.yaml": schema_ref("a.yaml#/A"),
            "a.yaml": "A:\n  type: object\n  properties:\n    b: {$ref: 'b.yaml#/B'}\n",
            "b.yaml": "B:\n  type: array\n  items: {$ref: 'a.yaml#/A'}\n",
        },
    )
    schemas = spec.document["components"]["schemas"]
    assert schemas["A"]["properties"]["b"] == {"$ref": "#/components/schemas/B"}
    assert schemas["B"]["items"] == {"$ref": "#/components/schemas/A"}


def test_refs_back_into_the_root_stay_local(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "api.yaml": schema_ref("parts/x.yaml#/X")
            + "components:\n  schemas:\n    Id: {type: string}\n",
            "parts/x.yaml": "X:\n  properties:\n"
            + "    id: {$ref: '../api.yaml#/components/schemas/Id'}\n",
        },
    )
    assert spec.document["components"]["schemas"]["X"]["properties"]["id"] == {
        "$ref": "#/components/schemas/Id"
    }


def test_parameters_and_path_items_land_where_openapi_wants_them(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "api.yaml": HEAD
            + "paths:\n  /pets:\n    $ref: 'paths/pets.yaml'\n    summary: overridden\n",
            "paths/pets.yaml": """\
                summary: from file
                get:
                  parameters:
                    - $ref: '../params.yaml#/limit'
                  responses:
                    '200': {$ref: '../responses.yaml#/components/responses/Ok'}
                """,
            "params.yaml": "limit: {name: limit, in: query, schema: {type: integer}}\n",
            "responses.yaml": "components:\n  responses:\n    Ok: {description: ok}\n",
        },
    )
    doc = spec.document
    item = doc["paths"]["/pets"]
    assert item["summary"] == "overridden"
    assert item["get"]["parameters"] == [{"$ref": "#/components/parameters/limit"}]
    assert item["get"]["responses"]["200"] == {"$ref": "#/components/responses/Ok"}
    assert doc["components"]["parameters"]["limit"]["name"] == "limit"
    location = spec.locate("/paths/~1pets/get/parameters")
    assert (Path(location.file).name, location.line) == ("pets.yaml", 3)


def test_data_that_looks_like_a_ref_is_left_alone(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "api.yaml": HEAD
            + "components:\n  schemas:\n    S:\n      type: object\n"
            + "      example: {$ref: 'nowhere.yaml'}\n      x-ref: {$ref: '#/nowhere'}\n"
            + "      properties:\n        example: {$ref: '#/components/schemas/T'}\n"
            + "    T: {type: string, enum: [{$ref: x}]}\n",
        },
    )
    schema = spec.document["components"]["schemas"]["S"]
    assert schema["example"] == {"$ref": "nowhere.yaml"}


def test_yaml_aliases_become_independent_copies(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {"api.yaml": HEAD + "components:\n  schemas:\n    A: &a {type: object}\n    B: *a\n"},
    )
    schemas = spec.document["components"]["schemas"]
    assert schemas["A"] == schemas["B"] and schemas["A"] is not schemas["B"]


def test_outside_the_spec_folder_is_refused_unless_allowed(tmp_path: Path) -> None:
    write(tmp_path, {"shared/common.yaml": "Error: {type: object}\n"})
    files = {"api/api.yaml": schema_ref("../shared/common.yaml#/Error")}
    (diagnostic,) = errors(tmp_path, files)
    assert at(diagnostic) == ("SG203", "api.yaml", 12, 17, SCHEMA_REF)
    assert "outside the spec folder" in diagnostic.message
    assert "--allow-ref-root" in diagnostic.hint
    spec = load(tmp_path, files, allow_roots=[tmp_path / "shared"])
    assert spec.document["components"]["schemas"]["Error"] == {"type": "object"}


def test_absolute_paths_and_file_urls_need_an_allowed_root(tmp_path: Path) -> None:
    target = write(tmp_path, {"common.yaml": "Error: {type: object}\n"})
    for ref in (f"{target}#/Error", f"{target.as_uri()}#/Error"):
        files = {"api.yaml": schema_ref(ref)}
        (diagnostic,) = errors(tmp_path, files)
        assert at(diagnostic)[:2] == ("SG203", "api.yaml")
        assert "absolute path" in diagnostic.message
        assert load(tmp_path, files, allow_roots=[tmp_path]).document["components"]["schemas"]


def test_symlink_out_of_the_spec_folder_is_refused(tmp_path: Path) -> None:
    write(tmp_path, {"secret.yaml": "X: {type: string}\n"})
    (tmp_path / "api").mkdir()
    os.symlink(tmp_path / "secret.yaml", tmp_path / "api" / "inside.yaml")
    (diagnostic,) = errors(tmp_path, {"api/api.yaml": schema_ref("inside.yaml#/X")})
    assert at(diagnostic)[0] == "SG203"
    assert "secret.yaml" in diagnostic.message


@pytest.mark.parametrize("url", ["https://example.com/s.yaml#/X", "http://h/s.json"])
def test_urls_are_never_fetched(tmp_path: Path, url: str) -> None:
    (diagnostic,) = errors(tmp_path, {"api.yaml": schema_ref(url)})
    assert at(diagnostic) == ("SG203", "api.yaml", 12, 17, SCHEMA_REF)
    assert "never fetches" in diagnostic.message
    assert "download" in diagnostic.hint


def test_missing_files_and_targets_in_other_files(tmp_path: Path) -> None:
    found = errors(
        tmp_path,
        {
            "api.yaml": schema_ref("x.yaml#/X")
            + "components:\n  schemas:\n    M: {$ref: 'missing.yaml#/M'}\n",
            "x.yaml": "X:\n  properties:\n    y: {$ref: '#/Y'}\n",
        },
    )
    assert [at(d) for d in found] == [
        ("SG201", "api.yaml", 15, 9, "/components/schemas/M/$ref"),
        ("SG201", "x.yaml", 3, 9, "/X/properties/y/$ref"),
    ]
    assert "missing.yaml does not exist" in found[0].message
    assert "has no 'Y'" in found[1].message


def test_errors_of_referenced_files_are_collected(tmp_path: Path) -> None:
    found = errors(
        tmp_path,
        {
            "api.yaml": schema_ref("bad.yaml#/X")
            + "components:\n  schemas:\n    N: {$ref: '#/no'}\n",
            "bad.yaml": "X: 1\nX: 2\n",
        },
    )
    assert [at(d)[:4] for d in found] == [("SG201", "api.yaml", 15, 9), ("SG102", "bad.yaml", 2, 1)]


@pytest.mark.parametrize(
    ("schemas", "chain"),
    [
        ("A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n",
         "/components/schemas/A -> /components/schemas/B -> /components/schemas/A"),
        ("A: {$ref: '#/components/schemas/A', description: self}\n",
         "/components/schemas/A -> /components/schemas/A"),
    ],
)  # fmt: skip
def test_pure_alias_cycles_are_errors(tmp_path: Path, schemas: str, chain: str) -> None:
    (diagnostic,) = errors(tmp_path, {"api.yaml": HEAD + "components:\n  schemas:\n    " + schemas})
    assert at(diagnostic) == ("SG202", "api.yaml", 5, 9, "/components/schemas/A/$ref")
    assert chain in diagnostic.message


def test_recursive_schemas_are_legal(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "api.yaml": HEAD
            + """\
components:
  schemas:
    Node:
      type: object
      properties:
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
        next: {$ref: '#/components/schemas/Alias'}
        extra: {additionalProperties: {$ref: '#/components/schemas/Node'}}
        either: {anyOf: [{$ref: '#/components/schemas/Node'}, {type: 'null'}]}
    Alias: {$ref: '#/components/schemas/Node'}
"""
        },
    )
    assert spec.document["components"]["schemas"]["Alias"] == {"$ref": "#/components/schemas/Node"}


def test_deep_documents_do_not_recurse(tmp_path: Path) -> None:
    depth = 990
    deep = "x: " + "[" * depth + "{$ref: '#/components/schemas/S'}" + "]" * depth
    spec = load(
        tmp_path, {"api.yaml": HEAD + "components:\n  schemas:\n    S: {type: string}\n" + deep}
    )
    node = spec.document["x"]
    for _ in range(depth):
        node = node[0]
    assert node == {"$ref": "#/components/schemas/S"}


def test_a_component_that_is_only_an_external_ref_keeps_its_name(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "api.yaml": schema_ref("models/pet.yaml")
            + "components:\n  schemas:\n    Pet: {$ref: 'models/pet.yaml'}\n",
            "models/pet.yaml": "type: object\nproperties:\n  id: {type: integer}\n",
        },
    )
    doc = spec.document
    assert list(doc["components"]["schemas"]) == ["Pet"]
    assert doc["components"]["schemas"]["Pet"]["properties"] == {"id": {"type": "integer"}}
    assert doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ] == {"$ref": "#/components/schemas/Pet"}
    location = spec.locate("/components/schemas/Pet/properties/id")
    assert (Path(location.file).name, location.line) == ("pet.yaml", 3)


def test_alias_cycle_through_other_files_points_into_them(tmp_path: Path) -> None:
    found = errors(
        tmp_path,
        {
            "api.yaml": schema_ref("a.yaml#/A"),
            "a.yaml": "A:\n  $ref: 'b.yaml#/B'\n",
            "b.yaml": "B:\n  $ref: 'a.yaml#/A'\n",
        },
    )
    assert [at(d) for d in found] == [("SG202", "a.yaml", 2, 3, "/components/schemas/A/$ref")]


def test_fragment_must_be_a_pointer_and_urls_stay_refused_when_roots_are_allowed(
    tmp_path: Path,
) -> None:
    (diagnostic,) = errors(tmp_path, {"api.yaml": schema_ref("#Pet")})
    assert at(diagnostic)[:3] == ("SG201", "api.yaml", 12)
    assert "JSON pointer" in diagnostic.message
    files = {"api.yaml": schema_ref("https://example.com/x.yaml")}
    (diagnostic,) = errors(tmp_path, files, allow_roots=[tmp_path, Path("/")])
    assert at(diagnostic)[0] == "SG203"


def test_no_file_given() -> None:
    with pytest.raises(SpecError) as caught:
        load_spec([])
    assert [d.code for d in caught.value.diagnostics] == ["SG100"]


# --- split specs in the layouts Redocly and swagger-cli bundle ---------------------------------


def test_operation_objects_in_their_own_files_are_inlined(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "openapi.yaml": HEAD
            + textwrap.dedent(
                """\
            paths:
              /users:
                get: {$ref: resources/users/list.yaml}
                post: {$ref: 'resources/users/create.yaml'}
            """
            ),
            "resources/users/list.yaml": """\
            operationId: listUsers
            parameters:
              - $ref: ../../parameters/limit.yaml
            responses:
              '200': {$ref: ../../responses/Users.yaml}
            """,
            "resources/users/create.yaml": """\
            operationId: createUser
            responses: {'201': {description: made}}
            """,
            "parameters/limit.yaml": "{name: limit, in: query, schema: {type: integer}}\n",
            "responses/Users.yaml": "description: the users\n",
        },
    )
    users = spec.document["paths"]["/users"]
    assert (
        users["get"]["operationId"] == "listUsers" and users["post"]["operationId"] == "createUser"
    )
    assert users["get"]["parameters"] == [{"$ref": "#/components/parameters/Limit"}]
    assert users["get"]["responses"]["200"] == {"$ref": "#/components/responses/Users"}
    assert "schemas" not in spec.document["components"]  # nothing misplaced as a schema
    where = spec.locate("/paths/~1users/get/operationId")
    assert Path(where.file).name == "list.yaml" and where.line == 1


def test_discriminator_mappings_that_name_files_point_at_the_bundled_schemas(
    tmp_path: Path,
) -> None:
    spec = load(
        tmp_path,
        {
            "openapi.yaml": schema_ref("schemas/Pet.yaml"),
            "schemas/Pet.yaml": """\
            oneOf: [{$ref: ./Dog.yaml}, {$ref: './Cat.yaml'}]
            discriminator:
              propertyName: kind
              mapping: {dog: ./Dog.yaml, cat: 'Cat.yaml', bird: Bird, fish: 'models/x.yml#/fish'}
            """,
            "schemas/Dog.yaml": "{type: object, properties: {kind: {const: dog}}}\n",
            "schemas/Cat.yaml": "{type: object, properties: {kind: {const: cat}}}\n",
        },
    )
    pet = spec.document["components"]["schemas"]["Pet"]
    assert pet["discriminator"]["mapping"] == {
        "dog": "#/components/schemas/Dog",
        "cat": "#/components/schemas/Cat",
        "bird": "Bird",  # a schema name, not a file: kept
        # No such file (a spec bundled from files, its mappings left naming them): kept, and
        # the lint says it names no schema (SG412, a warning), not a load error.
        "fish": "models/x.yml#/fish",
    }
    assert [m["$ref"] for m in pet["oneOf"]] == [
        "#/components/schemas/Dog",
        "#/components/schemas/Cat",
    ]


def test_siblings_of_a_reference_are_merged_with_a_warning(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "openapi.yaml": HEAD
            + textwrap.dedent(
                """\
            paths:
              /a:
                get:
                  parameters:
                    - {$ref: parameters/q.yaml, required: true, description: Overridden.}
                    - {$ref: '#/components/parameters/p', description: Only described.}
                  responses: {'204': {description: none}}
            components:
              parameters:
                p: {name: p, in: query, schema: {type: string}}
            """
            ),
            "parameters/q.yaml": "{name: q, in: query, schema: {type: string}}\n",
        },
    )
    spec, warnings = load_spec([root])
    q, p = spec.document["paths"]["/a"]["get"]["parameters"]
    assert q == {
        "name": "q",
        "in": "query",
        "schema": {"type": "string"},
        "required": True,
        "description": "Overridden.",
    }
    assert p["description"] == "Only described." and p["name"] == "p"
    (warning,) = warnings  # `description` is allowed next to $ref: no warning for it
    assert warning.code == "SG204" and "`required`" in warning.message
    assert at(warning)[:3] == ("SG204", "openapi.yaml", 7)
