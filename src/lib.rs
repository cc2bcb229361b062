#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

mod auth;
mod client;
mod config;
mod context;
mod credentials;
mod error;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
pub mod generated;
mod headers;
mod hooks;
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;
mod retry;
mod session;
mod telemetry;

pub use auth::{Authenticate, Call, DeleteSession, Exists, GetSession, GetToken, Operation};
pub use client::AuthClient;
pub use config::{Config, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};
pub use credentials::{AccessToken, Password, SessionCookie};
pub use error::{Error, InvalidInput, ResponseBody};
pub use progenitor_client::ResponseValue;
pub use retry::RetryPolicy;
pub use session::DEFAULT_SESSION_COOKIE_NAME;

/// How to move the crate to a new upstream OpenAPI document, and every change made to the
/// upstream one (the vendored document's `README.md`).
#[doc = include_str!("../openapi/README.md")]
pub mod regenerating {}

/// The request and response types, generated from `openapi/store-auth.yaml` and documented
/// from it, plus the two hand-written types that carry secrets
/// ([`StorePostAuthReq`](crate::types::StorePostAuthReq),
/// [`StoreBearerAuthRes`](crate::types::StoreBearerAuthRes)), which replace their generated versions so that `Debug` never
/// prints a password or a token.
pub mod types {
    pub use crate::credentials::{StoreBearerAuthRes, StorePostAuthReq};
    pub use crate::generated::types::*;
}
