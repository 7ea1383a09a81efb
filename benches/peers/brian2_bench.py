"""Brian2 on looptime's two population workloads (the same as brainpy_bench.py beside this file
and examples/workloads.rs; run side by side by compare.py).

- hh_population: 1000 HH neurons (BrainPy's bp.neurons.HH defaults), V0 = -65, gates at their
  steady state at V0, constant input 10.0, 10 000 steps of dt = 0.1 ms, exponential Euler,
  SpikeMonitor on all neurons.
- lif_population: 4000 LIF neurons (BrainPy's bp.neurons.LIF defaults: V_rest 0, V_reset -5,
  V_th 20, R 1, tau 10, tau_ref 0), V0 = 0, constant input 25.0, 10 000 steps, exponential
  Euler, SpikeMonitor on all neurons.

Variables are dimensionless and in BrainPy's units (mV, ms): every derivative is divided by `ms`.

Usage:
  bench.py runtime    --workload W --dtype f64|f32 [--repeat 7] [--target cython|numpy]
      build + warm-up run (code generation, Cython compilation), then `repeat` timed runs of
      10 000 steps each (the timeline continues, as looptime's and BrainPy's jitted calls do).
  bench.py build      --workload W --dtype f64|f32 --threads 0|2 --dir D [--input const|timed]
      C++ standalone: generate, compile and run once (for the spike counts). --input timed reads
      I each step from a (10 000, N) TimedArray (the input stream looptime's workload reads)
      instead of a per-neuron constant parameter.
  bench.py time       --dir D [--repeat 7]
      run the compiled binary D/main `repeat` times (no Python, no compilation); reports the
      median of Brian2's own loop time (results/last_run_info.txt, written by Network::run) and
      of the process wall time.
Prints one JSON object.

Set-up: python3 -m venv /tmp/brian2-env && /tmp/brian2-env/bin/pip install brian2 'numpy<2.4'
(Brian2 2.9 fails on numpy 2.4; g++ must be installed).
"""
import argparse, json, os, statistics, subprocess, sys, time

ap = argparse.ArgumentParser()
ap.add_argument('mode', choices=['runtime', 'build', 'time'])
ap.add_argument('--workload', choices=['hh_population', 'lif_population'])
ap.add_argument('--dtype', choices=['f64', 'f32'], default='f64')
ap.add_argument('--threads', type=int, default=0, help='OpenMP threads (0: no OpenMP)')
ap.add_argument('--dir', default=None)
ap.add_argument('--repeat', type=int, default=7)
ap.add_argument('--target', default='cython')
ap.add_argument('--input', choices=['const', 'timed'], default='const',
                help="const: a per-neuron parameter I; timed: I read each step from a (steps, N) "
                     "TimedArray, the same input stream looptime's workload reads")
args = ap.parse_args()

STEPS = 10_000


def time_binary(d, repeat):
    env = dict(os.environ, LD_BIND_NOW='1')
    res = os.path.join(d, 'results')
    loop, wall = [], []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(['./main', '--results_dir', res + '/'], cwd=d, env=env, check=True,
                       stdout=subprocess.DEVNULL)
        wall.append((time.perf_counter() - t) * 1e3)
        with open(os.path.join(res, 'last_run_info.txt')) as f:
            run_time, frac = f.read().split()
        assert float(frac) == 1.0
        loop.append(float(run_time) * 1e3)
    meta = json.load(open(os.path.join(d, 'meta.json')))
    meta.update(loop_median_ms=statistics.median(loop), loop_min_ms=min(loop),
                wall_median_ms=statistics.median(wall), loop_ms=[round(x, 2) for x in loop],
                repeat=repeat)
    return meta


if args.mode == 'time':
    print(json.dumps(time_binary(args.dir, args.repeat)), flush=True)
    sys.exit()

import numpy as np
from brian2 import (NeuronGroup, SpikeMonitor, Network, TimedArray, defaultclock, ms, prefs,
                    set_device, device, float32, float64)

if args.mode == 'build':
    set_device('cpp_standalone', directory=args.dir, build_on_run=False)
    if args.threads:
        prefs.devices.cpp_standalone.openmp_threads = args.threads
else:
    prefs.codegen.target = args.target
prefs.core.default_float_dtype = float32 if args.dtype == 'f32' else float64
defaultclock.dt = 0.1 * ms

def with_input(eqs, ns, n, value):
    if args.input == 'const':
        return eqs, ns
    values = np.full((STEPS, n), value, dtype=np.float32 if args.dtype == 'f32' else np.float64)
    return (eqs.replace('I : 1', 'I = I_ta(t, i) : 1'),
            dict(ns, I_ta=TimedArray(values, dt=defaultclock.dt)))


if args.workload == 'hh_population':
    N, I_ext = 1000, 10.0
    ns = dict(ENa=50.0, EK=-77.0, EL=-54.387, gNa=120.0, gK=36.0, gL=0.03, C=1.0, V_th=20.0)
    # BrainPy 2.x HH: alpha_m = 1/exprel(-(V+40)/10) == 0.1 (V+40) / (1 - exp(-(V+40)/10)),
    # alpha_n = 0.1/exprel(-(V+55)/10) == 0.01 (V+55) / (1 - exp(-(V+55)/10)).
    eqs = '''
    dv/dt = (-gNa*m**3*h*(v - ENa) - gK*n**4*(v - EK) - gL*(v - EL) + I) / C / ms : 1
    dm/dt = (alpha_m*(1 - m) - beta_m*m) / ms : 1
    dh/dt = (alpha_h*(1 - h) - beta_h*h) / ms : 1
    dn/dt = (alpha_n*(1 - n) - beta_n*n) / ms : 1
    alpha_m = 1 / exprel(-(v + 40) / 10) : 1
    beta_m = 4 * exp(-(v + 65) / 18) : 1
    alpha_h = 0.07 * exp(-(v + 65) / 20) : 1
    beta_h = 1 / (1 + exp(-(v + 35) / 10)) : 1
    alpha_n = 0.1 / exprel(-(v + 55) / 10) : 1
    beta_n = 0.125 * exp(-(v + 65) / 80) : 1
    I : 1
    '''
    # spike = (V_old < V_th) and (V_new >= V_th): Brian2's condition-refractoriness sets
    # not_refractory = not_refractory or not (v >= V_th) from the old v before the update, and
    # the threshold is (v_new >= V_th) and not_refractory.
    eqs, ns = with_input(eqs, ns, N, I_ext)
    G = NeuronGroup(N, eqs, threshold='v >= V_th', refractory='v >= V_th',
                    method='exponential_euler', namespace=ns)
    G.v = -65.0
    G.m = 'alpha_m / (alpha_m + beta_m)'
    G.h = 'alpha_h / (alpha_h + beta_h)'
    G.n = 'alpha_n / (alpha_n + beta_n)'
    if args.input == 'const':
        G.I = I_ext
else:
    N, I_ext = 4000, 25.0
    ns = dict(V_rest=0.0, V_reset=-5.0, V_th=20.0, R=1.0, tau=10.0 * ms)
    # tau_ref = 0: BrainPy's refractory test (t - t_last_spike) <= 0 is never true, so none here.
    eqs = '''
    dv/dt = (-v + V_rest + R*I) / tau : 1
    I : 1
    '''
    eqs, ns = with_input(eqs, ns, N, I_ext)
    G = NeuronGroup(N, eqs, threshold='v >= V_th', reset='v = V_reset',
                    method='exponential_euler', namespace=ns)
    G.v = 0.0
    if args.input == 'const':
        G.I = I_ext

mon = SpikeMonitor(G)
net = Network(G, mon)
meta = dict(name=args.workload, dtype=args.dtype, neurons=N, steps=STEPS, input=I_ext,
            input_kind=args.input)

if args.mode == 'build':
    net.run(STEPS * defaultclock.dt)
    t = time.perf_counter()
    device.build(directory=args.dir, compile=True, run=True, with_output=False)
    meta.update(mode='standalone', openmp_threads=args.threads,
                build_and_first_run_s=time.perf_counter() - t,
                first_run_loop_ms=device._last_run_time * 1e3,
                spikes_neuron0=int(mon.count[0]), spikes_total=int(mon.num_spikes),
                first_spike_times_neuron0_ms=[round(float(x / ms), 1) for x in mon.t[mon.i == 0][:5]],
                v_dtype=str(G.v[:].dtype))
    json.dump(meta, open(os.path.join(args.dir, 'meta.json'), 'w'))
    print(json.dumps(meta), flush=True)
else:
    t = time.perf_counter()
    net.run(STEPS * defaultclock.dt)  # warm-up: code generation and compilation
    first = (time.perf_counter() - t) * 1e3
    count0, total = int(mon.count[0]), int(mon.num_spikes)
    t0s = [round(float(x / ms), 1) for x in mon.t[mon.i == 0][:5]]
    calls, loops = [], []
    for _ in range(args.repeat):
        t = time.perf_counter()
        net.run(STEPS * defaultclock.dt)
        calls.append((time.perf_counter() - t) * 1e3)
        loops.append(device._last_run_time * 1e3)
    meta.update(mode='runtime', target=args.target, first_call_ms=first,
                call_median_ms=statistics.median(calls), loop_median_ms=statistics.median(loops),
                loop_min_ms=min(loops), spikes_neuron0_first_run=count0,
                spikes_total_first_run=total, first_spike_times_neuron0_ms=t0s,
                v_dtype=str(G.v[:].dtype), repeat=args.repeat)
    print(json.dumps(meta), flush=True)
