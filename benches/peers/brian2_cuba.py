"""CUBA (Vogels & Abbott 2005; Brette et al. 2007 benchmark 2) in Brian2 C++ standalone, Brian2's
examples/CUBA.py: 4000 LIF (tau 20 ms, El -49 mV, V_th -50, V_reset -60, refractory 5 ms, V0
uniform in [-60, -50)), 2% random connectivity from the first 3200 (E, weight 1.62 mV) and the
last 800 (I, -9 mV), exponential currents (tau 5 / 10 ms), exact integration, dt 0.1 ms, 1 s.
Prints JSON: the binary's run time (median of --repeat runs), excluding code generation and
compilation. --threads N uses OpenMP.

Set-up: see brian2_coba.py. The build goes to /tmp/cuba/."""
import sys, os, json, statistics, subprocess
from brian2 import *

threads = int(sys.argv[sys.argv.index('--threads') + 1]) if '--threads' in sys.argv else 0
repeat = int(sys.argv[sys.argv.index('--repeat') + 1]) if '--repeat' in sys.argv else 5
scale = float(sys.argv[sys.argv.index('--scale') + 1]) if '--scale' in sys.argv else 1.0
out = f'/tmp/cuba/brian2_cuba_t{threads}_s{scale}'
os.makedirs('/tmp/cuba', exist_ok=True)
set_device('cpp_standalone', directory=out, build_on_run=False)
if threads:
    prefs.devices.cpp_standalone.openmp_threads = threads
defaultclock.dt = 0.1 * ms
ne, ni = int(3200 * scale), int(800 * scale)
taum, taue, taui = 20 * ms, 5 * ms, 10 * ms
Vt, Vr, El = -50 * mV, -60 * mV, -49 * mV
eqs = '''
dv/dt  = (ge+gi-(v-El))/taum : volt (unless refractory)
dge/dt = -ge/taue : volt
dgi/dt = -gi/taui : volt
'''
P = NeuronGroup(ne + ni, eqs, threshold='v>Vt', reset='v = Vr', refractory=5 * ms, method='exact')
P.v = 'Vr + rand() * (Vt - Vr)'
we = (60 * 0.27 / 10) * mV / scale
wi = (-20 * 4.5 / 10) * mV / scale
Ce = Synapses(P[:ne], P, on_pre='ge += we')
Ci = Synapses(P[ne:], P, on_pre='gi += wi')
Ce.connect(p=0.02)
Ci.connect(p=0.02)
mon = SpikeMonitor(P[:ne])
run(1 * second)
device.build(directory=out, compile=True, run=False)
times = []
for _ in range(repeat):
    subprocess.run(['./main'], cwd=out, check=True, stdout=subprocess.DEVNULL)
    times.append(float(open(f'{out}/results/last_run_info.txt').read().split()[0]))
import glob
n_spikes = None
for f in glob.glob(f'{out}/results/*'):
    if 'spikemonitor_i_' in f:
        n_spikes = os.path.getsize(f) // 4
print(json.dumps({'name': 'cuba', 'engine': 'brian2-standalone', 'threads': threads or 1,
                  'median_ms': statistics.median(times) * 1e3, 'min_ms': min(times) * 1e3,
                  'E_rate_hz': (n_spikes / ne) if n_spikes else None, 'neurons': ne + ni, 'steps': 10000}))
