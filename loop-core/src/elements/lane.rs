//! [`Lane`]: a value that one element of a population holds (a scalar, a flag, or a tuple of
//! them), with its [`Block`](Lane::Block): the same value for [`LANES`] elements side by side,
//! one array per scalar (structure of arrays), which is what the compiler vectorizes.

/// How many elements the driver steps at a time: the length of every [`Lane::Block`].
///
/// 64: eight AVX-512 vectors of f64. Long enough that the compiler keeps a loop over a block a
/// loop, and vectorizes it, rather than unrolling it into scalar code; short enough that the
/// blocks of a model with a dozen states (a few KB) stay in L1.
pub const LANES: usize = 64;

/// A value held by one element, stored for [`LANES`] elements as a [`Block`](Lane::Block).
///
/// Implemented for the primitive scalars, `bool`, and tuples of lanes up to 12 (whose block is
/// a tuple of blocks, so `(f64, bool)` is stored as `([f64; LANES], [bool; LANES])`). `()` is
/// the lane of nothing (a step without inputs, or without output).
pub trait Lane: Copy + Default {
    /// [`LANES`] values of `Self`, one array per scalar.
    type Block: Copy;

    /// A block with every element equal to `self`.
    fn splat(self) -> Self::Block;

    /// Element `j` (`j < LANES`) of `block`.
    fn get(block: &Self::Block, j: usize) -> Self;

    /// Sets element `j` (`j < LANES`) of `block`.
    fn set(block: &mut Self::Block, j: usize, value: Self);

    /// `self`, unchanged, through a barrier the compiler cannot see through: what is computed
    /// from the result cannot be scheduled or vectorized together with what computed `self`.
    /// Floats stay in their vector register (x86-64: an empty `asm!` that takes and gives the
    /// register); anything else goes through memory ([`core::hint::black_box`]).
    #[inline(always)]
    fn opaque(self) -> Self {
        core::hint::black_box(self)
    }
}

macro_rules! scalar_lanes {
    ($($t:ty $(=> $opaque:ident)?),*) => {$(
        impl Lane for $t {
            type Block = [$t; LANES];

            #[inline(always)]
            fn splat(self) -> Self::Block {
                [self; LANES]
            }

            #[inline(always)]
            fn get(block: &Self::Block, j: usize) -> Self {
                block[j]
            }

            #[inline(always)]
            fn set(block: &mut Self::Block, j: usize, value: Self) {
                block[j] = value;
            }

            $(
                #[inline(always)]
                fn opaque(self) -> Self {
                    $opaque(self)
                }
            )?
        }
    )*};
}

scalar_lanes!(
    f32 => opaque_in_register, f64 => opaque_in_register, bool, i8, i16, i32, i64, isize, u8,
    u16, u32, u64, usize
);

/// [`Lane::opaque`] of a float: on x86-64 an empty `asm!` block that takes the value in a vector
/// register and gives it back, which the compiler must treat as any function of it; elsewhere
/// [`core::hint::black_box`].
#[inline(always)]
fn opaque_in_register<F: InRegister>(x: F) -> F {
    x.through_empty_asm()
}

/// The floats that [`opaque_in_register`] passes through an empty `asm!` block.
trait InRegister: Copy {
    fn through_empty_asm(self) -> Self;
}

macro_rules! in_register {
    ($($t:ty),*) => {$(
        impl InRegister for $t {
            #[inline(always)]
            fn through_empty_asm(self) -> Self {
                #[cfg(target_arch = "x86_64")]
                {
                    let mut x = self;
                    // SAFETY: the template is empty (a comment naming the register): no
                    // instruction runs, no memory, stack or flag is touched, and the register
                    // comes back holding the value it was given.
                    unsafe {
                        core::arch::asm!(
                            "/* {0} */",
                            inout(xmm_reg) x,
                            options(pure, nomem, nostack, preserves_flags)
                        );
                    }
                    x
                }
                #[cfg(not(target_arch = "x86_64"))]
                core::hint::black_box(self)
            }
        }
    )*};
}

in_register!(f32, f64);

macro_rules! tuple_lanes {
    ($(($($name:ident $index:tt),*))*) => {$(
        impl<$($name: Lane),*> Lane for ($($name,)*) {
            type Block = ($($name::Block,)*);

            #[inline(always)]
            #[allow(clippy::unused_unit)]
            fn splat(self) -> Self::Block {
                ($(self.$index.splat(),)*)
            }

            #[inline(always)]
            #[allow(unused_variables, clippy::unused_unit)]
            fn get(block: &Self::Block, j: usize) -> Self {
                ($($name::get(&block.$index, j),)*)
            }

            #[inline(always)]
            #[allow(unused_variables)]
            fn set(block: &mut Self::Block, j: usize, value: Self) {
                $($name::set(&mut block.$index, j, value.$index);)*
            }

            #[inline(always)]
            #[allow(clippy::unused_unit)]
            fn opaque(self) -> Self {
                ($(self.$index.opaque(),)*)
            }
        }
    )*};
}

for_tuples!(tuple_lanes);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tuple_is_stored_as_one_array_per_scalar() {
        let mut block = (1.5_f64, (true, 7_u32)).splat();
        <(f64, (bool, u32))>::set(&mut block, 3, (2.5, (false, 9)));
        assert_eq!(block.0[3], 2.5);
        assert_eq!(block.0[2], 1.5);
        assert!(!block.1.0[3] && block.1.0[4]);
        assert_eq!(block.1.1[3], 9);
        assert_eq!(<(f64, (bool, u32))>::get(&block, 3), (2.5, (false, 9)));
        assert_eq!(<(f64, (bool, u32))>::get(&block, 15), (1.5, (true, 7)));
    }

    #[test]
    fn opaque_gives_back_every_bit() {
        let f64s = [0.0, -0.0, 1.5, f64::MIN_POSITIVE / 4.0, f64::INFINITY];
        for x in f64s
            .into_iter()
            .chain([f64::from_bits(0x7ff8_dead_beef_0001)])
        {
            assert_eq!(x.opaque().to_bits(), x.to_bits());
        }
        let nan32 = f32::from_bits(0x7fc0_1234);
        assert_eq!(nan32.opaque().to_bits(), nan32.to_bits());
        assert_eq!((-0.0_f32).opaque().to_bits(), (-0.0_f32).to_bits());
        let tuple = (2.5_f64, (true, 7_u32), -3.25_f32);
        assert_eq!(tuple.opaque(), tuple);
        assert_eq!(().opaque(), ());
    }
}
