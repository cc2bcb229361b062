//! Medusa 1.x (1.17 to 1.20): the Store auth API, as medusa-js's `AuthResource` calls it.
//!
//! [`AuthClient`] has the five calls; [`types`] has the request and response types,
//! generated from `openapi/store-auth.yaml` and documented from it.

// Lowest first; each imports only from the ones above it.
pub(crate) mod operations;
// progenitor's output and its hooks.
mod generated;
mod hooks;
// The resource: the client, then its calls.
mod client;
// The five calls, as methods of the client.
mod auth;

pub use client::AuthClient;

/// What `operations.rs` names its entries with (`super::operation::Operation`).
use crate::operation;
/// The generated client's inner value (see build.rs).
use crate::runtime::AttemptContext;

/// The request and response types, generated from `openapi/store-auth.yaml` and documented
/// from it, plus the two hand-written types that carry secrets ([`StorePostAuthReq`](types::StorePostAuthReq),
/// [`StoreBearerAuthRes`](types::StoreBearerAuthRes)), which replace their generated versions so that `Debug` never
/// prints a password or a token.
pub mod types {
    pub use super::generated::types::*;
    pub use crate::credentials::{StoreBearerAuthRes, StorePostAuthReq};
}
