"""Shared helpers for the benchmarks: medians of repeated timings and JSON reports."""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def median_time(fn, repeat: int = 7, warmup: int = 1) -> float:
    """Median wall time of ``fn()`` in seconds over ``repeat`` runs after ``warmup`` runs."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def entry(name: str, seconds: float, limit: float | None = None, reference: float | None = None,
          reference_what: str = "", **extra) -> dict:
    """One measured figure beside its limit and a reference measured in the same run."""
    out = {"name": name, "seconds": round(seconds, 5)}
    if limit is not None:
        out["limit_seconds"] = limit
        out["within_limit"] = bool(seconds <= limit)
    if reference is not None:
        out["reference_seconds"] = round(reference, 5)
        out["reference"] = reference_what
        out["ratio_to_reference"] = round(seconds / reference, 3)
    out.update(extra)
    return out


def write_report(name: str, results: list[dict] | dict) -> dict:
    """Print the report and write it to ``results/<name>.json``: the benchmark's name, the
    machine, and ``results`` — a list of :func:`entry` figures (under ``"results"``), or a
    benchmark's own report dict, whose keys then sit at the top level beside those two."""
    report = {
        "benchmark": name,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "processor": platform.machine()},
    }
    if isinstance(results, dict):
        report.update(results)
    else:
        report["results"] = results
    text = json.dumps(report, indent=2)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(text + "\n")
    print(text)
    return report
