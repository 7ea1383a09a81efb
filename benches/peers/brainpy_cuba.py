"""CUBA (Vogels & Abbott 2005; Brette et al. 2007 benchmark 2) in BrainPy: 3200 E + 800 I LifRef
(V_rest = El = -49 mV, V_reset -60, V_th -50, tau 20 ms, tau_ref 5 ms, V0 uniform in [-60, -50)),
2% random connectivity (FixedProb), current-based exponential synapses (Expon tau 5 / 10 ms with a
CUBA output, weights 1.62 / -9 mV, Brian2's example), no external input. Times 1 s of biological
time (10 000 steps at dt 0.1 ms), after compilation. Prints one JSON line (median of 3 runs).

Set-up: see brainpy_coba.py. Usage: brainpy_cuba.py [--x64] [--scale S]"""
import sys, time, json
import brainpy as bp
import brainpy.math as bm

x64 = '--x64' in sys.argv
if x64:
    bm.enable_x64()
bm.set_platform('cpu')
scale = float(sys.argv[sys.argv.index('--scale') + 1]) if '--scale' in sys.argv else 1.0

pars = dict(V_rest=-49., V_th=-50., V_reset=-60., tau=20., tau_ref=5.,
            V_initializer=bp.init.Uniform(-60., -50.))

class CUBA(bp.DynamicalSystem):
    def __init__(self, ne, ni):
        super().__init__()
        self.E = bp.dyn.LifRef(ne, **pars)
        self.I = bp.dyn.LifRef(ni, **pars)
        def proj(pre, post, w, tau):
            return bp.dyn.ProjAlignPostMg2(
                pre=pre, delay=None,
                comm=bp.dnn.EventCSRLinear(bp.conn.FixedProb(0.02, pre=pre.num, post=post.num), w),
                syn=bp.dyn.Expon.desc(post.varshape, tau=tau),
                out=bp.dyn.CUBA.desc(), post=post)
        we, wi = 60 * 0.27 / 10 / scale, -20 * 4.5 / 10 / scale
        self.E2E = proj(self.E, self.E, we, 5.)
        self.E2I = proj(self.E, self.I, we, 5.)
        self.I2E = proj(self.I, self.E, wi, 10.)
        self.I2I = proj(self.I, self.I, wi, 10.)
    def update(self):
        self.E2I(); self.I2I(); self.I2E(); self.E2E()
        self.E(); self.I()
        return self.E.spike.value

net = CUBA(int(3200 * scale), int(800 * scale))
runner = bp.DSRunner(net, monitors={'E.spike': net.E.spike}, progress_bar=False)
t0 = time.perf_counter(); runner.run(1000.); first = time.perf_counter() - t0
times = []
for _ in range(3):
    t0 = time.perf_counter(); runner.run(1000.); times.append(time.perf_counter() - t0)
sp = runner.mon['E.spike']
rate = sp.sum() / sp.shape[1] / 1.0
times.sort()
print(json.dumps({'name': 'cuba', 'dtype': 'f64' if x64 else 'f32', 'median_ms': times[1] * 1e3, 'first_call_ms': first * 1e3,
                  'E_rate_hz': float(rate), 'neurons': int(4000 * scale), 'steps': 10000}))
