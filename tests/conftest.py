"""Shared pytest configuration: the hypothesis profiles.

``CI=1 pytest`` loads the "ci" profile: a fixed seed (``derandomize=True``), so every CI run draws
the same examples, and no deadline (a slow shared runner must not turn timing into failures).
Without ``CI`` the "dev" profile draws fresh examples each run, still without a deadline.
"""

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
