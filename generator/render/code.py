"""`Code`: a fragment of generated source that is safe to emit verbatim.

Only the view layers and the escaping filters make it, from identifier types, fixed spellings
and escaped literals, never from spec text as is. The template environment prints `Code` (and
the identifier types, which are `Code` too) and refuses every other string.
"""

from __future__ import annotations


class Code(str):
    """Generated source built by specgen, not taken from the spec."""

    __slots__ = ()
