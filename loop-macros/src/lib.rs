//! Procedural macros of looptime: `#[dynamical_system]` (a model from a struct and the impl of its
//! equations), `loop_over_time!` (a loop whose step count is in the types) and `sequential!`
//! (layers composed, shapes checked). Each entry point converts tokens and calls its module's
//! `expand`; the modules go parse → validate → expand. Each macro's documentation is its
//! reference: every attribute and option, with an example that runs (as a doctest).

mod ctxt;
mod dynamical_system;
mod krate;
mod loop_over_time;
mod sequential;
mod symbolic;

use proc_macro::TokenStream;

/// Turns an annotated struct into a model, and the impl holding its equations into its step.
///
/// A model is the step of **one element** (a neuron, a synapse) written once: its parameters,
/// states and inputs on the struct, its equations and rules on the impl. The macro generates
/// the rest, and loop-core's element driver runs the step over every element of the population
/// (vector instructions chosen at run time, and two cores for a large population).
///
/// ```
/// use looptime::nalgebra::SVector;
/// use looptime::prelude::*;
///
/// #[dynamical_system(inputs(i))]                 // struct options: inputs(…), crate = …
/// pub struct Lif<const N: usize> {
///     #[param(default = 10.0, check = positive)] // a parameter: default, check rules, train
///     pub tau: f64,
///     #[param(default = 20.0)]
///     pub v_th: f64,
///     #[state(init = 0.0)]                       // a state: its initial value
///     pub v: SVector<f64, N>,
///     #[state]                                   // no init: zero, or false
///     pub spike: SVector<bool, N>,
/// }
///
/// #[dynamical_system(method = exp_euler)]        // impl options: method = …, crate = …
/// impl<const N: usize> Lif<N> {
///     #[ode(v)]                                  // dv/dt for one element
///     fn dv(&self, v: f64, i: f64) -> f64 {
///         (-v + i) / self.tau
///     }
///
///     #[update]                                  // one element after its equations
///     fn fire(&self, _sh: &Shared, new: &mut LifElement) -> bool {
///         new.spike = new.v >= self.v_th;
///         if new.spike {
///             new.v = 0.0;
///         }
///         new.spike
///     }
/// }
///
/// let mut lif = Lif::<4>::builder().tau(5.0).build().unwrap();
/// let spikes = lif.update(&Shared::new(0.1, ()), SVector::from_element(30.0));
/// assert_eq!(spikes, SVector::<bool, 4>::from_element(false));
/// assert!(lif.v[0] > 0.0);
/// ```
///
/// # On the struct
///
/// | attribute | meaning |
/// | --- | --- |
/// | `#[param]` | a parameter, read as `self.x` in equations and rules (and `model.x` anywhere) |
/// | `#[param(default = 10.0)]` | its default (an expression of the parameters above it); without one, the builder requires it and there is no `new()` |
/// | `#[param(check = positive)]`, `check = [non_negative, finite]` | rules every value is checked against: `positive`, `non_negative`, `negative`, `non_positive`, `nonzero`, `finite`, `unit_interval`; a literal default that breaks them does not compile |
/// | `#[param(train)]` | a trainable parameter (a float matrix, vector or scalar): the model is `Trainable`, its trained parameters visited in field order |
/// | `#[state]`, `#[state(init = …)]` | a state: `SMatrix`/`SVector`/array of f32 or f64 (or bool flags), or a scalar; `init` may read the parameters and the states above it |
/// | `#[child]`, `#[child(init = …)]` | a child system (a population inside a network), reset and snapshotted with the model |
/// | no attribute | a plain field, built with `Default` |
/// | `#[dynamical_system(inputs(i, g: f32))]` | the inputs the equations and rules read, in order; each element's type defaults to the states' |
/// | `#[dynamical_system(crate = path)]` | where generated code finds looptime (found by itself: `looptime`, or `loop-core` alone) |
///
/// Parameters live apart from the states, in a generated `<Name>Params` (plain data) that the
/// model holds and derefs to: reading `model.tau` works, writing it does not compile. They change
/// through checked calls only: `builder()…build()`, `from_params(p)`, `set_params(p)`,
/// `update_params(|p| p.tau = 5.0)`, and `set_param("tau", 5.0)` by name (the `Params` trait);
/// on error nothing changes.
///
/// ```
/// use looptime::nalgebra::SVector;
/// use looptime::prelude::*;
///
/// #[dynamical_system]
/// pub struct Decay<const N: usize> {
///     #[param(default = 10.0, check = positive)]
///     pub tau: f64,
///     #[state(init = 1.0)]
///     pub x: SVector<f64, N>,
/// }
///
/// let mut d = Decay::<2>::new();
/// assert!(d.update_params(|p| p.tau = -1.0).is_err());  // refused: tau > 0
/// assert_eq!(d.tau, 10.0);
/// d.set_param("tau", 4.0).unwrap();
/// let mut p = *d.params();
/// p.tau = 2.0;
/// d.set_params(p).unwrap();
/// assert_eq!(d.tau, 2.0);
/// ```
///
/// # On the impl
///
/// | attribute | meaning |
/// | --- | --- |
/// | `#[dynamical_system(method = exp_euler)]` | the integration method of the `#[ode]`s: `euler`, `rk2` (Heun), `rk4`, `exp_euler` (the default: BrainPy's `exp_auto`, ∂f/∂x derived symbolically) |
/// | `#[ode(v)]` | `dv/dt` for one element: `fn dv(&self, v: f64, …) -> f64`. Arguments named like a state read its value, `t` reads the time, the others are declared inputs; all derivatives are taken at the old values |
/// | `#[ode(v, linear = expr)]` | ∂f/∂v given instead of derived (exponential Euler only) |
/// | `#[update]` on `fn f(&self, sh: &Shared, old: &NameElement, new: &mut NameElement, inputs…) -> O` | the rules of one element after its equations' step: `old` holds its states before the step (it may be left out), `new` after (change it), the inputs by name; the output of the population is one `O` per element |
/// | `#[update]` on `fn step(&mut self, sh: &Shared, x: Input) -> Output` | the whole model's step, for what is not element by element (a network of children, a layer's product); `self.integrate(sh.dt, &i)` runs the `#[ode]`s through the driver |
/// | `#[update(needs(t, i))]` | what of the shared values the model reads (guessed from `sh.time()`, `sh.index()`, and `sh` handed on; `needs()` for nothing) |
/// | `#[update_all]` | a stateless model's step over every input at once (`no_state` runs) |
///
/// Inside `#[ode]` and per-element `#[update]` bodies, `self` is the parameters, and math
/// written plainly — `x.exp()`, `x.ln()`, `x.powf(y)`, `x.powi(n)`, `x.sqrt()`, `x.tanh()`,
/// `x.exp_m1()`, `sigmoid(x)` — compiles to `loop_core::math`'s branch-free versions, which
/// vectorize.
///
/// ```
/// use looptime::nalgebra::SVector;
/// use looptime::prelude::*;
///
/// /// Two named inputs (a generated `MembraneInput`), the time, and a whole-model step.
/// #[dynamical_system(inputs(g_exc, g_inh))]
/// pub struct Membrane<const N: usize> {
///     #[param(default = 10.0, check = positive)]
///     pub tau: f64,
///     #[state(init = -60.0)]
///     pub v: SVector<f64, N>,
/// }
///
/// #[dynamical_system(method = rk4)]
/// impl<const N: usize> Membrane<N> {
///     #[ode(v)]
///     fn dv(&self, v: f64, g_exc: f64, g_inh: f64, t: f64) -> f64 {
///         let drive = 1.0 + (-t / 50.0).exp();
///         (drive * g_exc * (0.0 - v) + g_inh * (-80.0 - v) - v) / self.tau
///     }
///
///     #[update]
///     fn step(&mut self, sh: &Shared, x: &MembraneInput<N>) -> SVector<f64, N> {
///         self.integrate(sh.time(), sh.dt, x);
///         self.v
///     }
/// }
///
/// let input = MembraneInput { g_exc: SVector::<f64, 3>::from_element(0.5), g_inh: SVector::zeros() };
/// let mut run = LoopOverTime::new(Membrane::<3>::new());
/// let history = run.run_inputs(&vec![input; 100]).unwrap();
/// assert!(history.outputs[99][0] > -60.0);
/// ```
///
/// # What is generated
///
/// For `Name`: `NameParams` (the parameters), `NameElement` (one element's states), `NameInput`
/// (several inputs by name) and `NameInputRef` (the same, lent: `update_lent` of a per-element
/// model and `integrate` take it, and a `&NameInput` converts), `NameBuilder`, `NameSnapshot`;
/// on the model `new()` (every parameter defaulted), `builder()`, `from_params`, `params`,
/// `set_params`, `update_params`, `reset_state`, `probe_<state>()` (a named monitor),
/// `integrate`; the traits
/// `DynamicalSystem` (with `#[update]`), `States`, `Params`, `Debug`, and `Trainable` (with
/// `#[param(train)]`). The impl must be in the struct's module, or import the struct and its
/// generated types.
#[proc_macro_attribute]
pub fn dynamical_system(args: TokenStream, item: TokenStream) -> TokenStream {
    dynamical_system::expand(args.into(), item.into()).into()
}

/// The second half of `#[dynamical_system]`, called by the hand-off macro the struct's expansion
/// leaves behind. Not for direct use.
#[doc(hidden)]
#[proc_macro]
pub fn __dynamical_system_impl(input: TokenStream) -> TokenStream {
    dynamical_system::expand_with_struct(input.into()).into()
}

/// Runs a model for a number of steps known at compile time and returns its outputs (and
/// monitors) as boxed arrays (`Box<[X; T]>`; batch-first `Box<[[S; T]; B]>`).
///
/// | option | meaning |
/// | --- | --- |
/// | first argument | the model (a place: it is stepped in place); without `monitor`, the outputs alone come back |
/// | `duration = 100.0` / `steps = 1000` / `inputs = xs` | the length: a literal duration (with `dt`), a literal count, or inputs whose length is in their type (an array) |
/// | `dt = 0.1`, `t0 = 0.0`, `i0 = 0` | the clock (BrainPy's defaults) |
/// | `fit = true`, `args = expr` | the shared values every node sees |
/// | `monitor = [v, l1.state]` | states recorded after every step, by name (a typo is a compile error naming the fields) |
/// | `unroll = full` / `unroll = 8` | the loop unrolled entirely (up to 128 steps) or by k |
/// | `layout = batch_first` | outputs per sample (with `inputs`) |
/// | `crate = path` | where generated code finds looptime |
///
/// More than 2^30 steps, or a history over 1 GiB, is a compile error at the length: use
/// `LoopOverTime` with `record_every` or a stream for long runs.
///
/// ```
/// use looptime::nalgebra::SVector;
/// use looptime::prelude::*;
///
/// #[dynamical_system(inputs(i))]
/// pub struct Leak<const N: usize> {
///     #[param(default = 10.0, check = positive)]
///     pub tau: f64,
///     #[state(init = 0.0)]
///     pub v: SVector<f64, N>,
/// }
///
/// #[dynamical_system(method = exp_euler)]
/// impl<const N: usize> Leak<N> {
///     #[ode(v)]
///     fn dv(&self, v: f64, i: f64) -> f64 {
///         (-v + i) / self.tau
///     }
///
///     #[update]
///     fn out(&self, _sh: &Shared, new: &mut LeakElement) -> f64 {
///         new.v
///     }
/// }
///
/// let mut leak = Leak::<2>::new();
/// let (out, (v,)) = loop_over_time!(leak, steps = 50, dt = 0.1, monitor = [v], unroll = 5);
/// assert_eq!((out.len(), v.len()), (50, 50));
/// let inputs = [SVector::<f64, 2>::from_element(1.0); 20];
/// let out = loop_over_time!(leak, inputs = inputs, unroll = full); // no monitors: the outputs
/// assert!(out[19][0] > out[0][0]);
/// ```
#[proc_macro]
pub fn loop_over_time(input: TokenStream) -> TokenStream {
    loop_over_time::expand(input.into()).into()
}

/// A named composition of layers, each feeding the next (BrainPy's `Sequential`):
/// `sequential! { l1: RnnCell::<f64, 100, 20, 128>::new(&mut rng), l2: Relu, l3: … }`, or, as a
/// type of its own, `sequential! { pub struct Seed { l1: RnnCell<f64, 100, 20, 128>, l2: Relu,
/// l3: … } }` (built by `Seed::new(l1, l2, l3)`). A layer is any `DynamicalSystem`, or an
/// activation written by its name (`Relu`, `Tanh`, …). A shape mismatch between neighbours is
/// a compile error naming both layers. `crate = path;` first says where looptime is.
///
/// ```
/// use looptime::layers::{Dense, Relu};
/// use looptime::nalgebra::SMatrix;
/// use looptime::prelude::*;
/// use looptime::rand::SeedableRng;
/// use looptime::sequential;
///
/// let mut rng = looptime::rand_chacha::ChaCha8Rng::seed_from_u64(0);
/// let mut net = sequential! {
///     l1: Dense::<f64, 3, 4, 1>::new(&mut rng),
///     l2: Relu,
///     l3: Dense::<f64, 4, 2, 1>::new(&mut rng),
/// };
/// let y = net.update(&Shared::new(0.1, ()), SMatrix::<f64, 3, 1>::from_element(1.0));
/// assert_eq!(y.shape(), (2, 1));
/// ```
#[proc_macro]
pub fn sequential(input: TokenStream) -> TokenStream {
    sequential::expand(input.into()).into()
}

/// `#[ode(x)]` marks an equation of a model: it works inside an impl marked
/// `#[dynamical_system(method = …)]`, which removes it. Met on its own, it says so.
#[proc_macro_attribute]
pub fn ode(_args: TokenStream, item: TokenStream) -> TokenStream {
    dynamical_system::outside_impl("ode", item.into()).into()
}

/// `#[update]` marks the step of a model: it works inside an impl marked `#[dynamical_system]`,
/// which removes it. Met on its own, it says so.
#[proc_macro_attribute]
pub fn update(_args: TokenStream, item: TokenStream) -> TokenStream {
    dynamical_system::outside_impl("update", item.into()).into()
}

/// `#[update_all]` marks a stateless model's step over every input: it works inside an impl
/// marked `#[dynamical_system]`, which removes it. Met on its own, it says so.
#[proc_macro_attribute]
pub fn update_all(_args: TokenStream, item: TokenStream) -> TokenStream {
    dynamical_system::outside_impl("update_all", item.into()).into()
}
