use looptime::layers::{Dense, Tanh};
use looptime::sequential;
use rand::SeedableRng;

fn main() {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0);
    let _model = sequential! {
        encoder: Dense::<f64, 3, 2, 4>::new(&mut rng),
        act: Tanh,
        decoder: Dense::<f64, 2, 1, 8>::new(&mut rng),
    };
}
