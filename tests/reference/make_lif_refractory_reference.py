"""Make lif_refractory_dt005.csv (float64) and lif_refractory_dt005_f32.csv (float32): BrainPy's
LIF with a refractory period at dt = 0.05 ms.

The trace behind the "timing edge" test (tests/neurons_simulate.rs): with tau_ref = 0.7 ms and
dt = 0.05 ms, `(t - t_last_spike) <= tau_ref` is decided by float rounding at the step where
t - t_last_spike is 0.7 in exact arithmetic (14 steps after a spike): sometimes the difference
of the two float times is <= 0.7 (still refractory), sometimes > 0.7 (free). A model that counts
steps, accumulates t, or compares in another precision puts some spikes on other steps.

Set-up (once):  python3 -m venv /tmp/brainpy-env && /tmp/brainpy-env/bin/pip install brainpy 'jax[cpu]'
Run:            /tmp/brainpy-env/bin/python tests/reference/make_lif_refractory_reference.py
                /tmp/brainpy-env/bin/python tests/reference/make_lif_refractory_reference.py f32

Made with BrainPy 2.8.2 (brainpy.neurons.LIF), float64, and float32 (x64 off: V, t and
t_last_spike are float32, so the edge is decided by float32 rounding; t is k * dt in float64
rounded to float32, as the loop's f64 clock rounded to T). The model is stepped exactly as
docs/MODELS.md says the loop does: step k sees t = k * dt (not accumulated) and the row of step k
holds the state after the step. Before writing, the script checks that the same stepping
reproduces the project's lif_input25_1000steps.csv bit for bit.
"""
import json
import os
import sys

import numpy as np
import brainpy as bp
import brainpy.math as bm

F32 = sys.argv[1:] == ['f32']
if not F32:
    bm.enable_x64()
FLOAT = np.float32 if F32 else np.float64
HERE = os.path.dirname(os.path.abspath(__file__))

DT = 0.05
STEPS = 4000
TAU_REF = 0.7
RAMP = (20.0, 60.0)  # the input current: np.linspace(20, 60, STEPS), the CLI's --ramp 20,60


def run_lif(dt, inputs, **params):
    """brainpy.neurons.LIF (one neuron, defaults but `params`), step k at t = k * dt."""
    bm.set_dt(dt)
    lif = bp.neurons.LIF(1, input_var=False, **params)
    n = len(inputs)
    ts = np.arange(n) * dt
    idx = np.arange(n)
    xs = np.asarray(inputs, dtype=np.float64).astype(FLOAT).reshape(n, 1)

    def step(t, i, x):
        bp.share.save(t=t, i=i, dt=dt)
        spike = lif.update(x)
        return lif.V.value, spike, lif.t_last_spike.value

    v, spike, t_last = bm.for_loop(step, (ts.astype(FLOAT), idx, xs), progress_bar=False)
    return ts, np.asarray(v)[:, 0], np.asarray(spike)[:, 0], np.asarray(t_last)[:, 0]


def check_against_lif_input25():
    path = os.path.join(HERE, 'lif_input25_1000steps.csv')
    ref = np.loadtxt(path, delimiter=',', skiprows=2)
    ts, v, spike, _ = run_lif(0.1, [25.0] * 1000)
    assert (ts == ref[:, 0]).all() and (v == ref[:, 1]).all() and (spike == ref[:, 2]).all(), \
        'this stepping does not reproduce lif_input25_1000steps.csv'


def main():
    if not F32:
        check_against_lif_input25()
    inputs = np.linspace(RAMP[0], RAMP[1], STEPS)
    ts, v, spike, t_last = run_lif(DT, inputs, tau_ref=TAU_REF)

    # How many spikes meet the edge each way (at the step 0.7 ms after them, in exact arithmetic).
    m = round(TAU_REF / DT)
    spikes = np.nonzero(spike)[0]
    tf = ts.astype(FLOAT)
    held = sum(1 for s in spikes if s + m < STEPS and tf[s + m] - tf[s] <= FLOAT(TAU_REF))
    free = sum(1 for s in spikes if s + m < STEPS and tf[s + m] - tf[s] > FLOAT(TAU_REF))
    print(f'{len(spikes)} spikes; at the edge step {held} still refractory, {free} free')
    assert held > 0 and free > 0, 'the trace should meet the edge both ways'

    meta = {
        'model': 'LIF', 'V_rest': 0.0, 'V_reset': -5.0, 'V_th': 20.0, 'R': 1.0, 'tau': 10.0,
        'tau_ref': TAU_REF, 'V0': 0.0, 'dt': DT, 'input': f'linspace({RAMP[0]}, {RAMP[1]}, {STEPS})',
        'steps': STEPS, 'brainpy': bp.__version__, 'x64': not F32,
        'made_by': 'tests/reference/make_lif_refractory_reference.py',
    }
    out = os.path.join(HERE, 'lif_refractory_dt005_f32.csv' if F32 else 'lif_refractory_dt005.csv')
    with open(out, 'w') as f:
        f.write('# ' + json.dumps(meta) + '\n')
        f.write('t,V,spike,t_last_spike\n')
        for k in range(STEPS):
            f.write(f'{float(ts.astype(FLOAT)[k])!r},{float(v[k])!r},{float(spike[k])!r},{float(t_last[k])!r}\n')
    print('wrote', out)


if __name__ == '__main__':
    main()
