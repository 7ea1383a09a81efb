"""COBAHH (Brette et al. 2007 benchmark 3) in Brian2 C++ standalone, Brian2's examples/COBAHH.py:
4000 Hodgkin-Huxley neurons with Traub & Miles's kinetics (20 000 um^2: Cm 200 pF, gl 10 nS, El
-60 mV, g_na 20 uS, g_kd 6 uS, VT -63 mV), threshold -20 mV, refractory 3 ms, 2% random
connectivity from the first 3200 (E, 6 nS, tau 5 ms, Ee 0 mV) and the last 800 (I, 67 nS, tau 10
ms, Ei -80 mV), exponential Euler, dt 0.1 ms, 1 s; v, ge, gi drawn as in the example (gates at 0).
Prints JSON: the binary's run time (median of --repeat runs), excluding code generation and
compilation. --threads N uses OpenMP.

Set-up: see brian2_coba.py. The build goes to /tmp/cobahh/."""
import sys, os, json, statistics, subprocess
from brian2 import *

threads = int(sys.argv[sys.argv.index('--threads') + 1]) if '--threads' in sys.argv else 0
repeat = int(sys.argv[sys.argv.index('--repeat') + 1]) if '--repeat' in sys.argv else 5
scale = float(sys.argv[sys.argv.index('--scale') + 1]) if '--scale' in sys.argv else 1.0
out = f'/tmp/cobahh/brian2_cobahh_t{threads}_s{scale}'
os.makedirs('/tmp/cobahh', exist_ok=True)
set_device('cpp_standalone', directory=out, build_on_run=False)
if threads:
    prefs.devices.cpp_standalone.openmp_threads = threads
defaultclock.dt = 0.1 * ms
ne, ni = int(3200 * scale), int(800 * scale)
area = 20000 * umetre ** 2
Cm = (1 * ufarad * cm ** -2) * area
gl = (5e-5 * siemens * cm ** -2) * area
El, EK, ENa = -60 * mV, -90 * mV, 50 * mV
g_na = (100 * msiemens * cm ** -2) * area
g_kd = (30 * msiemens * cm ** -2) * area
VT = -63 * mV
taue, taui = 5 * ms, 10 * ms
Ee, Ei = 0 * mV, -80 * mV
we, wi = 6 * nS / scale, 67 * nS / scale
eqs = Equations('''
dv/dt = (gl*(El-v)+ge*(Ee-v)+gi*(Ei-v)-
         g_na*(m*m*m)*h*(v-ENa)-
         g_kd*(n*n*n*n)*(v-EK))/Cm : volt
dm/dt = alpha_m*(1-m)-beta_m*m : 1
dn/dt = alpha_n*(1-n)-beta_n*n : 1
dh/dt = alpha_h*(1-h)-beta_h*h : 1
dge/dt = -ge*(1./taue) : siemens
dgi/dt = -gi*(1./taui) : siemens
alpha_m = 0.32*(mV**-1)*4*mV/exprel((13*mV-v+VT)/(4*mV))/ms : Hz
beta_m = 0.28*(mV**-1)*5*mV/exprel((v-VT-40*mV)/(5*mV))/ms : Hz
alpha_h = 0.128*exp((17*mV-v+VT)/(18*mV))/ms : Hz
beta_h = 4./(1+exp((40*mV-v+VT)/(5*mV)))/ms : Hz
alpha_n = 0.032*(mV**-1)*5*mV/exprel((15*mV-v+VT)/(5*mV))/ms : Hz
beta_n = .5*exp((10*mV-v+VT)/(40*mV))/ms : Hz
''')
P = NeuronGroup(ne + ni, model=eqs, threshold='v>-20*mV', refractory=3 * ms, method='exponential_euler')
Ce = Synapses(P[:ne], P, on_pre='ge+=we')
Ci = Synapses(P[ne:], P, on_pre='gi+=wi')
Ce.connect(p=0.02)
Ci.connect(p=0.02)
P.v = 'El + (randn() * 5 - 5)*mV'
P.ge = '(randn() * 1.5 + 4) * 10.*nS'
P.gi = '(randn() * 12 + 20) * 10.*nS'
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
print(json.dumps({'name': 'cobahh', 'engine': 'brian2-standalone', 'threads': threads or 1,
                  'median_ms': statistics.median(times) * 1e3, 'min_ms': min(times) * 1e3,
                  'E_rate_hz': (n_spikes / ne) if n_spikes else None, 'neurons': ne + ni, 'steps': 10000}))
