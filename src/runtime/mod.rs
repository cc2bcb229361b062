//! The runtime every API line shares: configuration, the HTTP client, headers, the session,
//! the attempt loop (retries, the deadline), the mapping of responses to errors, tracing.
//!
//! An API line (`crate::v1`) brings its generated client, whose hooks call
//! [`AttemptContext`], and its resource, which describes each operation (its
//! `crate::operation::Operation`) and a function making one attempt. Nothing here names a
//! generated type.

// Modules, lowest first; each imports only from the ones above it.
mod headers;
pub(crate) mod retry;
mod session;
mod telemetry;
// A visitor's session, saved and restored.
mod saved;
// Configuration, and what a client holds.
pub(crate) mod config;
mod settings;
// A call's typed response.
mod response;
// The hooks' side of an attempt.
mod attempt;
// An attempt's result as a value.
mod outcome;
// The builder and the attempt loop.
mod call;
// How an API line's generated client plugs in, and what its client has.
mod client;
mod generated;

pub use attempt::AttemptContext;
pub use call::Call;
pub(crate) use call::SessionEffect;
pub(crate) use client::client_basics;
pub(crate) use generated::{attempt_hooks, GeneratedClient, Method};
#[cfg(feature = "fuzzing")]
pub(crate) use outcome::from_response;
pub use response::Response;
pub(crate) use saved::Line;
pub use saved::{SavedSession, MAX_SAVED_SESSION_BYTES};
pub use session::{Pending, DEFAULT_SESSION_COOKIE_NAME};
pub(crate) use settings::Runtime;
