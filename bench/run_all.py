"""The benchmark suite behind `make bench`: runs each benchmark in its own process, collects
the figures and prints one table (name, figure, unit, target, met?).

    .venv/bin/python bench/run_all.py [--only import,grouping,waaier,persona,region,rps]
                                      [--write docs/performance.md]

Parts and sizes (chosen so that the whole suite stays well under 10 minutes on 2 cores):
  import    bench/screening_import.py: 100,000 pupils x 40 signals, best of 3, against polars
            reading the same file alone
  grouping  bench/grouping.py t: 10,000 pupils x 30 signals, product defaults, one run
  waaier    bench/exports_pdf.py a: the waaier of 12 filled persona's, best of 3
  persona   bench/persona_view.py: the demo persona's page, median of 20 (test client)
  region    bench/region_view.py: 200 schools x 10 persona's, median of 10 (test client)
  rps       bench/rps.py: gunicorn with 2 workers; the persona page against a bare view (wrk)

Writes nothing, unless --write names a Markdown file: then the table goes between the lines
`<!-- bench:start -->` and `<!-- bench:end -->` of that file (added at its end when missing).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"

type Figures = dict[str, object]


@dataclass
class Row:
    name: str
    figure: str
    unit: str
    target: str = "—"
    met: str = "—"


def _yes(ok: bool) -> str:
    return "yes" if ok else "NO"


def _f(figures: Figures, key: str) -> float:
    return float(str(figures[key]))


def rows_import(f: Figures) -> list[Row]:
    pupils = _f(f, "pupils")
    label = f"Screening import, {pupils:,.0f} pupils x {f['signals']} signals"
    return [
        Row(label, f"{pupils / _f(f, 'import_s'):,.0f}", "rows/s"),
        Row("  polars alone reading the same file", f"{pupils / _f(f, 'polars_s'):,.0f}", "rows/s"),
        Row("  import time / polars time", f"{_f(f, 'import_s') / _f(f, 'polars_s'):.1f}", "x"),
        Row("  peak memory of the import process", f"{_f(f, 'peak_rss_mb'):.0f}", "MB"),
    ]


def rows_grouping(f: Figures) -> list[Row]:
    total = _f(f, "fits_s") + _f(f, "bootstrap_s")
    label = f"Grouping, {_f(f, 'pupils'):,.0f} pupils x 30 signals (k 1-10, 10 refits)"
    return [Row(label, f"{total:.1f}", "s")]


def rows_waaier(f: Figures) -> list[Row]:
    return [Row("Waaier PDF, 12 persona's", f"{_f(f, 'a'):.2f}", "s", "< 5", _yes(_f(f, "a") < 5))]


def rows_persona(f: Figures) -> list[Row]:
    ms = _f(f, "median_ms")
    label = f"Persona page, server time ({f['queries']} queries)"
    return [Row(label, f"{ms:.0f}", "ms", "< 300", _yes(ms < 300))]


def rows_region(f: Figures) -> list[Row]:
    ms = _f(f, "median_ms")
    label = f"Region page, 200 schools x 10 persona's ({f['queries']} queries)"
    return [Row(label, f"{ms:.0f}", "ms", "< 300", _yes(ms < 300))]


def rows_rps(f: Figures) -> list[Row]:
    def rate(name: str) -> float:
        figures = f[name]
        assert isinstance(figures, dict)
        return float(figures["rps"])

    errors = 0.0
    for name in ("bare", "persona", "bare_session"):
        figures = f[name]
        assert isinstance(figures, dict)
        errors += float(figures["errors"])
    share = _f(f, "share")
    setting = f"gunicorn {f['workers']} workers, {f['database']}"
    return [
        Row(f"Bare Django view, no session ({setting})", f"{rate('bare'):.0f}", "req/s"),
        Row("Persona page, logged in", f"{rate('persona'):.0f}", "req/s"),
        Row("  share of the bare view", f"{share:.0%}", "", ">= 40%", _yes(share >= 0.40)),
        Row("Bare Django view, logged in (session saved)", f"{rate('bare_session'):.0f}", "req/s"),
        Row("  failed requests in these runs", f"{errors:.0f}", "", "0", _yes(errors == 0)),
    ]


PARTS: dict[str, tuple[list[str], Callable[[Figures], list[Row]]]] = {
    "import": (["screening_import.py", "--json"], rows_import),
    "grouping": (["grouping.py", "t", "--json"], rows_grouping),
    "waaier": (["exports_pdf.py", "a", "--json"], rows_waaier),
    "persona": (["persona_view.py", "--json"], rows_persona),
    "region": (["region_view.py", "--json"], rows_region),
    "rps": (["rps.py", "--json"], rows_rps),
}


def run_part(name: str) -> tuple[list[Row], float]:
    arguments, to_rows = PARTS[name]
    print(f"--- {name}: bench/{' '.join(arguments)}", flush=True)
    start = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and scripts
        [sys.executable, str(BENCH / arguments[0]), *arguments[1:]],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    figures: Figures | None = None
    for line in process.stdout:
        if line.startswith("BENCH-JSON "):
            figures = json.loads(line.removeprefix("BENCH-JSON "))
        else:
            print("    " + line, end="", flush=True)
    seconds = time.perf_counter() - start
    if process.wait() != 0 or figures is None:
        return [Row(f"{name}: FAILED (exit {process.returncode})", "—", "", "", "NO")], seconds
    return to_rows(figures), seconds


def machine() -> str:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    python = platform.python_version()
    return f"{os.cpu_count()} cores, {model or platform.processor()}, Python {python}"


def table(rows: list[Row], markdown: bool) -> str:
    header = Row("Benchmark", "Figure", "Unit", "Target", "Met?")
    if markdown:
        lines = ["| Benchmark | Figure | Unit | Target | Met? |", "|---|--:|---|---|---|"]
        lines += [
            f"| {r.name.strip()} | {r.figure} | {r.unit} | {r.target} | {r.met} |" for r in rows
        ]
        return "\n".join(lines)
    width = max(len(r.name) for r in [header, *rows])
    return "\n".join(
        f"{r.name:{width}}  {r.figure:>9}  {r.unit:6}  {r.target:7}  {r.met}"
        for r in [header, *rows]
    )


def write(path: Path, rows: list[Row], heading: str) -> None:
    block = f"{START}\n{heading}\n\n{table(rows, markdown=True)}\n{END}"
    text = path.read_text() if path.exists() else ""
    if START in text and END in text:
        before, rest = text.split(START, 1)
        text = before + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + ("\n\n" if text else "") + block + "\n"
    path.write_text(text)
    print(f"Table written to {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default=",".join(PARTS), help="comma-separated parts")
    parser.add_argument("--write", type=Path, help="Markdown file to put the table in")
    options = parser.parse_args()
    chosen = [name.strip() for name in options.only.split(",") if name.strip()]
    unknown = set(chosen) - set(PARTS)
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")
    rows: list[Row] = []
    durations = []
    for name in chosen:
        part_rows, seconds = run_part(name)
        rows += part_rows
        durations.append(f"{name} {seconds:.0f} s")
    heading = f"Measured {datetime.now().astimezone().date().isoformat()} on {machine()}."
    print()
    print(heading)
    print(table(rows, markdown=False))
    print(f"(time per part: {', '.join(durations)})")
    if options.write:
        write(options.write, rows, heading)
    if any(row.met == "NO" for row in rows):
        print("Some targets are not met (see the table).")


if __name__ == "__main__":
    main()
