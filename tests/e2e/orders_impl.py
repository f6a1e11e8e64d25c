"""A real implementation of tests/corpus/models_read_write_only.yaml over its generated
contract, the package `orders_rw` (which must be importable: the e2e tests generate it and put
it on sys.path, `specgen fuzz --app` gets it on PYTHONPATH).

The server sets the readOnly properties (`id`, `created_at`, each line's `line_id`, the
shipping's `tracking`) and keeps the writeOnly `secret` to itself. `leaky=True` answers GET
with a body built by hand that holds the secret, which the server must refuse to send.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from orders_rw import flask_server, models, server
from orders_rw import handlers as h
from pydantic import MISSING


class Orders(h.Handlers):
    def __init__(self, *, leaky: bool = False) -> None:
        self.orders: dict[str, models.Order] = {}
        self.secrets: dict[str, str] = {}
        self.sent: dict[str, models.OrderInput] = {}
        self.leaky = leaky

    async def create_order(self, request: h.CreateOrderRequest) -> h.CreateOrderResponse:
        body = request.body
        order_id = uuid.uuid4().hex
        lines: Any = MISSING
        if body.lines is not MISSING:
            lines = [models.Line(sku=line.sku, line_id=n) for n, line in enumerate(body.lines)]
        shipping: Any = MISSING
        if body.shipping is not MISSING:
            shipping = models.OrderShipping(
                address=body.shipping.address, tracking=f"T-{order_id[:8]}"
            )
        order = models.Order(
            id=order_id,
            created_at=datetime.now(UTC),
            item=body.item,
            quantity=body.quantity,
            note=body.note,
            lines=lines,
            shipping=shipping,
        )
        self.orders[order_id] = order
        self.secrets[order_id] = body.secret
        self.sent[order_id] = body
        return h.CreateOrder201JsonResponse(body=order)

    async def get_order(self, request: h.GetOrderRequest) -> h.GetOrderResponse:
        order = self.orders.get(request.order_id)
        if order is None:
            return h.GetOrder404Response()
        if self.leaky:  # a body built by hand, from what the client sent: the secret too
            sent = self.sent[request.order_id].model_dump(mode="json", exclude_unset=True)
            leaked: Any = {**order.model_dump(mode="json", exclude_unset=True), **sent}
            return h.GetOrder200JsonResponse(body=leaked)
        return h.GetOrder200JsonResponse(body=order)

    async def echo_note(self, request: h.EchoNoteRequest) -> h.EchoNoteResponse:
        return h.EchoNote200JsonResponse(body=request.body)


def create_fastapi_app(*, leaky: bool = False) -> Any:
    return server.create_app(Orders(leaky=leaky))


def create_flask_app(*, leaky: bool = False) -> Any:
    return flask_server.create_app(Orders(leaky=leaky))


def leaky_fastapi_app() -> Any:
    return create_fastapi_app(leaky=True)
