"""drop_unused parses models.py once: it drops what the former parse-until-stable loop
dropped (transitively unused classes, their `model_rebuild()` calls), keeps what `keep`
names and what code or a string annotation uses, and ignores docstrings."""

from __future__ import annotations

from textwrap import dedent

from generator.render.python.mend import drop_unused

SOURCE = dedent(
    '''\
    from __future__ import annotations

    from enum import Enum


    class Kind(Enum):
        """Used by Old only, so dropped with it; names Pet in a docstring."""

        a = "a"


    class Old(BaseModel):
        kind: Kind


    class Leaf(BaseModel):
        x: int


    class Pet(BaseModel):
        """Keeps Leaf through a string annotation."""

        leaf: "Leaf"


    Alias = list[Pet]
    Unused = list[Old]


    Old.model_rebuild()
    Pet.model_rebuild()
    '''
)


def test_drops_what_is_transitively_unused() -> None:
    out = drop_unused(SOURCE, ["Alias"])
    for gone in ("class Kind", "class Old", "Unused =", "Old.model_rebuild"):
        assert gone not in out
    for kept in ("class Leaf", "class Pet", "Alias =", "Pet.model_rebuild", "from enum"):
        assert kept in out


def test_keep_keeps_and_nothing_unused_is_the_same_text() -> None:
    assert drop_unused(SOURCE, ["Alias", "Unused"]) == SOURCE
    assert "class Kind" not in drop_unused(SOURCE, ["Pet"])
    assert "class Leaf" in drop_unused(SOURCE, ["Pet"])
