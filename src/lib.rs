//! A typed client for the customer auth of [Medusa](https://medusajs.com), the open-source
//! headless commerce engine, on both its lines. For Medusa v1 ([`v1`]): log a customer in with
//! email and password, read and end the session, check whether an email is registered, and
//! get a JWT, as medusa-js's `AuthResource` does, under the same names. For Medusa v2
//! ([`v2`]): register, log in, refresh, cookie sessions, password resets, the store
//! customer, and the second factor and email verification a store may require, under
//! `@medusajs/js-sdk`'s names (its module docs show a v1 user how to move).
//!
//! ```no_run
//! use medusa_store_auth::v1::types::StorePostAuthReq;
//! use medusa_store_auth::v1::AuthClient;
//! use medusa_store_auth::{Config, Error};
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Error> {
//!     let client = AuthClient::new(Config::new().with_base_url("http://localhost:9000"))?;
//!
//!     let login = StorePostAuthReq::new("alice@example.com", "S3cret-pass!");
//!     let session = client.authenticate(&login).await?; // keeps the session cookie
//!     println!("hello {}", session.customer.email);
//!
//!     let token = client.get_token(&login).await?; // this client now sends the bearer
//!     let save_me: &str = token.access_token.expose(); // `Debug` prints <redacted>
//!     # let _ = save_me;
//!
//!     match client.get_session().await {
//!         Ok(me) => println!("signed in as {}", me.customer.id),
//!         Err(e) if e.is_unauthorized() => println!("signed out"),
//!         Err(e) => return Err(e),
//!     }
//!     client.delete_session().await?; // ends the session, forgets cookie and token
//!     Ok(())
//! }
//! ```
//!
//! # A storefront server
//!
//! One shared client serves every visitor; each request restores the visitor's
//! [`SavedSession`] (kept in the storefront's own `HttpOnly` cookie) on it, makes its calls,
//! and saves the session again only if it changed; after a logout it is empty. The README's
//! "Server-side sessions" has the whole pattern, and the repository's
//! `examples/storefront_server/` a whole storefront built on it (HTML pages for both lines,
//! the second factor and email verification, CSRF), tested in headless Chromium.
//!
//! ```no_run
//! # async fn demo(shared: medusa_store_auth::v2::AuthClient, from_browser: &str) -> Result<(), medusa_store_auth::Error> {
//! use medusa_store_auth::SavedSession;
//!
//! let before = SavedSession::decode(from_browser)?; // hostile input: a typed error
//! let visitor = shared.restore_session(&before)?; // the shared pool, a session of its own
//! let me = visitor.retrieve_customer().await?;
//! if visitor.saved_session() != before {
//!     let _set_cookie_to = visitor.saved_session().encode();
//! }
//! # let _ = me; Ok(()) }
//! ```
//!
//! # The main pieces
//!
//! - [`v1::AuthClient`]: the client for Medusa 1.x (1.17 to 1.20), with the five calls
//!   [`authenticate`](v1::AuthClient::authenticate),
//!   [`get_session`](v1::AuthClient::get_session), [`exists`](v1::AuthClient::exists),
//!   [`get_token`](v1::AuthClient::get_token) and
//!   [`delete_session`](v1::AuthClient::delete_session). Clones share one connection pool and
//!   one session (cookie and token); [`new_session`](v1::AuthClient::new_session) makes a
//!   session of its own on the same pool, one per visitor of a server-rendered storefront.
//! - [`v1::types`]: the request and response types, generated at build time from the
//!   vendored OpenAPI document (see [`regenerating`]).
//! - [`v2::AuthClient`]: the client for Medusa 2.x (2.10.0 to 2.21.x; what older releases
//!   lack is in the [`v2`] docs): [`login`](v2::AuthClient::login),
//!   [`register`](v2::AuthClient::register), [`refresh`](v2::AuthClient::refresh),
//!   [`create_session`](v2::AuthClient::create_session), [`logout`](v2::AuthClient::logout),
//!   [`retrieve_customer`](v2::AuthClient::retrieve_customer) and the rest, on the same
//!   runtime as v1, with [`mfa`](v2::AuthClient::mfa) and
//!   [`verification`](v2::AuthClient::verification) to finish a sign-in the store guards;
//!   [`v2::types`] has its generated types.
//! - [`Config`]: base URL, headers sent on every call, timeouts, [`RetryPolicy`], your own
//!   `reqwest::Client`.
//! - [`Call`]: what every call returns before it is awaited, to add headers, a timeout or a
//!   retry budget for that call only; [`Call::send_with_response`] keeps the status and
//!   headers ([`Response`]). A call is a `Send + 'static` future: `tokio::spawn(client.get_session())`.
//! - [`Error`]: one error type, with `is_*` helpers and [`auth_failure`](Error::auth_failure)
//!   for refused MFA and verification steps; passwords, tokens, cookies, codes and response
//!   bodies never appear in its `Display` or `Debug`.
//! - `mock` (feature `mock`): stand-in Medusa v1 and v2 servers for your own tests,
//!   answering as the recorded real servers.
//!
//! # Features
//!
//! `rustls` (default): HTTPS. `tracing` (default): a span per call. `mock`: the stand-in
//! server. `schemars`: `JsonSchema` on every type.

#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

// Layers, lowest first; each imports only from the ones above it.
mod credentials;
mod error;
mod operation;
// The runtime every API line shares.
mod runtime;
// The API lines: generated code, hooks, resources.
pub mod v1;
pub mod v2;
// The stand-in server, on top.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;

pub use credentials::{AccessToken, Password, SessionCookie};
pub use error::{ApiError, AuthFailure, Error, InvalidInput, JsonError, ResponseBody};
/// The `http` crate the API's status and header types come from ([`StatusCode`](http::StatusCode),
/// [`HeaderMap`](http::HeaderMap), [`HeaderValue`](http::HeaderValue)): name them through
/// this re-export to use the same version as the crate.
pub use http;
/// The `reqwest` the crate is built on: [`Config::with_http_client`] takes its `Client`, and
/// [`Error::Transport`] carries its `Error`. Name them through this re-export to use the same
/// version as the crate (its own `reqwest::StatusCode` and header types are `http`'s).
pub use reqwest;
pub use runtime::config::{Config, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};
pub use runtime::retry::RetryPolicy;
pub use runtime::{
    Call, Response, SavedSession, DEFAULT_SESSION_COOKIE_NAME, MAX_SAVED_SESSION_BYTES,
};

// The README's examples are compiled and run as doctests too.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// How to move the crate to a new upstream OpenAPI document, and every change made to the
/// upstream one (the vendored document's `README.md`).
#[doc = include_str!("../openapi/README.md")]
pub mod regenerating {}
