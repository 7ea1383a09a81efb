"""Reference traces of BrainPy 2.8.2's synapse models, outputs and COBAHH's neuron, float64, dt 0.1 ms,
for tests/synapses_reference.rs. Run with BrainPy's venv: python3 make_reference.py (writes the CSVs
next to this file).

- expon.csv: one Expon (tau 5) from g = 1, no input: step,g.
- dual_expon.csv, alpha.csv, nmda.csv, ampa.csv, gabaa.csv: one synapse driven by presynaptic spikes
  at SPIKES (BrainPy's update(x) with x the spike), BrainPy's default parameters except DualExpon
  (tau_decay 5, tau_rise 1) and Alpha (tau_decay 5): step,spike,<states>.
- mg_block.csv: BrainPy's MgBlock (defaults) at a grid of (g, V): g,v,current.
- hh_traub.csv: CondNeuGroup(C=1, V_th=-20) with INa_TM1991(g_max=100, V_sh=-63),
  IK_TM1991(g_max=30, V_sh=-63), IL(E=-60, g_max=0.05), V0 = -65, gates at their steady state,
  constant input 2.0 for 1000 steps: step,V,m,h,n,spike.
"""
import os
import numpy as np
import brainpy as bp
import brainpy.math as bm
from brainpy.context import share

bm.enable_x64()
bm.set_platform('cpu')
HERE = os.path.dirname(os.path.abspath(__file__))
DT = 0.1
STEPS = 600
SPIKES = {10, 12, 100, 101, 102, 250, 400}


def at(k):
    share.save(t=k * DT, dt=DT, i=k)


def write(name, header, rows):
    with open(os.path.join(HERE, name), 'w') as f:
        f.write(header + '\n')
        for row in rows:
            f.write(','.join(cell(x) for x in row) + '\n')


def cell(x):
    """Integers and flags as integers, floats with every digit (repr)."""
    if isinstance(x, (bool, np.bool_, int)):
        return str(int(x))
    return repr(float(x))


# Expon: pure decay from 1.
syn = bp.dyn.Expon(1, tau=5.0)
syn.g.value = bm.asarray([1.0])
rows = []
for k in range(STEPS):
    at(k)
    syn.update()
    rows.append((k, float(syn.g.value[0])))
write('expon.csv', 'step,g', rows)

# Spike-driven dynamics.
for name, syn, states in [
    ('dual_expon.csv', bp.dyn.DualExpon(1, tau_decay=5.0, tau_rise=1.0), ('g', 'h')),
    ('alpha.csv', bp.dyn.Alpha(1, tau_decay=5.0), ('g', 'h')),
    ('nmda.csv', bp.dyn.NMDA(1), ('g', 'x')),
    ('ampa.csv', bp.dyn.AMPA(1), ('g', 'spike_arrival_time')),
    ('gabaa.csv', bp.dyn.GABAa(1), ('g', 'spike_arrival_time')),
]:
    rows = []
    for k in range(STEPS):
        at(k)
        spike = k in SPIKES
        if name in ('ampa.csv', 'gabaa.csv'):
            syn.update(bm.asarray([spike]))
        else:
            syn.update(bm.asarray([1.0 if spike else 0.0]))
        rows.append((k, spike) + tuple(float(getattr(syn, s).value[0]) for s in states))
    write(name, 'step,spike,' + ','.join(states), rows)

# MgBlock on a grid.
out = bp.dyn.MgBlock()
rows = []
for g in (0.0, 0.3, 1.7):
    for v in np.arange(-100.0, 40.0, 7.5):
        rows.append((g, v, float(out.update(bm.asarray(g), bm.asarray(v)))))
write('mg_block.csv', 'g,v,current', rows)


# COBAHH's neuron.
class HH(bp.dyn.CondNeuGroup):
    def __init__(self, size):
        super().__init__(size, C=1.0, V_th=-20.0, V_initializer=bp.init.Constant(-65.0))
        self.INa = bp.dyn.INa_TM1991(size, g_max=100., V_sh=-63.)
        self.IK = bp.dyn.IK_TM1991(size, g_max=30., V_sh=-63.)
        self.IL = bp.dyn.IL(size, E=-60., g_max=0.05)


hh = HH(1)
hh.reset_state()
rows = []
for k in range(1000):
    at(k)
    hh.update(2.0)
    hh.clear_input()
    rows.append((k, float(hh.V.value[0]), float(hh.INa.p.value[0]), float(hh.INa.q.value[0]),
                 float(hh.IK.p.value[0]), bool(hh.spike.value[0])))
write('hh_traub.csv', 'step,V,m,h,n,spike', rows)
print('written to', HERE)
