"""The load-test scenario (locust): people who log in, browse persona's, edit sections of their
persona and post post-its at a doen-sessie table. `make load` runs it through bench/load.py;
by hand, after bench/load_setup.py wrote the plan:

    LOAD_PLAN=plan.json .venv/bin/locust -f bench/locustfile.py --headless -u 50 -r 10 -t 60s \
        --host http://127.0.0.1:PORT

Each simulated user takes the next account of the plan (its own persona, so no two users edit
the same section: a 409 counts as a failure), logs in through the login form, sits down at one
of the tables (10 users a table) and then, with 1 to 3 seconds of thinking between steps,
picks by weight:
  3  the persona list
  4  a persona page (its own or the demo persona Noor)
  3  edit a section: open the editor (htmx), save two lines with the version it read
  1  the canvas of its table
  3  a poll of the canvas, as an open canvas does every second (204 or the new board)
  1  post a post-it (htmx; the answer is the canvas)
Every answer is checked, not only its status: a redirect to the login page or an htmx answer
that shows an error counts as a failure.

With LOAD_RESULT set, the response times are also written there as JSON at the end: the
percentiles of all requests, and of the requests after arriving (all but the one-off log-in
and sitting down at the table), exactly rather than locust's rounded percentiles.
"""

from __future__ import annotations

import html
import itertools
import json
import os
import random
import re
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task

PLAN: dict[str, Any] = json.loads(Path(os.environ.get("LOAD_PLAN", "plan.json")).read_text())
NEXT_ACCOUNT = itertools.count()
HTMX = {"HX-Request": "true"}
SECTIONS = ("wie", "wensen", "behoeften", "huidig_school")
VERSION = re.compile(r'name="version" value="(\d+)"')
POLL = re.compile(r'data-hx-get="([^"]*/bord/[^"]*)"')
ARRIVAL = ("/inloggen/", "/inloggen/ (post)", "/gesprek/sessies/[id]/meedoen/")
TIMES: dict[str, list[float]] = {"all": [], "after_arrival": []}
FAILED: dict[str, int] = {"all": 0, "after_arrival": 0}


@events.request.add_listener
def _record(name: str, response_time: float, exception: object, **kwargs: object) -> None:
    groups = ("all",) if name in ARRIVAL else ("all", "after_arrival")
    for group in groups:
        TIMES[group].append(response_time)
        FAILED[group] += exception is not None


def _percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


@events.quitting.add_listener
def _write_result(**kwargs: object) -> None:
    target = os.environ.get("LOAD_RESULT")
    if not target:
        return
    result = {
        group: {
            "requests": len(times),
            "failures": FAILED[group],
            "p50_ms": _percentile(times, 0.50),
            "p95_ms": _percentile(times, 0.95),
            "p99_ms": _percentile(times, 0.99),
            "max_ms": max(times, default=0.0),
        }
        for group, times in TIMES.items()
    }
    Path(target).write_text(json.dumps(result))


class Participant(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        number = next(NEXT_ACCOUNT)
        account = PLAN["users"][number % len(PLAN["users"])]
        self.email: str = account["email"]
        self.persona: int = account["persona"]
        self.workshop: int = PLAN["workshop"]
        self.table: int = PLAN["tables"][number % len(PLAN["tables"])]
        self.edits = 0
        self.poll_url = ""
        self.client.get("/inloggen/", name="/inloggen/")
        with self.client.post(
            "/inloggen/",
            data={
                "csrfmiddlewaretoken": self.csrf(),
                "username": self.email,
                "password": PLAN["password"],
            },
            name="/inloggen/ (post)",
            catch_response=True,
        ) as answer:
            if answer.url is None or answer.url.endswith("/inloggen/"):
                answer.failure("log-in refused")
        # Sit down at the table (a member of the organisation joins with one click).
        with self.client.post(
            f"/gesprek/sessies/{self.workshop}/meedoen/",
            data={"table": self.table},
            headers={"X-CSRFToken": self.csrf()},
            name="/gesprek/sessies/[id]/meedoen/",
            catch_response=True,
        ) as answer:
            if f"/tafels/{self.table}/" not in (answer.url or ""):
                answer.failure(f"not at table {self.table}: {answer.url}")
            else:
                self._remember_poll(answer.text)

    def csrf(self) -> str:
        return str(self.client.cookies.get("csrftoken", ""))

    def _remember_poll(self, page: str) -> None:
        found = POLL.search(page)
        if found:
            self.poll_url = html.unescape(found[1])

    def _page(self, url: str, name: str, expect: str) -> None:
        with self.client.get(url, name=name, catch_response=True) as answer:
            if answer.status_code == 200 and expect not in answer.text:
                answer.failure(f"{expect!r} missing (log-in page?)")

    @task(3)
    def persona_list(self) -> None:
        self._page("/personas/", "/personas/", "Load ")

    @task(4)
    def persona_page(self) -> None:
        persona = random.choice((self.persona, PLAN["demo_persona"]))  # noqa: S311
        self._page(f"/personas/{persona}/", "/personas/[id]/", "Kosten huidige situatie")

    @task(3)
    def edit_section(self) -> None:
        section = random.choice(SECTIONS)  # noqa: S311
        url = f"/personas/{self.persona}/onderdeel/{section}/"
        name = "/personas/[id]/onderdeel/[section]/"
        with self.client.get(url, headers=HTMX, name=name, catch_response=True) as answer:
            found = VERSION.search(answer.text) if answer.status_code == 200 else None
            if found is None:
                answer.failure("no section editor")
                return
        self.edits += 1
        lines = [f"Regel bewerkt door {self.email} ({self.edits})", "Tweede regel."]
        with self.client.post(
            url,
            data={
                "version": found[1],
                "item": lines,
                "item_signal": ["", ""],
                "action": "save",
            },
            headers={**HTMX, "X-CSRFToken": self.csrf()},
            name=name + " (save)",
            catch_response=True,
        ) as answer:
            if answer.status_code == 200 and "Opgeslagen." not in answer.text:
                answer.failure("saved without 'Opgeslagen.'")

    @task(1)
    def canvas(self) -> None:
        url = f"/gesprek/sessies/{self.workshop}/tafels/{self.table}/"
        with self.client.get(url, name="/gesprek/.../tafels/[id]/", catch_response=True) as answer:
            if answer.status_code == 200:
                self._remember_poll(answer.text)
                if not self.poll_url:
                    answer.failure("no poll address on the canvas")

    @task(3)
    def poll(self) -> None:
        if not self.poll_url:
            return
        with self.client.get(
            self.poll_url, headers=HTMX, name="/gesprek/.../bord/ (poll)", catch_response=True
        ) as answer:
            if answer.headers.get("HX-Refresh"):
                answer.failure("the round changed under the poll")

    @task(1)
    def post_it(self) -> None:
        url = f"/gesprek/sessies/{self.workshop}/tafels/{self.table}/post-it/"
        kind = random.choice(("actor", "factor"))  # noqa: S311
        with self.client.post(
            url,
            data={"postit-kind": kind, "postit-text": f"{kind} van {self.email}"},
            headers={**HTMX, "X-CSRFToken": self.csrf()},
            name="/gesprek/.../post-it/",
            catch_response=True,
        ) as answer:
            if answer.status_code == 200 and "Post-it geplakt" not in answer.text:
                answer.failure("post-it refused")
            elif answer.status_code == 200:
                self._remember_poll(answer.text)
