"""Shared pytest configuration: the hypothesis profiles and the engine fixture.

``CI=1 pytest`` loads the "ci" profile: a fixed seed (``derandomize=True``), so every CI run draws
the same examples, and no deadline (a slow shared runner must not turn timing into failures).
Without ``CI`` the "dev" profile draws fresh examples each run, still without a deadline.
``HYPOTHESIS_PROFILE=mutation`` (set by ``python -m bench.mutation``) is the "ci" profile with 10
examples per property and no shrinking (a mutant needs one failure, not the smallest), so a test run
per mutant stays short.

``each_engine``: a test module that uses it (``pytestmark = pytest.mark.usefixtures("each_engine")``)
runs all its tests with the speed layer on, then all of them again with it off (``tests/engines.py``).
"""

import os
from collections.abc import Iterator

import pytest
from engines import ENGINES, engine
from hypothesis import Phase, settings

settings.register_profile("ci", derandomize=True, deadline=None)
settings.register_profile("dev", deadline=None)
settings.register_profile(
    "mutation", derandomize=True, deadline=None, max_examples=10,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))


@pytest.fixture(scope="module", params=ENGINES)
def each_engine(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run the module's tests under the engine ``request.param`` (module scope: hypothesis-safe)."""
    with engine(request.param):
        yield request.param
