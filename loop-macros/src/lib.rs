//! Procedural macros of looptime: `#[dynamical_system]` (and, with later issues,
//! `loop_over_time!` and `sequential!`). Each entry point converts tokens and calls its module's
//! `expand`; the modules go parse → validate → expand.

mod ctxt;
mod dynamical_system;
mod krate;
mod loop_over_time;
mod sequential;
mod symbolic;

use proc_macro::TokenStream;

/// Turns an annotated struct into a model, and the impl holding its `#[ode]` equations into its
/// step. See the `looptime` crate for the attributes and examples.
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
/// monitors) as boxed arrays: `loop_over_time!(model, duration = 100.0, dt = 0.1, monitor = [v])`.
/// See the `looptime` crate for the options.
#[proc_macro]
pub fn loop_over_time(input: TokenStream) -> TokenStream {
    loop_over_time::expand(input.into()).into()
}

/// A named composition of layers, each feeding the next (BrainPy's `Sequential`):
/// `sequential! { l1: RnnCell::<f64, 100, 20, 128>::new(&mut rng), l2: Relu, l3: … }`, or, as a
/// type of its own, `sequential! { pub struct Seed { l1: RnnCell<f64, 100, 20, 128>, l2: Relu,
/// l3: … } }` (built by `Seed::new(l1, l2, l3)`). A shape mismatch between neighbours is a
/// compile error naming both layers. See the `looptime` crate.
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
