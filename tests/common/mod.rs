//! Small hand-written systems shared by the integration tests: leaky integrators (scalar and
//! batched), a recorder of what the loop hands each step, a composite with a child, a stateless
//! affine layer, and systems that diverge.
#![allow(dead_code)]

pub mod counting_alloc;

use looptime::integrate::{exp_euler, exp_euler_scalar};
use looptime::nalgebra::{DMatrix, SMatrix, SVector};
use looptime::{DynamicalSystem, Needs, Shared, StateVisitor, VisitState};

/// `dx/dt = (-x + I) / tau`, one exponential-Euler step per update, which is exact for this
/// equation: after a step of `dt` with constant input `I`, `x = I + (x - I) exp(-dt / tau)`.
#[derive(Clone, Debug)]
pub struct Leaky {
    pub x: f64,
    pub x0: f64,
    pub tau: f64,
}

impl Leaky {
    pub fn new(x0: f64, tau: f64) -> Self {
        Leaky { x: x0, x0, tau }
    }

    /// The exact solution after time `t` under constant input `input`, from `x0`.
    pub fn exact(x0: f64, tau: f64, input: f64, t: f64) -> f64 {
        input + (x0 - input) * (-t / tau).exp()
    }
}

impl<A> DynamicalSystem<A> for Leaky {
    type Input = f64;
    type Output = f64;

    fn update(&mut self, sh: &Shared<A>, input: f64) -> f64 {
        let f = (-self.x + input) / self.tau;
        self.x = exp_euler_scalar(self.x, sh.dt, f, -1.0 / self.tau);
        self.x
    }

    fn reset_state(&mut self) {
        self.x = self.x0;
    }

    fn visit_states(&self, visitor: &mut dyn StateVisitor) {
        self.x.visit_state("x", visitor);
    }
}

/// `N` leaky integrators for each of `B` samples (one column per sample), `dx/dt = (-x + I) / tau`
/// with one `tau` per row, exponential Euler. Output: `2 x`, so outputs and states differ. A second
/// state, `peak`, keeps the largest `x` seen per element.
#[derive(Clone, Debug)]
pub struct BatchLeaky<const N: usize, const B: usize> {
    pub x: SMatrix<f64, N, B>,
    pub peak: SMatrix<f64, N, B>,
    pub tau: SVector<f64, N>,
}

impl<const N: usize, const B: usize> BatchLeaky<N, B> {
    /// Row `r` has `tau = 2 + r` (ms).
    pub fn new() -> Self {
        BatchLeaky {
            x: SMatrix::zeros(),
            peak: SMatrix::from_element(f64::NEG_INFINITY),
            tau: SVector::from_fn(|r, _| 2.0 + r as f64),
        }
    }
}

impl<const N: usize, const B: usize> Default for BatchLeaky<N, B> {
    fn default() -> Self {
        Self::new()
    }
}

impl<A, const N: usize, const B: usize> DynamicalSystem<A> for BatchLeaky<N, B> {
    type Input = SMatrix<f64, N, B>;
    type Output = SMatrix<f64, N, B>;

    fn update(&mut self, sh: &Shared<A>, input: Self::Input) -> Self::Output {
        let f =
            SMatrix::<f64, N, B>::from_fn(|r, c| (-self.x[(r, c)] + input[(r, c)]) / self.tau[r]);
        let a = SMatrix::<f64, N, B>::from_fn(|r, _| -1.0 / self.tau[r]);
        self.x = exp_euler(&self.x, sh.dt, &f, &a);
        self.peak = self.peak.zip_map(&self.x, f64::max);
        self.x * 2.0
    }

    fn reset_state(&mut self) {
        self.x = SMatrix::zeros();
        self.peak = SMatrix::from_element(f64::NEG_INFINITY);
    }

    fn visit_states(&self, visitor: &mut dyn StateVisitor) {
        self.x.visit_state("x", visitor);
        self.peak.visit_state("peak", visitor);
    }
}

/// Records the [`Shared`] values and the input it sees at every step, and returns its input.
/// Its one state is the number of calls since the last reset; `needs` is what it reports.
#[derive(Clone, Debug)]
pub struct Recorder<A = ()> {
    pub seen: Vec<Shared<A>>,
    pub inputs: Vec<f64>,
    pub calls: u64,
    pub needs: Needs,
}

impl<A> Recorder<A> {
    pub fn new() -> Self {
        Recorder {
            seen: Vec::new(),
            inputs: Vec::new(),
            calls: 0,
            needs: Needs::NOTHING,
        }
    }

    pub fn needing(needs: Needs) -> Self {
        Recorder {
            needs,
            ..Self::new()
        }
    }
}

impl<A> Default for Recorder<A> {
    fn default() -> Self {
        Self::new()
    }
}

impl<A: Clone> DynamicalSystem<A> for Recorder<A> {
    type Input = f64;
    type Output = f64;

    fn update(&mut self, sh: &Shared<A>, input: f64) -> f64 {
        self.seen.push(sh.clone());
        self.inputs.push(input);
        self.calls += 1;
        input
    }

    fn reset_state(&mut self) {
        self.calls = 0;
    }

    fn needs(&self) -> Needs {
        self.needs
    }
}

/// A system with a child: it runs `child` on its input, adds the child's output to its own state
/// `acc`, records the shared values it sees, and returns `acc`. Its states are `acc` and the
/// child's, under `child.`.
#[derive(Clone, Debug)]
pub struct Composite<C, A = ()> {
    pub acc: f64,
    pub child: C,
    pub seen: Vec<Shared<A>>,
}

impl<C, A> Composite<C, A> {
    pub fn new(child: C) -> Self {
        Composite {
            acc: 0.0,
            child,
            seen: Vec::new(),
        }
    }
}

impl<A: Clone, C: DynamicalSystem<A, Input = f64, Output = f64>> DynamicalSystem<A>
    for Composite<C, A>
{
    type Input = f64;
    type Output = f64;

    fn update(&mut self, sh: &Shared<A>, input: f64) -> f64 {
        self.seen.push(sh.clone());
        self.acc += self.child.update(sh, input);
        self.acc
    }

    fn reset_state(&mut self) {
        self.acc = 0.0;
        self.child.reset_state();
    }

    fn needs(&self) -> Needs {
        self.child.needs()
    }

    fn visit_states(&self, visitor: &mut dyn StateVisitor) {
        self.acc.visit_state("acc", visitor);
        visitor.enter("child");
        self.child.visit_states(visitor);
        visitor.leave();
    }
}

/// A stateless dense layer `y = W x + b` applied to each of `B` columns. `update_all` stacks all
/// `T × B` columns into one matrix and makes one matrix product. It counts its calls, and keeps the
/// `t` and `i` of the last call.
#[derive(Clone, Debug)]
pub struct Affine<const I: usize, const O: usize, const B: usize> {
    pub w: SMatrix<f64, O, I>,
    pub b: SVector<f64, O>,
    pub update_calls: usize,
    pub update_all_calls: usize,
    pub last_t: Option<Option<f64>>,
    pub last_i: Option<Option<u64>>,
    pub needs: Needs,
}

impl<const I: usize, const O: usize, const B: usize> Affine<I, O, B> {
    pub fn new(w: SMatrix<f64, O, I>, b: SVector<f64, O>) -> Self {
        Affine {
            w,
            b,
            update_calls: 0,
            update_all_calls: 0,
            last_t: None,
            last_i: None,
            needs: Needs::NOTHING,
        }
    }

    /// `y = W x + b` for one column, written out so that it is the formula itself.
    pub fn apply_column(&self, x: &SVector<f64, I>) -> SVector<f64, O> {
        SVector::from_fn(|r, _| {
            let mut s = 0.0;
            for k in 0..I {
                s += self.w[(r, k)] * x[k];
            }
            s + self.b[r]
        })
    }
}

impl<A, const I: usize, const O: usize, const B: usize> DynamicalSystem<A> for Affine<I, O, B> {
    type Input = SMatrix<f64, I, B>;
    type Output = SMatrix<f64, O, B>;

    fn update(&mut self, sh: &Shared<A>, x: Self::Input) -> Self::Output {
        self.update_calls += 1;
        self.last_t = Some(sh.t);
        self.last_i = Some(sh.i);
        let mut y = self.w * x;
        for mut column in y.column_iter_mut() {
            column += self.b;
        }
        y
    }

    fn reset_state(&mut self) {}

    fn needs(&self) -> Needs {
        self.needs
    }

    fn is_stateless(&self) -> bool {
        true
    }

    fn update_all(&mut self, sh: &Shared<A>, xs: &[Self::Input], out: &mut Vec<Self::Output>) {
        self.update_all_calls += 1;
        self.last_t = Some(sh.t);
        self.last_i = Some(sh.i);
        let n = xs.len() * B;
        let columns = DMatrix::from_fn(I, n, |r, c| xs[c / B][(r, c % B)]);
        let w = DMatrix::from_column_slice(O, I, self.w.as_slice());
        let y = w * columns;
        out.extend((0..xs.len()).map(|k| SMatrix::from_fn(|r, c| y[(r, k * B + c)] + self.b[r])));
    }
}

/// `x <- factor * x` element by element at every step; output `x[0]`. With `x[e] = 1e300` and
/// `factor = 10`, element `e` is `1e(301 + k)` after step `k`, which overflows to +inf at `k = 8`.
#[derive(Clone, Debug)]
pub struct Growth<const N: usize> {
    pub x: SVector<f64, N>,
    pub x0: SVector<f64, N>,
    pub factor: f64,
}

impl<const N: usize> Growth<N> {
    pub fn new(x0: SVector<f64, N>, factor: f64) -> Self {
        Growth { x: x0, x0, factor }
    }
}

impl<A, const N: usize> DynamicalSystem<A> for Growth<N> {
    type Input = f64;
    type Output = f64;

    fn update(&mut self, _sh: &Shared<A>, _input: f64) -> f64 {
        self.x *= self.factor;
        self.x[0]
    }

    fn reset_state(&mut self) {
        self.x = self.x0;
    }

    fn visit_states(&self, visitor: &mut dyn StateVisitor) {
        self.x.visit_state("x", visitor);
    }
}

/// `y <- y - 1`, `z = sqrt(y)`: from `y = y0`, `z` is NaN from the first step whose `y` is negative.
#[derive(Clone, Debug)]
pub struct SqrtOfCountdown {
    pub y: f64,
    pub z: f64,
    pub flag: bool,
}

impl<A> DynamicalSystem<A> for SqrtOfCountdown {
    type Input = f64;
    type Output = f64;

    fn update(&mut self, _sh: &Shared<A>, _input: f64) -> f64 {
        self.y -= 1.0;
        self.z = self.y.sqrt();
        self.flag = !self.flag;
        self.z
    }

    fn reset_state(&mut self) {}

    fn visit_states(&self, visitor: &mut dyn StateVisitor) {
        // A flag first: flags are never "not finite".
        self.flag.visit_state("flag", visitor);
        self.y.visit_state("y", visitor);
        self.z.visit_state("z", visitor);
    }
}

/// Sums a tuple of two inputs (for inputs fed side by side).
#[derive(Clone, Debug, Default)]
pub struct Sum2 {
    pub total: f64,
}

impl<A> DynamicalSystem<A> for Sum2 {
    type Input = (f64, SVector<f64, 2>);
    type Output = f64;

    fn update(&mut self, _sh: &Shared<A>, (a, b): Self::Input) -> f64 {
        self.total += a + b[0] + b[1];
        self.total
    }

    fn reset_state(&mut self) {
        self.total = 0.0;
    }
}
