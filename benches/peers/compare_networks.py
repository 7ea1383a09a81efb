#!/usr/bin/env python3
"""Runs Brette et al.'s (2007) three benchmark networks — COBA, CUBA, COBAHH, 3200 E + 800 I
neurons, 1 s of biological time (10 000 steps of 0.1 ms) — on three simulators on this machine,
side by side: looptime (`examples/{coba,cuba,cobahh}.rs --bench`; a network steps on one
thread), BrainPy (`brainpy_{coba,cuba,cobahh}.py`
beside this file, jitted, after compilation) and Brian2's C++ standalone (`brian2_*.py`, one
OpenMP thread; float64 only, so both of our dtypes are compared with its one number). The sides
alternate for several rounds; each number is the median over the rounds of each side's median of
repeated runs. Prints the table of times, rates and ratios, with the machine, the vector
instructions and the load average, and writes it to `benches/peers/results_networks.md`.

Set-up: see brainpy_coba.py and brian2_coba.py (two venvs). Run:
    python3 benches/peers/compare_networks.py [--rounds 3] [--only coba] [--dtypes f64,f32] [--readme]
"""
import argparse
import datetime
import os
import platform
import re
import statistics
import subprocess
import sys

from compare import HERE, ROOT, json_lines
from machine import version
from machine import cpu_model, loadavg, simd_level

NAMES = ["coba", "cuba", "cobahh"]
# The targets of issue 15: ours at least this many times faster (None: no target).
TARGETS = {"coba": (20, 3), "cuba": (None, None), "cobahh": (None, 3)}


def run(cmd, env=None):
    """The JSON lines of `cmd`, or none when it fails (reported, the comparison goes on)."""
    res = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env)
    if res.returncode != 0:
        print(f"failed: {' '.join(cmd)}\n{res.stderr[-2000:]}", file=sys.stderr)
        return []
    return json_lines(res.stdout)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--only", default=",".join(NAMES), help="comma-separated: coba,cuba,cobahh")
    ap.add_argument("--dtypes", default="f64,f32")
    ap.add_argument("--brainpy", default="/tmp/brainpy-env/bin/python")
    ap.add_argument("--brian2", default="/tmp/brian2-env/bin/python")
    ap.add_argument("--out", default=os.path.join(HERE, "results_networks.md"))
    ap.add_argument("--readme", action="store_true",
                    help="also replace README.md's network table (between the networks markers)")
    args = ap.parse_args()
    names = [n for n in args.only.split(",") if n]
    dtypes = [d for d in args.dtypes.split(",") if d]

    print("building the examples (release)…", file=sys.stderr)
    examples = [a for name in names for a in ("--example", name)]
    subprocess.run(["cargo", "build", "--release", "--quiet"] + examples, cwd=ROOT, check=True)
    simd = simd_level(ROOT)

    load_before = loadavg()
    times, rates = {}, {}

    def record(side, name, dtype, recs):
        for rec in recs:
            if rec.get("name") != name:
                continue
            times.setdefault((side, name, dtype), []).append(rec["median_ms"])
            if rec.get("E_rate_hz") is not None:
                rates.setdefault((side, name), []).append(rec["E_rate_hz"])

    for r in range(args.rounds):
        for name in names:
            steps = []
            ours = [os.path.join(ROOT, "target", "release", "examples", name), "--bench"]
            for dtype in dtypes:
                steps.append(("looptime", dtype, ours + ["--dtype", dtype], None))
                steps.append(("BrainPy", dtype, [args.brainpy, os.path.join(HERE, f"brainpy_{name}.py")]
                              + (["--x64"] if dtype == "f64" else []), None))
            steps.append(("Brian2", "f64", [args.brian2, os.path.join(HERE, f"brian2_{name}.py"),
                                            "--repeat", "3"], None))
            if r % 2 == 1:
                steps.reverse()
            for side, dtype, cmd, env in steps:
                print(f"round {r + 1}/{args.rounds}, {name} {dtype}: {side}…", file=sys.stderr)
                record(side, name, dtype, run(cmd, env))
    load_after = loadavg()

    def med(side, name, dtype):
        v = times.get((side, name, dtype))
        return statistics.median(v) if v else float("nan")

    now = datetime.datetime.now().astimezone()
    bp_version = version([args.brainpy, "-c", "import brainpy, jax; print(f'BrainPy {brainpy.__version__}, JAX {jax.__version__}')"])
    b2_version = version([args.brian2, "-c", "import brian2; print(f'Brian2 {brian2.__version__}')"])
    lines = [
        f"Measured {now:%Y-%m-%d %H:%M %Z} on {cpu_model()}, {os.cpu_count()} cores "
        f"({platform.system()} {platform.release()}); {version(['rustc', '--version'])}, {bp_version}, "
        f"{b2_version}; looptime's vector instructions: {simd}. "
        f"`python3 benches/peers/compare_networks.py --rounds {args.rounds}`: the sides alternated, "
        f"{args.rounds} rounds, each number the median over the rounds of each side's median of repeated "
        f"runs (1 s of biological time each). Brian2 runs float64 on one thread. "
        f"Load average {load_before:.2f} before, {load_after:.2f} after.",
        "",
        "| network | dtype | BrainPy (ms) | Brian2, 1 thread (ms) | looptime, 1 thread (ms) "
        "| BrainPy / looptime | Brian2 / looptime |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name in names:
        for dtype in dtypes:
            bp, b2 = med("BrainPy", name, dtype), med("Brian2", name, "f64")
            one = med("looptime", name, dtype)
            lines.append(f"| {name} | {dtype} | {bp:.0f} | {b2:.0f} | {one:.1f} "
                         f"| **{bp / one:.1f}×** | **{b2 / one:.2f}×** |")
    lines += ["", "E rates (Hz, medians over the runs): " + "; ".join(
        f"{name}: " + ", ".join(f"{side} {statistics.median(rates[(side, name)]):.1f}"
                                for side in ["looptime", "BrainPy", "Brian2"] if (side, name) in rates)
        for name in names)]
    table = "\n".join(lines) + "\n"
    print()
    print(table)
    with open(args.out, "w") as f:
        f.write("# Benchmark networks: looptime, BrainPy and Brian2\n\n" + table)
    print(f"wrote {os.path.relpath(args.out, ROOT)}", file=sys.stderr)
    if args.readme:
        path = os.path.join(ROOT, "README.md")
        with open(path) as f:
            text = f.read()
        begin, end = "<!-- networks:begin -->", "<!-- networks:end -->"
        if begin not in text or end not in text:
            sys.exit("README.md has no networks markers")
        text = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda _: begin + "\n" + table + end,
                      text, flags=re.S)
        with open(path, "w") as f:
            f.write(text)
        print("updated README.md", file=sys.stderr)


if __name__ == "__main__":
    main()
