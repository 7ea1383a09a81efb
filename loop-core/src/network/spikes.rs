//! Scanning a spike vector for the neurons that fired ([`for_each_spike`]): what event-driven
//! delivery and spike recording share. Spikes are rare (a neuron at 20 Hz fires at 0.2% of
//! steps of 0.1 ms), so blocks without a spike are skipped in a few vector instructions.

/// Neurons per block tested at once.
const BLOCK: usize = 32;

/// Calls `f(i)` for every `i` with `spikes[i]`, in increasing order.
#[inline]
pub fn for_each_spike(spikes: &[bool], mut f: impl FnMut(usize)) {
    let mut blocks = spikes.chunks_exact(BLOCK);
    let mut base = 0;
    for block in &mut blocks {
        // An OR over the block (no early exit), which compiles to a few vector instructions.
        if block.iter().fold(0_u8, |any, &s| any | u8::from(s)) != 0 {
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
        if s {
            f(base + k);
        }
    }
}

/// Flags read at once as one `u64`.
const WORD: usize = 8;

/// Calls `f(base + k)` for every set flag `k` of `word` (`WORD` flags), in increasing order: the
/// flags as one little-endian `u64` whose byte `k` is 0 or 1, visited by its set bits (one per
/// set flag) rather than flag by flag.
#[inline(always)]
fn for_each_set_byte(word: &[bool], base: usize, f: &mut impl FnMut(usize)) {
    let bytes: [bool; WORD] = word.try_into().expect("a word of flags");
    let mut bits = u64::from_le_bytes(bytes.map(u8::from));
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
