use looptime::layers::{Relu, RnnCell};
use looptime::sequential;
use rand::SeedableRng;

fn main() {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0);
    let _model = sequential! {
        l1: RnnCell::<f64, 100, 20, 128>::new(&mut rng),
        l2: Relu,
        l3: RnnCell::<f64, 30, 2, 128>::new(&mut rng),
    };
}
