"""Benchmark of the booking engine on generated, realistic scenarios (see ``engine_scenarios.py``).

For each roster size it prints: residents booked by the engine, the max-flow upper bound, a greedy first-fit
baseline's booked count and time, the engine's wall time, and peak memory. Each size runs in a fresh process
so that peak RSS belongs to that size alone.

Usage::

    .venv/bin/python benchmarks/engine_bench.py               # 1,000 and 10,000 residents
    .venv/bin/python benchmarks/engine_bench.py --sizes 1000 --repeat 5
    .venv/bin/python benchmarks/engine_bench.py --save-scenario var/interns.json --sizes 300  # tend plan

Wall time is the best of ``--repeat`` runs of ``plan()`` on an already loaded scenario (the median is printed
too); loading (validating the JSON) is timed separately. "Peak RSS" is the whole process's high-water mark,
including generating and loading the scenario; "Python peak" is tracemalloc's peak during one ``plan()`` call,
which sees numpy arrays but not OR-Tools' own C++ memory.

Targets (issue 3): booked = upper bound; 10,000 residents within 10 s and 2 GB; 1,000 within 1 s.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.engine_scenarios import generate_scenario  # noqa: E402
from scheduling.bounds import max_flow_bound  # noqa: E402
from scheduling.engine import plan  # noqa: E402
from scheduling.greedy import greedy_plan  # noqa: E402
from scheduling.scenario import load_scenario  # noqa: E402

TARGET_SECONDS = {1000: 1.0, 10000: 10.0}
TARGET_BYTES = 2 * 1024**3


def measure(residents: int, therapists: int, repeat: int) -> dict[str, Any]:
    """Generate, load and plan one scenario; return the figures."""
    data = json.loads(json.dumps(generate_scenario(residents, therapists)))
    started = time.perf_counter()
    problem = load_scenario(data)
    load_seconds = time.perf_counter() - started
    blackouts = sum(len(r.blackouts) for r in problem.residents)

    walls = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = plan(problem)
        walls.append(time.perf_counter() - started)
    assert result is not None
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB

    tracemalloc.start()
    plan(problem)
    python_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    started = time.perf_counter()
    bound = max_flow_bound(problem)
    bound_seconds = time.perf_counter() - started
    started = time.perf_counter()
    greedy = greedy_plan(problem)
    greedy_seconds = time.perf_counter() - started
    return {
        "residents": residents,
        "therapists": therapists,
        "blackouts": blackouts,
        "booked": len(result.bookings),
        "unplaced": len(result.unplaced),
        "upper_bound": bound,
        "bound_seconds": round(bound_seconds, 3),
        "greedy_booked": len(greedy.bookings),
        "greedy_seconds": round(greedy_seconds, 3),
        "load_seconds": round(load_seconds, 3),
        "wall_seconds_best": round(min(walls), 3),
        "wall_seconds_median": round(statistics.median(walls), 3),
        "peak_rss_mib": round(peak_rss / 1024**2, 1),
        "python_peak_mib": round(python_peak / 1024**2, 1),
        "repeat": repeat,
    }


def _verdict(row: dict[str, Any]) -> str:
    target = TARGET_SECONDS.get(row["residents"])
    checks = [f"booked {'=' if row['booked'] == row['upper_bound'] else '!='} bound"]
    if target is not None:
        checks.append(
            f"time {'ok' if row['wall_seconds_best'] <= target else 'MISSED'} (target {target:g} s)"
        )
    checks.append(
        f"memory {'ok' if row['peak_rss_mib'] * 1024**2 <= TARGET_BYTES else 'MISSED'} (target 2 GB)"
    )
    return ", ".join(checks)


def main() -> None:
    """Run each size in its own process and print a table (or JSON lines with ``--json``)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--therapists", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print one JSON object per size")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--save-scenario", type=Path, help="write the first size's scenario here and stop")
    args = parser.parse_args()

    if args.save_scenario:
        scenario = generate_scenario(args.sizes[0], args.therapists)
        args.save_scenario.parent.mkdir(parents=True, exist_ok=True)
        args.save_scenario.write_text(json.dumps(scenario, indent=1), encoding="utf-8")
        print(f"wrote {args.save_scenario}")
        return

    if args.child:
        print(json.dumps(measure(args.sizes[0], args.therapists, args.repeat)))
        return

    rows = []
    for size in args.sizes:
        output = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                "--sizes",
                str(size),
                "--therapists",
                str(args.therapists),
                "--repeat",
                str(args.repeat),
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        rows.append(json.loads(output.strip().splitlines()[-1]))

    if args.json:
        for row in rows:
            print(json.dumps(row))
        return
    header = (
        f"{'residents':>9} {'booked':>7} {'bound':>7} {'greedy':>7} {'greedy s':>8} {'load s':>7} "
        f"{'plan s':>7} {'median s':>8} {'peak RSS':>9} {'py peak':>8}"
    )
    print(header)
    for row in rows:
        print(
            f"{row['residents']:>9} {row['booked']:>7} {row['upper_bound']:>7} {row['greedy_booked']:>7} "
            f"{row['greedy_seconds']:>8.2f} {row['load_seconds']:>7.2f} {row['wall_seconds_best']:>7.2f} "
            f"{row['wall_seconds_median']:>8.2f} {row['peak_rss_mib']:>7.0f}MB "
            f"{row['python_peak_mib']:>6.0f}MB"
        )
    for row in rows:
        print(f"{row['residents']} residents: {_verdict(row)}")


if __name__ == "__main__":
    main()
