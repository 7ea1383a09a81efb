//! [`Linear`]: what the first pass of a two-pass step hands the second, per element — each
//! variable's [`ExpEulerPart`] (its derivative and exponential Euler's argument `z`) — and the
//! pass between them that turns a block's arguments into exponential Euler's factors
//! `exprel(z)`, one variable at a time: where every `z` of the variable in the block is near 0,
//! by the near form alone ([`exp_euler_factor`]); the same bits, about half the operations.

use super::lane::{LANES, Lane};
use crate::Real;
use crate::integrate::{ExpEulerPart, exp_euler_factor, is_near};

/// The first pass's value for one element: `()` for a one-pass step, an [`ExpEulerPart`], or a
/// tuple of them (nested tuples included).
pub trait Linear: Lane {
    /// Turns the `z` of every part of elements `0 .. n` of `block` into its factor
    /// (`n <= LANES`).
    fn factor_block(block: &mut Self::Block, n: usize);

    /// `self` as [`factor_block`](Linear::factor_block) leaves it: every part marked factored.
    fn factored(self) -> Self;

    /// One element's parts factored, each by a branch (for a step one element at a time).
    fn factor_each(self) -> Self;
}

impl<T: Real> Lane for ExpEulerPart<T> {
    type Block = (T::Block, T::Block);

    #[inline(always)]
    fn splat(self) -> Self::Block {
        (self.f.splat(), self.z.splat())
    }

    #[inline(always)]
    fn get(block: &Self::Block, j: usize) -> Self {
        ExpEulerPart {
            f: T::get(&block.0, j),
            z: T::get(&block.1, j),
            factored: false,
        }
    }

    #[inline(always)]
    fn set(block: &mut Self::Block, j: usize, value: Self) {
        T::set(&mut block.0, j, value.f);
        T::set(&mut block.1, j, value.z);
    }

    #[inline(always)]
    fn opaque(self) -> Self {
        ExpEulerPart {
            f: self.f.opaque(),
            z: self.z.opaque(),
            ..self
        }
    }
}

impl<T: Real> Linear for ExpEulerPart<T> {
    #[inline(always)]
    fn factor_block(block: &mut Self::Block, n: usize) {
        let (z, n) = (&mut block.1, n.min(LANES));
        // `&` rather than `all`: no early exit, so the test is a vector reduction.
        if (0..n).fold(true, |all, j| all & is_near(T::get(z, j))) {
            factor_each_of::<T>(z, n, true);
        } else {
            factor_each_of::<T>(z, n, false);
        }
    }

    #[inline(always)]
    fn factored(self) -> Self {
        ExpEulerPart {
            factored: true,
            ..self
        }
    }

    #[inline(always)]
    fn factor_each(self) -> Self {
        self.factor()
    }
}

/// `z[j] = exp_euler_factor(z[j], all_near)` for `j < n`: one loop per value of `all_near`.
#[inline(always)]
fn factor_each_of<T: Real>(z: &mut T::Block, n: usize, all_near: bool) {
    for j in 0..n {
        T::set(z, j, exp_euler_factor(T::get(z, j), all_near));
    }
}

macro_rules! tuple_linear {
    ($(($($name:ident $index:tt),*))*) => {$(
        /// Every part in turn (`()`: a one-pass step, with nothing to factor).
        impl<$($name: Linear),*> Linear for ($($name,)*) {
            #[inline(always)]
            #[allow(unused_variables)]
            fn factor_block(block: &mut Self::Block, n: usize) {
                $($name::factor_block(&mut block.$index, n);)*
            }

            #[inline(always)]
            #[allow(clippy::unused_unit)]
            fn factored(self) -> Self {
                ($(self.$index.factored(),)*)
            }

            #[inline(always)]
            #[allow(clippy::unused_unit)]
            fn factor_each(self) -> Self {
                ($(self.$index.factor_each(),)*)
            }
        }
    )*};
}

for_tuples!(tuple_linear);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::integrate::exp_euler_scalar;

    fn part(z: f64) -> ExpEulerPart<f64> {
        ExpEulerPart::new(0.1, (2.0, z / 0.1))
    }

    /// A block of two variables, one near everywhere and one near but at one element, steps
    /// every element as `exp_euler_scalar` does, bit for bit, and so does one element at a time.
    #[test]
    fn a_factored_block_steps_each_element_as_the_plain_step() {
        type L = (ExpEulerPart<f64>, (ExpEulerPart<f64>,));
        let z = |j: usize| -0.9 + 0.03 * j as f64;
        let mut block = L::default().splat();
        for j in 0..LANES {
            let far = if j == 5 { -3.5 } else { z(j) };
            L::set(&mut block, j, (part(z(j)), (part(far),)));
        }
        let plain = |z: f64| exp_euler_scalar(1.5, 0.1, 2.0, z / 0.1);
        let unfactored = block;
        L::factor_block(&mut block, LANES);
        for j in 0..LANES {
            let (a, (b,)) = L::get(&block, j).factored();
            let far = if j == 5 { -3.5 } else { z(j) };
            assert_eq!(a.step(1.5, 0.1).to_bits(), plain(z(j)).to_bits(), "{j}");
            assert_eq!(b.step(1.5, 0.1).to_bits(), plain(far).to_bits(), "{j}");
            let (a1, (b1,)) = L::get(&unfactored, j).factor_each();
            assert_eq!(a1.step(1.5, 0.1).to_bits(), plain(z(j)).to_bits(), "{j}");
            assert_eq!(b1.step(1.5, 0.1).to_bits(), plain(far).to_bits(), "{j}");
        }
    }
}
