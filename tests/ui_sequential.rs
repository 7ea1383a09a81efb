//! Compile-fail tests of `sequential!`: each mistake gives a message that points at the user's
//! token and says what to do; a shape mismatch names both layers (tests/ui/sequential/*.rs and
//! their .stderr).

#[test]
fn sequential_mistakes() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/sequential/*.rs");
}
