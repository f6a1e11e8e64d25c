"""Reference implementations of the seed APIs (Braintrust and Martian feedback).

Hand-written on top of the GENERATED handler contracts (`braintrust.handlers`,
`martian.handlers`), so regeneration never touches them. They store feedback in SQLite
(`reference.storage`), check bearer keys (`reference.auth`), limit request rates
(`reference.ratelimit`) and request sizes (`reference.bodylimit`). `reference.app` builds the
ASGI apps; `specgen serve API` runs one. The generated packages must be importable (the
project's output folder, `generated/`, on `sys.path`).
"""
