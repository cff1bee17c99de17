"""How fast is the screening import? Run by hand: .venv/bin/python bench/screening_import.py

Writes a CSV of 100,000 pupils x 40 signals (plus age, grade, school type and 8 support
columns) to a temporary folder, then times, best of 3:
  (a) polars alone reading it, every column as text;
  (b) read_and_validate on the same file (reading the bytes included).
Prints both, their ratio, and the peak memory of the import; --json also prints the figures as
JSON (for bench/run_all.py).
"""

from __future__ import annotations

import json
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import polars as pl  # noqa: E402

from zio.screening.importers import read_and_validate  # noqa: E402
from zio.screening.spec import ImportRefused, ScreeningSpec, SignalColumn  # noqa: E402

PUPILS = 100_000
SIGNALS = 40
ROUNDS = 3
KEY = b"bench-key-0123456789abcdef"


def make_spec() -> ScreeningSpec:
    from zio.personas.catalogue import CATALOGUE

    names = [(name, domain) for _, domain, signals in CATALOGUE for name in signals]
    return ScreeningSpec(
        signals=tuple(
            SignalColumn(i + 1, name, domain) for i, (name, domain) in enumerate(names[:SIGNALS])
        ),
        default_school_type="SBO",
    )


def write_csv(path: Path, spec: ScreeningSpec) -> None:
    rng = random.Random(2026)  # noqa: S311 - made-up test data
    answers = ["ja", "nee", "", "", "", "", "x", "nee", "", "Ja"]
    lines = [";".join(spec.headers)]
    for i in range(PUPILS):
        row = [
            f"LL{i:06d}",
            str(rng.randint(4, 13)),
            str(rng.randint(1, 8)),
            rng.choice(["SBO", "SO", ""]),
        ]
        row += rng.choices(answers, k=len(spec.signals) + len(spec.support))
        lines.append(";".join(row))
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))


def explain(refused: ImportRefused) -> NoReturn:
    """A valid file needs no translations; a refusal does, so only then set up Django
    (DEBUG=1 lets the settings start without secrets)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    for problem in refused.problems[:10]:
        print(problem.message)
    raise SystemExit(f"The benchmark file was refused: {refused.total} problem(s).")


def best_of(function: Callable[[], object], rounds: int = ROUNDS) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    spec = make_spec()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "screening.csv"
        write_csv(path, spec)
        size = path.stat().st_size
        print(
            f"file: {PUPILS:,} pupils x {len(spec.signals)} signals, {size / 1e6:.1f} MB, "
            f"{os.cpu_count()} cores"
        )

        polars_alone = best_of(lambda: pl.read_csv(path, separator=";", infer_schema=False))
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

        def run_import() -> None:
            try:
                parsed = read_and_validate(path.read_bytes(), path.name, spec, KEY)
            except ImportRefused as refused:
                explain(refused)
            assert parsed.pupil_count == PUPILS

        imported = best_of(run_import)
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

        tracemalloc.start()
        run_import()
        _, python_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

    print(f"(a) polars alone:      {polars_alone:.3f} s")
    print(f"(b) read_and_validate: {imported:.3f} s")
    print(f"ratio (b)/(a):         {imported / polars_alone:.2f}")
    print(
        f"peak RSS of the process: {rss_after / 1024:.0f} MB "
        f"(before the import runs: {rss_before / 1024:.0f} MB)"
    )
    print(f"peak Python allocations during one import (tracemalloc): {python_peak / 1e6:.0f} MB")
    if "--json" in sys.argv[1:]:
        figures = {
            "pupils": PUPILS,
            "signals": len(spec.signals),
            "polars_s": polars_alone,
            "import_s": imported,
            "peak_rss_mb": rss_after / 1024,
        }
        print("BENCH-JSON " + json.dumps(figures))


if __name__ == "__main__":
    main()
