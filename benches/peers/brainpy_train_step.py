"""One training step of the seed's network in BrainPy: the value and gradient (JAX's `grad`) of a
loss through `LoopOverTime`, for comparison with looptime's `benches/train_step.rs`.

Workload (the same on both sides): `Sequential(l1=RNNCell(100, 20), l2=relu, l3=RNNCell(20, 2))`
in training mode, batch 128, 30 time-first steps, from a reset state; loss = softmax
cross-entropy of the two outputs against a label per step and sample, averaged over steps and
samples (`bp.losses.cross_entropy_loss`); gradient with respect to every trainable weight
(Wi, Wh, b of both cells). Inputs and labels are built before timing. The whole step (reset,
forward loop, loss, backward) is one `bm.jit`-compiled function, BrainPy at its fastest.

Run:  /tmp/brainpy-env/bin/python benches/peers/brainpy_train_step.py [--x64] [--repeat 50]
Prints one JSON line: name, dtype, median_ms, min_ms, first_call_ms (tracing + compilation).
"""
import argparse, json, time
import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument('--x64', action='store_true', help='float64 (default float32, BrainPy default)')
ap.add_argument('--repeat', type=int, default=50)
args = ap.parse_args()

import jax
import brainpy as bp
import brainpy.math as bm

if args.x64:
    bm.enable_x64()
DTYPE = 'f64' if args.x64 else 'f32'

n_time, n_batch, n_in = 30, 128, 100
with bm.environment(mode=bm.TrainingMode(batch_size=n_batch)):
    model = bp.Sequential(l1=bp.dyn.RNNCell(n_in, 20), l2=bm.relu, l3=bp.dyn.RNNCell(20, 2))
lot = bp.LoopOverTime(model, data_first_axis='T')

rng = np.random.default_rng(0)
x = bm.asarray(rng.standard_normal((n_time, n_batch, n_in)), dtype=bm.float_)
labels = bm.asarray(rng.integers(0, 2, (n_time, n_batch)))


def loss_fn(xs, ys):
    model.reset(n_batch)
    out = lot(xs)                                   # (T, B, 2)
    return bp.losses.cross_entropy_loss(out.reshape(-1, 2), ys.reshape(-1))


grad_fn = bm.grad(loss_fn, grad_vars=model.train_vars().unique(), return_value=True)
step = bm.jit(grad_fn)


def call():
    grads, loss = step(x, labels)
    return jax.block_until_ready((grads, loss))


t = time.perf_counter(); call(); first = time.perf_counter() - t
ts = []
for _ in range(args.repeat):
    t = time.perf_counter(); call(); ts.append(time.perf_counter() - t)
n_grads = sum(int(np.prod(g.shape)) for g in call()[0].values())
print(json.dumps(dict(name='rnn_seed_train_step', dtype=DTYPE, median_ms=float(np.median(ts) * 1e3),
                      min_ms=float(np.min(ts) * 1e3), first_call_ms=first * 1e3,
                      steps=n_time, batch=n_batch, n_in=n_in, params=n_grads)), flush=True)
