//! Networks of populations, synapses and projections, written with `#[dynamical_system]` as a
//! user writes a network: [`EiNet`] is a struct whose children are two populations (the zoo's
//! neurons, [`Population`]), the synapses on each ([`Receptors`]: the [`crate::synapses`]
//! models) and four projections ([`crate::network::Projection`]), and whose `#[update]` runs
//! BrainPy's order: the projections deliver the spikes of the previous step into the
//! conductances, then each population's receptors step from V before the update, its current is
//! formed and its neurons step.
//!
//! The benchmarks of Brette et al. (2007), each a choice of neurons and receptors:
//! [`CobaNet`] (benchmark 1, BrainPy's parameters), [`CubaNet`] (benchmark 2, Brian2's) and
//! [`CobaHhNet`] (benchmark 3, BrainPy's). Sizes are type parameters; [`EiConnectivity`] draws
//! or loads the connectivity, [`EiSetup`] reads BrainPy's files. [`cli`] is the command line of
//! the examples `coba`, `cuba` and `cobahh`.
//!
//! ```
//! use looptime::network::SpikeMonitor;
//! use looptime::networks::{CobaNet, EiConnectivity};
//! use looptime::prelude::*;
//!
//! type Net = Box<CobaNet<f64, 3200, 800>>;
//! let connectivity = EiConnectivity::fixed_prob(0.02, 0, 3200, 800).unwrap();
//! let net: Net = Box::new(CobaNet::benchmark(connectivity, 0).unwrap());
//! let spikes = SpikeMonitor::new(|net: &Net| net.e.spike.as_slice());
//! let mut run = LoopOverTime::new(net).monitor("V[0]", |net| net.e.v[0]).observe(spikes);
//! let history = run.run_duration(100.0).unwrap(); // 1000 steps of 0.1 ms
//! let (v0,) = &history.monitors;
//! assert_eq!(v0.len(), 1000);
//! let (spikes,) = run.observers();
//! let rate = spikes.events().rate_hz(3200, 1000, 0.1);
//! assert!((15.0..25.0).contains(&rate), "{rate} Hz");
//! ```

#[cfg(feature = "std")]
pub mod cli;
mod coba;
mod coba_receptors;
mod cobahh;
mod cuba;
mod cuba_receptors;
mod ei_net;
mod population;
mod receptors;
mod setup;

pub use coba::{CobaKind, CobaNet};
pub use coba_receptors::CobaReceptors;
pub use cobahh::{CobaHhKind, CobaHhNet};
pub use cuba::{CubaKind, CubaNet};
pub use cuba_receptors::CubaReceptors;
pub use ei_net::{EiKind, EiNet, HomogeneousProjection};
pub use population::Population;
pub use receptors::Receptors;
pub use setup::{EiConnectivity, EiSetup, normal_v0, uniform_v0};
