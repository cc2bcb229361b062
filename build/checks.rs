//! What build.rs asks of the vendored document before progenitor sees it.
//!
//! progenitor panics or fails with terse messages on shapes it cannot take (see
//! `research/progenitor.md`), and the hand-written layer in `src/` relies on a few names.
//! Each check here turns one of those into a short message that names the operation or
//! schema and says what to change. This file is compiled into build.rs and into
//! `tests/build_checks.rs`, which tests every message; it depends only on `openapiv3`,
//! `serde_json` and `serde_yaml_ng`.

use std::collections::BTreeMap;

use openapiv3::{OpenAPI, Operation, ReferenceOr, Response, StatusCode};

#[path = "../src/operation.rs"]
mod operation;
#[path = "../src/v1/operations.rs"]
pub mod operations;
#[path = "../src/v2/operations.rs"]
pub mod operations_v2;

/// One Medusa line: its document, what the generator writes, and what the hand-written
/// layer relies on in it.
#[allow(dead_code)] // the tests read only what the checks use
pub struct Line {
    /// The vendored document, relative to the crate.
    pub document: &'static str,
    /// The file written into `OUT_DIR` (and `<stem>_httpmock.rs` with the `mock` feature).
    pub out_stem: &'static str,
    /// The module the generated code is included in (named by the httpmock helpers).
    pub module: &'static str,
    /// The hand-written calls, for messages.
    pub resource: &'static str,
    pub operations: &'static [operation::Operation],
    /// Schemas the hand-written layer uses by name, and why.
    pub required_schemas: &'static [(&'static str, &'static str)],
    pub replacements: &'static [Replacement],
}

/// Medusa 1.x: `openapi/store-auth.yaml`.
pub const V1: Line = Line {
    document: "openapi/store-auth.yaml",
    out_stem: "store_auth",
    module: "crate::v1",
    resource: "src/v1/auth.rs",
    operations: &operations::OPERATIONS,
    required_schemas: &[
        ("StoreAuthRes", "src/v1/auth.rs returns its `customer`"),
        (
            "StoreGetAuthEmailRes",
            "src/v1/auth.rs returns its `exists`",
        ),
        (
            "Error",
            "src/v1/auth.rs converts it into the crate's ApiError",
        ),
    ],
    replacements: &[
        Replacement {
            schema: "StorePostAuthReq",
            rust_type: "crate::credentials::StorePostAuthReq",
            file: "src/credentials.rs",
            properties: &["email", "password"],
        },
        Replacement {
            schema: "StoreBearerAuthRes",
            rust_type: "crate::credentials::StoreBearerAuthRes",
            file: "src/credentials.rs",
            properties: &["access_token"],
        },
    ],
};

/// Medusa 2.x: `openapi/store-auth-v2.yaml`.
pub const V2: Line = Line {
    document: "openapi/store-auth-v2.yaml",
    out_stem: "store_auth_v2",
    module: "crate::v2",
    resource: "src/v2/",
    operations: &operations_v2::OPERATIONS,
    required_schemas: &[
        (
            "StoreCustomerResponse",
            "src/v2/customer.rs returns its `customer`",
        ),
        (
            "AuthMfaChallenge",
            "src/v2/login.rs's `Login::MfaRequired` holds it",
        ),
        (
            "AuthVerification",
            "src/v2/login.rs's `Login::VerificationRequired` holds it",
        ),
        (
            "Error",
            "src/v2/auth.rs converts it into the crate's ApiError",
        ),
    ],
    replacements: &[
        Replacement {
            schema: "AuthPayload",
            rust_type: "crate::v2::credentials::AuthPayload",
            file: "src/v2/credentials.rs",
            properties: &[],
        },
        Replacement {
            schema: "AuthResponse",
            rust_type: "crate::v2::credentials::AuthResponse",
            file: "src/v2/credentials.rs",
            properties: &["token"],
        },
        Replacement {
            schema: "OneTimeCode",
            rust_type: "crate::v2::credentials::OneTimeCode",
            file: "src/v2/credentials.rs",
            properties: &[],
        },
        Replacement {
            schema: "TotpSecret",
            rust_type: "crate::v2::credentials::TotpSecret",
            file: "src/v2/credentials.rs",
            properties: &[],
        },
        Replacement {
            schema: "OtpauthUrl",
            rust_type: "crate::v2::credentials::OtpauthUrl",
            file: "src/v2/credentials.rs",
            properties: &[],
        },
        Replacement {
            schema: "AuthLoginResponse",
            rust_type: "crate::v2::login::Login",
            file: "src/v2/login.rs",
            properties: &[
                "token",
                "location",
                "mfa_required",
                "mfa_challenge",
                "verification_required",
                "verification",
            ],
        },
    ],
};

/// Every line build.rs generates.
#[allow(dead_code)] // read by build.rs, not by its tests
pub const LINES: [&Line; 2] = [&V1, &V2];

/// Schemas renamed during generation, so that no generated name collides with the
/// crate's own (`Error` would read `Error<Error>` next to progenitor's error type).
pub const RENAMES: [(&str, &str); 1] = [("Error", "StoreError")];

/// A schema replaced by a hand-written type (to keep secrets out of `Debug`), with the
/// properties that type carries. The document must still describe exactly those.
pub struct Replacement {
    pub schema: &'static str,
    pub rust_type: &'static str,
    pub file: &'static str,
    pub properties: &'static [&'static str],
}

/// Reads the document: OpenAPI 3.0.x in YAML (JSON is YAML too).
pub fn parse(text: &str) -> Result<OpenAPI, String> {
    let raw: serde_yaml_ng::Value = serde_yaml_ng::from_str(text)
        .map_err(|e| format!("the document is not valid YAML or JSON: {e}"))?;
    let version = raw.get("openapi").and_then(|v| v.as_str()).unwrap_or("");
    if version.is_empty() {
        return Err(
            "the document has no `openapi:` version; progenitor takes OpenAPI 3.0.x".into(),
        );
    }
    if !version.starts_with("3.0.") {
        return Err(format!(
            "the document is OpenAPI {version}; progenitor takes 3.0.x only: set `openapi: 3.0.3` and express 3.1 features (type arrays, `const`, ...) in 3.0 terms"
        ));
    }
    serde_yaml_ng::from_value(raw)
        .map_err(|e| format!("the document is not a valid OpenAPI 3.0 document: {e}"))
}

/// How one response's body is represented by progenitor.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Body {
    None,
    /// JSON, keyed by the schema (`$ref` name, or the inline schema as JSON).
    Json(String),
    /// Anything else becomes a raw byte stream.
    Raw(String),
}

impl Body {
    fn describe(&self) -> String {
        match self {
            Body::None => "no body".into(),
            Body::Json(schema) if schema.starts_with('{') => "JSON (inline schema)".into(),
            Body::Json(schema) => format!("JSON `{schema}`"),
            Body::Raw(media) => format!("raw `{media}`"),
        }
    }
}

fn resolve<'a>(spec: &'a OpenAPI, response: &'a ReferenceOr<Response>) -> Option<&'a Response> {
    match response {
        ReferenceOr::Item(item) => Some(item),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/responses/")?;
            match spec.components.as_ref()?.responses.get(name)? {
                ReferenceOr::Item(item) => Some(item),
                ReferenceOr::Reference { .. } => None,
            }
        }
    }
}

fn is_json(media: &str) -> bool {
    let media = media.split(';').next().unwrap_or("").trim();
    media == "application/json" || media.ends_with("+json")
}

/// `Err` carries the message for a JSON body with no schema (a progenitor `todo!` panic).
fn body_of(response: &Response) -> Result<Body, String> {
    if response.content.is_empty() {
        return Ok(Body::None);
    }
    if let Some((media, content)) = response.content.iter().find(|(media, _)| is_json(media)) {
        return match &content.schema {
            None => Err(format!(
                "`{media}` has no `schema`; add one (or `{{}}` for any JSON)"
            )),
            Some(ReferenceOr::Reference { reference }) => {
                let name = reference.rsplit('/').next().unwrap_or(reference);
                Ok(Body::Json(name.to_string()))
            }
            Some(ReferenceOr::Item(schema)) => Ok(Body::Json(
                serde_json::to_string(schema).unwrap_or_default(),
            )),
        };
    }
    let media = response.content.keys().next().cloned().unwrap_or_default();
    Ok(Body::Raw(media))
}

fn status_label(status: &StatusCode) -> String {
    match status {
        StatusCode::Code(code) => code.to_string(),
        StatusCode::Range(range) => format!("{range}XX"),
    }
}

fn is_success(status: &StatusCode) -> bool {
    match status {
        StatusCode::Code(code) => (200..300).contains(code),
        StatusCode::Range(range) => *range == 2,
    }
}

fn operations(spec: &OpenAPI) -> impl Iterator<Item = (String, String, &Operation)> {
    spec.paths.iter().flat_map(|(path, item)| {
        let item = match item {
            ReferenceOr::Item(item) => Some(item),
            ReferenceOr::Reference { .. } => None,
        };
        item.into_iter().flat_map(move |item| {
            item.iter()
                .map(move |(method, op)| (method.to_uppercase(), path.clone(), op))
        })
    })
}

/// The generator's view of the document: error responses whose body is not JSON (Medusa's
/// text/plain `Unauthorized`, or no body) are left out, because progenitor takes one body
/// type per outcome class. They still reach the caller: progenitor hands undeclared
/// statuses over as `UnexpectedResponse`, and `src/runtime/outcome.rs` decodes them by status.
/// Returns what was left out, as `OperationId status` lines.
pub fn prepare_for_generator(spec: &mut OpenAPI) -> Vec<String> {
    let mut left_out = Vec::new();
    let snapshot = spec.clone();
    for item in spec.paths.paths.values_mut() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let ops = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.options,
            &mut item.head,
            &mut item.patch,
            &mut item.trace,
        ];
        for op in ops.into_iter().flatten() {
            let id = op.operation_id.clone().unwrap_or_default();
            op.responses.responses.retain(|status, response| {
                if is_success(status) {
                    return true;
                }
                let keep = match resolve(&snapshot, response).map(body_of) {
                    Some(Ok(Body::Json(_))) | Some(Err(_)) | None => true,
                    Some(Ok(_)) => false,
                };
                if !keep {
                    left_out.push(format!("{id} {}", status_label(status)));
                }
                keep
            });
        }
    }
    left_out
}

/// Every reason the generator or the hand-written layer cannot take this document.
pub fn check(spec: &OpenAPI, line: &Line) -> Result<(), Vec<String>> {
    let mut problems = Vec::new();
    let mut seen = BTreeMap::new();

    for (method, path, op) in operations(spec) {
        let Some(id) = op.operation_id.as_deref() else {
            problems.push(format!(
                "`{method} {path}` has no operationId: add one; progenitor names the generated method after it"
            ));
            continue;
        };
        seen.insert(id.to_string(), format!("{method} {path}"));
        check_bodies(spec, id, &method, &path, op, &mut problems);
    }

    let (document, resource) = (line.document, line.resource);
    for operation::Operation { name: id, call, .. } in line.operations {
        if !seen.contains_key(*id) {
            problems.push(format!(
                "operation `{id}` is missing: `{call}` in {resource} calls it; restore it in {document} (operationId: {id})"
            ));
        }
    }

    let schemas = spec.components.as_ref().map(|c| &c.schemas);
    let has_schema = |name: &str| schemas.is_some_and(|s| s.contains_key(name));
    for (name, why) in line.required_schemas {
        if !has_schema(name) {
            problems.push(format!(
                "schema `{name}` is missing: {why}; keep the name in {document}"
            ));
        }
    }
    for (from, to) in RENAMES {
        if has_schema(from) && has_schema(to) {
            problems.push(format!(
                "schema `{to}` collides with the name build.rs gives to schema `{from}`: rename `{to}` in {document}, or change RENAMES in build/checks.rs and the uses in src/"
            ));
        }
    }
    for replacement in line.replacements {
        check_replacement(spec, document, replacement, &mut problems);
    }

    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

fn check_bodies(
    spec: &OpenAPI,
    id: &str,
    method: &str,
    path: &str,
    op: &Operation,
    problems: &mut Vec<String>,
) {
    let mut success: BTreeMap<Body, Vec<String>> = BTreeMap::new();
    let mut failure: BTreeMap<Body, Vec<String>> = BTreeMap::new();
    let mut classify = |label: String,
                        response: &ReferenceOr<Response>,
                        success_class: bool,
                        failure_class: bool| {
        let Some(response) = resolve(spec, response) else {
            problems.push(format!(
                "`{id}` ({method} {path}): response {label} is a `$ref` that does not resolve to components.responses"
            ));
            return;
        };
        match body_of(response) {
            Err(e) => problems.push(format!("`{id}` ({method} {path}): response {label}: {e}")),
            Ok(body) => {
                if success_class {
                    success.entry(body.clone()).or_default().push(label.clone());
                }
                if failure_class {
                    failure.entry(body).or_default().push(label);
                }
            }
        }
    };
    for (status, response) in &op.responses.responses {
        let ok = is_success(status);
        classify(status_label(status), response, ok, !ok);
    }
    if let Some(default) = &op.responses.default {
        // progenitor counts `default` as both a success and an error response.
        classify("default".into(), default, true, true);
    }
    for (class, kinds) in [("success", &success), ("error", &failure)] {
        if kinds.len() > 1 {
            let list: Vec<String> = kinds
                .iter()
                .map(|(body, statuses)| format!("{}: {}", statuses.join(", "), body.describe()))
                .collect();
            problems.push(format!(
                "`{id}` ({method} {path}): its {class} responses have different bodies ({}); progenitor takes one body type per outcome: give them one schema, or remove the odd one out",
                list.join("; ")
            ));
        }
    }
}

fn check_replacement(
    spec: &OpenAPI,
    document: &str,
    replacement: &Replacement,
    problems: &mut Vec<String>,
) {
    let Replacement {
        schema,
        rust_type,
        file,
        properties,
    } = replacement;
    let found = spec
        .components
        .as_ref()
        .and_then(|c| c.schemas.get(*schema));
    let Some(ReferenceOr::Item(found)) = found else {
        problems.push(format!(
            "schema `{schema}` is missing: the crate replaces it with `{rust_type}` ({file}); keep the name in {document}"
        ));
        return;
    };
    let mut names: Vec<&str> = match &found.schema_kind {
        openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) => {
            object.properties.keys().map(String::as_str).collect()
        }
        _ => Vec::new(),
    };
    names.sort_unstable();
    let mut expected = properties.to_vec();
    expected.sort_unstable();
    if names != expected {
        problems.push(format!(
            "schema `{schema}` has properties [{}] but the hand-written `{rust_type}` that replaces it ({file}, to keep secrets out of Debug) has [{}]: change that type to match, then its `replacements` in build/checks.rs",
            names.join(", "),
            expected.join(", ")
        ));
    }
}
