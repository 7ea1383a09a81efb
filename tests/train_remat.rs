//! Rematerialization: gradients with `remat(k)` equal those without it bit for bit (the backward
//! pass recomputes the same records in the same order), the model ends in the same state, and
//! the stored states are `⌈T/k⌉` checkpoints + `k` records + 1 end state instead of `T` records.
//! A hand-written layer whose records and snapshots count themselves while alive checks the
//! tape's own count independently.

mod train_support;

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use looptime::layers::{GruCell, LstmCell, Relu, RnnCell, Tanh};
use looptime::nalgebra::SMatrix;
use looptime::sequential;
use looptime::train::loss::{mse, softmax_cross_entropy};
use looptime::train::{
    Backward, Bptt, Forward, ParamVisitor, ParamVisitorMut, Remat, TapeUsage, Trainable,
};
use looptime::{DynamicalSystem, Shared, StateVisitor, States};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use train_support::uniform;

const B: usize = 3;
const T: usize = 30;

#[test]
fn remat_gives_the_same_gradients_and_stores_fewer_states() {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let mut model = sequential! {
        l1: RnnCell::<f64, 5, 6, B>::new(&mut rng),
        l2: Relu,
        l3: RnnCell::<f64, 6, 3, B>::new(&mut rng),
    };
    let xs = uniform::<5, B>(2, T);
    let labels = [[0, 1, 2]];
    let loss = |ys: &[SMatrix<f64, 3, B>], dys: &mut [SMatrix<f64, 3, B>]| {
        softmax_cross_entropy(&ys[T - 1..], &labels, &mut dys[T - 1..])
    };

    let mut plain = Bptt::new(T);
    let value = plain.gradient(&mut model, &xs, loss).unwrap();
    let end = model.snapshot();
    assert_eq!(
        plain.usage(),
        TapeUsage {
            records: T,
            checkpoints: 0,
            end_states: 0
        }
    );
    assert_eq!(plain.usage().stored_states(), 30);

    for (k, stored) in [
        (1, 30 + 1 + 1),
        (5, 6 + 5 + 1),
        (7, 5 + 7 + 1),
        (30, 1 + 30 + 1),
    ] {
        let mut remat = Bptt::new(T).remat(k);
        assert_eq!(remat.tape().record_capacity(), k);
        assert_eq!(remat.tape().checkpoint_capacity(), T.div_ceil(k));
        assert_eq!(remat.gradient(&mut model, &xs, loss).unwrap(), value);
        assert_eq!(remat.grads(), plain.grads(), "remat({k})");
        assert_eq!(
            model.snapshot(),
            end,
            "remat({k}) leaves the state after the last step"
        );
        let usage = remat.usage();
        assert_eq!(usage.checkpoints, T.div_ceil(k));
        assert_eq!(usage.records, k);
        assert_eq!(usage.end_states, 1);
        assert_eq!(usage.stored_states(), stored, "remat({k})");
    }

    // ⌈√30⌉ = 6 minimizes ⌈T/k⌉ + k: 5 checkpoints + 6 records + 1 end state.
    assert_eq!(Remat::sqrt(T), Remat::every(6));
    let mut best = Bptt::new(T).remat(Remat::sqrt(T).every);
    best.gradient(&mut model, &xs, loss).unwrap();
    assert_eq!(best.grads(), plain.grads());
    assert_eq!(best.usage().stored_states(), 12);
}

#[test]
fn remat_with_gated_cells_and_a_segment_shorter_than_k() {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let mut model = sequential! {
        l1: GruCell::<f64, 4, 5, B>::new(&mut rng),
        l2: Tanh,
        l3: LstmCell::<f64, 5, 2, B>::new(&mut rng),
    };
    let xs = uniform::<4, B>(4, 23); // 23 = 4 · 5 + 3: the last segment has 3 steps
    let targets = uniform::<2, B>(5, 23);
    let loss = |ys: &[SMatrix<f64, 2, B>], dys: &mut [SMatrix<f64, 2, B>]| mse(ys, &targets, dys);
    let mut plain = Bptt::new(T);
    let mut remat = Bptt::new(T).remat(5);
    let a = plain.gradient(&mut model, &xs, loss).unwrap();
    let b = remat.gradient(&mut model, &xs, loss).unwrap();
    assert_eq!(a, b);
    assert_eq!(plain.grads(), remat.grads());
    assert_eq!(plain.usage().stored_states(), 23);
    assert_eq!(remat.usage().stored_states(), 5 + 5 + 1);
}

/// States alive now, and the most alive at once since the last reset.
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static COUNTING: Mutex<()> = Mutex::new(());

/// A stored state that counts itself while it lives.
#[derive(Debug, PartialEq)]
struct Counted(SMatrix<f64, 2, B>);

impl Counted {
    fn new(h: SMatrix<f64, 2, B>) -> Self {
        let live = LIVE.fetch_add(1, Ordering::SeqCst) + 1;
        PEAK.fetch_max(live, Ordering::SeqCst);
        Counted(h)
    }
}

impl Clone for Counted {
    fn clone(&self) -> Self {
        Counted::new(self.0)
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        LIVE.fetch_sub(1, Ordering::SeqCst);
    }
}

/// `h ← tanh(w h + x)`, hand-written, whose records and snapshots are [`Counted`].
struct Recurrent {
    w: SMatrix<f64, 2, 2>,
    h: SMatrix<f64, 2, B>,
}

impl DynamicalSystem for Recurrent {
    type Input = SMatrix<f64, 2, B>;
    type Output = SMatrix<f64, 2, B>;

    fn update(&mut self, _sh: &Shared, x: Self::Input) -> Self::Output {
        self.h = (self.w * self.h + x).map(f64::tanh);
        self.h
    }

    fn reset_state(&mut self) {
        self.h = SMatrix::zeros();
    }
}

impl States for Recurrent {
    type Snapshot = Counted;
    const STATE_NAMES: &'static [&'static str] = &["h"];
    const CHILD_NAMES: &'static [&'static str] = &[];

    fn reset_states(&mut self) {
        self.h = SMatrix::zeros();
    }

    fn visit_states(&self, _visitor: &mut dyn StateVisitor) {}

    fn snapshot(&self) -> Counted {
        Counted::new(self.h)
    }

    fn restore(&mut self, snapshot: &Counted) {
        self.h = snapshot.0;
    }
}

impl Trainable for Recurrent {
    type Scalar = f64;
    const PARAM_COUNT: usize = 4;

    fn visit_params(&self, v: &mut dyn ParamVisitor<f64>) {
        v.param("w", self.w.as_slice(), (2, 2));
    }

    fn visit_params_mut(&mut self, v: &mut dyn ParamVisitorMut<f64>) {
        v.param("w", self.w.as_mut_slice(), (2, 2));
    }
}

impl Backward for Recurrent {
    type Record = Counted;
    type StateGrad = SMatrix<f64, 2, B>;

    fn forward(&mut self, sh: &Shared, x: &Self::Input) -> (Self::Output, Counted) {
        let before = Counted::new(self.h);
        (self.update(sh, *x), before)
    }

    fn zero_state_grad(&self) -> Self::StateGrad {
        SMatrix::zeros()
    }

    fn backward(
        &self,
        _sh: &Shared,
        step: Forward<'_, Self::Input, Self::Output, Counted>,
        dy: &Self::Output,
        dh: &mut Self::StateGrad,
        grads: &mut [f64],
        dx: Option<&mut Self::Input>,
    ) {
        let dp = (dy + *dh).zip_map(step.y, |d, y| d * (1.0 - y * y));
        let dw = dp * step.record.0.transpose();
        for (g, d) in grads.iter_mut().zip(dw.iter()) {
            *g += d;
        }
        *dh = self.w.transpose() * dp;
        if let Some(dx) = dx {
            *dx = dp;
        }
    }
}

#[test]
fn stored_states_counted_by_the_states_themselves() {
    let _lock = COUNTING.lock().unwrap_or_else(|p| p.into_inner());
    let mut model = Recurrent {
        w: SMatrix::<f64, 2, 2>::new(0.5, -0.3, 0.8, 0.2),
        h: SMatrix::zeros(),
    };
    let xs = uniform::<2, B>(6, T);
    let targets = uniform::<2, B>(7, T);
    let loss = |ys: &[SMatrix<f64, 2, B>], dys: &mut [SMatrix<f64, 2, B>]| mse(ys, &targets, dys);

    let mut peak = |bptt: &mut Bptt<Recurrent>| {
        LIVE.store(0, Ordering::SeqCst);
        PEAK.store(0, Ordering::SeqCst);
        bptt.gradient(&mut model, &xs, loss).unwrap();
        PEAK.load(Ordering::SeqCst)
    };
    let mut plain = Bptt::new(T);
    let mut remat = Bptt::new(T).remat(6);
    assert_eq!(peak(&mut plain), 30);
    assert_eq!(peak(&mut remat), 5 + 6 + 1);
    assert_eq!(remat.usage().stored_states(), 12);
    assert_eq!(plain.grads(), remat.grads());
}
