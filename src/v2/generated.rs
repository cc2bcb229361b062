//! The code progenitor generates from `openapi/store-auth-v2.yaml` at build time (see build.rs).
//!
//! Nothing here is written by hand: to change it, change the document or the generator
//! settings in build.rs. Private: the types are re-exported in [`super::types`], and the
//! client is reached only through [`AuthClient`](super::AuthClient)'s calls.

#![allow(
    missing_docs,
    dead_code,
    clippy::all,
    clippy::pedantic,
    unused_imports,
    rustdoc::all
)]

// The generated client's inner value, named `super::AttemptContext` by the generator.
include!(concat!(env!("OUT_DIR"), "/store_auth_v2.rs"));
