#!/usr/bin/env python3
"""Runs the four reference workloads on both sides, on this machine, in one go: ours
(`cargo run --release --example workloads`) and BrainPy's (`brainpy_bench.py`, beside this file),
in float64 and float32, alternating the two sides for several rounds. Prints the table of
ratios (BrainPy's median time / ours) and writes it as markdown, stamped with the date and the
machine, to `benches/peers/results.md`; with `--readme` it also replaces README.md's benchmark
table (between the `<!-- benchmarks:begin -->` and `<!-- benchmarks:end -->` markers).

Set-up of BrainPy (once):
    python3 -m venv /tmp/brainpy-env && /tmp/brainpy-env/bin/pip install brainpy 'jax[cpu]'
Run (from anywhere):
    python3 benches/peers/compare.py [--rounds 3] [--python /tmp/brainpy-env/bin/python] [--readme]

Each side reports the median of its repeated runs (steady state: inputs built and code
compiled before timing); the table holds, per workload, the median over the rounds of those
medians, and the ratio of the two. Take the final numbers on a quiet machine: the script records
the load average before and after.
"""
import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WORKLOADS = ["hh_single", "hh_population", "lif_population", "rnn_seed"]
# The targets of issue 7: ours at least this many times faster, per dtype.
TARGETS = {
    ("hh_single", "f64"): 3, ("hh_single", "f32"): 3,
    ("hh_population", "f64"): 3, ("hh_population", "f32"): 2,
    ("lif_population", "f64"): 3, ("lif_population", "f32"): 2,
    ("rnn_seed", "f64"): 3, ("rnn_seed", "f32"): 3,
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


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def loadavg():
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def version(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3, help="rounds of both sides, alternated (default 3)")
    ap.add_argument("--python", default=os.environ.get("BRAINPY_PYTHON", "/tmp/brainpy-env/bin/python"),
                    help="the Python that has BrainPy and JAX")
    ap.add_argument("--readme", action="store_true", help="also replace README.md's benchmark table")
    ap.add_argument("--out", default=os.path.join(HERE, "results.md"))
    args = ap.parse_args()
    if not os.path.exists(args.python):
        sys.exit(f"no BrainPy Python at {args.python}; see the set-up in this script's docstring")

    print("building examples/workloads (release)…", file=sys.stderr)
    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "workloads"], cwd=ROOT, check=True)
    ours_bin = os.path.join(ROOT, "target", "release", "examples", "workloads")
    peer = os.path.join(HERE, "brainpy_bench.py")

    load_before = loadavg()
    ours, theirs = {}, {}
    simd = "?"
    for r in range(args.rounds):
        for dtype in ["f64", "f32"]:
            print(f"round {r + 1}/{args.rounds}, {dtype}: looptime…", file=sys.stderr)
            for rec in run([ours_bin, "--dtype", dtype]):
                ours.setdefault((rec["name"], dtype), []).append(rec["median_ms"])
                simd = rec.get("simd", simd)
            print(f"round {r + 1}/{args.rounds}, {dtype}: BrainPy…", file=sys.stderr)
            cmd = [args.python, peer] + (["--x64"] if dtype == "f64" else [])
            for rec in run(cmd):
                theirs.setdefault((rec["name"], dtype), []).append(rec["median_ms"])
    load_after = loadavg()

    rows = []
    for dtype in ["f64", "f32"]:
        for name in WORKLOADS:
            key = (name, dtype)
            if key not in ours or key not in theirs:
                continue
            a, b = statistics.median(ours[key]), statistics.median(theirs[key])
            ratio = b / a
            target = TARGETS[key]
            rows.append((name, dtype, b, a, ratio, target, ratio >= target))

    now = datetime.datetime.now().astimezone()
    try:
        import multiprocessing
        cores = multiprocessing.cpu_count()
    except NotImplementedError:
        cores = "?"
    bp_version = version([args.python, "-c", "import brainpy, jax; print(f'BrainPy {brainpy.__version__}, JAX {jax.__version__}')"])
    rustc = version(["rustc", "--version"])
    lines = [
        f"Measured {now:%Y-%m-%d %H:%M %Z} on {cpu_model()}, {cores} cores "
        f"({platform.system()} {platform.release()}); {rustc}, {bp_version}; "
        f"looptime's vector instructions: {simd}. `python3 benches/peers/compare.py --rounds {args.rounds}`: "
        f"both sides on the same machine, alternated, {args.rounds} rounds; each number is the median over the "
        f"rounds of each side's median of repeated steady-state runs (inputs built and code compiled before "
        f"timing). Load average {load_before:.2f} before, {load_after:.2f} after.",
        "",
        "| workload | dtype | BrainPy (ms) | looptime (ms) | speed-up (BrainPy / looptime) | target | met |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, dtype, b, a, ratio, target, met in rows:
        lines.append(f"| {name} | {dtype} | {b:.3f} | {a:.3f} | **{ratio:.2f}×** | {target}× | {'yes' if met else 'no'} |")
    table = "\n".join(lines) + "\n"

    print()
    print(f"{'workload':<16}{'dtype':<6}{'BrainPy ms':>12}{'looptime ms':>13}{'ratio':>8}{'target':>8}")
    for name, dtype, b, a, ratio, target, met in rows:
        print(f"{name:<16}{dtype:<6}{b:>12.3f}{a:>13.3f}{ratio:>7.2f}×{target:>7}×{'' if met else '  (not met)'}")
    print(f"\nload average {load_before:.2f} before, {load_after:.2f} after")

    with open(args.out, "w") as f:
        f.write("# looptime against BrainPy\n\n" + table)
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
