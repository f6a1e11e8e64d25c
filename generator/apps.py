"""A user's app named as `module:attribute`: loaded, told ASGI from WSGI, served by uvicorn.

One loader for every command that runs an implementation (`specgen serve --app`, `specgen
fuzz --app`): the attribute is an ASGI app (FastAPI, Starlette, a bare `async def app(scope,
receive, send)`), a WSGI app (Flask, a bare `def app(environ, start_response)`), or a
zero-argument factory returning one. uvicorn serves both kinds (WSGI through its `wsgi`
interface) and is imported only when something is served.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import socket
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, redirect_stderr
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from generator.commands.common import install_hint
from generator.diagnostics import SpecError, error

Interface = Literal["asgi", "wsgi"]


@dataclass(frozen=True)
class LoadedApp:
    target: str  # as the user wrote it: `module:attribute`
    app: Any
    interface: Interface
    factory: bool  # the attribute was a factory (uvicorn's `--factory` for a reload)

    @property
    def uvicorn_interface(self) -> Literal["auto", "wsgi"]:
        return "wsgi" if self.interface == "wsgi" else "auto"


def app_interface(obj: Any) -> Interface | None:
    """ "asgi" or "wsgi" when `obj` is an app; None for anything else (a factory included)."""
    if hasattr(obj, "wsgi_app"):  # Flask and Werkzeug apps
        return "wsgi"
    if hasattr(obj, "router") or hasattr(obj, "routes"):  # Starlette and FastAPI apps
        return "asgi"
    if not callable(obj):
        return None
    # Bare callables: apps and factories are both callables, so tell them by their arguments.
    function = obj if inspect.isroutine(obj) else type(obj).__call__
    try:
        parameters = inspect.signature(obj).parameters.values()
    except (TypeError, ValueError):
        return None
    required = [
        p
        for p in parameters
        if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    if inspect.iscoroutinefunction(function) and len(required) == 3:
        return "asgi"
    if not inspect.iscoroutinefunction(function) and len(required) == 2:
        return "wsgi"
    return None


def put_on_path(paths: Sequence[Path]) -> None:
    """The working directory and `paths` first on sys.path (in that order), so the user's
    modules and the generated packages (not installed) import."""
    for folder in reversed((Path.cwd(), *paths)):
        if str(folder) not in sys.path:
            sys.path.insert(0, str(folder))


def _fail(target: str, message: str, hint: str = "") -> SpecError:
    return SpecError([error("SG620", f"cannot load --app {target!r}: {message}", hint)])


def load_app(target: str, paths: Sequence[Path] = ()) -> LoadedApp:
    """Import `module:attribute` with the working directory and `paths` on sys.path; call it
    when it is a factory. Raises SpecError (SG620) for anything that is not an app."""
    module_name, _, attribute = target.partition(":")
    if not module_name or not attribute:
        raise SpecError(
            [error("SG620", f"--app {target!r} is not module:attribute", "e.g. myapi_server:app")]
        )
    put_on_path(paths)
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        hint = install_hint(exc) or "run from the folder the module is in, or fix its imports"
        raise _fail(target, str(exc), hint) from None
    except Exception as exc:  # the user's module failed while importing
        raise _fail(target, f"importing {module_name} raised {type(exc).__name__}: {exc}") from None
    try:
        obj = getattr(module, attribute)
    except AttributeError:
        raise _fail(target, f"module {module_name!r} has no attribute {attribute!r}") from None
    interface = app_interface(obj)
    if interface is not None:
        return LoadedApp(target, obj, interface, factory=False)
    if not callable(obj):
        raise _fail(target, f"{type(obj).__name__} is neither an app nor a factory", _APP_HINT)
    try:
        app = obj()
    except Exception as exc:
        message = f"the factory raised {type(exc).__name__}: {exc}"
        raise _fail(target, message, "a factory is called without arguments") from None
    interface = app_interface(app)
    if interface is None:
        raise _fail(target, f"the factory returned a {type(app).__name__}, not an app", _APP_HINT)
    return LoadedApp(target, app, interface, factory=True)


_APP_HINT = "name an ASGI app (FastAPI), a WSGI app (Flask), or a zero-argument factory of one"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def capture_log(path: Path) -> Iterator[None]:
    """Everything an app served in this process logs or writes to stderr during the block
    (its log records, uvicorn's "Exception in ASGI application" tracebacks) goes to `path`,
    not to the terminal the report is printed on."""
    with path.open("a", encoding="utf-8") as stream:
        handler = logging.StreamHandler(stream)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root = logging.getLogger()
        level = root.level
        root.addHandler(handler)
        root.setLevel(logging.INFO)
        try:
            with redirect_stderr(stream):
                yield
        finally:
            root.removeHandler(handler)
            root.setLevel(level)


# The most a request line and its headers may hold. h11's default (16 KiB) answers 400 to a
# legal request whose query carries a long value (a spec's 100 KB default, sent back by a
# fuzzer) before the app sees it; a server for development and fuzzing takes 1 MiB.
MAX_REQUEST_HEAD = 1024 * 1024


@contextmanager
def serve_in_thread(app: Any, *, log_level: str = "warning") -> Iterator[str]:
    """Serve `app` on 127.0.0.1 (a free port) for the duration of the block; yields its base
    URL. uvicorn's records (errors of the app included) go to the root logger, wherever the
    caller's logging sends them."""
    import uvicorn  # slow to import: only when something is served

    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=free_port(),
        log_level=log_level,
        log_config=None,
        lifespan="off",
        interface="wsgi" if app_interface(app) == "wsgi" else "auto",
        h11_max_incomplete_event_size=MAX_REQUEST_HEAD,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise SpecError([error("SG621", "the app did not start serving", "")])
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def serve_forever(loaded: LoadedApp, host: str, port: int, *, reload: bool = False) -> None:
    """Serve until Ctrl-C. With `reload`, uvicorn imports the target again in a worker that
    restarts whenever a Python file under the working directory changes."""
    import uvicorn

    if reload:
        uvicorn.run(
            loaded.target,
            host=host,
            port=port,
            factory=loaded.factory,
            reload=True,
            reload_dirs=[str(Path.cwd())],
            interface=loaded.uvicorn_interface,
            h11_max_incomplete_event_size=MAX_REQUEST_HEAD,
        )
        return
    uvicorn.run(
        loaded.app,
        host=host,
        port=port,
        interface=loaded.uvicorn_interface,
        h11_max_incomplete_event_size=MAX_REQUEST_HEAD,
    )
