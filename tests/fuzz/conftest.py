"""Hypothesis profiles for the generator fuzz test.

    python -m pytest tests/fuzz                                # CI: 100 examples, fixed seed
    python -m pytest tests/fuzz --hypothesis-profile=long      # 2,000 examples, fixed seed
    SPECGEN_FUZZ_EXAMPLES=2000 python -m pytest tests/fuzz     # the same, from anywhere

(`--hypothesis-profile` works when tests/fuzz is on the command line, so that this file is
loaded before Hypothesis reads the option.) Both runs are derandomized: the same examples on
every machine, so a failure reproduces.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

CI_EXAMPLES = 100
LONG_EXAMPLES = 2000

_COMMON = settings(
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.register_profile("specgen-fuzz-ci", _COMMON, max_examples=CI_EXAMPLES)
settings.register_profile("long", _COMMON, max_examples=LONG_EXAMPLES)
