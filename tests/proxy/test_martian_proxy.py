"""The seed spec in front of the generated martian FastAPI server with the reference handlers:
a server that keeps its contract gives no violation, and the proxy exits 0."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx

from reference.app import Settings, create_martian_app
from tests.proxy.conftest import REPO, Serve, Start

KEY = "mk-proxy"
KNOWN = uuid.UUID("019503a2-d4e5-7f60-a1b2-c3d4e5f60718")


def test_the_martian_reference_server_keeps_its_contract(
    serve: Serve, start_proxy: Start, tmp_path: Path
) -> None:
    app = create_martian_app(Settings(api_keys=(KEY,), inference_ids=(KNOWN,)))
    try:
        upstream = serve(app)
        junit = tmp_path / "martian.xml"
        spec = REPO / "specs" / "martian" / "feedback.yaml"
        proxy = start_proxy(spec, "--to", upstream, "--junit", junit, "--max-requests", "3")
        events = [
            {"id": str(KNOWN), "feedback": {"helpful": True, "quality": {"score": 4.5}}},
            {"id": str(uuid.UUID(int=7)), "feedback": {"rating": 2}, "optimize": "max"},
        ]
        with httpx.Client(base_url=proxy.url, timeout=10) as http:
            auth = {"Authorization": f"Bearer {KEY}"}
            answered = http.post("/v1/feedback", json=events, headers=auth)
            assert answered.status_code == 200
            assert [item["error"] is None for item in answered.json()] == [True, False]
            assert http.post("/v1/feedback", json=events).status_code == 401
            assert http.post("/v1/feedback", json=events[:1], headers=auth).status_code == 200
        code, err = proxy.finish()
    finally:
        app.state.store.close()
    assert code == 0, err
    assert "VIOLATION" not in err
    assert err.splitlines()[-1] == "specgen proxy: 3 request(s), 1 operation(s), 0 violation(s)"
    assert 'failures="0"' in junit.read_text("utf-8")
