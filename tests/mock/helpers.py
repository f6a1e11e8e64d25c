"""The specs `specgen mock` is swept over, the credentials each needs, and the real
commands run as subprocesses (a mock on a free port, a fuzz run against it)."""

from __future__ import annotations

import base64
import subprocess
import tomllib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.mock import mockserver

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "corpus"
SHARED = REPO.parent / "shared" / "specs"
KEY = "k"
# Basic credentials reach the handlers decoded, as `user:password`.
BASIC_KEY = f"mock:{KEY}"


# Corpus cases that generate (what the corpus tests) but that no server can serve as
# declared, so a fuzz run against any of them fails whatever the server does: left out
# of the sweep, with the reason.
UNSATISFIABLE: dict[str, str] = {
    "structure_allof_conflicting_types.yaml": "the 200 response's allOf (string and "
    "integer) admits no value: every response body violates it",
    "structure_discriminator_missing_mapping.yaml": "the oneOf members are identical: no "
    "value is valid under exactly one, so no body (request or response) is valid",
    "text_injection_payload.yaml": "the apiKey header's name holds spaces and parentheses, "
    "no HTTP token: every request carrying it is refused by the HTTP parser (400) before "
    "any app sees it",
}


@dataclass(frozen=True)
class SweepSpec:
    name: str  # the test id
    paths: tuple[Path, ...]  # one API, several files merged


def sweep_specs() -> list[SweepSpec]:
    """Every spec of the sweep: the corpus cases that generate (but the UNSATISFIABLE),
    the shared real-world specs (when that folder is there) and the seed APIs."""
    cases = tomllib.loads((CORPUS / "expectations.toml").read_text("utf-8"))["cases"]
    found = [
        SweepSpec(f"corpus/{name}", (CORPUS / name,))
        for name, outcome in cases.items()
        if outcome == "ok" and name not in UNSATISFIABLE
    ]
    realworld = SHARED / "realworld"
    for path in (
        realworld / "resend.yaml",
        realworld / "text-generation-inference.json",
        realworld / "redocly-starter" / "openapi.yaml",
        # The newest full Braintrust spec only: each takes a minute or more.
        *sorted((SHARED / "braintrust-full").glob("*.yaml")),
    ):
        if path.is_file():
            found.append(SweepSpec(str(path.relative_to(SHARED)), (path,)))
    seeds = REPO / "specs"
    found.append(
        SweepSpec(
            "seeds/braintrust",
            (
                seeds / "braintrust" / "experiment_feedback.yaml",
                seeds / "braintrust" / "project_logs_feedback.yaml",
            ),
        )
    )
    found.append(SweepSpec("seeds/martian", (seeds / "martian" / "feedback.yaml",)))
    return found


@dataclass(frozen=True)
class Target:
    """What a fuzz run against a spec's mock needs: where the routes are mounted and the
    credentials (headers to send, keys the mock accepts)."""

    base_path: str
    headers: tuple[str, ...]
    api_keys: tuple[str, ...]


def target(paths: tuple[Path, ...]) -> Target:
    """Read off the contract as specgen reads it (merged, bundled, normalised)."""
    from generator.build.servers import build_servers
    from generator.pipeline import Options, load_and_validate

    _, validated, _ = load_and_validate(list(paths), Options())
    document: Mapping[str, Any] = validated.document
    servers = build_servers(dict(document))
    schemes = (document.get("components") or {}).get("securitySchemes") or {}
    return Target(servers[0].base_path if servers else "", *credentials(schemes))


def credentials(schemes: Mapping[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Headers carrying a credential for every scheme a header can carry (bearer first
    in `Authorization`: OAuth2 and OpenID Connect travel as bearer tokens), and the keys
    the mock must then accept. Query API keys cannot be sent with every request."""
    headers: dict[str, str] = {}
    cookies: list[str] = []
    keys = {KEY}
    kinds = [(s.get("type"), str(s.get("scheme", "")).lower()) for s in schemes.values()]
    if any(t in ("oauth2", "openIdConnect") or (t, k) == ("http", "bearer") for t, k in kinds):
        headers["Authorization"] = f"Bearer {KEY}"
    elif ("http", "basic") in kinds:
        token = base64.b64encode(BASIC_KEY.encode()).decode()
        headers["Authorization"] = f"Basic {token}"
        keys.add(BASIC_KEY)
    for scheme in schemes.values():
        if scheme.get("type") != "apiKey":
            continue
        name = str(scheme.get("name", ""))
        if scheme.get("in") == "header" and name.lower() != "authorization":
            headers[name] = KEY
        elif scheme.get("in") == "cookie" and name and " " not in name:
            cookies.append(f"{name}={KEY}")
    if cookies:
        headers["Cookie"] = "; ".join(cookies)
    return tuple(f"{name}: {value}" for name, value in headers.items()), tuple(sorted(keys))


@contextmanager
def mock_server(
    paths: tuple[Path, ...], api_keys: tuple[str, ...], cache: Path, log: Path
) -> Iterator[str]:
    """`specgen mock PATHS` with these API keys on a free port (its log to `log`); the
    origin it serves on."""
    keys = [arg for key in api_keys for arg in ("--api-key", key)]
    with mockserver.mock_server(paths, *keys, cache=cache, log=log) as mock:
        yield mock.url


def fuzz(
    paths: tuple[Path, ...], url: str, headers: tuple[str, ...], max_examples: int
) -> subprocess.CompletedProcess[str]:
    """`specgen fuzz` with every check and a fixed seed against `url`."""
    command = [*mockserver.specgen_command(), "fuzz", "--url", url, "--seed", "1"]
    command += ["--max-examples", str(max_examples)]
    for path in paths:
        command += ["--spec", str(path)]
    for header in headers:
        command += ["--header", header]
    return subprocess.run(
        command, cwd=REPO, capture_output=True, text=True, timeout=600, check=False
    )
