//! The stand-in's identity verification, as Medusa 2.21.2 answers it in
//! `tests/fixtures/medusa-2.21.2/verification/`: a request makes a new code (which goes to
//! [`MockStore::verification_code`](super::MockStore::verification_code) instead of the
//! `auth.verification_requested` event), confirm checks it without a token.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hyper::StatusCode;
use serde_json::{json, Value};
use sha2::Digest;

use super::mfa::random_bytes;
use super::{
    authenticated, error, field_required, json_reply, not_allowed, now, unauthorized,
    unknown_error, Received, Reply, State,
};

/// An identity's email verification.
pub(super) struct Record {
    id: String,
    entity_id: String,
    /// The unused code, if any.
    pub(super) code: Option<String>,
    /// The SHA-256 of the last code, in hex (the record's `provider_metadata.token_hash`).
    code_hash: String,
    requested_at: chrono::DateTime<chrono::Utc>,
    pub(super) verified_at: Option<String>,
    metadata: Value,
    created_at: String,
}

impl Record {
    /// As a repeated request and the login answer show it (verification/13).
    pub(super) fn json(&self, identity: &str) -> Value {
        json!({
            "id": self.id,
            "auth_identity_id": identity,
            "auth_identity": { "id": identity },
            "entity_id": self.entity_id,
            "entity_type": "email",
            "code_provider": "token",
            "verified_at": self.verified_at,
            "requested_at": self.requested_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "provider_metadata": { "token_hash": self.code_hash },
            "metadata": self.metadata,
            "created_at": self.created_at,
            "updated_at": now(),
            "deleted_at": null,
        })
    }
}

/// `POST /auth/verification/<step>`.
pub(super) fn route(state: &mut State, request: &Received, step: &str) -> Reply {
    let body = request.body.clone().unwrap_or_default();
    match step {
        "request" => {
            let Some(claims) = authenticated(state, request) else {
                return unauthorized();
            };
            request_code(state, &State::email(&claims), &body)
        }
        "confirm" => confirm(state, &body),
        _ => error(StatusCode::NOT_FOUND, Some("not_found"), "Not found"),
    }
}

/// `POST /auth/verification/request` (verification/10–14, 25).
fn request_code(state: &mut State, email: &str, body: &Value) -> Reply {
    let Some(entity_id) = body.get("entity_id").and_then(Value::as_str) else {
        return field_required("entity_id");
    };
    if body.get("entity_type").and_then(Value::as_str).is_none() {
        return field_required("entity_type");
    }
    if body
        .get("code_provider")
        .and_then(Value::as_str)
        .is_some_and(|p| p != "token")
    {
        return unknown_error();
    }
    let id = format!("authver_MOCK{:022}", state.next());
    let Some(identity) = state.identities.get_mut(email) else {
        return unauthorized();
    };
    // Only the identity's own email is kept: the login checks that one.
    if entity_id != email {
        return json_reply(
            StatusCode::CREATED,
            &json!({ "verification": { "id": id, "entity_id": entity_id, "entity_type": "email", "code_provider": "token", "verified_at": null } }),
        );
    }
    let record = identity.verification.get_or_insert_with(|| Record {
        id,
        entity_id: entity_id.to_string(),
        code: None,
        code_hash: String::new(),
        requested_at: chrono::Utc::now(),
        verified_at: None,
        // The first request's metadata is kept (verification-requested-event-2.json).
        metadata: body.get("metadata").cloned().unwrap_or(Value::Null),
        created_at: now(),
    });
    // A verified entity gets no new code (verification/25).
    if record.verified_at.is_none() {
        // 32 random bytes, base64url: 43 characters, as the event's `code`.
        let code = URL_SAFE_NO_PAD.encode(random_bytes::<32>());
        record.code_hash = sha2::Sha256::digest(code.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        record.code = Some(code);
        record.requested_at = chrono::Utc::now();
    }
    let answer = record.json(&identity.id);
    json_reply(StatusCode::CREATED, &json!({ "verification": answer }))
}

/// `POST /auth/verification/confirm` (verification/15–20, 42): no token needed.
fn confirm(state: &mut State, body: &Value) -> Reply {
    let Some(code) = body.get("code").and_then(Value::as_str) else {
        return field_required("code");
    };
    if body
        .get("code_provider")
        .and_then(Value::as_str)
        .is_some_and(|p| p != "token")
    {
        return unknown_error();
    }
    let ttl = chrono::Duration::from_std(state.settings.verification_ttl)
        .unwrap_or(chrono::Duration::MAX);
    let Some(record) = state
        .identities
        .values_mut()
        .filter_map(|i| i.verification.as_mut())
        .find(|r| r.code.as_deref() == Some(code))
    else {
        return not_allowed("Verification code is invalid or already used");
    };
    if chrono::Utc::now()
        >= record
            .requested_at
            .checked_add_signed(ttl)
            .unwrap_or(chrono::DateTime::<chrono::Utc>::MAX_UTC)
    {
        return not_allowed("Verification code has expired");
    }
    let verified_at = now();
    record.code = None;
    record.verified_at = Some(verified_at.clone());
    json_reply(
        StatusCode::OK,
        &json!({ "entity_id": record.entity_id, "entity_type": "email", "code_provider": "token", "verified_at": verified_at }),
    )
}
