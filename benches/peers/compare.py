#!/usr/bin/env python3
"""Runs the reference workloads on all three sides, on this machine, in one go: ours
(`cargo run --release --example workloads`), BrainPy's (`brainpy_bench.py`, beside this file) and
Brian2's C++ standalone (`brian2_bench.py`, beside this file; the two population workloads), in
float64 and float32, alternating the sides for several rounds. Prints one table with both ratios
(BrainPy's median time / ours, Brian2's best / ours) beside the machine's CPU model, the SIMD
level looptime used and the load average, and writes it as markdown to
`benches/peers/results.md`; with `--readme` it also replaces README.md's benchmark table
(between the `<!-- benchmarks:begin -->` and `<!-- benchmarks:end -->` markers).

Inputs as each peer takes them: BrainPy's `LoopOverTime` reads a stored (steps × N) array, so it is
compared with our `--input array`; Brian2 reads a constant per neuron and records spikes as events (its
`SpikeMonitor`), so it is compared with our `--input const --record events` (the same constant,
computed step by step, never stored; spikes as (step, neuron) events, not dense rasters; and `--runs 2`,
the population as two runs of half the neurons, one per core when a CPU is free). Brian2's time is its
own loop time (`Network::run`, without process start-up), the best of its builds without OpenMP
and with one OpenMP thread per CPU.

Set-up (once):
    python3 -m venv /tmp/brainpy-env && /tmp/brainpy-env/bin/pip install brainpy 'jax[cpu]'
    python3 -m venv /tmp/brian2-env && /tmp/brian2-env/bin/pip install brian2 'numpy<2.4'   # and g++
Run (from anywhere):
    python3 benches/peers/compare.py [--rounds 3] [--no-brian2] [--no-brainpy] [--readme]

Each side reports the median of its repeated runs (steady state: inputs built and code compiled
before timing); the table holds, per workload, the median over the rounds of those medians, and
the ratios. Brian2's builds (code generation and C++ compilation, about a minute each) are kept
in `--brian2-dir` and reused. Take the final numbers on a quiet machine: the script records the
load average before and after.
"""
import argparse
import datetime
import json
import os
import re
import statistics
import subprocess
import sys

from machine import cpus, describe, loadavg, version

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WORKLOADS = ["hh_single", "hh_population", "lif_population", "rnn_seed"]
BRIAN2_WORKLOADS = ["hh_population", "lif_population"]
# Issue 7: ours at least this many times faster than BrainPy, per dtype.
BRAINPY_TARGETS = {
    ("hh_single", "f64"): 3, ("hh_single", "f32"): 3,
    ("hh_population", "f64"): 3, ("hh_population", "f32"): 2,
    ("lif_population", "f64"): 3, ("lif_population", "f32"): 2,
    ("rnn_seed", "f64"): 3, ("rnn_seed", "f32"): 3,
}
# Issue 13: ours at least this many times faster than Brian2 standalone's best.
BRIAN2_TARGETS = {
    ("hh_population", "f64"): 4, ("hh_population", "f32"): 4,
    ("lif_population", "f64"): 1.5, ("lif_population", "f32"): 1.5,
}


def json_lines(text):
    """The JSON objects printed one per line, skipping anything else (warnings)."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                pass
    return out


def run(cmd, env=None):
    res = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env)
    if res.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{res.stderr[-3000:]}")
    return json_lines(res.stdout)


def build_ours():
    print("building examples/workloads (release)…", file=sys.stderr)
    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "workloads"], cwd=ROOT, check=True)
    return os.path.join(ROOT, "target", "release", "examples", "workloads")


def brian2_builds(args):
    """Builds (or reuses) Brian2's standalone binaries: {(workload, dtype): [(threads, dir)]}."""
    script = os.path.join(HERE, "brian2_bench.py")
    threads = [0] + ([cpus()] if cpus() > 1 else [])
    builds = {}
    for name in BRIAN2_WORKLOADS:
        for dtype in ["f64", "f32"]:
            for t in threads:
                d = os.path.join(args.brian2_dir, f"{name}-{dtype}-t{t}-const")
                if not os.path.exists(os.path.join(d, "meta.json")):
                    print(f"building Brian2 {name} {dtype}, {t} OpenMP threads, in {d}…", file=sys.stderr)
                    run([args.brian2_python, script, "build", "--workload", name, "--dtype", dtype,
                         "--threads", str(t), "--dir", d, "--input", "const"])
                builds.setdefault((name, dtype), []).append((t, d))
    return builds


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3, help="rounds of every side, alternated (default 3)")
    ap.add_argument("--python", default=os.environ.get("BRAINPY_PYTHON", "/tmp/brainpy-env/bin/python"),
                    help="the Python that has BrainPy and JAX")
    ap.add_argument("--brian2-python", default=os.environ.get("BRIAN2_PYTHON", "/tmp/brian2-env/bin/python"),
                    help="the Python that has Brian2")
    ap.add_argument("--brian2-dir", default="/tmp/looptime-brian2", help="where Brian2's builds are kept")
    ap.add_argument("--brian2-repeat", type=int, default=5, help="runs of each Brian2 binary per round")
    ap.add_argument("--no-brainpy", action="store_true", help="leave BrainPy out")
    ap.add_argument("--no-brian2", action="store_true", help="leave Brian2 out")
    ap.add_argument("--readme", action="store_true", help="also replace README.md's benchmark table")
    ap.add_argument("--out", default=os.path.join(HERE, "results.md"))
    args = ap.parse_args()
    use_brainpy, use_brian2 = not args.no_brainpy, not args.no_brian2
    if use_brainpy and not os.path.exists(args.python):
        sys.exit(f"no BrainPy Python at {args.python}; see the set-up in this script's docstring (or --no-brainpy)")
    if use_brian2 and not os.path.exists(args.brian2_python):
        sys.exit(f"no Brian2 Python at {args.brian2_python}; see the set-up in this script's docstring (or --no-brian2)")

    ours_bin = build_ours()
    builds = brian2_builds(args) if use_brian2 else {}
    brainpy = os.path.join(HERE, "brainpy_bench.py")
    brian2 = os.path.join(HERE, "brian2_bench.py")

    load_before = loadavg()
    ours, ours_const, bp, b2 = {}, {}, {}, {}
    simd, threads = "?", "?"
    for r in range(args.rounds):
        for dtype in ["f64", "f32"]:
            tag = f"round {r + 1}/{args.rounds}, {dtype}"
            print(f"{tag}: looptime (array and const inputs)…", file=sys.stderr)
            for rec in run([ours_bin, "--dtype", dtype]):
                ours.setdefault((rec["name"], dtype), []).append(rec["median_ms"])
                simd, threads = rec.get("simd", simd), rec.get("threads", threads)
            for name in BRIAN2_WORKLOADS:
                for rec in run([ours_bin, "--dtype", dtype, "--input", "const", "--record", "events",
                                "--runs", "2", "--only", name]):
                    ours_const.setdefault((rec["name"], dtype), []).append(rec["median_ms"])
            if use_brainpy:
                print(f"{tag}: BrainPy…", file=sys.stderr)
                for rec in run([args.python, brainpy] + (["--x64"] if dtype == "f64" else [])):
                    bp.setdefault((rec["name"], dtype), []).append(rec["median_ms"])
            if use_brian2:
                print(f"{tag}: Brian2…", file=sys.stderr)
                for name in BRIAN2_WORKLOADS:
                    for t, d in builds[(name, dtype)]:
                        for rec in run([args.brian2_python, brian2, "time", "--dir", d,
                                        "--repeat", str(args.brian2_repeat)]):
                            b2.setdefault((name, dtype, t), []).append(rec["loop_median_ms"])
    load_after = loadavg()

    med = lambda xs: statistics.median(xs) if xs else None
    rows = []
    for dtype in ["f64", "f32"]:
        for name in WORKLOADS:
            key = (name, dtype)
            if key not in ours:
                continue
            row = dict(name=name, dtype=dtype, ours=med(ours[key]), ours_const=med(ours_const.get(key, [])),
                       bp=med(bp.get(key, [])), b2=None, b2_threads=None)
            for t, _ in builds.get(key, []):
                m = med(b2.get((name, dtype, t), []))
                if m is not None and (row["b2"] is None or m < row["b2"]):
                    row["b2"], row["b2_threads"] = m, t
            rows.append(row)

    def ratio(peer, us):
        return None if peer is None or us is None else peer / us

    def cell(x, fmt="{:.3f}"):
        return "–" if x is None else fmt.format(x)

    def verdict(r, target):
        if r is None or target is None:
            return "–"
        return f"**{r:.2f}×** ({target}×: {'met' if r >= target else 'not met'})"

    now = datetime.datetime.now().astimezone()
    bp_version = version([args.python, "-c", "import brainpy, jax; print(f'BrainPy {brainpy.__version__}, JAX {jax.__version__}')"]) if use_brainpy else "no BrainPy"
    b2_version = version([args.brian2_python, "-c", "import brian2; print(f'Brian2 {brian2.__version__}')"]) if use_brian2 else "no Brian2"
    rustc = version(["rustc", "--version"])
    flags = " ".join(f for f, on in [("--no-brainpy", args.no_brainpy), ("--no-brian2", args.no_brian2)] if on)
    machine = (f"{describe()}; "
               f"looptime's SIMD level: **{simd}**, threads: {threads}; "
               f"load average {load_before:.2f} before, {load_after:.2f} after")
    lines = [
        f"Measured {now:%Y-%m-%d %H:%M %Z} on {machine}. {rustc}, {bp_version}, {b2_version}. "
        f"`python3 benches/peers/compare.py --rounds {args.rounds}{' ' + flags if flags else ''}`: all sides on the same "
        f"machine, alternated, {args.rounds} rounds; each number is the median over the rounds of each side's "
        f"median of repeated steady-state runs (inputs built and code compiled before timing). BrainPy reads a "
        f"stored input array, as looptime's `--input array`; Brian2 (C++ standalone, its own loop time, the best "
        f"of no OpenMP and {cpus()} OpenMP threads) reads a constant per neuron and records spikes as events (`SpikeMonitor`), as looptime's "
        f"`--input const --record events`, run as two runs of half the neurons (`--runs 2`: one per core when a CPU is free, "
        f"as Brian2's OpenMP build splits its loop).",
        "",
        "| workload | dtype | BrainPy (ms) | looptime, array (ms) | BrainPy / looptime | Brian2 best (ms) | looptime, const + events (ms) | Brian2 / looptime |",
        "| --- | --- | ---: | ---: | --- | ---: | ---: | --- |",
    ]
    for row in rows:
        key = (row["name"], row["dtype"])
        b2cell = cell(row["b2"]) + ("" if row["b2_threads"] is None else f" ({row['b2_threads']} OpenMP)" if row["b2_threads"] else " (no OpenMP)")
        lines.append(
            f"| {row['name']} | {row['dtype']} | {cell(row['bp'])} | {cell(row['ours'])} | "
            f"{verdict(ratio(row['bp'], row['ours']), BRAINPY_TARGETS.get(key))} | {b2cell} | "
            f"{cell(row['ours_const'])} | {verdict(ratio(row['b2'], row['ours_const']), BRIAN2_TARGETS.get(key))} |")
    table = "\n".join(lines) + "\n"

    print()
    print(machine.replace("**", ""))
    print(f"{'workload':<16}{'dtype':<6}{'BrainPy':>10}{'ours/arr':>10}{'BP/ours':>9}"
          f"{'Brian2':>10}{'ours/const':>11}{'B2/ours':>9}")
    for row in rows:
        key = (row["name"], row["dtype"])
        r1, r2 = ratio(row["bp"], row["ours"]), ratio(row["b2"], row["ours_const"])
        mark = lambda r, t: "" if r is None or t is None or r >= t else "!"
        print(f"{row['name']:<16}{row['dtype']:<6}{cell(row['bp']):>10}{cell(row['ours']):>10}"
              f"{cell(r1, '{:.2f}×'):>8}{mark(r1, BRAINPY_TARGETS.get(key)):1}"
              f"{cell(row['b2']):>10}{cell(row['ours_const']):>11}"
              f"{cell(r2, '{:.2f}×'):>8}{mark(r2, BRIAN2_TARGETS.get(key)):1}")
    print("(! : below its target)")

    with open(args.out, "w") as f:
        f.write("# looptime against BrainPy and Brian2\n\n" + table)
    print(f"wrote {os.path.relpath(args.out, ROOT)}", file=sys.stderr)
    if args.readme:
        path = os.path.join(ROOT, "README.md")
        with open(path) as f:
            text = f.read()
        begin, end = "<!-- benchmarks:begin -->", "<!-- benchmarks:end -->"
        if begin not in text or end not in text:
            sys.exit("README.md has no benchmark markers")
        text = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda _: begin + "\n" + table + end, text, flags=re.S)
        with open(path, "w") as f:
            f.write(text)
        print("updated README.md", file=sys.stderr)


if __name__ == "__main__":
    main()
