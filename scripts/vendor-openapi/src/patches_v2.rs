//! Every change made to the upstream v2 store document (2.0.0), each with the reason the
//! running server (Medusa 2.21.2, recorded in `shared/medusa-v2/live/`) gives for it.
//! "contract.md" is `shared/medusa-v2/contract.md`. As for v1, each patch fails loudly when
//! upstream no longer has what it patches.

use serde_yaml_ng::{Mapping, Value};

use crate::patches::{at, error_description, error_message_required, k, mapping, open_error_strings, Patch};

pub const ALL: &[Patch] = &[
    Patch {
        id: "unauthorized-is-json",
        reason: "The `unauthorized` response (and `incorrect_credentials`, when reached) was `text/plain` `Unauthorized`; the server sends JSON `{message}` or `{type, message}` (`Invalid email or password`, `Identity with email already exists`, `Invalid token`). As published, the text/plain 401 beside the JSON errors makes progenitor panic on every operation. (contract.md §3.1, §6; live 02, 11, 21, 54)",
        apply: unauthorized_is_json,
    },
    Patch {
        id: "open-error-strings",
        reason: "`Error.code` and `Error.type` were closed enums; the authentication middleware's 401 has neither, and other modules add other values. They are open strings now; the known values stay in the descriptions. (contract.md §2, error body shapes)",
        apply: open_error_strings,
    },
    Patch {
        id: "error-message-required",
        reason: "Every JSON error the server sends has a `message` (handlers, the authentication middleware, body-parser), so `Error.message` is a plain `String`. (contract.md §2; live 05, 11, 14, 25)",
        apply: error_message_required,
    },
    Patch {
        id: "error-description",
        reason: "`Error` had only a `title`; the generator documents a type from its description, and the schema is renamed `StoreError` in Rust. (issue #16)",
        apply: error_description,
    },
    Patch {
        id: "auth-payload",
        reason: "Login, register and update took an inline `type: object` body with no properties, generated as an untyped map named after the operation. They share one named schema `AuthPayload` (a free-form object: `{email, password}` for emailpass), which the crate replaces by a type whose `Debug` hides the values; the body is required (the server answers 401 `Password should be a string` without one). (contract.md §2, §6; live 03, 13)",
        apply: auth_payload,
    },
    Patch {
        id: "login-answers",
        reason: "Login answered `oneOf: [AuthResponse, AuthCallbackResponse]`, which progenitor makes an untagged enum that decodes `{token, mfa_required: true, mfa_challenge}` as a plain token and loses the flag. The server's answers are one object `AuthLoginResponse` with `token`, `location`, `mfa_required`/`mfa_challenge` and `verification_required`/`verification`; the crate turns it into an enum that cannot lose them. (contract.md §2 Login, §6; live 10, 18)",
        apply: login_answers,
    },
    Patch {
        id: "callback-is-get",
        reason: "The callback was documented as POST with no query parameters. js-sdk calls `GET /auth/customer/{provider}/callback?<provider's query>` and the server answers GET and POST alike; the query parameters are the provider's own (`code`, `state`, ...), so the crate encodes them and the operation declares none. It answers as login does. (contract.md §2 Login, §5; live 61, 62)",
        apply: callback_is_get,
    },
    Patch {
        id: "providers-route",
        reason: "`GET /auth/customer/providers` (new since 2.0.0) is not in the document; the server answers `{providers: [{id, identifier, display_name, flow}]}`. (contract.md §2; live 60)",
        apply: providers_route,
    },
    Patch {
        id: "session-answers-claims",
        reason: "`POST /auth/session` was documented to answer `{user: StoreCustomer}`; it answers `{user: <the token's claims>}` (`actor_id`, `actor_type`, `auth_identity_id`, ...), which does not decode as a customer. The claims are the new schema `AuthContext`. (contract.md §3.2; live 30, 33)",
        apply: session_answers_claims,
    },
    Patch {
        id: "success-answers",
        reason: "`DELETE /auth/session` and the password update answer the same `{success: true}`, declared inline twice (two generated types with operation-derived names); it is one schema `AuthSuccessResponse`. (live 34, 57)",
        apply: success_answers,
    },
    Patch {
        id: "update-token-in-authorization",
        reason: "The password update took the reset token as a required `?token=` query parameter (2.0.0). The server ignores the query (401 `Invalid token`) and reads `Authorization: Bearer <reset token>`, so the parameter is gone and the crate sends the header; the body needs only `{password}`. (contract.md §3.4; live 56, 57)",
        apply: update_token_in_authorization,
    },
    Patch {
        id: "reset-password-body",
        reason: "The reset-password body was `type: object` with a bare string example; the server reads `{identifier, metadata?}` and answers 400 without `identifier`. It answers 201 `text/plain` `Created` for known and unknown identifiers alike, which the crate does not read. (contract.md §3.7; live 50, 51, 52)",
        apply: reset_password_body,
    },
    Patch {
        id: "customer-as-sent",
        reason: "`StoreCustomer` required `default_billing_address_id` and `default_shipping_address_id`, which the server never sends, declared `company_name`, `first_name`, `last_name`, `phone` and `metadata` non-nullable, which it sends as null, and lacked `has_account`. With `?fields=` any field but `id` may be absent. Only `id` is required now, the rest are nullable, `has_account` is added; `StoreCustomerAddress` likewise. (contract.md §3.3; live 06, 20, 28)",
        apply: customer_as_sent,
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
