"""OpenAPI 3.1 webhooks → IR: operations without a path (`Api.webhooks`), each with its name,
a default mount path, an operationId unique among every operation, only its own security, and
a receiver contract with the webhooks as paths."""

from __future__ import annotations

from pathlib import Path

from generator.build.api import build_api
from generator.ir.model import Api, ContentKind, ParamLocation
from generator.load import load_spec
from generator.validate import validate
from tests.unit.build.test_build_api import build

CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "webhooks.yaml"

COLLIDING = """
openapi: 3.1.0
info: {title: Hooks, version: '1'}
security: [{key: []}]
paths:
  /ping:
    post:
      operationId: ping
      responses: {'204': {description: ok}}
webhooks:
  ping:
    post:
      responses: {'204': {description: ok}}
  order paid:
    parameters:
      - {name: X-Shop, in: header, required: true, schema: {type: string}}
    put:
      security: [{key: []}]
      requestBody:
        content:
          text/plain: {schema: {type: string}}
      responses: {'200': {description: ok}}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
"""


def _corpus() -> Api:
    spec, _ = load_spec([CORPUS])
    return build_api("hooks", validate(spec).document, spec)


def test_webhooks_are_operations_without_a_path() -> None:
    api = _corpus()
    assert [op.operation_id for op in api.operations] == ["subscribe"]
    new_pet, event = api.webhooks
    assert (new_pet.webhook, new_pet.operation_id, new_pet.method) == ("newPet", "newPet", "POST")
    assert (event.webhook, event.operation_id) == ("pet.event", "petEvent")
    assert (new_pet.path, event.path) == ("/newPet", "/pet.event")  # under the mount path
    assert new_pet.pointer == "/webhooks/newPet/post"
    (header,) = new_pet.parameters
    assert (header.name, header.location, header.required) == (
        "X-Delivery-Id",
        ParamLocation.HEADER,
        True,
    )
    assert new_pet.body is not None and new_pet.body.content.type.name == "Pet"
    assert event.body is not None and event.body.content.type.name == "PetEvent"
    assert [r.status for r in new_pet.responses] == ["200", "400", "422"]
    assert [r.status for r in event.responses] == ["204", "4XX"]
    assert "Webhook newPet: POST" in new_pet.doc
    assert "Pet" in api.operation_types() and "Ack" in api.operation_types()


def test_bodies_are_checked_and_the_receiver_contract_has_them_as_paths() -> None:
    api = _corpus()
    assert {"newPet", "petEvent"} <= set(api.request_schemas["bodies"])
    contract = api.webhook_contract
    assert "webhooks" not in contract and "security" not in contract
    assert sorted(contract["paths"]) == [
        "/webhooks/newPet",
        "/webhooks/pet.event",
        "/webhooks/subscribe/petEvent",  # the callback
    ]
    assert contract["paths"]["/webhooks/pet.event"]["post"]["operationId"] == "petEvent"
    assert "Subscription" in contract["components"]["schemas"]


def test_names_ids_paths_and_security(tmp_path: Path) -> None:
    api = build(tmp_path, COLLIDING)
    ping, paid = api.webhooks
    assert ping.operation_id == "ping_2"  # the path operation `ping` keeps its id
    assert (paid.webhook, paid.operation_id, paid.method, paid.path) == (
        "order paid",
        "order paid_put",
        "PUT",
        "/order_paid",  # not a path segment as written: snake_case
    )
    assert [p.name for p in paid.parameters] == ["X-Shop"]  # the path item's parameters
    assert paid.body is not None and paid.body.content.kind is ContentKind.TEXT
    assert ping.security == ()  # the API's security is not the webhook's
    assert [r.schemes for r in paid.security] == [("key",)]
    assert api.webhook_contract["paths"]["/webhooks/order_paid"]["parameters"][0]["name"] == (
        "X-Shop"
    )


def test_an_api_without_webhooks(tmp_path: Path) -> None:
    api = build(tmp_path, COLLIDING.split("webhooks:")[0] + "components: {}\n")
    assert api.webhooks == () and api.webhook_contract == {}


def test_callbacks_are_operations_of_their_operation() -> None:
    api = _corpus()
    (subscribe,) = api.operations
    (callback,) = subscribe.callbacks
    assert callback.callback is not None
    assert (callback.callback.operation_id, callback.callback.name) == ("subscribe", "petEvent")
    assert callback.callback.expression == "{$request.body#/callbackUrl}"
    assert (callback.operation_id, callback.method, callback.path) == (
        "subscribe_petEvent",
        "POST",
        "/subscribe/petEvent",
    )
    assert callback.pointer == (
        "/paths/~1subscriptions/post/callbacks/petEvent/{$request.body#~1callbackUrl}/post"
    )
    assert callback.body is not None and callback.body.content.type.name == "PetEvent"
    assert "Callback petEvent of subscribe: POST to {$request.body#/callbackUrl}" in callback.doc
    assert api.hooks == (*api.webhooks, callback)
    assert "subscribe_petEvent" in api.request_schemas["bodies"]
    assert "/webhooks/subscribe/petEvent" in api.webhook_contract["paths"]


def test_callbacks_without_webhooks_make_the_webhook_modules(tmp_path: Path) -> None:
    text = """
    openapi: 3.0.3
    info: {title: Cb, version: '1'}
    paths:
      /jobs:
        post:
          operationId: startJob
          responses: {'202': {description: started}}
          callbacks:
            done:
              '{$request.query.notify}':
                post:
                  responses: {'200': {description: ok}}
                put:
                  operationId: jobDone
                  responses: {'200': {description: ok}}
    """
    api = build(tmp_path, text)
    assert api.webhooks == ()
    assert [op.operation_id for op in api.hooks] == ["jobDone", "startJob_done"]
    assert {op.path for op in api.hooks} == {"/startJob/done"}
