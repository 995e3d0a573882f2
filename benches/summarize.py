#!/usr/bin/env python3
"""Prints the BENCHMARKS.md tables from criterion's results.

usage: python3 benches/summarize.py [CARGO_TARGET_DIR]   (default: target)
Reads <dir>/criterion/<N roles>/<command>/new/estimates.json (median point estimates).
"""
import json
import pathlib
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target") / "criterion"
commands = ["parse-only", "load", "who", "lint", "diff", "matrix-json"]
medians = {}
for estimates in root.glob("* roles/*/new/estimates.json"):
    size = int(estimates.parts[-4].split()[0])
    command = estimates.parts[-3]
    medians[(size, command)] = json.loads(estimates.read_text())["median"]["point_estimate"] / 1e9

sizes = sorted({s for s, _ in medians})
print("| roles | " + " | ".join(commands) + " |")
print("|---|" + "---|" * len(commands))
for size in sizes:
    base = medians.get((size, "parse-only"))
    cells = []
    for c in commands:
        t = medians.get((size, c))
        cells.append("—" if t is None else f"{t * 1000:.1f} ms ({t / base:.2f}×)" if base else f"{t * 1000:.1f} ms")
    print(f"| {size:,} | " + " | ".join(cells) + " |")
print()
print("| command | 10,000 → 100,000 growth |")
print("|---|---|")
for c in commands:
    a, b = medians.get((10_000, c)), medians.get((100_000, c))
    print(f"| {c} | " + (f"{b / a:.1f}×" if a and b else "—") + " |")
