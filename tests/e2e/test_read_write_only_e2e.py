"""readOnly and writeOnly, end to end (tests/corpus/models_read_write_only.yaml).

A client creates an order without the properties the server sets (`id`, `created_at`, ...)
through the generated client's request-side type (`OrderInput`), gets the response side
(`Order`) back, which never holds the writeOnly `secret`; both generated servers refuse a
request without a required writable property or with a readOnly one, and refuse to send a
response that carries the secret. The handlers are tests/e2e/orders_impl.py.
"""

from __future__ import annotations

import asyncio
import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from pydantic import MISSING

from tests.e2e.conftest import Serve
from tests.functional.conftest import run_specgen

SPEC = Path(__file__).resolve().parents[1] / "corpus" / "models_read_write_only.yaml"
NAME = "orders_rw"
STYLES = ("--style", "fastapi", "--style", "flask", "--style", "httpx")


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ModuleType]]:
    out = tmp_path_factory.mktemp(NAME)
    result = run_specgen("generate", SPEC, "--name", NAME, "--out", out, *STYLES)
    assert result.returncode == 0, result.stderr
    sys.path.insert(0, str(out))
    try:
        modules = {m: importlib.import_module(f"{NAME}.{m}") for m in ("models", "client")}
        modules["impl"] = importlib.import_module("tests.e2e.orders_impl")
        yield modules
    finally:
        sys.path.remove(str(out))
        for module in [m for m in sys.modules if m.split(".")[0] == NAME]:
            del sys.modules[module]
        sys.modules.pop("tests.e2e.orders_impl", None)


def test_each_side_is_its_own_class_only_where_the_sides_differ(
    package: dict[str, ModuleType],
) -> None:
    models = package["models"]
    assert set(models.Order.model_fields) == {
        "id", "created_at", "item", "quantity", "note", "lines", "shipping",
    }  # fmt: skip
    assert set(models.OrderInput.model_fields) == {
        "item", "quantity", "secret", "note", "lines", "shipping",
    }  # fmt: skip
    assert set(models.LineInput.model_fields) == {"sku"}
    assert set(models.OrderInputShipping.model_fields) == {"address"}
    assert models.Order.model_fields["lines"].annotation is not None
    assert not hasattr(models, "NoteInput")  # neither readOnly nor writeOnly: one class


def _order(models: ModuleType) -> Any:
    return models.OrderInput(
        item="tea",
        quantity=2,
        secret="s3cret",
        note=models.Note(text="hi"),
        lines=[models.LineInput(sku="a"), models.LineInput(sku="b")],
        shipping=models.OrderInputShipping(address="1 Main St"),
    )


def _round_trip(client: Any, models: ModuleType) -> None:
    created = client.create_order(_order(models))
    assert isinstance(created, models.Order)
    assert created.id and created.created_at.tzinfo is not None
    assert [line.line_id for line in created.lines] == [0, 1]
    assert created.shipping.tracking.startswith("T-")
    assert not hasattr(created, "secret")
    assert client.get_order(created.id) == created
    minimal = client.create_order(models.OrderInput(item="x", quantity=1, secret="k"))
    assert minimal.lines is MISSING and minimal.note is MISSING


def _wire_rules(http: httpx.Client) -> None:
    created = http.post("/orders", json={"item": "x", "quantity": 1, "secret": "k"})
    assert created.status_code == 201, created.text
    body = created.json()
    assert "secret" not in body and {"id", "created_at"} <= body.keys()
    refused = (
        {"item": "x", "quantity": 1},  # the required writeOnly secret missing
        {"quantity": 1, "secret": "k"},  # a required plain property missing
        {"item": "x", "quantity": 1, "secret": "k", "id": "mine"},  # a readOnly one sent
        {"item": "x", "quantity": 1, "secret": "k", "lines": [{"sku": "a", "line_id": 3}]},
    )
    for sent in refused:
        response = http.post("/orders", json=sent)
        assert response.status_code == 400, (sent, response.text)


def _leak_refused(http: httpx.Client) -> None:
    order_id = http.post("/orders", json={"item": "x", "quantity": 1, "secret": "k"}).json()["id"]
    response = http.get(f"/orders/{order_id}")
    assert response.status_code == 500, response.text
    problem = response.json()
    assert ["response", "secret"] in [e["loc"] for e in problem["errors"]]
    assert '"k"' not in response.text and "'k'" not in response.text  # never the value


# The leaky handler's hand-built body is not an `Order`: pydantic says so, then the check refuses.
LEAK_WARNING = "ignore:Pydantic serializer warnings:UserWarning"


@pytest.mark.filterwarnings(LEAK_WARNING)
def test_fastapi_over_a_socket(package: dict[str, ModuleType], serve: Serve) -> None:
    models, client, impl = package["models"], package["client"], package["impl"]
    base_url = serve(impl.create_fastapi_app())
    with client.Client(base_url) as c:
        _round_trip(c, models)
    with httpx.Client(base_url=base_url) as http:
        _wire_rules(http)
    with httpx.Client(base_url=serve(impl.create_fastapi_app(leaky=True))) as http:
        _leak_refused(http)


def test_async_client_in_process(package: dict[str, ModuleType]) -> None:
    models, client, impl = package["models"], package["client"], package["impl"]

    async def run() -> None:
        transport = httpx.ASGITransport(app=impl.create_fastapi_app())
        async with client.AsyncClient("http://test", transport=transport) as c:
            created = await c.create_order(_order(models))
            assert isinstance(created, models.Order) and "secret" not in created.model_dump()
            assert await c.get_order(created.id) == created

    asyncio.run(run())


@pytest.mark.filterwarnings(LEAK_WARNING)
def test_flask(package: dict[str, ModuleType]) -> None:
    models, client, impl = package["models"], package["client"], package["impl"]
    transport = httpx.WSGITransport(app=impl.create_flask_app())
    with client.Client("http://test", transport=transport) as c:
        _round_trip(c, models)
    with httpx.Client(base_url="http://test", transport=transport) as http:
        _wire_rules(http)
    leaky = httpx.WSGITransport(app=impl.create_flask_app(leaky=True))
    with httpx.Client(base_url="http://test", transport=leaky) as http:
        _leak_refused(http)


def test_mypy_holds_each_side_to_its_properties(
    package: dict[str, ModuleType], tmp_path: Path
) -> None:
    out = Path(package["models"].__file__).parents[1]
    user = tmp_path / "user.py"
    user.write_text(
        "from orders_rw.client import Client\n"
        "from orders_rw.models import Order, OrderInput\n"
        "def f(c: Client) -> str:\n"
        "    o = c.create_order(OrderInput(item='x', quantity=1, secret='k'))\n"
        "    return o.id + o.created_at.isoformat()\n"
        "def g(c: Client, o: Order) -> str:\n"
        "    c.create_order(o)\n"
        "    return o.secret\n",
        "utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(user)],
        capture_output=True,
        text=True,
        env={"MYPYPATH": str(out), "PATH": ""},
        check=False,
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert {e.split(":")[1] for e in errors} == {"7", "8"}, result.stdout
    assert 'expected "OrderInput"' in result.stdout and 'no attribute "secret"' in result.stdout
