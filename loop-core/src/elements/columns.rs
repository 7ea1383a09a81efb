//! [`Columns`]: a population's values as equal-length slices, one per variable (a state, an
//! input, an output), read and written a [`Block`](crate::elements::Lane::Block) of
//! [`LANES`] elements at a time, and split in two for two cores.
//!
//! `&[A]` and `&mut [A]` are columns of `A`; a tuple of columns is the columns of the tuple of
//! their elements (`(&mut [f64], &[bool])` holds elements `(f64, bool)`); `()` holds nothing.

use super::lane::{LANES, Lane};

/// Equal-length slices read by blocks (see the module docs).
pub trait Columns: Sized {
    /// What one element holds.
    type Element: Lane;

    /// A whole block of elements where they are (a tuple of `&[A; LANES]`).
    type Window<'a>: Window<Element = Self::Element>
    where
        Self: 'a;

    /// Elements `start .. start + LANES`, in place.
    fn window(&self, start: usize) -> Self::Window<'_>;

    /// The number of elements, or `None` for no columns at all (`()`).
    fn length(&self) -> Option<usize>;

    /// Whether every column has `len` elements.
    fn all_have(&self, len: usize) -> bool;

    /// Elements `start .. start + n` (`1 <= n <= LANES`), the rest of the block filled with
    /// copies of element `start`.
    fn load(&self, start: usize, n: usize) -> <Self::Element as Lane>::Block;

    /// The first `mid` elements and the rest.
    fn split_at(self, mid: usize) -> (Self, Self);

    /// Element `i` alone (`i` < the length).
    fn get(&self, i: usize) -> Self::Element;

    /// Asks the processor to start loading elements `start .. start + LANES` into its cache
    /// (nothing beyond the length); a hint, with no effect on any value.
    fn prefetch(&self, start: usize);
}

/// [`LANES`] elements of [`Columns`] where they are, read one at a time.
pub trait Window: Copy {
    /// What one element holds.
    type Element: Lane;

    /// Element `j < LANES`.
    fn get(&self, j: usize) -> Self::Element;
}

impl<A: Lane> Window for &[A; LANES] {
    type Element = A;

    #[inline(always)]
    fn get(&self, j: usize) -> A {
        self[j]
    }
}

/// [`LANES`] elements of [`ColumnsMut`] where they are, read and written one at a time.
pub trait WindowMut {
    /// What one element holds.
    type Element: Lane;

    /// Element `j < LANES`.
    fn get(&self, j: usize) -> Self::Element;

    /// Sets element `j < LANES`.
    fn set(&mut self, j: usize, value: Self::Element);
}

impl<A: Lane> WindowMut for &mut [A; LANES] {
    type Element = A;

    #[inline(always)]
    fn get(&self, j: usize) -> A {
        self[j]
    }

    #[inline(always)]
    fn set(&mut self, j: usize, value: A) {
        self[j] = value;
    }
}

/// `column[start .. start + LANES]` as an array.
#[inline(always)]
fn window_of<A>(column: &[A], start: usize) -> &[A; LANES] {
    // Cannot fail: the driver asks for windows of whole blocks only (`start + LANES <= len`).
    column[start..]
        .first_chunk()
        .expect("a window is a whole block inside the column")
}

/// Columns that can be written.
pub trait ColumnsMut: Columns {
    /// A whole block of elements where they are, to read and write (a tuple of
    /// `&mut [A; LANES]`).
    type WindowMut<'a>: WindowMut<Element = Self::Element>
    where
        Self: 'a;

    /// Elements `start .. start + LANES`, in place, to read and write.
    fn window_mut(&mut self, start: usize) -> Self::WindowMut<'_>;

    /// Writes the first `n` elements of `block` to elements `start .. start + n`.
    fn store(&mut self, start: usize, n: usize, block: &<Self::Element as Lane>::Block);

    /// Sets element `i` alone (`i` < the length).
    fn set(&mut self, i: usize, value: Self::Element);
}

/// A block of `column[start .. start + n]`, padded with `column[start]`.
#[inline(always)]
fn load_slice<A: Lane>(column: &[A], start: usize, n: usize) -> A::Block {
    let column = &column[start..start + n];
    let mut block = column[0].splat();
    for (j, value) in column.iter().enumerate() {
        A::set(&mut block, j, *value);
    }
    block
}

/// `Columns` for a shared and a mutable slice: the same reads, and each its own split.
macro_rules! slice_columns {
    ($($slice:ty => $split:ident),*) => {$(
        impl<A: Lane> Columns for $slice {
            type Element = A;
            type Window<'a>
                = &'a [A; LANES]
            where
                Self: 'a;

            #[inline(always)]
            fn window(&self, start: usize) -> &[A; LANES] {
                window_of(self, start)
            }

            #[inline(always)]
            fn length(&self) -> Option<usize> {
                Some(<[A]>::len(self))
            }

            #[inline(always)]
            fn all_have(&self, len: usize) -> bool {
                <[A]>::len(self) == len
            }

            #[inline(always)]
            fn load(&self, start: usize, n: usize) -> A::Block {
                load_slice(self, start, n)
            }

            #[inline(always)]
            fn split_at(self, mid: usize) -> (Self, Self) {
                <[A]>::$split(self, mid)
            }

            #[inline(always)]
            fn get(&self, i: usize) -> A {
                self[i]
            }

            #[inline(always)]
            fn prefetch(&self, start: usize) {
                prefetch_slice(self, start);
            }
        }
    )*};
}

/// [`Columns::prefetch`] of one column: each cache line of `column[start .. start + LANES]`.
#[inline(always)]
fn prefetch_slice<A>(column: &[A], start: usize) {
    #[cfg(target_arch = "x86_64")]
    {
        const LINE: usize = 64;
        let end = column.len().min(start.saturating_add(LANES));
        if start >= end {
            return;
        }
        let bytes = (end - start) * size_of::<A>();
        let first = column[start..].as_ptr().cast::<i8>();
        let mut offset = 0;
        while offset < bytes {
            // SAFETY: a prefetch is a hint that never faults; the address is inside the column.
            #[allow(unused_unsafe)]
            unsafe {
                core::arch::x86_64::_mm_prefetch::<{ core::arch::x86_64::_MM_HINT_T0 }>(
                    first.wrapping_add(offset),
                );
            }
            offset += LINE;
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (column, start);
}

slice_columns!(&[A] => split_at, &mut [A] => split_at_mut);

impl<A: Lane> ColumnsMut for &mut [A] {
    type WindowMut<'a>
        = &'a mut [A; LANES]
    where
        Self: 'a;

    #[inline(always)]
    fn window_mut(&mut self, start: usize) -> &mut [A; LANES] {
        self[start..]
            .first_chunk_mut()
            .expect("a window is a whole block inside the column")
    }

    #[inline(always)]
    fn store(&mut self, start: usize, n: usize, block: &A::Block) {
        for (j, value) in self[start..start + n].iter_mut().enumerate() {
            *value = A::get(block, j);
        }
    }

    #[inline(always)]
    fn set(&mut self, i: usize, value: A) {
        self[i] = value;
    }
}

macro_rules! tuple_columns {
    ($(($($name:ident $index:tt),*))*) => {$(
        impl<$($name: Window),*> Window for ($($name,)*) {
            type Element = ($($name::Element,)*);

            #[inline(always)]
            #[allow(unused_variables, clippy::unused_unit)]
            fn get(&self, j: usize) -> Self::Element {
                ($(self.$index.get(j),)*)
            }
        }

        impl<$($name: Columns),*> Columns for ($($name,)*) {
            type Element = ($($name::Element,)*);
            type Window<'w>
                = ($($name::Window<'w>,)*)
            where
                Self: 'w;

            #[inline(always)]
            #[allow(unused_variables, clippy::unused_unit)]
            fn window(&self, start: usize) -> Self::Window<'_> {
                ($(self.$index.window(start),)*)
            }

            #[inline(always)]
            #[allow(unused_mut)]
            fn length(&self) -> Option<usize> {
                let mut len = None;
                $(len = len.or(self.$index.length());)*
                len
            }

            #[inline(always)]
            #[allow(unused_variables)]
            fn all_have(&self, len: usize) -> bool {
                true $(&& self.$index.all_have(len))*
            }

            #[inline(always)]
            #[allow(unused_variables, clippy::unused_unit)]
            fn load(&self, start: usize, n: usize) -> <Self::Element as Lane>::Block {
                ($(self.$index.load(start, n),)*)
            }

            #[inline(always)]
            #[allow(unused_variables, clippy::unused_unit)]
            fn split_at(self, mid: usize) -> (Self, Self) {
                #[allow(non_snake_case)]
                let ($($name,)*) = ($(self.$index.split_at(mid),)*);
                (($($name.0,)*), ($($name.1,)*))
            }

            #[inline(always)]
            #[allow(unused_variables, clippy::unused_unit)]
            fn get(&self, i: usize) -> Self::Element {
                ($(Columns::get(&self.$index, i),)*)
            }

            #[inline(always)]
            #[allow(unused_variables)]
            fn prefetch(&self, start: usize) {
                $(self.$index.prefetch(start);)*
            }
        }

        impl<$($name: WindowMut),*> WindowMut for ($($name,)*) {
            type Element = ($($name::Element,)*);

            #[inline(always)]
            #[allow(unused_variables, clippy::unused_unit)]
            fn get(&self, j: usize) -> Self::Element {
                ($(self.$index.get(j),)*)
            }

            #[inline(always)]
            #[allow(unused_variables)]
            fn set(&mut self, j: usize, value: Self::Element) {
                $(self.$index.set(j, value.$index);)*
            }
        }

        impl<$($name: ColumnsMut),*> ColumnsMut for ($($name,)*) {
            type WindowMut<'w>
                = ($($name::WindowMut<'w>,)*)
            where
                Self: 'w;

            #[inline(always)]
            #[allow(unused_variables, clippy::unused_unit)]
            fn window_mut(&mut self, start: usize) -> Self::WindowMut<'_> {
                ($(self.$index.window_mut(start),)*)
            }

            #[inline(always)]
            #[allow(unused_variables)]
            fn store(&mut self, start: usize, n: usize, block: &<Self::Element as Lane>::Block) {
                $(self.$index.store(start, n, &block.$index);)*
            }

            #[inline(always)]
            #[allow(unused_variables)]
            fn set(&mut self, i: usize, value: Self::Element) {
                $(self.$index.set(i, value.$index);)*
            }
        }
    )*};
}

for_tuples!(tuple_columns);

const _: () = assert!(LANES > 0);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partial_block_is_padded_with_its_first_element_and_stores_only_its_part() {
        let mut v = [1.0_f64, 2.0, 3.0, 4.0, 5.0];
        let flags = [true, false, true, false, true];
        let columns = (&mut v[..], &flags[..]);
        assert_eq!(columns.length(), Some(5));
        assert!(columns.all_have(5));
        let block = columns.load(3, 2);
        assert_eq!(&block.0[..3], &[4.0, 5.0, 4.0]);
        assert_eq!(block.0[LANES - 1], 4.0);
        assert_eq!(&block.1[..3], &[false, true, false]);
        let (mut v_column, _) = columns;
        v_column.store(3, 2, &[9.0; LANES]);
        assert_eq!(v, [1.0, 2.0, 3.0, 9.0, 9.0]);
    }

    #[test]
    fn a_whole_block_is_read_and_written_in_place_in_every_column() {
        let mut v = [0.0_f64; LANES + 5];
        let mut flags = [false; LANES + 5];
        let mut columns = (&mut v[..], &mut flags[..]);
        let mut window = columns.window_mut(2);
        for j in 0..LANES {
            window.set(j, (j as f64 + 0.5, j % 3 == 0));
        }
        assert_eq!(WindowMut::get(&window, 4), (4.5, false));
        assert_eq!(v[2], 0.5);
        assert_eq!(v[LANES + 1], LANES as f64 - 0.5);
        assert!(flags[2] && !flags[3] && flags[5]);
        assert_eq!((v[1], v[LANES + 2]), (0.0, 0.0));
    }

    #[test]
    fn one_element_is_read_and_written_in_every_column() {
        let mut v = [1.0_f64, 2.0, 3.0];
        let mut flags = [true, false, true];
        let mut columns = (&mut v[..], &mut flags[..]);
        assert_eq!(Columns::get(&columns, 1), (2.0, false));
        columns.set(2, (7.0, false));
        assert_eq!((v, flags), ([1.0, 2.0, 7.0], [true, false, false]));
    }

    #[test]
    fn a_split_keeps_the_columns_side_by_side() {
        let mut a = [0_u32; 40];
        let b: [u32; 40] = core::array::from_fn(|k| k as u32);
        let (low, high) = (&mut a[..], &b[..]).split_at(32);
        assert_eq!((low.length(), high.length()), (Some(32), Some(8)));
        assert_eq!(high.1[0], 32);
        assert_eq!(().length(), None);
        assert!(().all_have(7));
    }

    #[test]
    fn a_prefetch_anywhere_changes_nothing() {
        let v: Vec<f64> = (0..150).map(f64::from).collect();
        let flags = [true; 150];
        let columns = (&v[..], &flags[..]);
        // Inside, at the end, past the end, and where `start + LANES` would overflow.
        for start in [0, 64, 149, 150, 10_000, usize::MAX] {
            columns.prefetch(start);
            ().prefetch(start);
        }
        assert_eq!(Columns::get(&columns, 149), (149.0, true));
        assert!(v.iter().enumerate().all(|(k, x)| *x == k as f64));
    }
}
