//! Replays every input in `fuzz/regressions/` (crashes the fuzzer found, kept once fixed)
//! and the recorded real responses through the fuzz target's decoding, which must read each
//! recording as the client does.
//! `cargo test --features fuzzing --test fuzz_regressions`
#![cfg(feature = "fuzzing")]

mod support;

use medusa_store_auth::fuzzing::{decode_fuzz_input, decode_response, Decoded};

#[test]
fn recorded_responses_decode_as_the_client_reads_them() {
    // (recording, the types its body is, the error it maps to as an error response)
    let cases: [(&str, &[&str], (u16, &str)); 8] = [
        ("10-auth-login-ok", &["StoreAuthRes"], (200, "decode")),
        ("11-auth-login-wrong-password", &[], (401, "unauthorized")),
        ("14-auth-login-malformed-json", &[], (400, "decode")),
        ("21-session-get-no-cookie", &[], (401, "unauthorized")),
        ("38-exists-bad-percent", &["StoreError"], (500, "api")),
        ("40-token-ok", &["StoreBearerAuthRes"], (200, "decode")),
        ("50-delete-session", &[], (200, "decode")),
        ("75-unknown-store-route", &[], (404, "missing_route")),
    ];
    for (name, types, (status, kind)) in cases {
        let r = support::fixtures::recorded(name);
        let decoded = decode_response(
            r.status(),
            r.header("content-type").map(str::as_bytes),
            r.body(),
        );
        let expected = Decoded {
            types: types.to_vec(),
            error: Some((Some(status), kind)),
        };
        assert_eq!(decoded, expected, "{name}");
    }
}

#[test]
fn past_crashes_decode_without_panicking() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            continue;
        }
        decode_fuzz_input(&std::fs::read(&path).unwrap());
    }
}
