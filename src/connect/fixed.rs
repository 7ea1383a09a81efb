//! [`Fixed`]: what every seeded connector shares — its drawing rule, whether neuron `i` may reach
//! neuron `i`, and the seed of its ChaCha8 draws.

/// A seeded connector drawing by rule `R` ([`FixedProb`](super::FixedProb),
/// [`FixedPreNum`](super::FixedPreNum), [`FixedPostNum`](super::FixedPostNum)): by default
/// self-connections included (BrainPy's default) and seed 0.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fixed<R> {
    pub(super) rule: R,
    pub(super) include_self: bool,
    pub(super) seed: u64,
}

impl<R> Fixed<R> {
    /// Rule `rule`, self-connections included, seed 0.
    pub(super) fn with_rule(rule: R) -> Self {
        Fixed {
            rule,
            include_self: true,
            seed: 0,
        }
    }

    /// Whether neuron `i` may reach neuron `i`.
    pub fn include_self(mut self, include_self: bool) -> Self {
        self.include_self = include_self;
        self
    }

    /// The seed of the draws.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
}
