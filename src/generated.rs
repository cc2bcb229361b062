//! The code progenitor generates from `openapi/store-auth.yaml` at build time (see build.rs).
//!
//! Nothing here is written by hand: to change it, change the document or the generator
//! settings in build.rs. [`Client`] is the low-level client, one method per operation
//! (`post_auth`, `delete_auth`, `get_auth`, `get_auth_email`, `post_token`); reach it with
//! [`AuthClient::raw`](crate::AuthClient::raw), which keeps the crate's headers, session
//! and timeouts.

#![allow(
    missing_docs,
    clippy::all,
    clippy::pedantic,
    unused_imports,
    rustdoc::all
)]

include!(concat!(env!("OUT_DIR"), "/store_auth.rs"));
