"""Webhooks end to end, over real sockets on 127.0.0.1: the generated webhook senders (sync
and async, httpx) deliver to the generated webhook receivers (FastAPI under uvicorn, Flask
under Werkzeug's threaded server) of tests/corpus/webhooks.yaml.

Deliveries arrive typed (a header, a body, a oneOf event told apart by its discriminator),
declared responses come back typed (200 parsed, 422 and 4XX as typed errors), a 503 is
retried until the receiver takes the delivery, invalid deliveries answer 400, headers for
every delivery and per-request hooks reach the receiver, and `base_path` moves the mount.
The callback closes the loop: the generated client subscribes to the generated API server,
whose handler evaluates the callback URL's runtime expression and delivers with the sender.
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from werkzeug.serving import make_server

from generator.fuzz import serve_in_thread
from tests.functional.conftest import run_specgen

SPEC = Path(__file__).resolve().parents[1] / "corpus" / "webhooks.yaml"
NAME = "webhooks_e2e"
FRAMEWORKS = ("fastapi", "flask")
MODULES = (
    "models",
    "handlers",
    "server",
    "client",
    "webhooks",
    "webhook_server",
    "webhook_flask_server",
    "webhook_sender",
)


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ModuleType]]:
    out = tmp_path_factory.mktemp("webhooks")
    styles = ("--style", "fastapi", "--style", "flask", "--style", "httpx")
    result = run_specgen("generate", SPEC, "--name", NAME, "--out", out, *styles)
    assert result.returncode == 0, result.stderr
    assert "SG413" not in result.stderr  # the webhooks and the callback are generated
    sys.path.insert(0, str(out))
    try:
        yield {m: importlib.import_module(f"{NAME}.{m}") for m in MODULES}
    finally:
        sys.path.remove(str(out))
        for module in [m for m in sys.modules if m == NAME or m.startswith(f"{NAME}.")]:
            del sys.modules[module]


class Receiver:
    """What the receiver's handlers saw, and how many deliveries the app in front of them
    answers 503 to first (a receiver behind a busy proxy: no declared response)."""

    def __init__(self) -> None:
        self.seen: list[Any] = []
        self.busy = 0
        self.refused = 0
        self.headers: list[dict[str, str]] = []  # of every request the app got

    def asgi(self, app: Any) -> Any:
        async def busy(scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] == "http":
                self.headers.append({k.decode(): v.decode() for k, v in scope["headers"]})
            if scope["type"] == "http" and self.busy > 0:
                self.busy -= 1
                self.refused += 1
                await send({"type": "http.response.start", "status": 503, "headers": []})
                await send({"type": "http.response.body", "body": b""})
                return
            await app(scope, receive, send)

        return busy

    def wsgi(self, app: Any) -> Any:
        def busy(environ: Any, start_response: Any) -> Any:
            self.headers.append(
                {k[5:].lower().replace("_", "-"): v for k, v in environ.items() if k[:5] == "HTTP_"}
            )
            if self.busy > 0:
                self.busy -= 1
                self.refused += 1
                start_response("503 Service Unavailable", [("Content-Length", "0")])
                return [b""]
            return app(environ, start_response)

        return busy


def _handlers(pkg: dict[str, ModuleType], receiver: Receiver) -> Any:
    h, models = pkg["webhooks"], pkg["models"]

    class Hooks(h.WebhookHandlers):  # type: ignore[misc, name-defined]
        async def new_pet(self, request: Any) -> Any:
            receiver.seen.append(request)
            if request.body.name == "refused":
                return h.NewPet422JsonResponse(body=models.Refusal(reason="no thanks"))
            return h.NewPet200JsonResponse(body=models.Ack(received=True))

        async def pet_event(self, request: Any) -> Any:
            receiver.seen.append(request)
            if isinstance(request.body.root, models.Removed):
                return h.PetEvent4xxJsonResponse(code=409, body=models.Refusal(reason="gone"))
            return h.PetEvent204Response()

        async def subscribe_pet_event(self, request: Any) -> Any:
            receiver.seen.append(request)
            return h.SubscribePetEvent204Response()

    return Hooks()


@pytest.fixture(params=FRAMEWORKS)
def served(
    request: pytest.FixtureRequest, pkg: dict[str, ModuleType]
) -> Iterator[tuple[str, Receiver]]:
    """(the receiver's base URL, what it saw) for each framework, at the default mount."""
    receiver = Receiver()
    handlers = _handlers(pkg, receiver)
    if request.param == "fastapi":
        app = receiver.asgi(pkg["webhook_server"].create_webhook_app(handlers))
        with serve_in_thread(app) as base:
            yield base, receiver
        return
    app = receiver.wsgi(pkg["webhook_flask_server"].create_webhook_app(handlers))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", receiver
    finally:
        server.shutdown()


def _fast(pkg: dict[str, ModuleType]) -> Any:
    return pkg["webhook_sender"].RetryPolicy(backoff=0.01, jitter=0.0)


def test_sync_sender_delivers_typed_and_reads_declared_responses(
    pkg: dict[str, ModuleType], served: tuple[str, Receiver]
) -> None:
    base, receiver = served
    models, s = pkg["models"], pkg["webhook_sender"]
    with s.WebhookSender(retry=_fast(pkg)) as sender:
        ack = sender.new_pet(f"{base}/webhooks/newPet", "d-1", models.Pet(id=7, name="Rex"))
        assert ack == models.Ack(received=True)
        with pytest.raises(s.NewPet422Error) as refused:
            sender.new_pet(f"{base}/webhooks/newPet", "d-2", models.Pet(id=8, name="refused"))
    assert refused.value.body == models.Refusal(reason="no thanks")
    first = receiver.seen[0]
    assert first.x_delivery_id == "d-1"
    assert first.body == models.Pet(id=7, name="Rex")


def test_async_sender_delivers_a_oneof_event(
    pkg: dict[str, ModuleType], served: tuple[str, Receiver]
) -> None:
    base, receiver = served
    models, s = pkg["models"], pkg["webhook_sender"]
    url = f"{base}/webhooks/pet.event"

    async def deliver() -> Any:
        async with s.AsyncWebhookSender(retry=_fast(pkg)) as sender:
            adopted = models.PetEvent(models.Adopted(kind="adopted", pet_id=1, owner="Ann"))
            assert await sender.pet_event(url, adopted) is None  # 204
            removed = models.PetEvent(models.Removed(kind="removed", pet_id=2))
            with pytest.raises(s.PetEvent4xxError) as rejected:
                await sender.pet_event(url, removed)
            return rejected.value

    rejected = asyncio.run(deliver())
    assert rejected.response.status_code == 409
    assert rejected.body == models.Refusal(reason="gone")
    assert isinstance(receiver.seen[0].body.root, models.Adopted)
    assert receiver.seen[0].body.root.owner == "Ann"
    assert isinstance(receiver.seen[1].body.root, models.Removed)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_busy_receiver_gets_the_delivery_again(
    pkg: dict[str, ModuleType], served: tuple[str, Receiver], mode: str
) -> None:
    """Deliveries are retried on 503 (at least once delivery), then succeed."""
    base, receiver = served
    receiver.busy = 2
    models, s = pkg["models"], pkg["webhook_sender"]
    url, pet = f"{base}/webhooks/newPet", models.Pet(id=3, name="Tom")
    if mode == "sync":
        with s.WebhookSender(retry=_fast(pkg)) as sender:
            ack = sender.new_pet(url, "d-3", pet)
    else:

        async def deliver() -> Any:
            async with s.AsyncWebhookSender(retry=_fast(pkg)) as sender:
                return await sender.new_pet(url, "d-3", pet)

        ack = asyncio.run(deliver())
    assert ack == models.Ack(received=True)
    assert (receiver.refused, len(receiver.seen)) == (2, 1)


def test_give_up_after_max_attempts(
    pkg: dict[str, ModuleType], served: tuple[str, Receiver]
) -> None:
    base, receiver = served
    receiver.busy = 10
    models, s = pkg["models"], pkg["webhook_sender"]
    policy = s.RetryPolicy(max_attempts=2, backoff=0.01, jitter=0.0)
    with s.WebhookSender(retry=policy) as sender, pytest.raises(s.UnexpectedStatus) as failed:
        sender.new_pet(f"{base}/webhooks/newPet", "d-4", models.Pet(id=4, name="Max"))
    assert failed.value.response.status_code == 503
    assert (receiver.refused, receiver.seen) == (2, [])


def test_headers_and_request_hooks_reach_the_receiver(
    pkg: dict[str, ModuleType], served: tuple[str, Receiver]
) -> None:
    """Signatures are not in OpenAPI: a request hook adds one, computed from the body."""
    base, receiver = served
    models, s = pkg["models"], pkg["webhook_sender"]

    def sign(request: httpx.Request) -> None:
        request.headers["X-Signature"] = hashlib.sha256(request.content).hexdigest()

    hooks = {"request": [sign]}
    with s.WebhookSender(headers={"X-Source": "store"}, event_hooks=hooks) as sender:
        sender.new_pet(f"{base}/webhooks/newPet", "d-5", models.Pet(id=5, name="Kit"))
    got = receiver.headers[-1]
    assert got["x-source"] == "store" and got["x-delivery-id"] == "d-5"
    assert len(got["x-signature"]) == 64


def test_invalid_deliveries_answer_400(
    pkg: dict[str, ModuleType], served: tuple[str, Receiver]
) -> None:
    base, receiver = served
    url = f"{base}/webhooks/newPet"
    missing_header = httpx.post(url, json={"id": 1, "name": "A"})
    bad_body = httpx.post(url, json={"id": 0, "name": "A"}, headers={"X-Delivery-Id": "x"})
    bad_event = httpx.post(f"{base}/webhooks/pet.event", json={"kind": "eaten", "pet_id": 1})
    assert [r.status_code for r in (missing_header, bad_body, bad_event)] == [400, 400, 400]
    assert receiver.seen == []
    contract = httpx.get(f"{base}/openapi.json").json()
    assert sorted(contract["paths"]) == [
        "/webhooks/newPet",
        "/webhooks/pet.event",
        "/webhooks/subscribe/petEvent",
    ]


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_base_path_moves_the_mount(pkg: dict[str, ModuleType], framework: str) -> None:
    receiver = Receiver()
    handlers = _handlers(pkg, receiver)
    models, s = pkg["models"], pkg["webhook_sender"]
    module = pkg["webhook_server" if framework == "fastapi" else "webhook_flask_server"]
    app = module.create_webhook_app(handlers, base_path="/hooks/v1")
    assert module.WEBHOOK_PATHS == {
        "newPet": "/newPet",
        "petEvent": "/pet.event",
        "subscribe_petEvent": "/subscribe/petEvent",
    }
    transport: Any
    if framework == "fastapi":
        with serve_in_thread(app) as base, s.WebhookSender() as sender:
            sender.new_pet(f"{base}/hooks/v1/newPet", "d-6", models.Pet(id=6, name="Bo"))
    else:
        transport = httpx.WSGITransport(app=app)
        with s.WebhookSender(transport=transport) as sender:
            sender.new_pet("http://hooks/hooks/v1/newPet", "d-6", models.Pet(id=6, name="Bo"))
    assert receiver.seen[0].body.name == "Bo"


def test_a_callback_from_the_generated_server_to_the_generated_receiver(
    pkg: dict[str, ModuleType], served: tuple[str, Receiver]
) -> None:
    """The whole loop: the generated client subscribes with a callback URL (the consumer's
    generated receiver), the API's handler evaluates the callback's runtime expression
    against its request and delivers with the generated async sender, then answers."""
    base, receiver = served
    models, h, s = pkg["models"], pkg["handlers"], pkg["webhook_sender"]
    expression = "{$request.body#/callbackUrl}"
    assert expression in (s.WebhookSender.subscribe_pet_event.__doc__ or "")
    delivered: list[str] = []

    class Api(h.Handlers):  # type: ignore[misc, name-defined]
        async def subscribe(self, request: Any) -> Any:
            url = s.callback_url(expression, request={"body": request.body})
            delivered.append(url)
            event = models.PetEvent(models.Adopted(kind="adopted", pet_id=9, owner="Ann"))
            async with s.AsyncWebhookSender() as sender:
                await sender.subscribe_pet_event(url, event)
            subscription = models.Subscription(callbackUrl=request.body.callbackUrl, id="s1")
            return h.Subscribe201JsonResponse(body=subscription)

    callback = f"{base}/webhooks/subscribe/petEvent"
    with serve_in_thread(pkg["server"].create_app(Api())) as api_url:
        with pkg["client"].Client(api_url) as client:
            got = client.subscribe(models.SubscriptionInput(callbackUrl=callback))
    assert got.id == "s1"
    assert delivered == [callback]
    (seen,) = receiver.seen
    assert isinstance(seen.body.root, models.Adopted) and seen.body.root.pet_id == 9
