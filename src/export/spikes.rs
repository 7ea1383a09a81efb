//! Spike events as CSV (`step,population,neuron`, one row per spike), as the COBA example's
//! `--out` writes them: rows by step, then population in the order given, then neuron. pandas
//! reads it with `pd.read_csv(path)`.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use std::io::Write;
use std::path::Path;

use super::ExportError;
use crate::network::SpikeEvents;

/// Writes the events of named populations (`[("E", &e), ("I", &i)]`) as CSV text to `out`.
/// Each population's events must be in step order, as recorded.
pub fn write_spike_csv(
    mut out: impl Write,
    populations: &[(&str, &SpikeEvents)],
) -> std::io::Result<()> {
    writeln!(out, "step,population,neuron")?;
    let mut next = alloc::vec![0_usize; populations.len()];
    loop {
        // The earliest step still to write, over every population.
        let step = populations
            .iter()
            .zip(&next)
            .filter_map(|((_, events), &k)| events.steps().get(k).copied())
            .min();
        let Some(step) = step else { break };
        for ((name, events), k) in populations.iter().zip(&mut next) {
            while *k < events.len() && events.steps()[*k] == step {
                writeln!(out, "{step},{name},{}", events.neurons()[*k])?;
                *k += 1;
            }
        }
    }
    Ok(())
}

/// The CSV text of [`write_spike_csv`].
pub fn spike_csv_string(populations: &[(&str, &SpikeEvents)]) -> String {
    let mut bytes = Vec::new();
    write_spike_csv(&mut bytes, populations).expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("the CSV is ASCII")
}

/// Writes [`write_spike_csv`]'s text to the file at `path`.
pub fn save_spike_csv(
    path: impl AsRef<Path>,
    populations: &[(&str, &SpikeEvents)],
) -> Result<(), ExportError> {
    let path = path.as_ref();
    let io = |error| ExportError::Io {
        path: path.display().to_string(),
        error,
    };
    let file = std::fs::File::create(path).map_err(io)?;
    let mut out = std::io::BufWriter::new(file);
    write_spike_csv(&mut out, populations).map_err(io)?;
    out.flush().map_err(io)
}
