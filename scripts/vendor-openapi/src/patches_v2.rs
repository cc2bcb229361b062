//! Every change made to the upstream v2 store document (2.0.0), each with the reason the
//! running server (Medusa 2.21.2, recorded in `tests/fixtures/medusa-2.21.2/`) gives for it.
//! As for v1, each patch fails loudly when upstream no longer has what it patches.

use serde_yaml_ng::{Mapping, Value};

use crate::patches::{at, error_description, error_message_required, k, mapping, open_error_strings, Patch};

pub const ALL: &[Patch] = &[
    Patch {
        id: "unauthorized-is-json",
        reason: "The `unauthorized` response (and `incorrect_credentials`, when reached) was `text/plain` `Unauthorized`; the server sends JSON `{message}` or `{type, message}` (`Invalid email or password`, `Identity with email already exists`, `Invalid token`). As published, the text/plain 401 beside the JSON errors makes progenitor panic on every operation. (live 02, 11, 21, 54)",
        apply: unauthorized_is_json,
    },
    Patch {
        id: "open-error-strings",
        reason: "`Error.code` and `Error.type` were closed enums; the authentication middleware's 401 has neither, and other modules add other values. They are open strings now; the known values stay in the descriptions.",
        apply: open_error_strings,
    },
    Patch {
        id: "error-message-required",
        reason: "Every JSON error the server sends has a `message` (handlers, the authentication middleware, body-parser), so `Error.message` is a plain `String`. (live 05, 11, 14, 25)",
        apply: error_message_required,
    },
    Patch {
        id: "error-description",
        reason: "`Error` had only a `title`; the generator documents a type from its description, and the schema is renamed `StoreError` in Rust. (issue #16)",
        apply: error_description,
    },
    Patch {
        id: "auth-payload",
        reason: "Login, register and update took an inline `type: object` body with no properties, generated as an untyped map named after the operation. They share one named schema `AuthPayload` (a free-form object: `{email, password}` for emailpass), which the crate replaces by a type whose `Debug` hides the values; the body is required (the server answers 401 `Password should be a string` without one). (live 03, 13)",
        apply: auth_payload,
    },
    Patch {
        id: "login-answers",
        reason: "Login answered `oneOf: [AuthResponse, AuthCallbackResponse]`, which progenitor makes an untagged enum that decodes `{token, mfa_required: true, mfa_challenge}` as a plain token and loses the flag. The server's answers are one object `AuthLoginResponse` with `token`, `location`, `mfa_required`/`mfa_challenge` and `verification_required`/`verification`; the crate turns it into an enum that cannot lose them. (live 10, 18)",
        apply: login_answers,
    },
    Patch {
        id: "callback-is-get",
        reason: "The callback was documented as POST with no query parameters. js-sdk calls `GET /auth/customer/{provider}/callback?<provider's query>` and the server answers GET and POST alike; the query parameters are the provider's own (`code`, `state`, ...), so the crate encodes them and the operation declares none. It answers as login does. (live 61, 62)",
        apply: callback_is_get,
    },
    Patch {
        id: "providers-route",
        reason: "`GET /auth/customer/providers` (new since 2.0.0) is not in the document; the server answers `{providers: [{id, identifier, display_name, flow}]}`. (live 60)",
        apply: providers_route,
    },
    Patch {
        id: "session-answers-claims",
        reason: "`POST /auth/session` was documented to answer `{user: StoreCustomer}`; it answers `{user: <the token's claims>}` (`actor_id`, `actor_type`, `auth_identity_id`, ...), which does not decode as a customer. The claims are the new schema `AuthContext`. (live 30, 33)",
        apply: session_answers_claims,
    },
    Patch {
        id: "success-answers",
        reason: "`DELETE /auth/session` and the password update answer the same `{success: true}`, declared inline twice (two generated types with operation-derived names); it is one schema `AuthSuccessResponse`. (live 34, 57)",
        apply: success_answers,
    },
    Patch {
        id: "update-token-in-authorization",
        reason: "The password update took the reset token as a required `?token=` query parameter (2.0.0). The server ignores the query (401 `Invalid token`) and reads `Authorization: Bearer <reset token>`, so the parameter is gone and the crate sends the header; the body needs only `{password}`. (live 56, 57)",
        apply: update_token_in_authorization,
    },
    Patch {
        id: "reset-password-body",
        reason: "The reset-password body was `type: object` with a bare string example; the server reads `{identifier, metadata?}` and answers 400 without `identifier`. It answers 201 `text/plain` `Created` for known and unknown identifiers alike, which the crate does not read. (live 50, 51, 52)",
        apply: reset_password_body,
    },
    Patch {
        id: "customer-as-sent",
        reason: "`StoreCustomer` required `default_billing_address_id` and `default_shipping_address_id`, which the server never sends, declared `company_name`, `first_name`, `last_name`, `phone` and `metadata` non-nullable, which it sends as null, and lacked `has_account`. With `?fields=` any field but `id` may be absent. Only `id` is required now, the rest are nullable, `has_account` is added; `StoreCustomerAddress` likewise. (live 06, 20, 28)",
        apply: customer_as_sent,
    },
    Patch {
        id: "secret-strings",
        reason: "The MFA and verification routes carry secrets: the TOTP `secret` and `otpauth_url` the server answers once when a factor starts (mfa/15), the codes the customer types (TOTP, recovery and verification codes), and the recovery codes (mfa/63). Each is a named string schema (`TotpSecret`, `OtpauthUrl`, `OneTimeCode`) that the crate replaces by a type whose `Debug` prints `<redacted>`. (issue #21)",
        apply: secret_strings,
    },
    Patch {
        id: "mfa-routes",
        reason: "The six `/auth/mfa/*` routes (Medusa 2.15.3+) are not in the 2.0.0 document; upstream's per-path files since 2.15.3 have no response schemas and name the method `recovery-code`, where the server takes `recovery_code` (mfa/67, 70). Added as the server answers them: factors list (`{mfa_factors}`, mfa/10, 17, 22), start (`{mfa_factor, secret, otpauth_url}`, a reduced factor without timestamps, mfa/15), factor verify and disable (`{mfa_factor}`, mfa/20, 82, b14), recovery codes (`{recovery_codes}`, body `{count?}` 1..50, mfa/62, 63), challenge verify (`{method, code}` → `{token}`, mfa/42, 67). Wrong codes are 400 `not_allowed`, unknown or expired ids 404 `not_found`, an MFA-pending token 401 (mfa/18, 40, 41, b07, 31). Disable and recovery codes take an optional body; the crate always sends one (`{}` at least), as js-sdk does and the server accepts (mfa/82, 63).",
        apply: mfa_routes,
    },
    Patch {
        id: "verification-routes",
        reason: "`POST /auth/verification/request` and `/confirm` (Medusa 2.16.0+) are not in the 2.0.0 document. Request answers **201** `{verification}` (the code goes only to the `auth.verification_requested` event; verification/12); confirm needs no token and answers 200 `{entity_id, entity_type, code_provider, verified_at}` (verification/19). The record's `auth_identity` is `{id}` or a bare string (verification/25), and `provider_metadata` holds the code's hash: neither is declared, unknown fields are ignored.",
        apply: verification_routes,
    },
    Patch {
        id: "login-answers-typed",
        reason: "`AuthLoginResponse.mfa_challenge` and `.verification` were free-form objects; the server sends the challenge `{id, auth_identity_id, auth_provider, methods, expires_at, attempts, max_attempts, completed_at, metadata}` (mfa/30, 65) and the verification record (verification/13), now the schemas `AuthMfaChallenge` and `AuthVerification`. (issue #21)",
        apply: login_answers_typed,
    },
    Patch {
        id: "refresh-answers-as-login",
        reason: "Refresh was documented to answer `AuthResponse {token}`; the server answers as login does: `{mfa_required, mfa_challenge, token}` for an MFA-pending token (mfa/35), `{verification_required, token}` until the identity is verified (verification/07), so it answers `AuthLoginResponse`, and a pending token is never mistaken for a customer's.",
        apply: refresh_answers_as_login,
    },
];

fn yaml(text: &str) -> Result<Value, String> {
    serde_yaml_ng::from_str(text).map_err(|e| e.to_string())
}

/// The operation at `path` / `method`, as a mapping.
fn operation<'a>(doc: &'a mut Value, path: &str, method: &str) -> Result<&'a mut Mapping, String> {
    mapping(doc, &["paths", path, method])
}

fn add_schema(doc: &mut Value, name: &str, schema: &str) -> Result<(), String> {
    let schemas = mapping(doc, &["components", "schemas"])?;
    if schemas.contains_key(name) {
        return Err(format!("upstream now has a schema `{name}`; review this patch"));
    }
    schemas.insert(k(name), yaml(schema)?);
    Ok(())
}

fn json_body(schema_ref: &str) -> Result<Value, String> {
    yaml(&format!(
        "required: true\ncontent:\n  application/json:\n    schema:\n      $ref: '#/components/schemas/{schema_ref}'\n"
    ))
}

fn ok_response(description: &str, schema_ref: &str) -> Result<Value, String> {
    yaml(&format!(
        "description: {description}\ncontent:\n  application/json:\n    schema:\n      $ref: '#/components/schemas/{schema_ref}'\n"
    ))
}

fn unauthorized_is_json(doc: &mut Value) -> Result<(), String> {
    // `incorrect_credentials` is patched too when the cut operations still reach it.
    let reached = |doc: &Value, name: &str| doc["components"]["responses"].get(name).is_some();
    for name in ["unauthorized", "incorrect_credentials"] {
        if name != "unauthorized" && !reached(doc, name) {
            continue;
        }
        let response = mapping(doc, &["components", "responses", name])?;
        if !response.get("content").is_some_and(|c| c.get("text/plain").is_some()) {
            return Err(format!("`{name}` is no longer text/plain; review this patch"));
        }
        let description = response.get("description").and_then(Value::as_str).unwrap_or_default().to_string();
        *response = yaml(&format!(
            "description: '{description}. A JSON error: `{{\"message\": \"Unauthorized\"}}` from the authentication middleware, or `{{type, message}}` from a handler (`Invalid email or password`, ...).'\n\
             content:\n  application/json:\n    schema:\n      $ref: '#/components/schemas/Error'\n"
        ))?
        .as_mapping()
        .cloned()
        .expect("a mapping");
    }
    Ok(())
}

fn auth_payload(doc: &mut Value) -> Result<(), String> {
    for path in ["/auth/customer/{auth_provider}", "/auth/customer/{auth_provider}/register", "/auth/customer/{auth_provider}/update"] {
        let op = operation(doc, path, "post")?;
        let schema = op
            .get("requestBody")
            .and_then(|b| b.get("content"))
            .and_then(|c| c.get("application/json"))
            .and_then(|c| c.get("schema"))
            .ok_or_else(|| format!("`POST {path}` has no JSON body; review this patch"))?;
        if schema.get("type").and_then(Value::as_str) != Some("object") || schema.get("properties").is_some() {
            return Err(format!("`POST {path}`'s body is no longer a bare object; review this patch"));
        }
        op.insert(k("requestBody"), json_body("AuthPayload")?);
    }
    add_schema(
        doc,
        "AuthPayload",
        "type: object\n\
         description: What the auth provider takes, as JSON. For `emailpass`, `{email, password}` to log in or register and `{password}` to update; third-party providers take their own fields.\n\
         additionalProperties: true\n",
    )
}

fn login_answers(doc: &mut Value) -> Result<(), String> {
    let responses = mapping(doc, &["paths", "/auth/customer/{auth_provider}", "post", "responses"])?;
    if !responses.get("200").and_then(|r| r.get("content")).and_then(|c| c.get("application/json")).and_then(|c| c.get("schema")).is_some_and(|s| s.get("oneOf").is_some()) {
        return Err("login's 200 is no longer a `oneOf`; review this patch".into());
    }
    responses.insert(k("200"), ok_response("OK", "AuthLoginResponse")?);
    add_schema(
        doc,
        "AuthLoginResponse",
        "type: object\n\
         description: 'A login''s answer: a `token`; or a `location` to send the customer to (third-party providers); or a `token` with `mfa_required` and its `mfa_challenge`; or a `token` with `verification_required` and its `verification`.'\n\
         properties:\n\
         \x20 token:\n    type: string\n    description: 'The JWT to send as `Authorization: Bearer`, or to exchange for a session.'\n\
         \x20 location:\n    type: string\n    description: Where to redirect the customer to continue with a third-party provider.\n\
         \x20 mfa_required:\n    type: boolean\n    description: The identity has multi-factor authentication; `token` cannot act as the customer until the challenge is verified.\n\
         \x20 mfa_challenge:\n    type: object\n    description: The challenge to answer (through `/auth/mfa/challenges/{id}/verify`).\n    additionalProperties: true\n\
         \x20 verification_required:\n    type: boolean\n    description: The identity must be verified (for example its email) before `token` can act as the customer.\n\
         \x20 verification:\n    type: object\n    description: The pending verification.\n    additionalProperties: true\n",
    )
}

fn callback_is_get(doc: &mut Value) -> Result<(), String> {
    let item = mapping(doc, &["paths"])?;
    if item.get("/auth/customer/{auth_provider}/callback").is_some_and(|i| i.get("get").is_some()) {
        return Err("upstream now documents `GET .../callback`; review this patch".into());
    }
    let get = yaml(
        "operationId: GetActor_typeAuth_providerCallback\n\
         summary: Validate Authentication Callback\n\
         description: Completes a third-party login after the provider redirected the customer back with its query parameters (`code`, `state`, ...), which are sent on unchanged. Answers as login does.\n\
         x-authenticated: false\n\
         tags: [Auth]\n\
         parameters:\n\
         \x20 - name: auth_provider\n    in: path\n    description: The provider used for authentication.\n    required: true\n    schema:\n      type: string\n      example: google\n\
         responses:\n\
         \x20 '200':\n    description: OK\n    content:\n      application/json:\n        schema:\n          $ref: '#/components/schemas/AuthLoginResponse'\n\
         \x20 '400':\n    $ref: '#/components/responses/400_error'\n\
         \x20 '401':\n    $ref: '#/components/responses/unauthorized'\n\
         \x20 '500':\n    $ref: '#/components/responses/500_error'\n",
    )?;
    let paths = mapping(doc, &["paths"])?;
    let entry = paths
        .entry(k("/auth/customer/{auth_provider}/callback"))
        .or_insert_with(|| Value::Mapping(Mapping::new()));
    entry.as_mapping_mut().ok_or("a path item is not a mapping")?.insert(k("get"), get);
    Ok(())
}

fn providers_route(doc: &mut Value) -> Result<(), String> {
    let paths = mapping(doc, &["paths"])?;
    if paths.contains_key("/auth/customer/providers") {
        return Err("upstream now documents `/auth/customer/providers`; review this patch".into());
    }
    paths.insert(
        k("/auth/customer/providers"),
        yaml(
            "get:\n\
             \x20 operationId: GetActor_typeAuthProviders\n\
             \x20 summary: List Auth Providers\n\
             \x20 description: The auth providers a customer can log in with.\n\
             \x20 x-authenticated: false\n\
             \x20 tags: [Auth]\n\
             \x20 responses:\n\
             \x20   '200':\n      description: OK\n      content:\n        application/json:\n          schema:\n            $ref: '#/components/schemas/AuthProvidersResponse'\n\
             \x20   '400':\n      $ref: '#/components/responses/400_error'\n\
             \x20   '500':\n      $ref: '#/components/responses/500_error'\n",
        )?,
    );
    add_schema(
        doc,
        "AuthProvidersResponse",
        "type: object\n\
         description: The auth providers of an actor type.\n\
         required: [providers]\n\
         properties:\n\
         \x20 providers:\n    type: array\n    items:\n      $ref: '#/components/schemas/AuthProvider'\n",
    )?;
    add_schema(
        doc,
        "AuthProvider",
        "type: object\n\
         description: An auth provider.\n\
         required: [id]\n\
         properties:\n\
         \x20 id:\n    type: string\n    description: The provider's ID, as it goes in `/auth/customer/{auth_provider}`.\n\
         \x20 identifier:\n    type: string\n    description: The provider's identifier.\n\
         \x20 display_name:\n    type: string\n    description: A name to show.\n\
         \x20 flow:\n    type: string\n    description: How it logs in, for example `credentials` (email and password) or a redirect.\n",
    )
}

fn session_answers_claims(doc: &mut Value) -> Result<(), String> {
    let user = mapping(doc, &["components", "schemas", "AuthStoreSessionResponse", "properties", "user"])?;
    if user.get("$ref").and_then(Value::as_str) != Some("#/components/schemas/StoreCustomer") {
        return Err("`AuthStoreSessionResponse.user` is no longer a `StoreCustomer`; review this patch".into());
    }
    *user = yaml(
        "description: The claims of the token the session was made from.\n\
         allOf:\n  - $ref: '#/components/schemas/AuthContext'\n",
    )?
    .as_mapping()
    .cloned()
    .expect("a mapping");
    let description = mapping(doc, &["components", "schemas", "AuthStoreSessionResponse"])?;
    description.insert(k("description"), k("The session's authentication context."));
    add_schema(
        doc,
        "AuthContext",
        "type: object\n\
         description: Who a token or session acts for (a JWT's claims).\n\
         required: [actor_id, actor_type, auth_identity_id]\n\
         properties:\n\
         \x20 actor_id:\n    type: string\n    description: The customer's ID; empty for an identity with no customer yet (a registration token).\n\
         \x20 actor_type:\n    type: string\n    description: '`customer`.'\n\
         \x20 auth_identity_id:\n    type: string\n    description: The auth identity's ID.\n\
         \x20 auth_provider:\n    type: string\n    description: The provider the identity logged in with.\n\
         \x20 mfa_enabled:\n    type: boolean\n    description: Whether the identity has multi-factor authentication.\n\
         \x20 mfa_challenge_completed_at:\n    type: string\n    nullable: true\n    description: When the last MFA challenge was completed.\n\
         \x20 app_metadata:\n    type: object\n    additionalProperties: true\n    description: 'The identity''s app metadata (`customer_id`, ...).'\n\
         \x20 user_metadata:\n    type: object\n    additionalProperties: true\n    description: The identity's user metadata.\n\
         \x20 iat:\n    type: integer\n    format: int64\n    description: When the token was issued (seconds since the epoch).\n\
         \x20 exp:\n    type: integer\n    format: int64\n    description: When the token expires (seconds since the epoch).\n",
    )
}

fn success_answers(doc: &mut Value) -> Result<(), String> {
    for (path, method) in [("/auth/session", "delete"), ("/auth/customer/{auth_provider}/update", "post")] {
        let responses = mapping(doc, &["paths", path, method, "responses"])?;
        let inline = responses.get("200").and_then(|r| r.get("content")).and_then(|c| c.get("application/json")).and_then(|c| c.get("schema"));
        if !inline.is_some_and(|s| s.get("properties").and_then(|p| p.get("success")).is_some()) {
            return Err(format!("`{} {path}` no longer answers an inline `{{success}}`; review this patch", method.to_uppercase()));
        }
        responses.insert(k("200"), ok_response("OK", "AuthSuccessResponse")?);
    }
    add_schema(
        doc,
        "AuthSuccessResponse",
        "type: object\n\
         description: The outcome of a session deletion or a password update.\n\
         required: [success]\n\
         properties:\n\
         \x20 success:\n    type: boolean\n    description: Whether it succeeded.\n",
    )
}

fn update_token_in_authorization(doc: &mut Value) -> Result<(), String> {
    let op = operation(doc, "/auth/customer/{auth_provider}/update", "post")?;
    let parameters = op
        .get_mut("parameters")
        .and_then(Value::as_sequence_mut)
        .ok_or("the update has no parameters; review this patch")?;
    let before = parameters.len();
    parameters.retain(|p| p.get("name").and_then(Value::as_str) != Some("token"));
    if parameters.len() == before {
        return Err("the update has no `token` parameter any more; review this patch".into());
    }
    op.insert(
        k("description"),
        k("Sets a new password with the reset token from the `auth.password_reset` event, sent as `Authorization: Bearer <reset token>` (not as a query parameter: the server ignores it there). The token lives 15 minutes and works once. Tokens issued before the reset stay valid."),
    );
    Ok(())
}

fn reset_password_body(doc: &mut Value) -> Result<(), String> {
    let op = operation(doc, "/auth/customer/{auth_provider}/reset-password", "post")?;
    if op.get("requestBody").is_none() {
        return Err("reset-password has no body; review this patch".into());
    }
    op.insert(k("requestBody"), json_body("AuthResetPasswordReq")?);
    let created = mapping(doc, &["paths", "/auth/customer/{auth_provider}/reset-password", "post", "responses", "201"])?;
    created.insert(
        k("description"),
        k("The token was generated and sent to the `auth.password_reset` event, or the identifier is unknown: the answer is the same (`Created`, as text)."),
    );
    add_schema(
        doc,
        "AuthResetPasswordReq",
        "type: object\n\
         description: Whose password to reset.\n\
         required: [identifier]\n\
         properties:\n\
         \x20 identifier:\n    type: string\n    description: The identity's identifier; for `emailpass`, the email.\n\
         \x20 metadata:\n    type: object\n    additionalProperties: true\n    description: Passed on to the `auth.password_reset` event (for example, where the storefront's reset page is).\n",
    )
}

fn customer_as_sent(doc: &mut Value) -> Result<(), String> {
    for (name, added) in [("StoreCustomer", true), ("StoreCustomerAddress", false)] {
        let schema = mapping(doc, &["components", "schemas", name])?;
        if !schema.get("required").and_then(Value::as_sequence).is_some_and(|r| r.len() > 1) {
            return Err(format!("`{name}` no longer requires several fields; review this patch"));
        }
        schema.insert(k("required"), Value::Sequence(vec![k("id")]));
        let properties = mapping(doc, &["components", "schemas", name, "properties"])?;
        for (property, value) in properties.iter_mut() {
            if property.as_str() == Some("id") {
                continue;
            }
            let value = value.as_mapping_mut().ok_or("a property is not a mapping")?;
            if value.contains_key("$ref") {
                continue;
            }
            value.insert(k("nullable"), Value::Bool(true));
        }
        if added {
            if properties.contains_key("has_account") {
                return Err("`StoreCustomer` has `has_account` now; review this patch".into());
            }
            properties.insert(
                k("has_account"),
                yaml("type: boolean\ndescription: Whether the customer has an account (false for a guest).\n")?,
            );
        }
    }
    let _ = at(doc, &["components", "schemas", "StoreCustomer", "properties", "addresses"])?;
    Ok(())
}

fn secret_strings(doc: &mut Value) -> Result<(), String> {
    add_schema(
        doc,
        "OneTimeCode",
        "type: string\n\
         description: 'A code the customer types or keeps: a TOTP code (`123456`), a recovery code (`a1b2-c3d4-...`) or a verification code. The crate prints it as `<redacted>`.'\n",
    )?;
    add_schema(
        doc,
        "TotpSecret",
        "type: string\n\
         description: The TOTP factor's shared secret (Base32), answered once when the factor starts. The crate prints it as `<redacted>`.\n",
    )?;
    add_schema(
        doc,
        "OtpauthUrl",
        "type: string\n\
         description: 'The `otpauth://totp/...` URL an authenticator app reads (usually from a QR code); it holds the secret. The crate prints it as `<redacted>`.'\n",
    )
}

/// A path item from YAML, inserted where the document had none.
fn add_path(doc: &mut Value, path: &str, item: &str) -> Result<(), String> {
    let paths = mapping(doc, &["paths"])?;
    if paths.contains_key(path) {
        return Err(format!("upstream now documents `{path}`; review this patch"));
    }
    paths.insert(k(path), yaml(item)?);
    Ok(())
}

/// The responses of an `/auth/mfa/*` or `/auth/verification/*` route: `success` with
/// `schema`, and the errors the server answers there.
fn auth_responses(success: &str, schema: &str) -> String {
    format!(
        "  responses:\n\
         \x20   '{success}':\n      description: OK\n      content:\n        application/json:\n          schema:\n            $ref: '#/components/schemas/{schema}'\n\
         \x20   '400':\n      $ref: '#/components/responses/400_error'\n\
         \x20   '401':\n      $ref: '#/components/responses/unauthorized'\n\
         \x20   '404':\n      $ref: '#/components/responses/not_found_error'\n\
         \x20   '500':\n      $ref: '#/components/responses/500_error'\n"
    )
}

/// A JSON request body of schema `schema`.
fn body(schema: &str) -> String {
    format!(
        "  requestBody:\n    required: true\n    content:\n      application/json:\n        schema:\n          $ref: '#/components/schemas/{schema}'\n"
    )
}

const ID_PARAMETER: &str = "  parameters:\n\
    \x20 - name: id\n    in: path\n    required: true\n    description: The ID.\n    schema:\n      type: string\n";

fn operation_head(id: &str, summary: &str, description: &str) -> String {
    format!(
        "  operationId: {id}\n  summary: {summary}\n  description: '{}'\n  x-authenticated: true\n  tags: [Auth]\n",
        description.replace('\'', "''")
    )
}

fn mfa_routes(doc: &mut Value) -> Result<(), String> {
    let list = format!(
        "get:\n{}{}",
        operation_head("GetAuthMfaFactors", "List MFA Factors", "The second factors of the authenticated identity, whatever their status (pending, enabled, disabled). Refused (401) with an MFA-pending token."),
        auth_responses("200", "AuthMfaFactorsResponse")
    );
    let start = format!(
        "post:\n{}{}{}",
        operation_head("PostAuthMfaFactors", "Start an MFA Factor", "Starts enrolling a second factor (`totp`): a pending factor, with the secret and `otpauth://` URL for an authenticator app, answered this once. Verify it with a code to enable it. 400 `MFA encryption key is required to use MFA methods` on a server without an MFA key; 400 `An active TOTP factor already exists for this auth identity` while one is pending or enabled."),
        body("AuthMfaStartReq"),
        auth_responses("200", "AuthMfaStartResponse")
    );
    add_path(doc, "/auth/mfa/factors", &format!("{list}{start}"))?;
    add_path(
        doc,
        "/auth/mfa/factors/{id}/verify",
        &format!(
            "post:\n{}{ID_PARAMETER}{}{}",
            operation_head("PostAuthMfaFactorsIdVerify", "Verify an MFA Factor", "Enables a pending factor with a code from the authenticator app (400 `Invalid TOTP code` otherwise). An enabled factor answers the same, unchanged."),
            body("AuthMfaFactorVerifyReq"),
            auth_responses("200", "AuthMfaFactorResponse")
        ),
    )?;
    add_path(
        doc,
        "/auth/mfa/factors/{id}",
        &format!(
            "delete:\n{}{ID_PARAMETER}{}{}",
            operation_head("DeleteAuthMfaFactorsId", "Disable an MFA Factor", "Disables a factor. With the server's default `disable_policy: session` any accepted token may; with `challenge` an enabled factor also needs `{method, code}`."),
            body("AuthMfaDisableReq"),
            auth_responses("200", "AuthMfaFactorResponse")
        ),
    )?;
    add_path(
        doc,
        "/auth/mfa/recovery-codes",
        &format!(
            "post:\n{}{}{}",
            operation_head("PostAuthMfaRecoveryCodes", "Generate Recovery Codes", "A new set of single-use recovery codes, replacing any earlier set. Needs an enabled factor (400 otherwise)."),
            body("AuthMfaRecoveryCodesReq"),
            auth_responses("200", "AuthMfaRecoveryCodesResponse")
        ),
    )?;
    add_path(
        doc,
        "/auth/mfa/challenges/{id}/verify",
        &format!(
            "post:\n{}{ID_PARAMETER}{}{}",
            operation_head("PostAuthMfaChallengesIdVerify", "Verify an MFA Challenge", "Answers the challenge of an MFA-pending login with the pending token: a new token that acts as the customer. 400 for a wrong code (`Invalid MFA challenge code`), after too many failed attempts, or for a completed challenge; 404 for an unknown, foreign or expired challenge."),
            body("AuthMfaChallengeVerifyReq"),
            auth_responses("200", "AuthResponse")
        ),
    )?;
    for (name, schema) in [
        (
            "AuthMfaFactor",
            "type: object\n\
             description: A second factor of an auth identity. The answer to `start` has no timestamps.\n\
             required: [id, provider, status]\n\
             properties:\n\
             \x20 id:\n    type: string\n    description: 'The factor''s ID (`authmfa_...`).'\n\
             \x20 auth_identity_id:\n    type: string\n    description: The auth identity it belongs to.\n\
             \x20 provider:\n    type: string\n    description: '`totp`.'\n\
             \x20 status:\n    type: string\n    description: '`pending` (started, not verified yet), `enabled` or `disabled`.'\n\
             \x20 metadata:\n    type: object\n    nullable: true\n    additionalProperties: true\n    description: 'What the factor was started with (`label`).'\n\
             \x20 created_at:\n    type: string\n    format: date-time\n    description: When it was created.\n\
             \x20 updated_at:\n    type: string\n    format: date-time\n    description: When it was last updated.\n\
             \x20 deleted_at:\n    type: string\n    format: date-time\n    nullable: true\n    description: When it was deleted.\n",
        ),
        (
            "AuthMfaFactorsResponse",
            "type: object\n\
             description: The identity's factors.\n\
             required: [mfa_factors]\n\
             properties:\n\
             \x20 mfa_factors:\n    type: array\n    items:\n      $ref: '#/components/schemas/AuthMfaFactor'\n",
        ),
        (
            "AuthMfaFactorResponse",
            "type: object\n\
             description: One factor.\n\
             required: [mfa_factor]\n\
             properties:\n\
             \x20 mfa_factor:\n    $ref: '#/components/schemas/AuthMfaFactor'\n",
        ),
        (
            "AuthMfaStartReq",
            "type: object\n\
             description: The factor to start.\n\
             required: [provider]\n\
             properties:\n\
             \x20 provider:\n    type: string\n    description: '`totp`.'\n\
             \x20 label:\n    type: string\n    nullable: true\n    description: 'The account name an authenticator app shows (the identity''s ID when left out).'\n\
             \x20 issuer:\n    type: string\n    description: 'The issuer an authenticator app shows (the server''s setting, `Medusa` by default, when left out).'\n\
             \x20 metadata:\n    type: object\n    nullable: true\n    additionalProperties: true\n    description: Stored with the factor.\n",
        ),
        (
            "AuthMfaStartResponse",
            "type: object\n\
             description: A started (pending) factor, and what an authenticator app needs, answered this once.\n\
             required: [mfa_factor]\n\
             properties:\n\
             \x20 mfa_factor:\n    $ref: '#/components/schemas/AuthMfaFactor'\n\
             \x20 secret:\n    $ref: '#/components/schemas/TotpSecret'\n\
             \x20 otpauth_url:\n    $ref: '#/components/schemas/OtpauthUrl'\n",
        ),
        (
            "AuthMfaFactorVerifyReq",
            "type: object\n\
             description: A code from the authenticator app.\n\
             required: [code]\n\
             properties:\n\
             \x20 code:\n    $ref: '#/components/schemas/OneTimeCode'\n",
        ),
        (
            "AuthMfaDisableReq",
            "type: object\n\
             description: 'What disabling takes: nothing under the server''s default policy; `{method, code}` for an enabled factor under `disable_policy: challenge`.'\n\
             properties:\n\
             \x20 method:\n    type: string\n    description: '`totp` or `recovery_code`.'\n\
             \x20 code:\n    $ref: '#/components/schemas/OneTimeCode'\n",
        ),
        (
            "AuthMfaRecoveryCodesReq",
            "type: object\n\
             description: How many recovery codes to make.\n\
             properties:\n\
             \x20 count:\n    type: integer\n    minimum: 1\n    maximum: 50\n    description: 1 to 50; the server's `recovery_code_count` (10 by default) when left out.\n",
        ),
        (
            "AuthMfaRecoveryCodesResponse",
            "type: object\n\
             description: The new recovery codes, each usable once; the server keeps only their hashes.\n\
             required: [recovery_codes]\n\
             properties:\n\
             \x20 recovery_codes:\n    type: array\n    items:\n      $ref: '#/components/schemas/OneTimeCode'\n",
        ),
        (
            "AuthMfaChallengeVerifyReq",
            "type: object\n\
             description: The answer to a challenge.\n\
             required: [method, code]\n\
             properties:\n\
             \x20 method:\n    type: string\n    description: '`totp` or `recovery_code`: one of the challenge''s `methods`.'\n\
             \x20 code:\n    $ref: '#/components/schemas/OneTimeCode'\n",
        ),
        (
            "AuthMfaChallenge",
            "type: object\n\
             description: 'The challenge of an MFA-pending login, refresh or callback: answer it with a code of one of its `methods` before `expires_at`, within `max_attempts` failed attempts.'\n\
             required: [id, methods, expires_at, attempts, max_attempts]\n\
             properties:\n\
             \x20 id:\n    type: string\n    description: 'The challenge''s ID (`authmfachal_...`).'\n\
             \x20 auth_identity_id:\n    type: string\n    description: The auth identity it belongs to.\n\
             \x20 auth_provider:\n    type: string\n    description: 'The provider the login used (`emailpass`).'\n\
             \x20 methods:\n    type: array\n    items:\n      type: string\n    description: '`totp`, and `recovery_code` when the identity had unused recovery codes.'\n\
             \x20 expires_at:\n    type: string\n    format: date-time\n    description: When it expires (5 minutes after the login by default); it is then gone (404).\n\
             \x20 attempts:\n    type: integer\n    format: int64\n    description: Failed attempts so far.\n\
             \x20 max_attempts:\n    type: integer\n    format: int64\n    description: Failed attempts that lock it (5 by default).\n\
             \x20 completed_at:\n    type: string\n    format: date-time\n    nullable: true\n    description: When it was answered.\n\
             \x20 metadata:\n    type: object\n    nullable: true\n    additionalProperties: true\n    description: The challenge's metadata.\n",
        ),
    ] {
        add_schema(doc, name, schema)?;
    }
    Ok(())
}

fn verification_routes(doc: &mut Value) -> Result<(), String> {
    add_path(
        doc,
        "/auth/verification/request",
        &format!(
            "post:\n{}{}{}",
            operation_head("PostAuthVerificationRequest", "Request a Verification", "Sends a new verification code for an entity (for `emailpass`, the email) to the `auth.verification_requested` event, which a subscriber delivers; an earlier code stops working. Authenticated by any token, a pending one included."),
            body("AuthVerificationRequestReq"),
            auth_responses("201", "AuthVerificationRequestResponse")
        ),
    )?;
    add_path(
        doc,
        "/auth/verification/confirm",
        &format!(
            "post:\n{}{}{}",
            operation_head("PostAuthVerificationConfirm", "Confirm a Verification", "Confirms a verification with the code from the event; needs no token. 400 `Verification code is invalid or already used` or `Verification code has expired` otherwise. The pending token does not change: refresh it or log in again."),
            body("AuthVerificationConfirmReq"),
            auth_responses("200", "AuthVerificationConfirmResponse")
        ),
    )?;
    for (name, schema) in [
        (
            "AuthVerification",
            "type: object\n\
             description: A verification record of an auth identity. Its code is never in an answer.\n\
             required: [id, entity_id, entity_type]\n\
             properties:\n\
             \x20 id:\n    type: string\n    description: 'The record''s ID (`authver_...`).'\n\
             \x20 auth_identity_id:\n    type: string\n    description: The auth identity it belongs to.\n\
             \x20 entity_id:\n    type: string\n    description: 'What is verified: for `emailpass`, the email.'\n\
             \x20 entity_type:\n    type: string\n    description: '`email`, as the server''s `authVerificationsPerActor` names it.'\n\
             \x20 code_provider:\n    type: string\n    description: '`token`.'\n\
             \x20 verified_at:\n    type: string\n    format: date-time\n    nullable: true\n    description: When it was confirmed; null while pending.\n\
             \x20 requested_at:\n    type: string\n    format: date-time\n    nullable: true\n    description: When the current code was requested.\n\
             \x20 metadata:\n    type: object\n    nullable: true\n    additionalProperties: true\n    description: 'The first request''s metadata.'\n\
             \x20 created_at:\n    type: string\n    format: date-time\n    description: When it was created.\n\
             \x20 updated_at:\n    type: string\n    format: date-time\n    description: When it was last updated.\n",
        ),
        (
            "AuthVerificationRequestReq",
            "type: object\n\
             description: What to verify.\n\
             required: [entity_id, entity_type]\n\
             properties:\n\
             \x20 entity_id:\n    type: string\n    description: 'For `emailpass`, the email the identity logs in with (only that one satisfies the login''s check).'\n\
             \x20 entity_type:\n    type: string\n    description: '`email`, as the server''s `authVerificationsPerActor` names it.'\n\
             \x20 code_provider:\n    type: string\n    description: '`token` (the default).'\n\
             \x20 metadata:\n    type: object\n    additionalProperties: true\n    description: 'Passed on to the event (for example where the storefront''s confirm page is); only the first request''s is kept.'\n",
        ),
        (
            "AuthVerificationRequestResponse",
            "type: object\n\
             description: 'The verification, now pending with a new code (or already verified: then no code is sent).'\n\
             required: [verification]\n\
             properties:\n\
             \x20 verification:\n    $ref: '#/components/schemas/AuthVerification'\n",
        ),
        (
            "AuthVerificationConfirmReq",
            "type: object\n\
             description: The code from the `auth.verification_requested` event.\n\
             required: [code]\n\
             properties:\n\
             \x20 code:\n    $ref: '#/components/schemas/OneTimeCode'\n\
             \x20 code_provider:\n    type: string\n    description: '`token` (the default).'\n",
        ),
        (
            "AuthVerificationConfirmResponse",
            "type: object\n\
             description: What was verified, and when.\n\
             required: [entity_id, entity_type, verified_at]\n\
             properties:\n\
             \x20 entity_id:\n    type: string\n    description: The verified entity (the email).\n\
             \x20 entity_type:\n    type: string\n    description: '`email`.'\n\
             \x20 code_provider:\n    type: string\n    description: '`token`.'\n\
             \x20 verified_at:\n    type: string\n    format: date-time\n    description: When it was verified.\n",
        ),
    ] {
        add_schema(doc, name, schema)?;
    }
    Ok(())
}

fn login_answers_typed(doc: &mut Value) -> Result<(), String> {
    for (property, schema) in [("mfa_challenge", "AuthMfaChallenge"), ("verification", "AuthVerification")] {
        let found = mapping(doc, &["components", "schemas", "AuthLoginResponse", "properties", property])?;
        if found.get("additionalProperties").is_none() {
            return Err(format!("`AuthLoginResponse.{property}` is no longer free-form; review this patch"));
        }
        *found = yaml(&format!("$ref: '#/components/schemas/{schema}'\n"))?
            .as_mapping()
            .cloned()
            .expect("a mapping");
    }
    Ok(())
}

fn refresh_answers_as_login(doc: &mut Value) -> Result<(), String> {
    let responses = mapping(doc, &["paths", "/auth/token/refresh", "post", "responses"])?;
    let schema = responses.get("200").and_then(|r| r.get("content")).and_then(|c| c.get("application/json")).and_then(|c| c.get("schema"));
    if schema.and_then(|s| s.get("$ref")).and_then(Value::as_str) != Some("#/components/schemas/AuthResponse") {
        return Err("refresh no longer answers `AuthResponse`; review this patch".into());
    }
    responses.insert(k("200"), ok_response("OK", "AuthLoginResponse")?);
    Ok(())
}
