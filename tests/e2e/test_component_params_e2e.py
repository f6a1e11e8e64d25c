"""Parameters typed by component schemas, end to end.

tests/corpus/params_component_types.yaml has query, header and path parameters that `$ref`
component schemas (an enum, an array of it, `allOf: [$ref]` carrying a default, a uuid), a
shared component parameter with an inline enum, and enum defaults. The generated contract
uses the component types (no per-parameter copies), defaults are enum members, and both
generated servers apply the defaults and refuse values outside the enums, driven by the
generated httpx client.
"""

from __future__ import annotations

import importlib
import inspect
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Serve
from tests.functional.conftest import run_specgen

SPEC = Path(__file__).resolve().parents[1] / "corpus" / "params_component_types.yaml"
NAME = "component_params"


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ModuleType]]:
    out = tmp_path_factory.mktemp(NAME)
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


def _implementation(h: ModuleType, models: ModuleType) -> Any:
    """Echoes what the server bound, with the Python type of each value."""

    def show(value: Any) -> str:
        if isinstance(value, list):
            return "[" + ",".join(show(v) for v in value) + "]"
        return f"{type(value).__name__}:{getattr(value, 'value', value)}"

    class Impl(h.Handlers):  # type: ignore[misc, name-defined]
        async def get_order(self, request: Any) -> Any:
            fields = ("order_id", "status", "statuses", "level", "sort", "priority", "x_region")
            text = " ".join(f"{f}={show(getattr(request, f))}" for f in (*fields, "page"))
            return h.GetOrder200JsonResponse(body=models.Echo(text=text))

        async def list_orders(self, request: Any) -> Any:
            text = f"region={show(request.region)} page={show(request.page)}"
            return h.ListOrders200JsonResponse(body=models.Echo(text=text))

    return Impl()


def test_the_contract_uses_the_component_types(package: dict[str, ModuleType]) -> None:
    models, h = package["models"], package["handlers"]
    classes = {  # pydantic also files `RootModel[UUID]` in the module: not a name
        n
        for n, v in vars(models).items()
        if inspect.isclass(v) and v.__module__ == models.__name__ and n.isidentifier()
    }
    # One class per type: no ListOrdersStatus-style copies of OrderStatus or Region, the
    # shared parameter's inline enum is one class named after it, and OrderId, which only
    # parameters use (as the UUID it is), is no class at all.
    assert classes == {
        "OrderStatus", "Region", "Echo", "GetOrderSort", "GetOrderPriority", "Page",
    }  # fmt: skip
    hints = h.GetOrderRequest.__annotations__
    assert hints["status"] == "models.OrderStatus | None"
    assert hints["statuses"] == "list[models.OrderStatus] | None"
    assert hints["level"] == "models.OrderStatus"
    assert hints["x_region"] == "models.Region | None"
    assert hints["order_id"] == "UUID"
    assert h.ListOrdersRequest.__annotations__["page"] == "models.Page"
    # Enum defaults are members, as the spec's values.
    record = h.ListOrdersRequest(region=models.Region.eu_west)
    assert record.page is models.Page.first
    defaults = h.GetOrderRequest(order_id=uuid.uuid4())
    assert defaults.level is models.OrderStatus.open
    assert defaults.sort is models.GetOrderSort.desc
    assert defaults.priority is models.GetOrderPriority(2)


EXPECTED_DEFAULTS = (
    "status=NoneType:None statuses=NoneType:None level=OrderStatus:open sort=GetOrderSort:desc"
    " priority=GetOrderPriority:2 x_region=NoneType:None page=Page:first"
)


def _calls(client: Any, models: ModuleType) -> None:
    order = uuid.UUID("7c4f2d9e-51c3-4b8e-9f5a-0d6b1e2a3c4d")
    text = client.get_order(order).text
    assert text == f"order_id=UUID:{order} {EXPECTED_DEFAULTS}"
    text = client.get_order(
        order,
        status=models.OrderStatus.closed,
        statuses=[models.OrderStatus.open, models.OrderStatus.closed],
        level=models.OrderStatus.closed,
        sort=models.GetOrderSort.asc,
        priority=models.GetOrderPriority(3),
        x_region=models.Region.us_east,
        page=models.Page.last,
    ).text
    assert text == (
        f"order_id=UUID:{order} status=OrderStatus:closed"
        " statuses=[OrderStatus:open,OrderStatus:closed] level=OrderStatus:closed"
        " sort=GetOrderSort:asc priority=GetOrderPriority:3 x_region=Region:us-east page=Page:last"
    )
    listed = client.list_orders(models.Region.eu_west).text
    assert listed == "region=Region:eu-west page=Page:first"


def _refused(http: httpx.Client) -> None:
    """Values outside the enums are the client's error, on both servers alike."""
    order = "7c4f2d9e-51c3-4b8e-9f5a-0d6b1e2a3c4d"
    for url in (f"/orders/{order}?status=pending", f"/orders/{order}?page=middle", "/orders"):
        response = http.get(url)
        assert response.status_code in (400, 422), (url, response.text)
    assert http.get("/orders", params={"region": "mars"}).status_code in (400, 422)


def test_the_flask_server_binds_component_typed_parameters(
    package: dict[str, ModuleType],
) -> None:
    models, h, c = package["models"], package["handlers"], package["client"]
    app = package["flask_server"].create_app(_implementation(h, models))
    transport = httpx.WSGITransport(app=app)
    with c.Client("http://test", transport=transport) as client:
        _calls(client, models)
    with httpx.Client(base_url="http://test", transport=transport) as http:
        _refused(http)


def test_the_fastapi_server_binds_component_typed_parameters(
    package: dict[str, ModuleType], serve: Serve
) -> None:
    models, h, c = package["models"], package["handlers"], package["client"]
    base_url = serve(package["server"].create_app(_implementation(h, models)))
    with c.Client(base_url) as client:
        _calls(client, models)
    with httpx.Client(base_url=base_url) as http:
        _refused(http)
