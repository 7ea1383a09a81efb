//! The header of a `.npy` file (format version 1.0), written by hand so that a stream can
//! rewrite it in place: it is padded to a length that fits any row count, so the data after it
//! never moves.
//!
//! Layout: the magic `\x93NUMPY`, the version `1 0`, the header's length (u16, little-endian),
//! then a Python dict `{'descr': '<f8', 'fortran_order': False, 'shape': (N, 3), }` padded with
//! spaces and ended by `\n`, so that the data starts at a multiple of 64 bytes.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::ColumnData;

/// Magic, version and the header length: the bytes before the dict.
const PREFIX_LEN: usize = 10;

/// NumPy's `descr` of a column's element type: little-endian floats and integers, one-byte flags.
pub(super) fn descr(data: &ColumnData) -> &'static str {
    match data {
        ColumnData::F32(_) => "<f4",
        ColumnData::F64(_) => "<f8",
        ColumnData::Bool(_) => "|b1",
        ColumnData::I64(_) => "<i8",
    }
}

/// Bytes per element of a column's type.
pub(super) fn element_size(data: &ColumnData) -> usize {
    match data {
        ColumnData::F32(_) => 4,
        ColumnData::F64(_) | ColumnData::I64(_) => 8,
        ColumnData::Bool(_) => 1,
    }
}

/// Appends the column's values to `out` as the `.npy` data of its [`descr`].
pub(super) fn append_le(data: &ColumnData, out: &mut Vec<u8>) {
    match data {
        ColumnData::F32(v) => v
            .iter()
            .for_each(|x| out.extend_from_slice(&x.to_le_bytes())),
        ColumnData::F64(v) => v
            .iter()
            .for_each(|x| out.extend_from_slice(&x.to_le_bytes())),
        ColumnData::Bool(v) => out.extend(v.iter().map(|&b| u8::from(b))),
        ColumnData::I64(v) => v
            .iter()
            .for_each(|x| out.extend_from_slice(&x.to_le_bytes())),
    }
}

/// The dict of a header for `rows` rows of shape `dims`.
fn dict(descr: &str, rows: u64, dims: &[usize]) -> String {
    let mut shape = format!("{rows},");
    for (j, d) in dims.iter().enumerate() {
        if j > 0 {
            shape.push(',');
        }
        shape.push_str(&format!(" {d}"));
    }
    format!("{{'descr': '{descr}', 'fortran_order': False, 'shape': ({shape}), }}")
}

/// The whole header (prefix and padded dict) for `rows` rows of shape `dims`; its length does
/// not depend on `rows`, so rewriting it with another count leaves the data where it is.
pub(super) fn header(descr: &str, rows: u64, dims: &[usize]) -> Vec<u8> {
    // The widest count, u64::MAX, decides the padded length.
    let widest = dict(descr, u64::MAX, dims).len() + 1;
    let total = (PREFIX_LEN + widest).div_ceil(64) * 64;
    let text_len = total - PREFIX_LEN;
    let mut text = dict(descr, rows, dims);
    while text.len() + 1 < text_len {
        text.push(' ');
    }
    text.push('\n');
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(b"\x93NUMPY\x01\x00");
    // A dict of a few hundred bytes: dims of a state fit far below u16::MAX.
    out.extend_from_slice(&(text_len as u16).to_le_bytes());
    out.extend_from_slice(text.as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_keeps_its_length_for_any_count() {
        let a = header("<f8", 0, &[2, 3]);
        let b = header("<f8", u64::MAX, &[2, 3]);
        assert_eq!(a.len(), b.len());
        assert_eq!(a.len() % 64, 0);
        assert!(a.ends_with(b"\n"));
    }

    #[test]
    fn numpy_readers_read_it() {
        let mut bytes = header("<f8", 2, &[3]);
        append_le(
            &ColumnData::F64(vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]),
            &mut bytes,
        );
        let npy = npyz::NpyFile::new(&bytes[..]).unwrap();
        assert_eq!(npy.shape(), [2, 3]);
        assert_eq!(
            npy.into_vec::<f64>().unwrap(),
            [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
        );
        let mut bytes = header("|b1", 3, &[]);
        append_le(&ColumnData::Bool(vec![true, false, true]), &mut bytes);
        let npy = npyz::NpyFile::new(&bytes[..]).unwrap();
        assert_eq!(npy.shape(), [3]);
        assert_eq!(npy.into_vec::<bool>().unwrap(), [true, false, true]);
    }
}
