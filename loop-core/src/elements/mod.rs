//! The element driver: how every generated model steps a population.
//!
//! `#[dynamical_system]` turns a model's equations and per-element rules into the pure step of
//! **one element** (its old states, the parameters, dt and its inputs → its new states and its
//! output). [`step_elements`] runs that step over a whole population: in blocks of [`LANES`]
//! elements stepped where they are (a partial last block in padded [`Lane`] blocks, one array
//! per scalar), in one or two passes (exponential Euler's derivatives first, then the updates,
//! with the block's exponential-Euler factors computed in between: [`Linear`]), compiled for the
//! CPU's widest vector instructions ([`crate::simd`]) and cut into pieces for other cores when
//! that is measured to pay ([`crate::parallel`]). The population's states, inputs and outputs
//! reach it as [`Columns`]: tuples of slices.
//!
//! ```
//! use loop_core::elements::step_elements;
//!
//! // dv/dt = (i - v) / tau by forward Euler, and a flag where v crossed 1.
//! let (dt, tau) = (0.1, 10.0);
//! let mut v = vec![0.0_f64; 1000];
//! let i = vec![20.0_f64; 1000];
//! let mut crossed = vec![false; 1000];
//! step_elements(
//!     (&mut v[..],),
//!     (&i[..],),
//!     (&mut crossed[..],),
//!     |_: (f64,), _: (f64,)| (), // no linear parts: one pass
//!     |(v,): &mut (f64,), (i,): (f64,), ()| {
//!         let old = *v;
//!         *v += dt * (i - *v) / tau;
//!         (old < 1.0 && *v >= 1.0,)
//!     },
//! );
//! assert_eq!(v[0], 0.2);
//! assert!(!crossed[999]);
//! ```

/// Calls `$implement!` with every tuple shape the driver's traits are implemented for, `()`
/// and up to twelve elements, each as `(Name index, …)`.
macro_rules! for_tuples {
    ($implement:ident) => {
        $implement! {
            ()
            (A 0)
            (A 0, B 1)
            (A 0, B 1, C 2)
            (A 0, B 1, C 2, D 3)
            (A 0, B 1, C 2, D 3, E 4)
            (A 0, B 1, C 2, D 3, E 4, F 5)
            (A 0, B 1, C 2, D 3, E 4, F 5, G 6)
            (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7)
            (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8)
            (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9)
            (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10)
            (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11)
        }
    };
}

mod columns;
mod driver;
mod lane;
mod linear;

pub use columns::{Columns, ColumnsMut, Window, WindowMut};
pub use driver::step_elements;
pub use lane::{LANES, Lane};
pub use linear::Linear;
