use looptime::layers::Dense;
use looptime::sequential;
use rand::SeedableRng;

fn main() {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0);
    let _model = sequential! {
        l1: Dense::<f64, 3, 2>::new(&mut rng),
        l2: Dense::<f32, 2, 1>::new(&mut rng),
    };
}
