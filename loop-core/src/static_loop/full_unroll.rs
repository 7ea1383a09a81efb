//! [`FullUnroll`]: straight-line code for every step count up to [`MAX_FULL_UNROLL`], so a
//! loop whose length is only known as a const generic (an input array `[X; T]`) can still be
//! fully unrolled.

/// The longest loop `unroll = full` accepts; past it, use `unroll = k`.
pub const MAX_FULL_UNROLL: usize = 128;

/// Calls a step function once per step, in order, as straight-line code: implemented for
/// `[(); T]` with `T` from 1 to [`MAX_FULL_UNROLL`].
#[diagnostic::on_unimplemented(
    message = "a fully unrolled loop runs at most 128 steps, and this one runs more (or none)",
    label = "use `unroll = k` (k steps per iteration) instead of `unroll = full`"
)]
pub trait FullUnroll {
    /// `step(0); step(1); …; step(T - 1);`
    fn unrolled<F: FnMut(usize)>(step: F);
}

/// Each `[(); N]` gets the calls `step(0)` … `step(N - 1)`, written out.
macro_rules! full_unroll {
    ([$($done:literal)*]) => {};
    ([$($done:literal)*] $next:literal $($rest:literal)*) => {
        impl FullUnroll for [(); $next + 1] {
            #[inline(always)]
            fn unrolled<F: FnMut(usize)>(mut step: F) {
                $(step($done);)*
                step($next);
            }
        }
        full_unroll!([$($done)* $next] $($rest)*);
    };
}
full_unroll!([] 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63 64 65 66 67 68 69 70 71 72 73 74 75 76 77 78 79 80 81 82 83 84 85 86 87 88 89 90 91 92 93 94 95 96 97 98 99 100 101 102 103 104 105 106 107 108 109 110 111 112 113 114 115 116 117 118 119 120 121 122 123 124 125 126 127);

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn every_length_calls_each_step_once_in_order() {
        fn calls<U: FullUnroll>() -> Vec<usize> {
            let mut seen = Vec::new();
            U::unrolled(|k| seen.push(k));
            seen
        }
        assert_eq!(calls::<[(); 1]>(), [0]);
        assert_eq!(calls::<[(); 7]>(), (0..7).collect::<Vec<_>>());
        assert_eq!(
            calls::<[(); MAX_FULL_UNROLL]>(),
            (0..MAX_FULL_UNROLL).collect::<Vec<_>>()
        );
    }
}
