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
