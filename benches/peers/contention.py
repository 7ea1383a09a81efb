#!/usr/bin/env python3
"""Contention bench: is looptime's default threading ever worse than one thread?

Runs each population workload of `examples/workloads.rs` (hh_population, lif_population), or
with `--only train_step` the seed's training step, in three situations:

- alone: nothing else of ours running;
- busy: beside one busy process per CPU (a Python loop each), as on a machine shared with a
  build or CI; the busy processes run through both runs of a round (default and one thread), so
  that the two share one state of the host;
- pair: two copies side by side, as in a parameter sweep of two processes;

each with the default threads and with `LOOPTIME_THREADS=1`, alternated for several rounds (the
order flips from round to round). Prints, per workload and situation, the median over the rounds
of each run's median time (a pair: the mean of its two copies), the ratio default / one thread
(the median over the rounds of each round's ratio: the two runs of a round are minutes apart at
most, so a slow spell of a virtual machine, which moves both, cancels) and its range over the
rounds, and the requirement of issue 13 (at most 1.10 busy and side by side, at most 1.00 alone), beside
the CPU model, the SIMD level, the load average before and after, and the fraction of steps the
default run split across threads.

    python3 benches/peers/contention.py [--rounds 3] [--repeat 5] [--dtype f64|f32]
                                        [--input array|const] [--runs 1|2] [--only NAME] [--out FILE]
                                        [--binary PATH]

`--binary` runs another build of `examples/workloads` (an older commit's, to compare) instead of
building this one; it must take the same arguments.

Take final numbers on an otherwise quiet machine: other processes add to the "busy" situations
and make every number move.
"""
import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys

from machine import cpus, describe, loadavg
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WORKLOADS = ["hh_population", "lif_population"]
# Run only when asked for with --only (the seed's training step: `DataParallel` replicas; give it
# --repeat 200, as compare_train_step.py does).
ON_REQUEST = ["train_step"]
SITUATIONS = ["alone", "busy", "pair"]
# Issue 13: the default at most this many times the one-thread time.
LIMIT = {"alone": 1.00, "busy": 1.10, "pair": 1.10}


def start(binary, args, workload, threads):
    """Starts one workloads process (`threads`: None for the default, else LOOPTIME_THREADS)."""
    env = dict(os.environ)
    env.pop("LOOPTIME_THREADS", None)
    if threads is not None:
        env["LOOPTIME_THREADS"] = str(threads)
    cmd = [binary, "--dtype", args.dtype, "--only", workload, "--repeat", str(args.repeat)]
    if args.input != "array":  # the default, also of builds older than `--input`
        cmd += ["--input", args.input]
    if args.runs != 1:  # the default, also of builds older than `--runs`
        cmd += ["--runs", str(args.runs)]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(proc):
    out, err = proc.communicate()
    if proc.returncode != 0:
        sys.exit(f"workloads failed:\n{err[-3000:]}")
    for line in out.splitlines():
        if line.strip().startswith("{"):
            return json.loads(line)
    sys.exit(f"workloads printed no result:\n{out}\n{err[-3000:]}")


def busy_processes():
    """One busy process per CPU, started and given time to show in the load."""
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(cpus())]
    time.sleep(0.5)  # let the load show (looptime samples it every 100 ms)
    return hogs


def situation(binary, args, workload, where, threads):
    """One measurement: the median time (ms) and the split fraction, in situation `where` (the
    busy processes of "busy" are started by the caller)."""
    if where == "pair":
        recs = [finish(p) for p in [start(binary, args, workload, threads) for _ in range(2)]]
    else:
        recs = [finish(start(binary, args, workload, threads))]
    return (statistics.mean(r["median_ms"] for r in recs),
            statistics.mean(r.get("split", float("nan")) for r in recs),
            recs[0].get("simd", "?"), recs[0].get("threads", "?"))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per process (default 5)")
    ap.add_argument("--dtype", default="f64", choices=["f64", "f32"])
    ap.add_argument("--input", default="array", choices=["array", "const"])
    ap.add_argument("--runs", type=int, default=1, choices=[1, 2],
                    help="the population as this many runs of part of it (workloads --runs)")
    ap.add_argument("--only", choices=WORKLOADS + ON_REQUEST, help="one workload only")
    ap.add_argument("--out", help="also write the table as markdown to this file")
    ap.add_argument("--binary", help="a built examples/workloads to run instead of this tree's")
    args = ap.parse_args()

    binary = args.binary
    if binary is None:
        print("building examples/workloads (release)…", file=sys.stderr)
        subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "workloads"], cwd=ROOT, check=True)
        binary = os.path.join(ROOT, "target", "release", "examples", "workloads")
    workloads = [args.only] if args.only else WORKLOADS

    load_before = loadavg()
    times, splits = {}, {}
    simd, threads = "?", "?"
    for r in range(args.rounds):
        modes = [None, 1] if r % 2 == 0 else [1, None]
        for workload in workloads:
            for where in SITUATIONS:
                hogs = busy_processes() if where == "busy" else []
                try:
                    for mode in modes:
                        label = "default" if mode is None else "1 thread"
                        print(f"round {r + 1}/{args.rounds}: {workload}, {where}, {label}…", file=sys.stderr)
                        ms, split, level, n = situation(binary, args, workload, where, mode)
                        times.setdefault((workload, where, mode), []).append(ms)
                        if mode is None:
                            splits.setdefault((workload, where), []).append(split)
                            simd, threads = level, n
                finally:
                    for h in hogs:
                        h.kill()
                        h.wait()
    load_after = loadavg()

    now = datetime.datetime.now().astimezone()
    header = (f"Measured {now:%Y-%m-%d %H:%M %Z} on {describe()}; SIMD level {simd}, default threads {threads}; {args.dtype}, "
              f"--input {args.input}, --runs {args.runs}; load average {load_before:.2f} before, {load_after:.2f} after. "
              f"`python3 benches/peers/contention.py --rounds {args.rounds} --repeat {args.repeat}"
              f"{' --binary ' + args.binary if args.binary else ''}`: each "
              f"number is the median over the rounds of each run's median (a pair: the mean of its two copies); "
              f"default / 1 thread is the median over the rounds of each round's ratio (range: the lowest and "
              f"highest round); busy = beside {cpus()} busy processes.")
    lines = [header, "",
             "| workload | situation | default (ms) | 1 thread (ms) | default / 1 thread | range | limit | steps split (default) |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    print()
    print(header)
    print(f"{'workload':<16}{'situation':<10}{'default':>10}{'1 thread':>10}{'ratio':>8}{'range':>12}{'limit':>7}{'split':>7}")
    for workload in workloads:
        for where in SITUATIONS:
            d_runs, one_runs = times[(workload, where, None)], times[(workload, where, 1)]
            d, one = statistics.median(d_runs), statistics.median(one_runs)
            ratios = [a / b for a, b in zip(d_runs, one_runs)]
            ratio = statistics.median(ratios)
            spread = f"{min(ratios):.2f}–{max(ratios):.2f}"
            split = statistics.median(splits[(workload, where)])
            split = "–" if split != split else f"{split:.0%}"  # NaN: a build that does not say
            ok = ratio <= LIMIT[where]
            lines.append(f"| {workload} | {where} | {d:.1f} | {one:.1f} | **{ratio:.2f}** | {spread} | "
                         f"{LIMIT[where]:.2f} | {split} |")
            print(f"{workload:<16}{where:<10}{d:>10.1f}{one:>10.1f}{ratio:>8.2f}{spread:>12}{LIMIT[where]:>7.2f}{split:>7}"
                  f"{'' if ok else '  (over the limit)'}")
    if args.out:
        with open(args.out, "w") as f:
            f.write("\n".join(lines) + "\n")
        print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
