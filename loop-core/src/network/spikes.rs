//! Scanning a spike vector for the neurons that fired ([`for_each_spike`]): what event-driven
//! delivery and spike recording share. Spikes are rare (a neuron at 20 Hz fires at 0.2% of
//! steps of 0.1 ms), so blocks without a spike are skipped in a few vector instructions.

/// Neurons per block tested at once.
const BLOCK: usize = 128;

/// Calls `f(i)` for every `i` with `spikes[i]`, in increasing order.
#[inline]
pub fn for_each_spike(spikes: &[bool], mut f: impl FnMut(usize)) {
    let flags = as_bytes(spikes);
    let mut blocks = flags.chunks_exact(BLOCK);
    let mut base = 0;
    for block in &mut blocks {
        // An OR over the block (no early exit), which compiles to a few vector instructions.
        // Recording 4000 LIF neurons' spikes took 0.74 instructions per neuron and step with
        // blocks of 32, 0.38 with 128 (callgrind, the steps where all 4000 fire included).
        if block.iter().fold(0, |any, &s| any | s) != 0 {
            for (w, word) in block.chunks_exact(WORD).enumerate() {
                for_each_set_byte(word, base + w * WORD, &mut f);
            }
        }
        base += BLOCK;
    }
    let mut words = blocks.remainder().chunks_exact(WORD);
    for word in &mut words {
        for_each_set_byte(word, base, &mut f);
        base += WORD;
    }
    for (k, &s) in words.remainder().iter().enumerate() {
        if s != 0 {
            f(base + k);
        }
    }
}

/// The flags as bytes, each 0 or 1.
#[inline(always)]
fn as_bytes(spikes: &[bool]) -> &[u8] {
    // SAFETY: a `bool` is one byte holding 0 or 1, a valid `u8`; the slice keeps the borrow.
    unsafe { core::slice::from_raw_parts(spikes.as_ptr().cast::<u8>(), spikes.len()) }
}

/// Flags read at once as one `u64`.
const WORD: usize = 8;

/// Calls `f(base + k)` for every set flag `k` of `word` (`WORD` flags), in increasing order: the
/// flags as one little-endian `u64` whose byte `k` is 0 or 1, visited by its set bits (one per
/// set flag) rather than flag by flag.
#[inline(always)]
fn for_each_set_byte(word: &[u8], base: usize, f: &mut impl FnMut(usize)) {
    let mut bits = u64::from_le_bytes(word.try_into().expect("a word of flags"));
    while bits != 0 {
        f(base + bits.trailing_zeros() as usize / 8);
        bits &= bits - 1;
    }
}

const _: () = assert!(BLOCK.is_multiple_of(WORD));

/// How many of `spikes` are set.
#[inline]
pub fn count_spikes(spikes: &[bool]) -> usize {
    spikes.iter().map(|&s| usize::from(s)).sum()
}
