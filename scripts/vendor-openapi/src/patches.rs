//! Every change made to the upstream document, in one place, each with the reason the running
//! server (Medusa 1.20.11, recorded in `tests/fixtures/medusa-1.20.11/`) gives for it. The reasons are
//! copied into `openapi/README.md` by the tool, so this list is the single source.
//!
//! A patch fails loudly when upstream no longer has what it patches: the new upstream then
//! needs a human look, not a silent no-op.

use serde_yaml_ng::{Mapping, Value};

pub struct Patch {
    pub id: &'static str,
    pub reason: &'static str,
    pub apply: fn(&mut Value) -> Result<(), String>,
}

pub const ALL: &[Patch] = &[
    Patch {
        id: "one-error-shape",
        reason: "The `400_error` response was `oneOf: [Error, MultipleErrors]`; neither schema has `required` and both allow extra properties, so every body matches both and strict `oneOf` fails. The auth routes send `{type, message, code?}`; Medusa's request-validation middleware sends `{errors, message}`. Both now fit one `Error` schema with an optional `errors: Error[]`, and `MultipleErrors` drops out.",
        apply: one_error_shape,
    },
    Patch {
        id: "open-error-strings",
        reason: "`Error.code` and `Error.type` were closed enums. The server often omits `code`, plugins and custom errors add other `type` values, and upstream's own `invalid_state_error` example disagrees with the server. They are open strings now; the known values stay in the descriptions.",
        apply: open_error_strings,
    },
    Patch {
        id: "error-message-required",
        reason: "Every JSON error Medusa sends (its error handler and its validation middleware) has a `message`, so `Error.message` is required and the Rust field is a plain `String`. (live 02, 13, 38)",
        apply: error_message_required,
    },
    Patch {
        id: "error-description",
        reason: "`Error` had a `title` (`Response Error`) and no `description`; the generator documents a type from its description, and the schema is renamed `StoreError` in Rust, so the rustdoc summary read only `StoreError`. The title now opens a description. (issue #16)",
        apply: error_description,
    },
    Patch {
        id: "access-token-required",
        reason: "`POST /store/auth/token` always answers `{\"access_token\": \"<JWT>\"}` on 200, but `access_token` was not `required`, which made it an `Option`. (live 40)",
        apply: access_token_required,
    },
    Patch {
        id: "request-bodies-required",
        reason: "`PostAuth` and `PostToken` did not set `requestBody.required`, which defaults to false in OpenAPI 3.0; the server answers 400 `invalid_data` without a body. (live 17, 18)",
        apply: request_bodies_required,
    },
    Patch {
        id: "delete-answers-text-ok",
        reason: "`DELETE /store/auth` was documented as 200 with no content and a possible 401. The server always answers 200 `text/plain; charset=utf-8` with the body `OK`, with or without a session (`res.sendStatus(200)`), and never 401, since the route has no auth middleware. (live 50, 52)",
        apply: delete_answers_text_ok,
    },
    Patch {
        id: "unauthorized-content-type",
        reason: "The 401 responses stay `text/plain` `Unauthorized`, as upstream says, but `GET /store/auth` sends that body with no `Content-Type` at all (passport's `res.end`); the description now says so, since clients must decide by status, not by content type. (live 21, 23, 44)",
        apply: unauthorized_content_type,
    },
    Patch {
        id: "ref-siblings-to-allof",
        reason: "In OpenAPI 3.0 every sibling of `$ref` is ignored, so `Customer.billing_address` and `Address.country` lost `nullable: true` and `StoreAuthRes.customer` lost its description. Each `{$ref, ...}` becomes `{allOf: [{$ref}], ...}`, which keeps both.",
        apply: ref_siblings_to_allof,
    },
];

pub(crate) fn k(s: &str) -> Value {
    Value::String(s.to_string())
}

/// Walks `path` from the root; the error names the first missing step.
pub(crate) fn at<'a>(doc: &'a mut Value, path: &[&str]) -> Result<&'a mut Value, String> {
    let mut here = doc;
    for (i, step) in path.iter().enumerate() {
        here = here
            .get_mut(*step)
            .ok_or_else(|| format!("upstream has no `{}`; review this patch", path[..=i].join(".")))?;
    }
    Ok(here)
}

pub(crate) fn mapping<'a>(doc: &'a mut Value, path: &[&str]) -> Result<&'a mut Mapping, String> {
    at(doc, path)?
        .as_mapping_mut()
        .ok_or_else(|| format!("`{}` is not a mapping", path.join(".")))
}

fn one_error_shape(doc: &mut Value) -> Result<(), String> {
    let schema = mapping(doc, &["components", "responses", "400_error", "content", "application/json", "schema"])?;
    if !schema.contains_key("oneOf") {
        return Err("`400_error` no longer uses `oneOf`; review this patch".into());
    }
    schema.clear();
    schema.insert(k("$ref"), k("#/components/schemas/Error"));

    let properties = mapping(doc, &["components", "schemas", "Error", "properties"])?;
    let mut errors = Mapping::new();
    errors.insert(k("type"), k("array"));
    errors.insert(
        k("description"),
        k("The individual errors, when Medusa's request validation reports several at once."),
    );
    let mut items = Mapping::new();
    items.insert(k("$ref"), k("#/components/schemas/Error"));
    errors.insert(k("items"), Value::Mapping(items));
    properties.insert(k("errors"), Value::Mapping(errors));
    Ok(())
}

pub(crate) fn open_error_strings(doc: &mut Value) -> Result<(), String> {
    for field in ["code", "type"] {
        let property = mapping(doc, &["components", "schemas", "Error", "properties", field])?;
        let values = property
            .shift_remove("enum")
            .ok_or_else(|| format!("`Error.{field}` has no `enum` any more; review this patch"))?;
        let known: Vec<String> = values
            .as_sequence()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(|s| format!("`{s}`")))
            .collect();
        let description = property.get("description").and_then(Value::as_str).unwrap_or_default();
        let description = format!(
            "{description} Known values: {}. Other values are possible.",
            known.join(", ")
        );
        property.insert(k("description"), k(description.trim()));
    }
    Ok(())
}

pub(crate) fn error_message_required(doc: &mut Value) -> Result<(), String> {
    let error = mapping(doc, &["components", "schemas", "Error"])?;
    error.insert(k("required"), Value::Sequence(vec![k("message")]));
    Ok(())
}

pub(crate) fn error_description(doc: &mut Value) -> Result<(), String> {
    let schema = mapping(doc, &["components", "schemas", "Error"])?;
    let title = schema
        .get("title")
        .and_then(Value::as_str)
        .ok_or("`Error` has no `title` any more; review this patch")?
        .to_string();
    schema.insert(
        k("description"),
        k(&format!(
            "{title}: the JSON body of Medusa's errors, `{{type, message, code}}`, or `{{errors, message}}` from its request validation."
        )),
    );
    Ok(())
}

fn access_token_required(doc: &mut Value) -> Result<(), String> {
    let schema = mapping(doc, &["components", "schemas", "StoreBearerAuthRes"])?;
    if !schema.get("properties").is_some_and(|p| p.get("access_token").is_some()) {
        return Err("`StoreBearerAuthRes` has no `access_token` property; review this patch".into());
    }
    schema.insert(k("required"), Value::Sequence(vec![k("access_token")]));
    Ok(())
}

fn request_bodies_required(doc: &mut Value) -> Result<(), String> {
    for (path, method) in [("/store/auth", "post"), ("/store/auth/token", "post")] {
        let body = mapping(doc, &["paths", path, method, "requestBody"])?;
        body.insert(k("required"), Value::Bool(true));
    }
    Ok(())
}

fn delete_answers_text_ok(doc: &mut Value) -> Result<(), String> {
    let responses = mapping(doc, &["paths", "/store/auth", "delete", "responses"])?;
    let ok: Value = serde_yaml_ng::from_str(
        "description: Always `OK` as `text/plain`, whether or not a session existed. The session cookie is not cleared by the server and JWTs stay valid.\n\
         content:\n  text/plain:\n    schema:\n      type: string\n      example: OK\n",
    )
    .map_err(|e| e.to_string())?;
    responses.insert(k("200"), ok);
    responses
        .shift_remove("401")
        .ok_or("`DeleteAuth` no longer lists a 401; review this patch")?;
    Ok(())
}

fn unauthorized_content_type(doc: &mut Value) -> Result<(), String> {
    let response = mapping(doc, &["components", "responses", "unauthorized"])?;
    let description = response.get("description").and_then(Value::as_str).unwrap_or_default();
    let description = format!(
        "{description}. The body is `Unauthorized`; `GET /store/auth` sends it with no `Content-Type` header."
    );
    response.insert(k("description"), k(&description));
    Ok(())
}

fn ref_siblings_to_allof(doc: &mut Value) -> Result<(), String> {
    fn walk(value: &mut Value, count: &mut usize) {
        match value {
            Value::Mapping(map) => {
                if map.len() > 1 && map.contains_key("$ref") {
                    let target = map.shift_remove("$ref").expect("checked above");
                    let mut reference = Mapping::new();
                    reference.insert(k("$ref"), target);
                    map.insert(k("allOf"), Value::Sequence(vec![Value::Mapping(reference)]));
                    *count += 1;
                }
                for (_, v) in map.iter_mut() {
                    walk(v, count);
                }
            }
            Value::Sequence(items) => items.iter_mut().for_each(|v| walk(v, count)),
            _ => {}
        }
    }
    let mut count = 0;
    walk(at(doc, &["components", "schemas"])?, &mut count);
    if count == 0 {
        return Err("no `$ref` with siblings left in the schemas; review this patch".into());
    }
    Ok(())
}
