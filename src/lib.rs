#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

// Layers, lowest first; each imports only from the ones before it.
mod credentials;
mod error;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;
mod operation;
mod runtime;
pub mod v1;

pub use credentials::{AccessToken, Password, SessionCookie};
pub use error::{ApiError, Error, InvalidInput, JsonError, ResponseBody};
pub use runtime::config::{Config, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};
pub use runtime::retry::RetryPolicy;
pub use runtime::{Call, Response, DEFAULT_SESSION_COOKIE_NAME};

/// How to move the crate to a new upstream OpenAPI document, and every change made to the
/// upstream one (the vendored document's `README.md`).
#[doc = include_str!("../openapi/README.md")]
pub mod regenerating {}
