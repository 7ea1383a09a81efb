//! [`Parts`]: data that a split cuts into pieces at element boundaries — a slice, or a tuple of
//! slices of one length (the states, inputs and outputs of a population, element `k` of each
//! belonging to neuron `k`).
//!
//! A split hands disjoint ranges of elements to different threads at once. The trait turns the
//! data into raw pointers once ([`Parts::into_raw`]), and rebuilds the view of one range on the
//! thread that works on it ([`Parts::piece`]); the pieces of one split never overlap, so no two
//! threads reach one element.

use core::marker::PhantomData;

/// Data that can be cut into pieces of elements `start..end` (see the module docs).
///
/// # Safety
///
/// `piece(raw, start, end)` must give a view of elements `start..end` of the data `raw` came
/// from, and nothing else; `Raw` may be sent to and shared with the threads of a split (it stands
/// for data that is `Send` when lent mutably, `Sync` when lent shared).
pub unsafe trait Parts: Sized {
    /// The data as raw pointers and lengths.
    type Raw: Copy + Send + Sync;

    /// The data as raw pointers, for the duration of the split.
    fn into_raw(self) -> Self::Raw;

    /// The number of elements, or `None` for parts without elements of their own (`()`: a
    /// step without inputs or outputs), which go with any length.
    ///
    /// # Panics
    ///
    /// When the members of a tuple differ in length.
    fn len(raw: &Self::Raw) -> Option<usize>;

    /// The view of elements `start..end`.
    ///
    /// # Safety
    ///
    /// `start <= end <= len`, the data `raw` came from is still borrowed as `Self` was, and no
    /// two live pieces of one `raw` overlap.
    unsafe fn piece(raw: Self::Raw, start: usize, end: usize) -> Self;
}

/// A `&mut [T]` as a pointer and a length.
pub struct RawMut<'a, T> {
    ptr: *mut T,
    len: usize,
    _borrow: PhantomData<&'a mut [T]>,
}

impl<T> Clone for RawMut<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for RawMut<'_, T> {}

// SAFETY: the pieces of a `&mut [T]` are disjoint `&mut` views; handing them to other threads
// needs `T: Send`, as `&mut [T]: Send` does.
unsafe impl<T: Send> Send for RawMut<'_, T> {}
// SAFETY: as above: only disjoint pieces are ever made from a shared `RawMut`.
unsafe impl<T: Send> Sync for RawMut<'_, T> {}

// SAFETY: `piece` rebuilds exactly `start..end` of the slice.
unsafe impl<'a, T: Send> Parts for &'a mut [T] {
    type Raw = RawMut<'a, T>;

    fn into_raw(self) -> RawMut<'a, T> {
        RawMut {
            ptr: self.as_mut_ptr(),
            len: self.len(),
            _borrow: PhantomData,
        }
    }

    fn len(raw: &RawMut<'a, T>) -> Option<usize> {
        Some(raw.len)
    }

    unsafe fn piece(raw: RawMut<'a, T>, start: usize, end: usize) -> Self {
        debug_assert!(start <= end && end <= raw.len);
        // SAFETY: within the slice (the caller's contract), disjoint from every other piece.
        unsafe { core::slice::from_raw_parts_mut(raw.ptr.add(start), end - start) }
    }
}

// SAFETY: `piece` is a sub-slice; a `&[T]` is shared by threads when `T: Sync`.
unsafe impl<T: Sync> Parts for &[T] {
    type Raw = Self;

    fn into_raw(self) -> Self {
        self
    }

    fn len(raw: &Self) -> Option<usize> {
        Some(<[T]>::len(raw))
    }

    unsafe fn piece(raw: Self, start: usize, end: usize) -> Self {
        &raw[start..end]
    }
}

// SAFETY: nothing to cut.
unsafe impl Parts for () {
    type Raw = ();

    fn into_raw(self) {}

    fn len(_: &()) -> Option<usize> {
        None
    }

    unsafe fn piece(_: (), _: usize, _: usize) {}
}

/// The common length of `lens`, ignoring parts without one.
///
/// # Panics
///
/// When two lengths differ.
fn common_len(lens: &[Option<usize>]) -> Option<usize> {
    let mut common = None;
    for len in lens.iter().flatten() {
        match common {
            None => common = Some(*len),
            Some(c) => assert_eq!(c, *len, "parallel: the parts of a split differ in length"),
        }
    }
    common
}

/// Tuples of parts of one length are parts.
macro_rules! tuple_parts {
    ($($p:ident $i:tt),+) => {
        // SAFETY: each member's piece is its own `start..end`.
        unsafe impl<$($p: Parts),+> Parts for ($($p,)+) {
            type Raw = ($($p::Raw,)+);

            fn into_raw(self) -> Self::Raw {
                ($(self.$i.into_raw(),)+)
            }

            fn len(raw: &Self::Raw) -> Option<usize> {
                common_len(&[$($p::len(&raw.$i)),+])
            }

            unsafe fn piece(raw: Self::Raw, start: usize, end: usize) -> Self {
                // SAFETY: the caller's contract, for each member.
                unsafe { ($($p::piece(raw.$i, start, end),)+) }
            }
        }
    };
}

tuple_parts!(A 0);
tuple_parts!(A 0, B 1);
tuple_parts!(A 0, B 1, C 2);
tuple_parts!(A 0, B 1, C 2, D 3);
tuple_parts!(A 0, B 1, C 2, D 3, E 4);
tuple_parts!(A 0, B 1, C 2, D 3, E 4, F 5);
tuple_parts!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
tuple_parts!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);

/// The bounds of piece `k` of `pieces` over `len` elements, cut at multiples of `align`: every
/// piece but the last is whole multiples of `align`, none is empty when `pieces` is at most
/// [`count`]`(len, align, pieces)`.
pub fn bounds(len: usize, align: usize, pieces: usize, k: usize) -> (usize, usize) {
    let units = len.div_ceil(align);
    let at = |k: usize| (align * (k * units / pieces)).min(len);
    (at(k), at(k + 1))
}

/// How many pieces to cut `len` elements into, at most `wanted` and at most one per `align`
/// elements (at least one).
pub fn count(len: usize, align: usize, wanted: usize) -> usize {
    len.div_ceil(align).min(wanted).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_cover_every_element_once_on_aligned_bounds() {
        for len in [0, 1, 7, 8, 9, 63, 64, 1000, 4000, 4001] {
            for align in [1, 8, 16] {
                for wanted in [1, 2, 3, 8, 100] {
                    let pieces = count(len, align, wanted);
                    let mut next = 0;
                    for k in 0..pieces {
                        let (start, end) = bounds(len, align, pieces, k);
                        assert_eq!(start, next);
                        assert!(start % align == 0);
                        assert!(end > start || len == 0, "{len} {align} {wanted} {k}");
                        next = end;
                    }
                    assert_eq!(next, len);
                }
            }
        }
    }

    #[test]
    fn a_tuple_is_cut_member_by_member_and_must_agree_in_length() {
        let mut a = [0_u32; 10];
        let b: [u32; 10] = core::array::from_fn(|k| k as u32);
        let raw = (&mut a[..], &b[..]).into_raw();
        assert_eq!(<(&mut [u32], &[u32])>::len(&raw), Some(10));
        // SAFETY: two disjoint ranges within the length, used one after the other.
        let (x, y) = unsafe { <(&mut [u32], &[u32])>::piece(raw, 0, 4) };
        x.copy_from_slice(y);
        // SAFETY: as above.
        let (x, y) = unsafe { <(&mut [u32], &[u32])>::piece(raw, 4, 10) };
        x.iter_mut().zip(y).for_each(|(x, y)| *x = 2 * y);
        assert_eq!(a, [0, 1, 2, 3, 8, 10, 12, 14, 16, 18]);
        // `()` (no inputs, no outputs) goes with any length.
        let raw = (&b[..], ()).into_raw();
        assert_eq!(<(&[u32], ())>::len(&raw), Some(10));
        assert_eq!(<((), ())>::len(&((), ())), None);
    }

    #[test]
    #[should_panic(expected = "differ in length")]
    fn members_of_different_lengths_are_refused() {
        let (b, short) = ([0_u32; 10], [0_u32; 3]);
        let raw = (&b[..], &short[..]).into_raw();
        let _ = <(&[u32], &[u32])>::len(&raw);
    }
}
