"""The reference servers as ASGI apps, and their settings.

    create_braintrust_app(Settings(db="feedback.sqlite3", api_keys=("k1",)))
    PYTHONPATH=.:generated uvicorn --factory reference.app:martian_app  # SPECGEN_* settings

`create_*_app` returns the generated FastAPI app bound to the reference handlers, with the
deployment middleware (body size limit, client address for rate limiting). The store is
`app.state.store`; whoever created the app closes it when done (`app.state.store.close()`).
"""

from __future__ import annotations

import logging

from braintrust import flask_server as braintrust_flask
from braintrust import server as braintrust_server
from fastapi import FastAPI
from flask import Flask, request
from martian import flask_server as martian_flask
from martian import server as martian_server

from .auth import ApiKeys
from .bodylimit import BodySizeLimit
from .braintrust import BraintrustHandlers
from .martian import MartianHandlers
from .ratelimit import ClientAddress, RateLimiter, set_client_address
from .services import Services
from .settings import Settings, load_settings
from .storage import FeedbackStore, SQLiteStore

__all__ = [
    "APIS",
    "STYLES",
    "Settings",
    "braintrust_app",
    "braintrust_flask_app",
    "create_app",
    "create_braintrust_app",
    "create_braintrust_flask_app",
    "create_martian_app",
    "create_martian_flask_app",
    "load_settings",
    "martian_app",
    "martian_flask_app",
]

log = logging.getLogger("reference")
APIS = ("braintrust", "martian")
STYLES = ("fastapi", "flask")
SHOWN_IDS = 20  # inference ids listed at start; the rest are counted


def _services(settings: Settings, store: FeedbackStore | None) -> Services:
    limiter = RateLimiter(settings.rate_limit) if settings.rate_limit else None
    return Services(store or SQLiteStore(settings.db), ApiKeys(settings.api_keys), limiter)


def _deploy(name: str, app: FastAPI, settings: Settings, services: Services) -> FastAPI:
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(ClientAddress)
    app.state.store = services.store
    limit = settings.rate_limit
    rate = f"{limit.requests} per {limit.seconds:g} s per caller" if limit else "off"
    log.info("%s: rate limit %s; body limit %d bytes", name, rate, settings.max_body_bytes)
    return app


def _braintrust_services(settings: Settings, store: FeedbackStore | None) -> Services:
    services = _services(settings, store)
    if keys := services.keys.configured:
        log.info(
            "braintrust: %d API key(s) configured; a wrong bearer key is answered 401, "
            "anonymous requests are served (the spec allows them)",
            keys,
        )
    else:
        log.info(
            "braintrust: no API key configured: bearer keys are not checked "
            "(set SPECGEN_API_KEYS to check them)"
        )
    return services


def _martian_services(settings: Settings, store: FeedbackStore | None) -> Services:
    services = _services(settings, store)
    services.store.add_inferences(settings.inference_ids)
    if keys := services.keys.configured:
        log.info("martian: %d API key(s) configured; a bearer key is required", keys)
    else:
        log.warning(
            "martian: no API key configured: every request is answered 401 "
            "(set SPECGEN_API_KEYS or SPECGEN_API_KEYS_FILE)"
        )
    known = services.store.known_inferences()
    listed = ", ".join(str(i) for i in known[:SHOWN_IDS])
    if len(known) > SHOWN_IDS:
        listed += f" and {len(known) - SHOWN_IDS} more"
    log.info(
        "martian: %d known inference id(s)%s",
        len(known),
        f": {listed}" if known else " (add some with --inference-id)",
    )
    return services


def _deploy_flask(app: Flask, settings: Settings, services: Services) -> Flask:
    """The WSGI counterpart of `_deploy`: Werkzeug enforces the body limit (413)."""
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.extensions["store"] = services.store

    @app.before_request
    def _address() -> None:
        set_client_address(request.remote_addr)

    return app


def create_braintrust_app(
    settings: Settings | None = None, *, store: FeedbackStore | None = None
) -> FastAPI:
    """The Braintrust reference server (`store` overrides `settings.db`)."""
    settings = settings or Settings()
    services = _braintrust_services(settings, store)
    app = braintrust_server.create_app(BraintrustHandlers(services))
    return _deploy("braintrust", app, settings, services)


def create_braintrust_flask_app(
    settings: Settings | None = None, *, store: FeedbackStore | None = None
) -> Flask:
    """The same Braintrust handlers served by Flask (WSGI); the store is
    `app.extensions["store"]`."""
    settings = settings or Settings()
    services = _braintrust_services(settings, store)
    app = braintrust_flask.create_app(BraintrustHandlers(services))
    return _deploy_flask(app, settings, services)


def create_martian_app(
    settings: Settings | None = None, *, store: FeedbackStore | None = None
) -> FastAPI:
    """The Martian reference server; `settings.inference_ids` are added to the store."""
    settings = settings or Settings()
    services = _martian_services(settings, store)
    app = martian_server.create_app(MartianHandlers(services))
    return _deploy("martian", app, settings, services)


def create_martian_flask_app(
    settings: Settings | None = None, *, store: FeedbackStore | None = None
) -> Flask:
    """The same Martian handlers served by Flask (WSGI)."""
    settings = settings or Settings()
    services = _martian_services(settings, store)
    app = martian_flask.create_app(MartianHandlers(services))
    return _deploy_flask(app, settings, services)


def create_app(api: str, settings: Settings | None = None) -> FastAPI:
    """The reference server of `api` (one of `APIS`)."""
    if api == "braintrust":
        return create_braintrust_app(settings)
    if api == "martian":
        return create_martian_app(settings)
    raise ValueError(f"no reference server for {api!r}: choose one of {', '.join(APIS)}")


def create_flask_app(api: str, settings: Settings | None = None) -> Flask:
    """The reference server of `api` on Flask."""
    if api == "braintrust":
        return create_braintrust_flask_app(settings)
    if api == "martian":
        return create_martian_flask_app(settings)
    raise ValueError(f"no reference server for {api!r}: choose one of {', '.join(APIS)}")


def braintrust_app() -> FastAPI:
    """Zero-argument factory (`reference.app:braintrust_app`): settings from SPECGEN_*."""
    return create_braintrust_app(Settings.from_env())


def martian_app() -> FastAPI:
    """Zero-argument factory (`reference.app:martian_app`): settings from SPECGEN_*."""
    return create_martian_app(Settings.from_env())


def braintrust_flask_app() -> Flask:
    """Zero-argument WSGI factory (`reference.app:braintrust_flask_app`)."""
    return create_braintrust_flask_app(Settings.from_env())


def martian_flask_app() -> Flask:
    """Zero-argument WSGI factory (`reference.app:martian_flask_app`)."""
    return create_martian_flask_app(Settings.from_env())
