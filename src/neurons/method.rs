//! The integration method of a built-in neuron as a type: [`ExpEuler`] (the default), [`Euler`],
//! [`Rk2`] and [`Rk4`]. A model's last type parameter picks one, so each method gets its own
//! `#[dynamical_system(method = …)]` impl, generated at compile time.

use loop_core::integrate::Method;

mod sealed {
    pub trait Sealed {}
}

/// An integration method usable as a neuron's type parameter (sealed: the four below).
pub trait NeuronMethod: sealed::Sealed + Copy + Default + core::fmt::Debug + 'static {
    /// The method, by value.
    const METHOD: Method;
}

macro_rules! method_marker {
    ($(#[$doc:meta] $name:ident => $method:ident),* $(,)?) => {$(
        #[$doc]
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        pub struct $name;

        impl sealed::Sealed for $name {}

        impl NeuronMethod for $name {
            const METHOD: Method = Method::$method;
        }
    )*};
}

method_marker! {
    /// Exponential Euler (BrainPy's `exp_auto`, the default): exact on linear equations.
    ExpEuler => ExpEuler,
    /// Forward Euler, order 1.
    Euler => Euler,
    /// Heun's method, order 2.
    Rk2 => Rk2,
    /// Classic Runge–Kutta, order 4.
    Rk4 => Rk4,
}
