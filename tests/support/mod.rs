//! Shared by the tests and `examples/quickstart.rs`: the recorded real responses and a
//! stand-in server built from them.

#![allow(dead_code)]

pub mod fixtures;
pub mod proxy;
pub mod scripted;

use medusa_store_auth::v1::AuthClient;
use medusa_store_auth::Config;

/// A client for a mock server, with every other setting at its default.
pub fn client_for(server: &httpmock::MockServer) -> AuthClient {
    AuthClient::new(Config::new().with_base_url(server.base_url())).expect("valid config")
}

/// An email no earlier run registered: `<prefix>-<run>-<n>@example.com` (the end-to-end
/// suites register fresh customers on a database that may outlive a run).
pub fn unique_email(prefix: &str) -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::{SystemTime, UNIX_EPOCH};
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let run = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_micros();
    format!(
        "{prefix}-{run}-{}@example.com",
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// The code an authenticator app shows now for the TOTP `secret` (Base32; RFC 6238 with
/// Medusa's defaults: SHA-1, 6 digits, 30 s), computed with `totp-rs`.
pub fn totp_now(secret: &str) -> String {
    let secret = totp_rs::Secret::try_from_base32(secret).expect("a Base32 TOTP secret");
    totp_rs::Builder::new()
        .with_secret(secret)
        .build()
        .expect("Medusa's TOTP settings")
        .generate_current()
        .to_string()
}

/// The verification code the real v2 server's test subscriber captured for `email` from the
/// `auth.verification_requested` event (the server sends it nowhere else), and the event's
/// `expires_at`. `dir` is `MEDUSA_V2_E2E_VERIFICATION_DIR` (scripts/medusa-v2-server.sh).
/// The file is removed, so the next request's code is read next.
pub async fn emailed_verification_code(
    dir: &std::path::Path,
    email: &str,
) -> (String, chrono::DateTime<chrono::Utc>) {
    let hex: String = email.bytes().map(|b| format!("{b:02x}")).collect();
    let path = dir.join(format!("{hex}.json"));
    // The event is handled after the 201 is sent, by another process writing a file: poll
    // for it, bounded.
    for _ in 0..100 {
        if let Ok(text) = std::fs::read_to_string(&path) {
            std::fs::remove_file(&path).unwrap();
            let event: serde_json::Value = serde_json::from_str(&text).unwrap();
            let expires_at = event["expires_at"].as_str().unwrap().parse().unwrap();
            return (event["code"].as_str().unwrap().to_string(), expires_at);
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!(
        "no auth.verification_requested event for {email} in 10 s ({})",
        path.display()
    );
}

/// Enrols a TOTP factor for the customer `client` acts as (start, then verify with the code an
/// authenticator app shows), as an account page would; the factor's Base32 secret.
pub async fn enrol_totp(client: &medusa_store_auth::v2::AuthClient) -> String {
    let totp = medusa_store_auth::v2::types::AuthMfaStartReq::totp();
    let started = client.mfa().start(&totp).await.unwrap();
    let secret = started.secret.expect("a TOTP factor has a secret");
    let code = totp_now(secret.expose());
    client
        .mfa()
        .verify(&started.mfa_factor.id, code)
        .await
        .unwrap();
    secret.expose().to_string()
}
