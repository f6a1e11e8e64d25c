"""The errors a generated server answers itself follow the spec, with no code from the
implementer, end to end: the generated httpx client against the generated FastAPI and Flask
servers of tests/corpus/server_errors.yaml, over real httpx transports.

- each error answers the operation's declared response for its status (then its range, then
  `default`), in the declared media type, the problem fitted to the declared schema: RFC 9457
  `Problem`, a nested `{"error": {"code", "message", "details"}}`, text; required declared
  headers come from the error (`WWW-Authenticate`);
- where nothing is declared, or the declared schema cannot hold a problem, a problem+json body;
- `error_response` still overrides;
- a method a path does not serve is a 405 naming every method it does serve;
- a Content-Type an operation does not declare is a 415, for JSON, text and binary bodies;
- routes are mounted under the path of the first server URL, where the client's default base
  URL points; `base_path="/"` mounts them at the root.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.functional.conftest import run_specgen

SPEC = Path(__file__).resolve().parents[1] / "corpus" / "server_errors.yaml"
NAME = "server_errors_pets"
TOKEN = "good-token"
FRAMEWORKS = ("fastapi", "flask")


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ModuleType]]:
    out = tmp_path_factory.mktemp("errors")
    styles = ("--style", "fastapi", "--style", "flask", "--style", "httpx")
    result = run_specgen("generate", SPEC, "--name", NAME, "--out", out, *styles)
    assert result.returncode == 0, result.stderr
    sys.path.insert(0, str(out))
    try:
        yield {
            m: importlib.import_module(f"{NAME}.{m}")
            for m in ("models", "handlers", "client", "server", "flask_server")
        }
    finally:
        sys.path.remove(str(out))
        for module in [m for m in sys.modules if m == NAME or m.startswith(f"{NAME}.")]:
            del sys.modules[module]


def _handlers(pkg: dict[str, ModuleType], *, override: bool = False) -> Any:
    h, models = pkg["handlers"], pkg["models"]
    pets = {1: models.Pet(id=1, name="Rex")}

    class Pets(h.Handlers):  # type: ignore[misc, name-defined]
        async def authenticate(self, scheme: str, credential: str) -> bool:
            return credential == TOKEN

        async def list_pets(self, request: Any) -> Any:
            return h.ListPets200JsonResponse(body=list(pets.values()))

        async def create_pet(self, request: Any) -> Any:
            pet = models.Pet(id=len(pets) + 1, name=request.body.name)
            return h.CreatePet201JsonResponse(body=pet)

        async def get_pet(self, request: Any) -> Any:
            if request.pet_id == 500:
                raise RuntimeError("the store is down")
            if request.pet_id not in pets:
                raise pkg["server"].rt.HTTPProblem(404, None, f"no pet {request.pet_id}")
            return h.GetPet200JsonResponse(body=pets[request.pet_id])

        async def put_photo(self, request: Any) -> Any:
            return h.PutPhoto204Response()

        async def add_note(self, request: Any) -> Any:
            return h.AddNote200TextResponse(body=request.body)

        if override:

            async def error_response(self, error: Any) -> Any:
                body = models.ApiError(
                    error=models.ApiErrorError(code="mine", message=error.detail)
                )
                return h.CreatePet400JsonResponse(body=body)

    return Pets()


Transport = Callable[..., httpx.BaseTransport]


def test_default_answers_an_operation_without_the_status(pkg: dict[str, ModuleType]) -> None:
    server = pkg["server"]
    problem = server.rt.HTTPProblem(429, None, "slow down")
    variant = server.rt.core.declared_error(server.ERROR_RESPONSES["listPets"], problem)
    assert type(variant).__name__ == "ListPetsDefaultJsonResponse"
    assert (variant.code, variant.body.status, variant.body.title) == (
        429,
        429,
        "Too Many Requests",
    )


def _app(pkg: dict[str, ModuleType], framework: str, **options: Any) -> httpx.BaseTransport:
    handlers = options.pop("handlers", None) or _handlers(pkg)
    if framework == "fastapi":
        return _AsgiBridge(pkg["server"].create_app(handlers, **options))
    return httpx.WSGITransport(app=pkg["flask_server"].create_app(handlers, **options))


class _AsgiBridge(httpx.BaseTransport):
    """A sync transport over httpx's ASGI transport, so one sync client drives both apps."""

    def __init__(self, app: Any) -> None:
        self._asgi = httpx.ASGITransport(app=app, raise_app_exceptions=False)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        import asyncio

        async def run() -> httpx.Response:
            response = await self._asgi.handle_async_request(request)
            content = await response.aread()
            return httpx.Response(response.status_code, headers=response.headers, content=content)

        return asyncio.run(run())


def _client(pkg: dict[str, ModuleType], framework: str, **options: Any) -> Any:
    # The client's default base URL (https://eu.pets.example/v2): its path meets the
    # server's default mount.
    return pkg["client"].Client(token=TOKEN, transport=_app(pkg, framework, **options))


def _raw(pkg: dict[str, ModuleType], framework: str, **options: Any) -> httpx.Client:
    return httpx.Client(base_url="http://pets.test", transport=_app(pkg, framework, **options))


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_routes_are_mounted_under_the_servers_path(
    pkg: dict[str, ModuleType], framework: str
) -> None:
    with _client(pkg, framework) as client:
        assert [p.name for p in client.list_pets()] == ["Rex"]
    with _raw(pkg, framework) as raw:
        assert raw.get("/v2/pets").status_code == 200
        assert raw.get("/pets").status_code == 404
    with _raw(pkg, framework, base_path="/") as raw:
        assert raw.get("/pets").status_code == 200
        assert raw.get("/v2/pets").status_code == 404
    with _raw(pkg, framework, base_path="/api/pets/") as raw:
        assert raw.get("/api/pets/pets/1").json() == {"id": 1, "name": "Rex"}


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_declared_problem_json_answers_not_found(
    pkg: dict[str, ModuleType], framework: str
) -> None:
    client_module = pkg["client"]
    with _client(pkg, framework) as client, pytest.raises(client_module.GetPet404Error) as caught:
        client.get_pet(pet_id=7)
    assert caught.value.headers["content-type"] == "application/problem+json"
    problem = caught.value.body
    assert isinstance(problem, pkg["models"].Problem)
    assert (problem.type, problem.title, problem.status, problem.detail) == (
        "about:blank",
        "Not Found",
        404,
        "no pet 7",
    )


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_nested_json_error_schema_gets_the_validation_errors(
    pkg: dict[str, ModuleType], framework: str
) -> None:
    client_module, models = pkg["client"], pkg["models"]
    with _raw(pkg, framework) as raw:
        response = raw.post(
            "/v2/pets", json={"name": ""}, headers={"Authorization": f"Bearer {TOKEN}"}
        )
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/json"
    error = models.ApiError.model_validate(response.json()).error
    assert error.code == "bad_request" and error.message
    assert error.details and error.details[0].field.endswith("name")
    # The typed client raises the declared 400 with the typed body.
    invalid = models.NewPet.model_construct(name="")
    with (
        _client(pkg, framework) as client,
        pytest.raises(client_module.CreatePet400Error) as caught,
    ):
        client.create_pet(body=invalid)
    assert isinstance(caught.value.body, models.ApiError)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_declared_headers_come_from_the_error(pkg: dict[str, ModuleType], framework: str) -> None:
    with _raw(pkg, framework) as raw:
        response = raw.post("/v2/pets", json={"name": "Tom"})
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json() == {
        "type": "about:blank",
        "title": "Unauthorized",
        "status": 401,
        "detail": "missing credentials",
    }


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_range_and_default_answer_what_has_no_exact_status(
    pkg: dict[str, ModuleType], framework: str
) -> None:
    with _raw(pkg, framework) as raw:
        # 415 on createPet: no 415 declared, its 4XX is text.
        response = raw.post(
            "/v2/pets",
            content=b"name=Tom",
            headers={
                "Authorization": f"Bearer {TOKEN}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        assert response.status_code == 415
        assert response.headers["content-type"].startswith("text/plain")
        assert response.text.startswith("415 Unsupported Media Type: expected application/json")
        # getPet's 5XX schema cannot hold a problem: a handler's crash is a problem+json 500.
        crash = raw.get("/v2/pets/500")
        assert crash.status_code == 500
        assert crash.headers["content-type"] == "application/problem+json"
        assert crash.json()["status"] == 500


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_undeclared_statuses_are_problem_json(pkg: dict[str, ModuleType], framework: str) -> None:
    with _raw(pkg, framework) as raw:
        response = raw.get("/v2/nowhere")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert (body["type"], body["title"], body["status"]) == ("about:blank", "Not Found", 404)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_the_client_exposes_an_undeclared_problem(
    pkg: dict[str, ModuleType], framework: str
) -> None:
    bare = pkg["handlers"].Handlers()  # addNote declares no 501: problem+json
    with (
        _client(pkg, framework, handlers=bare) as client,
        pytest.raises(pkg["client"].UnexpectedStatus) as caught,
    ):
        client.add_note(body="hi")
    assert caught.value.status_code == 501
    assert caught.value.problem == {
        "type": "about:blank",
        "title": "Not Implemented",
        "status": 501,
        "detail": "operation 'addNote' is not implemented",
    }


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_error_response_still_overrides(pkg: dict[str, ModuleType], framework: str) -> None:
    handlers = _handlers(pkg, override=True)
    with _raw(pkg, framework, handlers=handlers) as raw:
        response = raw.get("/v2/pets/7")
    assert response.status_code == 400  # what the override chose
    assert response.json() == {"error": {"code": "mine", "message": "no pet 7"}}


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_405_names_every_method_of_the_path(pkg: dict[str, ModuleType], framework: str) -> None:
    with _raw(pkg, framework) as raw:
        response = raw.put("/v2/pets", json={"name": "Tom"})
    assert response.status_code == 405
    allowed = {m.strip() for m in response.headers["allow"].split(",")}
    assert {"GET", "POST"} <= allowed and "PUT" not in allowed
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize(
    ("path", "good", "bad"),
    [
        ("/v2/pets/1/photo", "image/png", "text/plain"),
        ("/v2/pets/1/photo", "image/jpeg", "application/json"),
        ("/v2/notes", "text/plain; charset=utf-8", "application/json"),
    ],
)
def test_an_undeclared_content_type_is_415_for_every_body_kind(
    pkg: dict[str, ModuleType], framework: str, path: str, good: str, bad: str
) -> None:
    method = "PUT" if "photo" in path else "POST"
    with _raw(pkg, framework) as raw:
        accepted = raw.request(method, path, content=b"abc", headers={"Content-Type": good})
        refused = raw.request(method, path, content=b"abc", headers={"Content-Type": bad})
    assert accepted.status_code in (200, 204), accepted.text
    assert refused.status_code == 415
    assert refused.headers["content-type"] == "application/problem+json"
    assert good.split(";")[0] in refused.json()["detail"]
