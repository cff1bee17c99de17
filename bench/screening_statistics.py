"""Time population_statistics on a large random screening (200,000 pupils x 60 signals, the
0-3 scale, 8 support columns) and print the figures. Run by hand, not in CI:

    .venv/bin/python bench/screening_statistics.py [pupils] [signals]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

RUNS = 5


def main() -> None:
    from django.conf import settings

    # The statistics only need gettext; without translations it returns the Dutch text.
    settings.configure(USE_I18N=False)

    from zio.screening.spec import SUPPORT_TYPES, ParsedScreening, SignalColumn
    from zio.screening.statistics import population_statistics

    pupils = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    width = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    rng = np.random.default_rng(2026)
    # Each signal has its own prevalence, so the frequency order and statements are realistic.
    prevalence = rng.uniform(0.01, 0.4, size=width)
    prevalence[:4] = (0.5, 0.1, 0.1, 0.1)
    present = rng.random((pupils, width)) < prevalence
    # A few signals go together, so that the statements have something to say.
    for j in range(1, min(width, 4)):
        present[:, j] |= present[:, 0] & (rng.random(pupils) < 0.7)
    strength = rng.integers(1, 4, size=(pupils, width), dtype=np.uint8)
    parsed = ParsedScreening(
        code_hashes=np.zeros((pupils, 32), dtype=np.uint8),
        ages=rng.integers(-1, 21, size=pupils).astype(np.int16),
        grades=rng.integers(-1, 9, size=pupils).astype(np.int16),
        school_types=rng.choice(np.array([0, 1, 2, 3, 4, 255], dtype=np.uint8), size=pupils),
        signals=np.where(present, strength, 0).astype(np.uint8),
        support=(rng.random((pupils, len(SUPPORT_TYPES))) < 0.2).astype(np.uint8),
        signal_ids=list(range(1, width + 1)),
        support_names=list(SUPPORT_TYPES),
    )
    signals = [
        SignalColumn(signal_id=i, name=f"Signaal {i}", domain="") for i in range(1, width + 1)
    ]

    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        result = population_statistics(parsed, signals)
        times.append(time.perf_counter() - start)
    print(f"population_statistics on {pupils:,} pupils x {width} signals, {RUNS} runs:")
    print(f"  first {times[0] * 1000:.0f} ms, median {statistics.median(times) * 1000:.0f} ms,")
    print(f"  best {min(times) * 1000:.0f} ms, worst {max(times) * 1000:.0f} ms")
    print(
        f"  ({len(result.cooccurrence.signals)} signals in the co-occurrence matrix, "
        f"{len(result.statements)} statements)"
    )


if __name__ == "__main__":
    main()
