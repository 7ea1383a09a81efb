//! [`Map`]: an input sequence turned into another, item by item (spikes into currents, say).

use alloc::vec::Vec;

use loop_core::{InputSequence, LoopError};

/// The items of `inner`, each passed through `f`.
///
/// ```
/// use looptime::inputs::{Map, PoissonSpikes};
/// use looptime::nalgebra::SMatrix;
///
/// // Poisson spikes at 200 Hz, each a 10.0 current pulse for one step.
/// let spikes = PoissonSpikes::<4>::new(200.0, 0.1, 1000, 7).unwrap();
/// let currents = Map::new(spikes, |s: SMatrix<bool, 4, 1>| s.map(|x| if x { 10.0 } else { 0.0 }));
/// assert_eq!(currents.to_vec().len(), 1000);
/// ```
#[derive(Clone, Debug)]
pub struct Map<S, F> {
    inner: S,
    f: F,
}

impl<S: InputSequence, Y, F: Fn(S::Item) -> Y> Map<S, F> {
    /// `f` applied to every item of `inner`.
    pub fn new(inner: S, f: F) -> Self {
        Map { inner, f }
    }

    /// Every step's value, stored.
    pub fn to_vec(&self) -> Vec<Y> {
        let steps = self.inner.steps::<()>().unwrap_or(0);
        (0..steps).map(|k| (self.f)(self.inner.item(k))).collect()
    }
}

impl<S: InputSequence, Y, F: Fn(S::Item) -> Y> InputSequence for Map<S, F> {
    type Item = Y;

    fn steps<H>(&self) -> Result<usize, LoopError<H>> {
        self.inner.steps()
    }

    fn item(&self, k: usize) -> Y {
        (self.f)(self.inner.item(k))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inputs::Ramp;

    #[test]
    fn maps_every_item_and_keeps_the_length() {
        let doubled = Map::new(Ramp::<f64>::linspace(0.0, 3.0, 4), |x| 2.0 * x);
        assert_eq!(doubled.to_vec(), [0.0, 2.0, 4.0, 6.0]);
        assert_eq!(InputSequence::steps::<()>(&doubled).ok(), Some(4));
    }
}
