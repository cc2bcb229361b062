// What the crate knows of an operation of an OpenAPI document. The bottom layer: plain data,
// compiled into the crate and, with each API line's list (src/v1/operations.rs), into
// build.rs and scripts/vendor-openapi.

/// One operation of an OpenAPI document, as the crate knows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operation {
    /// Its `operationId` (the name in tracing, and what build.rs checks).
    pub name: &'static str,
    /// Its HTTP method, upper case.
    pub method: &'static str,
    /// Its path template, as in the document: never the email itself.
    pub path: &'static str,
    /// The crate's call that sends it.
    pub call: &'static str,
    /// Whether the server refuses it without an `x-publishable-api-key` header (Medusa v2's
    /// `/store/*` routes); the crate then fails the call before sending it.
    pub publishable_key: bool,
}
