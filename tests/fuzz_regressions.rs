//! Replays every input in `fuzz/regressions/` (crashes the fuzzer found, kept once fixed)
//! and every recorded real response through the fuzz target's decoding.
//! `cargo test --features fuzzing --test fuzz_regressions`
#![cfg(feature = "fuzzing")]

mod support;

use medusa_store_auth::fuzzing::{decode_fuzz_input, decode_response};

#[test]
fn recorded_responses_and_past_crashes_decode_without_panicking() {
    let mut replayed = 0;
    for name in [
        "10-auth-login-ok",
        "11-auth-login-wrong-password",
        "14-auth-login-malformed-json",
        "21-session-get-no-cookie",
        "38-exists-bad-percent",
        "40-token-ok",
        "50-delete-session",
        "75-unknown-store-route",
    ] {
        let r = support::fixtures::recorded(name);
        decode_response(
            r.status,
            r.header("content-type").map(str::as_bytes),
            &r.body,
        );
        replayed += 1;
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            continue;
        }
        decode_fuzz_input(&std::fs::read(&path).unwrap());
        replayed += 1;
    }
    assert!(replayed >= 8);
}
