use looptime::sequential;

fn main() {
    let _model = sequential! {};
}
