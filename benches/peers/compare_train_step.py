"""Runs the training-step benchmark on both sides, alternately, and prints the README's table.

looptime: `examples/workloads.rs --only train_step` (the median of 200 single calls).
BrainPy:  benches/peers/brainpy_train_step.py (JAX `grad` through `LoopOverTime`, jitted; the
          median of 200 single calls).
Both sides report the same statistic, the median of single calls. (`cargo bench --bench
train_step` times the same step with criterion, whose median is over samples of many calls
each: a sample's mean holds the calls a busy host slowed, so it reads 5-10% above the median of
single calls on a quiet machine and more on a busy one.)

Run from the repository root (`LOOPTIME_SIMD=avx2` to measure the AVX2 level on a wider CPU):
    [LOOPTIME_SIMD=avx2] /tmp/brainpy-env/bin/python benches/peers/compare_train_step.py [--rounds 3]
Prints one markdown row per precision: both medians (the median over rounds) and the ratio
BrainPy time / looptime time, then the date and machine to stamp the table with.
"""
import argparse, datetime, json, os, platform, statistics, subprocess, sys

ap = argparse.ArgumentParser()
ap.add_argument('--rounds', type=int, default=3)
args = ap.parse_args()
root = os.getcwd()
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from machine import describe, loadavg, simd_level  # noqa: E402

load_before = loadavg()
peer = os.path.join(root, 'benches', 'peers', 'brainpy_train_step.py')


subprocess.run(['cargo', 'build', '--release', '--quiet', '--example', 'workloads'], check=True)
workloads = os.path.join(root, 'target', 'release', 'examples', 'workloads')


def ours():
    out = {}
    for dtype in ('f32', 'f64'):
        line = subprocess.run([workloads, '--dtype', dtype, '--only', 'train_step', '--repeat', '200'],
                              check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
        out[dtype] = json.loads(line)['median_ms']
    return out


def theirs(dtype):
    cmd = [sys.executable, peer, '--repeat', '200'] + (['--x64'] if dtype == 'f64' else [])
    line = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    return json.loads(line)['median_ms']


times = {('looptime', d): [] for d in ('f32', 'f64')} | {('brainpy', d): [] for d in ('f32', 'f64')}
for _ in range(args.rounds):
    for d in ('f32', 'f64'):
        times[('brainpy', d)].append(theirs(d))
    for d, t in ours().items():
        times[('looptime', d)].append(t)

print('| precision | BrainPy + JAX `grad` (ms) | looptime `Bptt` (ms) | ratio (BrainPy / looptime) |')
print('| --- | --- | --- | --- |')
for d in ('f32', 'f64'):
    b = statistics.median(times[('brainpy', d)])
    o = statistics.median(times[('looptime', d)])
    print(f'| {d} | {b:.3f} | {o:.3f} | {b / o:.2f}x |')
print(f'\n{datetime.date.today().isoformat()}, {describe()}, looptime SIMD level {simd_level(root)}, '
      f'load average {load_before:.2f} before, {loadavg():.2f} after, {args.rounds} rounds')
