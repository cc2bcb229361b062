//! Medusa 1.x (1.17 to 1.20): the Store auth API, as medusa-js's `AuthResource` calls it.
//!
//! [`AuthClient`] has the five calls; [`types`] has the request and response types,
//! generated from `openapi/store-auth.yaml` and documented from it.

mod auth;
mod client;
mod generated;
mod hooks;
pub(crate) mod operations;

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
