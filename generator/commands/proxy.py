"""`specgen proxy`: a validation proxy in front of a running server."""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

import click

from generator.commands.common import common_options, fail, listen_options, options_from
from generator.diagnostics import SpecError


def _upstream(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise click.BadParameter(f"{value!r} is not an http(s) URL, e.g. http://127.0.0.1:8080")
    if parts.query or parts.fragment:
        raise click.BadParameter(f"{value!r}: give the base URL, without query or fragment")
    return value


@click.command("proxy")
@click.argument("specs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--to", "upstream", required=True, callback=_upstream, help="Base URL of the server to check."
)
@listen_options
@click.option(
    "--base-path",
    help="Path prefix of the spec's paths in requests (default: the path of the first "
    "server URL; '' for none).",
)
@click.option("--junit", type=click.Path(path_type=Path, dir_okay=False), help="JUnit XML report.")
@click.option(
    "--max-requests",
    type=click.IntRange(min=1),
    help="Stop after this many requests (for CI scripts; default: run until Ctrl-C/SIGTERM).",
)
@common_options("Proxy")
def proxy_cmd(
    specs: tuple[Path, ...],
    upstream: str,
    host: str,
    port: int,
    base_path: str | None,
    junit: Path | None,
    max_requests: int | None,
    max_spec_size: int,
    allow_ref_root: tuple[Path, ...],
    allow_invalid: bool,
    strict: bool,
    ignore: tuple[str, ...],
    max_diagnostics: int | None,
) -> None:
    """Forward requests to a server (--to URL) and report every request and response that
    breaks the contract of SPECS; exit 1 at the end if any did."""
    from generator.proxy.contract import load_contract
    from generator.proxy.serve import ProxySettings, run_proxy

    options = options_from(max_spec_size, allow_ref_root, allow_invalid, strict, ignore)
    settings = ProxySettings(
        upstream=upstream, host=host, port=port, junit=junit, max_requests=max_requests
    )
    try:
        contract = load_contract(specs, options, base_path)
        code = run_proxy(contract, settings)
    except SpecError as exc:
        fail(exc.diagnostics, max_diagnostics)
    sys.exit(code)
