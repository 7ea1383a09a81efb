//! Compile-fail tests of `loop_over_time!`: each mistake gives a message at the user's token that
//! says what to do (tests/ui/loop_over_time/*.rs and their .stderr).

#[test]
fn loop_over_time_mistakes() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/loop_over_time/*.rs");
}
