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
