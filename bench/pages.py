"""Shared by the page benchmarks (persona_view.py, region_view.py, audit_log.py): Django on the
test settings, and one page timed, or profiled, through Django's test client (the whole
request: middleware, view, template)."""

from __future__ import annotations

import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def start_django(database_url: str | None) -> None:
    """Django on the test settings with Dutch active. `database_url` None keeps DATABASE_URL
    from the environment (in-memory SQLite when it is not set)."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
    if database_url is None:
        os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")
    else:
        os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.test.utils import setup_test_environment
    from django.utils import translation

    setup_test_environment()
    translation.activate("nl")


@dataclass(frozen=True)
class PageTiming:
    median_ms: float
    queries: int
    response: Any  # the last timed response


def time_page(
    client: Any, url: str, rounds: int, params: dict[str, str] | None = None
) -> PageTiming:
    """The median of `rounds` requests after one warm-up request, and the number of database
    queries of one more. A streamed answer (a download) is read to its end."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get() -> Any:
        response = client.get(url, params or {})
        assert response.status_code == 200, f"{url}: status {response.status_code}"
        if response.streaming:
            b"".join(response.streaming_content)
        return response

    get()
    times = []
    response = None
    for _ in range(rounds):
        start = time.perf_counter()
        response = get()
        times.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as captured:
        get()
    return PageTiming(statistics.median(times) * 1000, len(captured), response)


def profile_requested() -> bool:
    return bool(os.environ.get("PROFILE"))


def profile_page(client: Any, url: str) -> None:
    """A profile of one request after a warm-up. PROFILE_SORT (default cumulative) and
    PROFILE_LINES (25) choose the order and length."""
    import cProfile
    import pstats

    assert client.get(url).status_code == 200
    profile = cProfile.Profile()
    profile.runcall(client.get, url)
    pstats.Stats(profile).sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(
        int(os.environ.get("PROFILE_LINES", "25"))
    )
