#!/usr/bin/env python3
"""Instructions per step of a workload, counted instead of timed: for comparing two builds (old
against new) on a machine whose timings move by more than the change (a shared VM moves 15%
between runs minutes apart, and up to 3x within an hour).

Runs `examples/workloads` under valgrind's callgrind (`valgrind` must be installed) on one
thread (`LOOPTIME_THREADS=1`), twice, with two `--repeat` counts, and divides the difference of
the instruction counts by the difference of the steps run: set-up, inputs and the first call
cancel. Prints one JSON line per build (`instructions_per_step`, beside the workload, dtype and
vector level) and, for two builds, the ratio of the second to the first.

    python3 benches/peers/instructions.py --only hh_population [--dtype f64] [--simd avx2]
                                          [--binary PATH [--binary PATH]]

Without `--binary`, builds and counts this tree's `examples/workloads`. An instruction count is
not a time: it misses stalls, cache misses and the second core (a split step counts both
halves), so it decides between two forms of the same computation, not against the peers.
Valgrind does not run AVX-512 code: use `--simd avx2` (the default here) or `sse2`.
"""
import argparse
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# Steps of one run, and runs of one process for `--repeat r` (examples/workloads.rs: a first
# call, then `r` timed runs; a quarter of `r`, at least 3, for the populations).
STEPS = {"hh_single": 1000, "hh_population": 10000, "lif_population": 10000, "rnn_seed": 30,
         "coba": 10000, "cuba": 10000, "cobahh": 10000}
POPULATIONS = {"hh_population", "lif_population"}


def runs(workload, repeat):
    timed = max(repeat // 4, 3) if workload in POPULATIONS else max(repeat, 1)
    return 1 + timed


def instructions(binary, workload, dtype, simd, repeat):
    env = dict(os.environ, LOOPTIME_THREADS="1")
    cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", binary,
           "--dtype", dtype, "--only", workload, "--simd", simd, "--repeat", str(repeat)]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True)
    m = re.search(r"I\s+refs:\s+([\d,]+)", out.stderr)
    if out.returncode != 0 or not m:
        sys.exit(f"callgrind failed for {binary}:\n{out.stderr[-2000:]}")
    return int(m.group(1).replace(",", ""))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", required=True, choices=sorted(STEPS), help="the workload")
    ap.add_argument("--dtype", default="f64", choices=["f64", "f32"])
    ap.add_argument("--simd", default="avx2", choices=["sse2", "avx2"])
    ap.add_argument("--binary", action="append", help="a built examples/workloads (twice: old, new)")
    args = ap.parse_args()

    binaries = args.binary
    if not binaries:
        print("building examples/workloads (release)…", file=sys.stderr)
        subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "workloads"], cwd=ROOT, check=True)
        binaries = [os.path.join(ROOT, "target", "release", "examples", "workloads")]
    # Enough more runs in the second count that a step's instructions stand out of the set-up's.
    low, high = (16, 32) if args.only in POPULATIONS else (1, 2) if STEPS[args.only] == 10000 else (20, 40)
    steps = (runs(args.only, high) - runs(args.only, low)) * STEPS[args.only]
    counts = []
    for binary in binaries:
        print(f"counting {binary} ({args.only}, {args.dtype}, {args.simd})…", file=sys.stderr)
        per_step = (instructions(binary, args.only, args.dtype, args.simd, high)
                    - instructions(binary, args.only, args.dtype, args.simd, low)) / steps
        counts.append(per_step)
        print(json.dumps({"name": args.only, "dtype": args.dtype, "simd": args.simd, "threads": 1,
                          "instructions_per_step": round(per_step, 1), "binary": binary}))
    if len(counts) == 2:
        print(f"second / first: {counts[1] / counts[0]:.4f}")


if __name__ == "__main__":
    main()
