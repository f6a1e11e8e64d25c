"""`specgen proxy`: a validation proxy between a client and a running server.

Every request is forwarded unchanged to the upstream and its answer streamed back unchanged;
on the way, both are checked against the spec (`checks.py`), and each break of the contract
is reported as it happens (`report.py`). Modules:

- `contract.py`: the operations as frozen records, read from the validated document;
- `schemas.py`: the JSON Schema checks (jsonschema-rs, each schema compiled on first use);
- `match.py`: request paths to operations (path templates, literal segments first);
- `params.py`: parameter values from the query, headers and cookies, typed by their schema;
- `media.py`: media types (declared and sent) and which bodies are checked;
- `checks.py`: the request and response checks, as `Problem`s;
- `report.py`: violation lines, the summary, the JUnit report;
- `app.py`: the ASGI app that forwards with httpx; `serve.py`: uvicorn, signals, exit code.

Diagnostics: SG624 the proxy cannot listen on its address, SG625 the JUnit report cannot be
written.
"""
