//! [`DelayLine`]: a ring buffer of a population's last values — spikes for an align-post
//! projection, per-source conductances for an align-pre one — read a whole number of steps late.
//! One per projection, sized when built, so a step copies one vector and allocates nothing.

use alloc::vec::Vec;

/// The values pushed `delay` steps ago, for a vector of `width` elements. With `delay = 0` it
/// holds nothing and hands the latest values straight back.
#[derive(Clone, Debug, PartialEq)]
pub struct DelayLine<X> {
    width: usize,
    delay: usize,
    init: X,
    /// `delay + 1` slots of `width` values (none when `delay = 0`).
    slots: Vec<X>,
    /// The slot the next push writes.
    head: usize,
}

impl<X: Copy> DelayLine<X> {
    /// A line of `width` values delayed by `delay` steps; before `delay` pushes, reads give
    /// `init` (no spike, zero conductance).
    pub fn new(width: usize, delay: usize, init: X) -> Self {
        let slots = if delay == 0 {
            Vec::new()
        } else {
            alloc::vec![init; width * (delay + 1)]
        };
        DelayLine {
            width,
            delay,
            init,
            slots,
            head: 0,
        }
    }

    /// The delay, in steps.
    pub fn delay(&self) -> usize {
        self.delay
    }

    /// Elements per vector.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Stores `latest` and returns the values stored `delay` pushes before it (`latest` itself
    /// for no delay). Panics if `latest` does not have `width` elements.
    #[inline]
    pub fn push<'a>(&'a mut self, latest: &'a [X]) -> &'a [X] {
        assert_eq!(latest.len(), self.width, "delay line of {}", self.width);
        if self.delay == 0 {
            return latest;
        }
        let n = self.width;
        let slots = self.delay + 1;
        self.slots[self.head * n..(self.head + 1) * n].copy_from_slice(latest);
        // The oldest slot: written `delay` pushes ago.
        let oldest = if self.head + 1 == slots {
            0
        } else {
            self.head + 1
        };
        self.head = oldest;
        &self.slots[oldest * n..(oldest + 1) * n]
    }

    /// Forgets every stored vector.
    pub fn reset(&mut self) {
        self.slots.fill(self.init);
        self.head = 0;
    }

    /// Heap bytes held, counted by capacity.
    pub fn heap_bytes(&self) -> usize {
        self.slots.capacity() * size_of::<X>()
    }
}

/// Steps of a delay of `delay` ms at step `dt` ms, rounded up as BrainPy rounds it
/// (`ceil(delay / dt)`).
pub fn delay_steps(delay: f64, dt: f64) -> usize {
    libm::ceil(delay / dt) as usize
}

/// The [`DelayLine`] delay that reproduces BrainPy's `delay=delay` ms (`None`: no delay) in a
/// projection that runs before the populations, as BrainPy 2.8.2 delivers it: a spike reaches
/// the conductance `max(ceil(delay / dt), 2) - 2` steps after it would without delay, so 0, 0.1
/// and 0.2 ms at dt 0.1 all arrive at the next step (measured with
/// `tests/reference/brainpy_delay/make_reference.py`). [`delay_steps`] is the physical delay.
pub fn brainpy_delay_steps(delay: Option<f64>, dt: f64) -> usize {
    delay.map_or(0, |d| delay_steps(d, dt).max(2) - 2)
}
