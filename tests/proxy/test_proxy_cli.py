"""`specgen proxy` end to end: the real command in a subprocess in front of a real FastAPI
upstream that breaks the contract on request (`X-Break`), driven with httpx. Traffic passes
unchanged (compared byte for byte with the upstream's own answers), each violation is one
line, the JUnit report has a test case per operation, and the exit code says whether any
request or response broke the contract."""

from __future__ import annotations

import signal
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.proxy.conftest import Serve, Start, specgen
from tests.proxy.pets import EVENTS, PHOTO, SPEC, create_upstream


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "pets.yaml"
    path.write_text(SPEC, "utf-8")
    return path


@pytest.fixture
def upstream(serve: Serve) -> str:
    return serve(create_upstream())


def _same(direct: httpx.Response, proxied: httpx.Response) -> None:
    """The proxied answer is the upstream's: status, headers (but the clock's), bytes."""
    assert proxied.status_code == direct.status_code
    assert proxied.content == direct.content

    def headers(r: httpx.Response) -> list[tuple[bytes, bytes]]:
        return [(k.lower(), v) for k, v in r.headers.raw if k.lower() != b"date"]

    assert headers(proxied) == headers(direct)


# (method, path, request options, the violation lines it causes, without the prefix)
EXCHANGES: list[tuple[str, str, dict[str, object], tuple[str, ...]]] = [
    ("GET", "/api/pets", {"params": {"limit": 2}}, ()),
    ("GET", "/api/pets/mine", {}, ()),
    ("GET", "/api/pets/2", {}, ()),
    ("GET", "/api/pets/7", {}, ()),  # 404 under `default`
    ("GET", "/api/pets", {"headers": {"Accept-Encoding": "gzip"}}, ()),  # checked decoded
    (
        "GET",
        "/api/pets/1",
        {"headers": {"X-Break": "status"}},  # 500 is a `default` response, in the wrong type
        (
            "GET /api/pets/1 -> 500 response Content-Type: 'text/plain; charset=utf-8' is not "
            "declared (declared: application/json) (operation getPet)",
        ),
    ),
    (
        "GET",
        "/api/pets/mine",
        {"headers": {"X-Break": "status"}},
        (
            "GET /api/pets/mine -> 500 status: 500 is not declared (declared: 200) "
            "(operation getMyPet)",
        ),
    ),
    (
        "GET",
        "/api/pets/1",
        {"headers": {"X-Break": "body"}},
        (
            'GET /api/pets/1 -> 200 response body: $.id: "one" is not of type "integer" '
            "(operation getPet)",
        ),
    ),
    (
        "GET",
        "/api/pets",
        {"headers": {"X-Break": "header"}},
        (
            "GET /api/pets -> 200 response header 'X-Total': required, but missing "
            "(operation listPets)",
        ),
    ),
    (
        "GET",
        "/api/pets/mine",
        {"headers": {"X-Break": "content-type"}},
        (
            "GET /api/pets/mine -> 200 response Content-Type: 'text/html; charset=utf-8' is not "
            "declared (declared: application/json) (operation getMyPet)",
        ),
    ),
    (
        "GET",
        "/api/pets",
        {"params": {"limit": "lots"}},
        (
            'GET /api/pets query parameter \'limit\': $: "lots" is not of type "integer" '
            "(operation listPets)",
        ),
    ),
    (
        "POST",
        "/api/pets",
        {"json": {"id": 9, "name": "Kit"}},  # id is readOnly
        (
            "POST /api/pets request body: $.id: a readOnly property, which must not be sent here "
            "(operation createPet)",
        ),
    ),
    (
        "POST",
        "/api/pets",
        {"json": {"tag": None}},
        (
            'POST /api/pets request body: $: "name" is a required property (operation createPet)',
            'POST /api/pets -> 422 response body: $: "message" is a required property '
            "(operation createPet)",
        ),
    ),
    (
        "DELETE",
        "/api/pets/1",
        {},
        ("DELETE /api/pets/1 request: no operation: DELETE is not declared for /pets/{petId}",),
    ),
]


def test_traffic_passes_unchanged_and_each_violation_is_reported(
    spec: Path, upstream: str, start_proxy: Start, tmp_path: Path
) -> None:
    junit = tmp_path / "report.xml"
    proxy = start_proxy(
        spec, "--to", upstream, "--junit", junit, "--max-requests", len(EXCHANGES) + 2
    )
    with httpx.Client(timeout=10) as http:
        for method, path, options, _ in EXCHANGES:
            direct = http.request(method, upstream + path, **options)  # type: ignore[arg-type]
            proxied = http.request(method, proxy.url + path, **options)  # type: ignore[arg-type]
            _same(direct, proxied)
        with http.stream("GET", proxy.url + "/api/events") as stream:
            assert stream.headers["content-type"].startswith("text/event-stream")
            assert "".join(stream.iter_text()) == "".join(EVENTS)
        photo = http.get(proxy.url + "/api/photo")
        assert photo.content == PHOTO
        assert photo.headers["content-type"] == "image/png"

    code, err = proxy.finish()
    violations = [
        line.removeprefix("VIOLATION ") for line in err.splitlines() if line.startswith("VIOLATION")
    ]
    assert violations == [line for *_, lines in EXCHANGES for line in lines]
    assert code == 1
    assert f"{len(EXCHANGES) + 2} request(s), 6 operation(s), {len(violations)} violation(s)" in err

    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert sorted(cases) == [
        "(no operation)",
        "createPet (POST /pets)",
        "getMyPet (GET /pets/mine)",
        "getPet (GET /pets/{petId})",
        "getPhoto (GET /photo)",
        "listPets (GET /pets)",
        "streamEvents (GET /events)",
    ]
    failures = {name: len(case.findall("failure")) for name, case in cases.items()}
    assert failures["getPet (GET /pets/{petId})"] == 2
    assert failures["getMyPet (GET /pets/mine)"] == 2
    assert failures["createPet (POST /pets)"] == 3
    assert failures["getPhoto (GET /photo)"] == failures["streamEvents (GET /events)"] == 0
    message = cases["getMyPet (GET /pets/mine)"].findall("failure")[1].get("message")
    assert message is not None and "response Content-Type" in message


def test_a_server_that_keeps_the_contract_exits_0_on_sigterm(
    spec: Path, upstream: str, start_proxy: Start
) -> None:
    proxy = start_proxy(spec, "--to", upstream + "/")
    with httpx.Client(base_url=proxy.url, timeout=10) as http:
        assert http.get("/api/pets", params={"limit": 1}, headers={"X-Trace": "t1"}).json()
        assert http.post("/api/pets", json={"name": "Kit"}).status_code == 201
        assert http.get("/api/pets/mine").status_code == 200
    proxy.process.send_signal(signal.SIGTERM)
    code, err = proxy.finish()
    assert code == 0, err
    assert "VIOLATION" not in err
    assert err.splitlines()[-1] == ("specgen proxy: 3 request(s), 3 operation(s), 0 violation(s)")


def test_a_dead_upstream_is_a_502_not_a_violation(spec: Path, start_proxy: Start) -> None:
    proxy = start_proxy(spec, "--to", "http://127.0.0.1:9", "--max-requests", "1")
    response = httpx.get(proxy.url + "/api/pets", timeout=10)
    assert response.status_code == 502
    code, err = proxy.finish()
    assert code == 0
    assert "UPSTREAM GET /api/pets: cannot reach http://127.0.0.1:9" in err
    assert err.splitlines()[-1].endswith("0 violation(s), 1 upstream error(s)")


def test_base_path_override(spec: Path, upstream: str, start_proxy: Start) -> None:
    proxy = start_proxy(spec, "--to", upstream + "/api", "--base-path", "", "--max-requests", "1")
    assert httpx.get(proxy.url + "/pets/2", timeout=10).json()["name"] == "Tom"
    code, err = proxy.finish()
    assert (code, "VIOLATION" in err) == (0, False)


def test_a_bad_spec_exits_2_with_a_located_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(SPEC.replace("  /pets/{petId}:", "  /pets/{id}:"), "utf-8")
    result = subprocess.run(
        [*specgen(), "proxy", str(bad), "--to", "http://127.0.0.1:9"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "bad.yaml:" in result.stderr and "error SG" in result.stderr
    assert "listening" not in result.stderr


def test_usage_errors_exit_2(spec: Path) -> None:
    result = CliRunner().invoke(main, ["proxy", str(spec), "--to", "ftp://x"])
    assert result.exit_code == 2
    assert "is not an http(s) URL" in result.output
