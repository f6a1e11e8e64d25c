"""The pets API of the proxy tests: its spec (OpenAPI 3.0, for `nullable` and readOnly) and a
FastAPI upstream that honours it, unless the request's `X-Break` header asks it to break the
contract in one way: `status`, `body`, `header` or `content-type`."""

from __future__ import annotations

import gzip
import json
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import StreamingResponse

SPEC = """\
openapi: 3.0.3
info: {title: Pets, version: "1"}
servers:
  - url: http://pets.example/api
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 100}}
        - {name: X-Trace, in: header, required: false, schema: {type: string, maxLength: 8}}
      responses:
        "200":
          description: the pets
          headers:
            X-Total: {required: true, schema: {type: integer}}
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Pet"}}
    post:
      operationId: createPet
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Pet"}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
        4XX:
          description: refused
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
  /pets/{petId}:
    get:
      operationId: getPet
      parameters:
        - {name: petId, in: path, required: true, schema: {type: integer}}
      responses:
        "200":
          description: the pet
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
        default:
          description: an error
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
  /pets/mine:
    get:
      operationId: getMyPet
      responses:
        "200":
          description: my pet
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
  /events:
    get:
      operationId: streamEvents
      responses:
        "200":
          description: pet events
          content:
            text/event-stream:
              schema: {type: string}
  /photo:
    get:
      operationId: getPhoto
      responses:
        "200":
          description: a photo
          content:
            image/png:
              schema: {type: string, format: binary}
components:
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties:
        id: {type: integer, readOnly: true}
        name: {type: string}
        tag: {type: string, nullable: true}
    Error:
      type: object
      required: [message]
      properties:
        message: {type: string}
"""

PETS = [{"id": 1, "name": "Rex", "tag": None}, {"id": 2, "name": "Tom", "tag": "cat"}]
PHOTO = bytes(range(256)) * 512  # 128 KiB, every byte value
EVENTS = [f"id: {n}\nevent: pet\ndata: {json.dumps(PETS[n % 2])}\n\n" for n in range(5)]


def create_upstream() -> FastAPI:
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    def json_response(request: Request, value: Any, status: int = 200, **headers: str) -> Response:
        broken = request.headers.get("x-break", "")
        if broken == "status":
            return Response("boom", status_code=500, media_type="text/plain")
        if broken == "body" and isinstance(value, dict):
            value = {**value, "id": "one"}
        if broken == "header":
            headers = {}
        media_type = "text/html" if broken == "content-type" else "application/json"
        body = json.dumps(value).encode()
        if "gzip" in request.headers.get("accept-encoding", ""):
            headers["content-encoding"] = "gzip"
            body = gzip.compress(body)
        return Response(body, status_code=status, media_type=media_type, headers=headers)

    @app.get("/api/pets")
    async def list_pets(request: Request) -> Response:
        return json_response(request, PETS, **{"X-Total": str(len(PETS))})

    @app.post("/api/pets")
    async def create_pet(request: Request) -> Response:
        pet = await request.json()
        if not isinstance(pet, dict) or "name" not in pet:
            return json_response(request, {"detail": "no name"}, 422)  # no `message`
        return json_response(request, {**pet, "id": 3, "tag": None}, 201)

    @app.get("/api/pets/mine")
    async def my_pet(request: Request) -> Response:
        return json_response(request, PETS[0])

    @app.get("/api/pets/{pet_id}")
    async def get_pet(request: Request, pet_id: str) -> Response:
        if pet_id not in ("1", "2"):
            return json_response(request, {"message": "no such pet"}, 404)
        return json_response(request, PETS[int(pet_id) - 1])

    @app.get("/api/events")
    async def events() -> StreamingResponse:
        async def stream() -> Any:
            for event in EVENTS:
                yield event.encode()

        return StreamingResponse(stream(), media_type="text/event-stream")

    @app.get("/api/photo")
    async def photo() -> Response:
        return Response(PHOTO, media_type="image/png")

    return app
