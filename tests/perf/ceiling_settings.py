"""Settings for the throughput ceiling in bench_respond.py: the application's settings and
middleware, but one database-free page (tests/perf/ceiling_urls.py).

The dummy database backend raises on any query, so the ceiling provably never touches a
database: the session and authentication middleware stay lazy because the view never
reads the session or the user.
"""

from diagnosis.settings import *  # noqa: F403

ROOT_URLCONF = "tests.perf.ceiling_urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.dummy"}}
