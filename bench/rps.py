"""Requests per second of the persona page against a bare Django view, under gunicorn, in the
same run. Run by hand (needs wrk: `make bench` installs it) or through bench/run_all.py:

    .venv/bin/python bench/rps.py [--seconds 10] [--workers 2] [--json]

Starts gunicorn (`config.wsgi`, sync workers) on bench/bench_settings.py against a fresh
database with the demo data (bench/serving.py: PostgreSQL database zio_bench when PostgreSQL
is there, else a SQLite file), logs in as the demo beheerder through the login form and lets
wrk (one thread, 4 connections) fetch, each for --seconds after a short warm-up, best of 2
rounds taken in turns:
  (a) /bench/bare/, a view that returns "ok", without a session (Django's floor);
  (b) the demo persona's page, logged in (every section, comments, costs);
  (c) /bench/bare/ with the same session cookie (the session and the memberships are read and
      the session is saved again, as on every logged-in request).
Target: (b) reaches at least 40 % of (a). wrk runs on the same two cores, so all figures are
lower than on a machine with a separate load generator; the ratio is what counts.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import serving

CONNECTIONS = 4
ROUNDS = 2
TARGET_SHARE = 0.40
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, seconds: int, cookies: dict[str, str] | None) -> dict[str, float]:
    wrk_binary = shutil.which("wrk")
    assert wrk_binary is not None
    command = [wrk_binary, "--threads", "1", "--connections", str(CONNECTIONS)]
    command += ["--duration", f"{seconds}s", "--latency"]
    if cookies:
        cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
        command += ["--header", f"Cookie: {cookie}"]
    output = subprocess.run(  # noqa: S603 - wrk against our own server on 127.0.0.1
        [*command, url], capture_output=True, text=True, check=True
    ).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    assert rate, output
    wrong = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    latency = {}
    for share in ("50", "99"):
        found = re.search(rf"\s{share}%\s+([\d.]+)(us|ms|s)", output)
        latency[share] = float(found[1]) * UNITS_MS[found[2]] if found else float("nan")
    return {
        "rps": float(rate[1]),
        "errors": float(wrong[1] if wrong else 0)
        + (sum(int(n) for n in socket_errors.groups()) if socket_errors else 0),
        "p50_ms": latency["50"],
        "p99_ms": latency["99"],
    }


def check_page(url: str, cookies: dict[str, str], expect: str) -> None:
    """The page answers 200 with the expected text for this session (wrk would count a
    redirect to the login page as a success)."""
    import requests

    answer = requests.get(url, cookies=cookies, allow_redirects=False, timeout=30)
    if answer.status_code != 200 or expect not in answer.text:
        raise SystemExit(f"{url} answered {answer.status_code} without {expect!r}.")


def measure(seconds: int, workers: int) -> dict[str, object]:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: `make bench` installs it (Debian package wrk).")
    with (
        tempfile.TemporaryDirectory(prefix="zio-bench-") as folder,
        serving.site(Path(folder), "zio_bench") as where,
        serving.gunicorn(where, workers) as base,
    ):
        cookies = serving.login(base, serving.DEMO_EMAIL, serving.DEMO_PASSWORD)
        import requests

        listing = requests.get(f"{base}/personas/", cookies=cookies, timeout=30).text
        found = re.search(r'href="/personas/(\d+)/"', listing)
        assert found, "no persona on the demo organisation's list"
        persona = f"{base}/personas/{found[1]}/"
        bare = f"{base}/bench/bare/"
        check_page(persona, cookies, "Kosten huidige situatie")
        check_page(bare, cookies, "ok")
        runs = {
            "bare": (bare, None),
            "persona": (persona, cookies),
            "bare_session": (bare, cookies),
        }
        for url, jar in runs.values():
            wrk(url, 2, jar)  # warm-up: every worker has loaded its templates
        best: dict[str, dict[str, float]] = {}
        for _ in range(ROUNDS):
            for name, (url, jar) in runs.items():
                figures = wrk(url, seconds, jar)
                if name not in best or figures["rps"] > best[name]["rps"]:
                    errors = figures["errors"] + best.get(name, {}).get("errors", 0)
                    best[name] = {**figures, "errors": errors}
        check_page(persona, cookies, "Kosten huidige situatie")  # the session survived
        return {
            "database": where.database,
            "workers": workers,
            "connections": CONNECTIONS,
            "seconds": seconds,
            "rounds": ROUNDS,
            **best,
            "share": best["persona"]["rps"] / best["bare"]["rps"],
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    options = parser.parse_args()
    result = measure(options.seconds, options.workers)
    print(
        f"gunicorn, {options.workers} sync workers, {result['database']}; wrk 1 thread, "
        f"{CONNECTIONS} connections, best of {ROUNDS} x {options.seconds} s"
    )
    labels = {
        "bare": "(a) bare view, no session",
        "persona": "(b) persona page, logged in",
        "bare_session": "(c) bare view, logged in",
    }
    for name, label in labels.items():
        figures = result[name]
        assert isinstance(figures, dict)
        print(
            f"{label:30} {figures['rps']:7.1f} req/s, p50 {figures['p50_ms']:6.1f} ms, "
            f"p99 {figures['p99_ms']:6.1f} ms, errors {figures['errors']:.0f}"
        )
    share = float(str(result["share"]))
    verdict = "ok" if share >= TARGET_SHARE else "TOO SLOW"
    print(f"(b)/(a): {share:.0%} (target >= {TARGET_SHARE:.0%}) {verdict}")
    if options.json:
        print("BENCH-JSON " + json.dumps(result))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
