"""COBAHH (Brette et al. 2007 benchmark 3) in BrainPy, as examples/dynamics_simulation/
Brette_2007_COBAHH.py builds it on BrainPy's current API: 3200 E + 800 I Hodgkin-Huxley neurons
with Traub & Miles's kinetics (CondNeuGroup with INa_TM1991 g_max 100, IK_TM1991 g_max 30,
V_sh -63, IL E -60 g_max 0.05; V0 uniform in [-70, -60), gates at their steady state; spikes
crossing -20 mV upwards), 2% random connectivity (FixedProb), exponential conductances (tau 5 /
10 ms, COBA E 0 / -80 mV, weights 0.03 / 0.335 mS/cm^2), no external input. Times 1 s of
biological time (10 000 steps at dt 0.1 ms), after compilation. Prints one JSON line (median of 3
runs).

Set-up: see brainpy_coba.py. Usage: brainpy_cobahh.py [--x64] [--scale S]"""
import sys, time, json
import brainpy as bp
import brainpy.math as bm

x64 = '--x64' in sys.argv
if x64:
    bm.enable_x64()
bm.set_platform('cpu')
scale = float(sys.argv[sys.argv.index('--scale') + 1]) if '--scale' in sys.argv else 1.0

class HH(bp.dyn.CondNeuGroup):
    def __init__(self, size):
        super().__init__(size, C=1., V_th=-20., V_initializer=bp.init.Uniform(-70., -60.))
        self.INa = bp.dyn.INa_TM1991(size, g_max=100., V_sh=-63.)
        self.IK = bp.dyn.IK_TM1991(size, g_max=30., V_sh=-63.)
        self.IL = bp.dyn.IL(size, E=-60., g_max=0.05)

class COBAHH(bp.DynamicalSystem):
    def __init__(self, ne, ni):
        super().__init__()
        self.E = HH(ne)
        self.I = HH(ni)
        def proj(pre, post, w, tau, E):
            return bp.dyn.ProjAlignPostMg2(
                pre=pre, delay=None,
                comm=bp.dnn.EventCSRLinear(bp.conn.FixedProb(0.02, pre=pre.num, post=post.num), w),
                syn=bp.dyn.Expon.desc(post.varshape, tau=tau),
                out=bp.dyn.COBA.desc(E=E), post=post)
        self.E2E = proj(self.E, self.E, 0.03 / scale, 5., 0.)
        self.E2I = proj(self.E, self.I, 0.03 / scale, 5., 0.)
        self.I2E = proj(self.I, self.E, 0.335 / scale, 10., -80.)
        self.I2I = proj(self.I, self.I, 0.335 / scale, 10., -80.)
    def update(self):
        self.E2I(); self.I2I(); self.I2E(); self.E2E()
        self.E(); self.I()
        return self.E.spike.value

net = COBAHH(int(3200 * scale), int(800 * scale))
runner = bp.DSRunner(net, monitors={'E.spike': net.E.spike}, progress_bar=False)
t0 = time.perf_counter(); runner.run(1000.); first = time.perf_counter() - t0
times = []
for _ in range(3):
    t0 = time.perf_counter(); runner.run(1000.); times.append(time.perf_counter() - t0)
sp = runner.mon['E.spike']
rate = sp.sum() / sp.shape[1] / 1.0
times.sort()
print(json.dumps({'name': 'cobahh', 'dtype': 'f64' if x64 else 'f32', 'median_ms': times[1] * 1e3, 'first_call_ms': first * 1e3,
                  'E_rate_hz': float(rate), 'neurons': int(4000 * scale), 'steps': 10000}))
