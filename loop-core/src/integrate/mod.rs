//! Numerical integrators of `dx/dt = f(x, t)`, one algorithm per file: [`euler`], [`rk2`] (Heun),
//! [`rk4`] (classic) and [`exp_euler`] (exponential Euler, BrainPy's `exp_auto`).
//!
//! They work on any [`OdeState`]: a scalar, a fixed-size nalgebra matrix, or a tuple of them for
//! systems of several variables, which are then integrated jointly (every derivative evaluated at
//! the old values of every variable). Nothing here allocates.

mod euler;
mod exp_euler;
mod ode_state;
mod rk2;
mod rk4;

pub use euler::euler;
pub use exp_euler::{ExpEulerPart, exp_euler, exp_euler_factor, exp_euler_scalar, is_near};
pub use ode_state::OdeState;
pub use rk2::rk2;
pub use rk4::rk4;

/// The integration methods, by name (as the macros and the command-line tools spell them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// Forward Euler, order 1.
    Euler,
    /// Heun's method, order 2.
    Rk2,
    /// Classic Runge–Kutta, order 4.
    Rk4,
    /// Exponential Euler: exact on linear equations, order 1 otherwise.
    ExpEuler,
}

impl Method {
    /// Every method, in a stable order.
    pub const ALL: [Method; 4] = [Method::Euler, Method::Rk2, Method::Rk4, Method::ExpEuler];

    /// The name used in `method = …` and on command lines.
    pub const fn name(self) -> &'static str {
        match self {
            Method::Euler => "euler",
            Method::Rk2 => "rk2",
            Method::Rk4 => "rk4",
            Method::ExpEuler => "exp_euler",
        }
    }

    /// The method called `name`, if any.
    pub fn from_name(name: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.name() == name)
    }
}
