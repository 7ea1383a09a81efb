use looptime::layers::{Dense, Relu};
use looptime::sequential;
use rand::SeedableRng;

fn main() {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0);
    let _model = sequential! {
        l1: Dense::<f64, 3, 2>::new(&mut rng),
        Relu,
    };
}
