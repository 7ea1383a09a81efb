"""When does a spike reach an align-post conductance in BrainPy 2.8.2, for each delay?

One presynaptic neuron (SpikeTimeGroup) fires at t = 1.0 ms (step 10 at dt 0.1); a
ProjAlignPostMg2 (EventCSRLinear, weight 1, Expon tau 5, CUBA) runs before the populations, as in
COBA. Writes arrival.csv: the delay given to BrainPy (ms, empty for None), the step of the spike,
the first step whose conductance is > 0, and the conductance there and one step later (float64).

Set-up: /tmp/brainpy-env as in benches/peers/brainpy_coba.py. Run: python make_reference.py
"""
import csv
import os

import brainpy as bp
import brainpy.math as bm
import numpy as np

bm.enable_x64()
bm.set_platform('cpu')


def arrival(delay):
    class Net(bp.DynSysGroup):
        def __init__(self):
            super().__init__()
            self.pre = bp.dyn.SpikeTimeGroup(1, indices=(0,), times=(1.0,))
            self.post = bp.dyn.LifRef(1, V_rest=-60., V_th=1e9, V_reset=-60., tau=20., tau_ref=5.)
            self.proj = bp.dyn.ProjAlignPostMg2(
                pre=self.pre, delay=delay,
                comm=bp.dnn.EventCSRLinear(bp.conn.FixedProb(1.0, pre=1, post=1), 1.0),
                syn=bp.dyn.Expon.desc(1, tau=5.), out=bp.dyn.CUBA.desc(), post=self.post)

        def update(self):
            self.proj()
            self.pre()
            self.post(0.)
            return self.pre.spike.value, self.proj.refs['syn'].g.value

    runner = bp.DSRunner(Net(), progress_bar=False)
    spikes, g = runner.run(3.0)
    spikes, g = np.asarray(spikes)[:, 0], np.asarray(g)[:, 0]
    k_spike = int(np.argmax(spikes))
    k_g = int(np.argmax(g > 0))
    return k_spike, k_g, g[k_g], g[k_g + 1]


here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, 'arrival.csv'), 'w', newline='') as f:
    w = csv.writer(f)
    w.writerow(['delay_ms', 'spike_step', 'first_step_g_positive', 'g_first', 'g_next'])
    for d in [None, 0.0, 0.1, 0.2, 0.3, 0.5, 1.0]:
        k_spike, k_g, g0, g1 = arrival(d)
        w.writerow(['' if d is None else d, k_spike, k_g, repr(float(g0)), repr(float(g1))])
