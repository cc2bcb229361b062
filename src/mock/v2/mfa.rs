//! The stand-in's multi-factor auth: TOTP factors, recovery codes and login challenges, as
//! Medusa 2.21.2 answers them in `tests/fixtures/medusa-2.21.2/mfa/` (the bodies below have
//! the recorded shapes and messages; the file each follows is named beside it). TOTP codes
//! are checked with `totp-rs` (RFC 6238, SHA-1, 6 digits, 30 s, ±1 step, as the server).

use hyper::{Method, StatusCode};
use serde_json::{json, Value};

use super::{
    authenticated, error, field_required, json_reply, mfa_guarded, mfa_pending, not_allowed, now,
    token_reply, unauthorized, unknown_error, Grant, Received, Reply, State,
};

/// A second factor of an identity.
pub(super) struct Factor {
    id: String,
    /// Base32, as the server answers it once.
    pub(super) secret: String,
    status: &'static str,
    label: Option<String>,
    created_at: String,
    updated_at: String,
}

impl Factor {
    pub(super) fn is_enabled(&self) -> bool {
        self.status == "enabled"
    }

    /// As GET, verify and DELETE answer it (mfa/17, 20, 82).
    fn json(&self, identity: &str) -> Value {
        json!({
            "id": self.id,
            "auth_identity_id": identity,
            "auth_identity": { "id": identity },
            "provider": "totp",
            "status": self.status,
            "metadata": self.metadata(),
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "deleted_at": null,
        })
    }

    fn metadata(&self) -> Value {
        match &self.label {
            Some(label) => json!({ "label": label }),
            None => json!({}),
        }
    }
}

/// A login's challenge.
pub(super) struct Challenge {
    id: String,
    email: String,
    identity: String,
    methods: Vec<&'static str>,
    expires_at: chrono::DateTime<chrono::Utc>,
    attempts: u32,
    max_attempts: u32,
    completed: bool,
}

impl Challenge {
    /// As login answers it (mfa/30, 65).
    fn json(&self) -> Value {
        json!({
            "id": self.id,
            "auth_identity_id": self.identity,
            "auth_provider": "emailpass",
            "methods": self.methods,
            "expires_at": self.expires_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "attempts": self.attempts,
            "max_attempts": self.max_attempts,
            "completed_at": null,
            "metadata": null,
        })
    }
}

impl State {
    /// A challenge for a login of `email`, as its JSON.
    pub(super) fn new_challenge(&mut self, email: &str) -> Value {
        let id = format!("authmfachal_MOCK{:022}", self.next());
        let identity = &self.identities[email];
        let mut methods = vec!["totp"];
        if !identity.recovery_codes.is_empty() {
            methods.push("recovery_code");
        }
        let ttl = chrono::Duration::from_std(self.settings.challenge_ttl)
            .unwrap_or(chrono::Duration::MAX);
        let challenge = Challenge {
            id: id.clone(),
            email: email.to_string(),
            identity: identity.id.clone(),
            methods,
            expires_at: chrono::Utc::now()
                .checked_add_signed(ttl)
                .unwrap_or(chrono::DateTime::<chrono::Utc>::MAX_UTC),
            attempts: 0,
            max_attempts: self.settings.challenge_max_attempts,
            completed: false,
        };
        let json = challenge.json();
        self.challenges.insert(id, challenge);
        json
    }
}

/// `/auth/mfa/<rest>`.
pub(super) fn route(state: &mut State, request: &Received, rest: &[&str]) -> Reply {
    let Some(claims) = authenticated(state, request) else {
        return unauthorized();
    };
    let email = State::email(&claims);
    if !state.identities.contains_key(&email) {
        return unauthorized();
    }
    // Only the challenge takes an MFA-pending token.
    if let ["challenges", id, "verify"] = rest {
        return match request.method == Method::POST {
            true => verify_challenge(state, request, &email, id),
            false => not_found_page(request),
        };
    }
    if mfa_guarded(&claims) {
        return mfa_pending();
    }
    let body = request.body.clone().unwrap_or_default();
    match (rest, &request.method) {
        (["factors"], &Method::GET) => {
            let identity = &state.identities[&email];
            let factors: Vec<Value> = identity
                .factors
                .iter()
                .map(|f| f.json(&identity.id))
                .collect();
            json_reply(StatusCode::OK, &json!({ "mfa_factors": factors }))
        }
        (["factors"], &Method::POST) => start(state, &email, &body),
        (["factors", id, "verify"], &Method::POST) => verify_factor(state, &email, id, &body),
        (["factors", id], &Method::DELETE) => disable(state, &email, id, &body),
        (["recovery-codes"], &Method::POST) => recovery_codes(state, &email, &body),
        _ => not_found_page(request),
    }
}

fn not_found_page(request: &Received) -> Reply {
    super::reply(
        StatusCode::NOT_FOUND,
        Some("text/html; charset=utf-8"),
        format!("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot {} {}</pre>\n</body>\n</html>\n", request.method, request.path),
    )
}

fn text<'a>(body: &'a Value, field: &str) -> Option<&'a str> {
    body.get(field).and_then(Value::as_str)
}

/// mfa/00c, d02.
fn no_key() -> Reply {
    error(
        StatusCode::BAD_REQUEST,
        Some("invalid_data"),
        "MFA encryption key is required to use MFA methods",
    )
}

fn factor_not_found(id: &str) -> Reply {
    error(
        StatusCode::NOT_FOUND,
        Some("not_found"),
        &format!("MFA factor with id \"{id}\" was not found"),
    )
}

/// `POST /auth/mfa/factors` (mfa/13–16).
fn start(state: &mut State, email: &str, body: &Value) -> Reply {
    let Some(provider) = text(body, "provider") else {
        return field_required("provider");
    };
    if provider != crate::v2::TOTP {
        return unknown_error();
    }
    if !state.settings.mfa_key {
        return no_key();
    }
    let identity = &state.identities[email];
    if identity
        .factors
        .iter()
        .any(|f| f.status == "pending" || f.status == "enabled")
    {
        return not_allowed("An active TOTP factor already exists for this auth identity");
    }
    let identity_id = identity.id.clone();
    let secret = totp_rs::Secret::from(random_bytes::<20>()).to_base32();
    let label = text(body, "label").map(str::to_string);
    let issuer = text(body, "issuer").unwrap_or("Medusa").to_string();
    let id = format!("authmfa_MOCK{:022}", state.next());
    let created = now();
    let factor = Factor {
        id: id.clone(),
        secret: secret.clone(),
        status: "pending",
        label: label.clone(),
        created_at: created.clone(),
        updated_at: created,
    };
    let encode = |s: &str| {
        percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    let account = label.unwrap_or_else(|| identity_id.clone());
    let otpauth_url = format!(
        "otpauth://totp/{}:{}?secret={secret}&issuer={}",
        encode(&issuer),
        encode(&account),
        encode(&issuer)
    );
    let answer = json!({
        "mfa_factor": {
            "id": id,
            "auth_identity_id": identity_id,
            "provider": "totp",
            "status": "pending",
            "metadata": factor.metadata(),
        },
        "secret": secret,
        "otpauth_url": otpauth_url,
    });
    if let Some(identity) = state.identities.get_mut(email) {
        identity.factors.push(factor);
    }
    json_reply(StatusCode::OK, &answer)
}

/// Whether `code` is the TOTP code of `secret` now, or a step before or after.
fn totp_matches(secret: &str, code: &str) -> bool {
    // The server takes exactly six ASCII digits: "123 456" fails (mfa/58e).
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let Ok(secret) = totp_rs::Secret::try_from_base32(secret) else {
        return false;
    };
    let Ok(totp) = totp_rs::Builder::new().with_secret(secret).build() else {
        return false;
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    totp.check(code, now).is_some()
}

/// `POST /auth/mfa/factors/{id}/verify` (mfa/18–21).
fn verify_factor(state: &mut State, email: &str, id: &str, body: &Value) -> Reply {
    let Some(code) = text(body, "code") else {
        return field_required("code");
    };
    let key = state.settings.mfa_key;
    let Some(identity) = state.identities.get_mut(email) else {
        return unauthorized();
    };
    let identity_id = identity.id.clone();
    let Some(factor) = identity.factors.iter_mut().find(|f| f.id == id) else {
        return factor_not_found(id);
    };
    if !key {
        return no_key();
    }
    if factor.status == "pending" {
        if !totp_matches(&factor.secret, code) {
            return not_allowed("Invalid TOTP code");
        }
        factor.status = "enabled";
    }
    // The verify answer shows `updated_at` from before the update (mfa/20).
    let answer = factor.json(&identity_id);
    factor.updated_at = now();
    json_reply(StatusCode::OK, &json!({ "mfa_factor": answer }))
}

/// `DELETE /auth/mfa/factors/{id}` (mfa/81–86, b11–b19).
fn disable(state: &mut State, email: &str, id: &str, body: &Value) -> Reply {
    let needs_code = state.settings.disable_needs_code;
    let Some(identity) = state.identities.get_mut(email) else {
        return unauthorized();
    };
    let identity_id = identity.id.clone();
    let Some(index) = identity.factors.iter().position(|f| f.id == id) else {
        return factor_not_found(id);
    };
    if needs_code && identity.factors[index].is_enabled() {
        let (Some(method), Some(code)) = (text(body, "method"), text(body, "code")) else {
            return error(
                StatusCode::BAD_REQUEST,
                Some("invalid_data"),
                "MFA verification code is required to disable MFA",
            );
        };
        let proven = match method {
            "totp" => totp_matches(&identity.factors[index].secret, code),
            "recovery_code" => use_recovery_code(&mut identity.recovery_codes, code),
            _ => false,
        };
        if !proven {
            return not_allowed("Invalid MFA verification code");
        }
    }
    let factor = &mut identity.factors[index];
    if factor.status != "disabled" {
        factor.status = "disabled";
        factor.updated_at = now();
    }
    json_reply(
        StatusCode::OK,
        &json!({ "mfa_factor": factor.json(&identity_id) }),
    )
}

/// Uses a recovery code up: matched after trimming and lower-casing (mfa/71), once (mfa/69).
fn use_recovery_code(codes: &mut Vec<String>, code: &str) -> bool {
    let code = code.trim().to_lowercase();
    match codes.iter().position(|c| *c == code) {
        Some(index) => {
            codes.remove(index);
            true
        }
        None => false,
    }
}

/// `POST /auth/mfa/recovery-codes` (mfa/61–64).
fn recovery_codes(state: &mut State, email: &str, body: &Value) -> Reply {
    let count =
        match body.get("count") {
            None | Some(Value::Null) => 10,
            Some(count) => match count.as_u64() {
                Some(0) | None => return error(
                    StatusCode::BAD_REQUEST,
                    Some("invalid_data"),
                    "Invalid request: Value for field 'count' too small, expected at least: '1'",
                ),
                Some(n) if n > 50 => {
                    return error(
                        StatusCode::BAD_REQUEST,
                        Some("invalid_data"),
                        "Invalid request: Value for field 'count' too big, expected at most: '50'",
                    )
                }
                Some(n) => n as usize,
            },
        };
    let Some(identity) = state.identities.get_mut(email) else {
        return unauthorized();
    };
    if !identity.factors.iter().any(Factor::is_enabled) {
        return not_allowed("Recovery codes require an enabled MFA factor");
    }
    // 16 random bytes in hex, as 8 groups of 4 (mfa/63); a new set replaces the old (mfa/66).
    let codes: Vec<String> = (0..count)
        .map(|_| {
            let hex: String = random_bytes::<16>()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            hex.as_bytes()
                .chunks(4)
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect();
    identity.recovery_codes = codes.clone();
    json_reply(StatusCode::OK, &json!({ "recovery_codes": codes }))
}

/// `POST /auth/mfa/challenges/{id}/verify` (mfa/36–71, b07).
fn verify_challenge(state: &mut State, request: &Received, email: &str, id: &str) -> Reply {
    let body = request.body.clone().unwrap_or_default();
    let Some(method) = text(&body, "method") else {
        return field_required("method");
    };
    let Some(code) = text(&body, "code") else {
        return field_required("code");
    };
    let not_found = error(
        StatusCode::NOT_FOUND,
        Some("not_found"),
        &format!("MFA challenge with id \"{id}\" was not found"),
    );
    let key = state.settings.mfa_key;
    let Some(challenge) = state.challenges.get_mut(id) else {
        return not_found;
    };
    // Bound to its identity (mfa/39); gone once expired (mfa/b07).
    if challenge.email != email {
        return not_found;
    }
    if chrono::Utc::now() >= challenge.expires_at {
        state.challenges.remove(id);
        return not_found;
    }
    if challenge.completed {
        return not_allowed("MFA challenge has already been completed");
    }
    if challenge.attempts >= challenge.max_attempts {
        return not_allowed("MFA challenge has too many failed attempts");
    }
    if !challenge.methods.contains(&method) {
        return error(
            StatusCode::BAD_REQUEST,
            Some("invalid_data"),
            &format!("MFA challenge does not support method \"{method}\""),
        );
    }
    let Some(identity) = state.identities.get_mut(email) else {
        return unauthorized();
    };
    let right = match method {
        "totp" if !key => return no_key(),
        "totp" => identity
            .factors
            .iter()
            .filter(|f| f.is_enabled())
            .any(|f| totp_matches(&f.secret, code)),
        _ => use_recovery_code(&mut identity.recovery_codes, code),
    };
    if !right {
        challenge.attempts += 1;
        // The failure that reaches the limit already says so (mfa/55).
        return match challenge.attempts >= challenge.max_attempts {
            true => not_allowed("MFA challenge has too many failed attempts"),
            false => not_allowed("Invalid MFA challenge code"),
        };
    }
    challenge.completed = true;
    let token = state.issue(
        email,
        Grant::Actor {
            mfa_completed_at: Some(now()),
        },
    );
    token_reply(token)
}

/// `N` random bytes from the UUID generator the crate already has (122 random bits in
/// every 16 bytes: plenty for a stand-in's secrets).
pub(super) fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0; N];
    for chunk in bytes.chunks_mut(16) {
        let random = uuid::Uuid::new_v4().into_bytes();
        chunk.copy_from_slice(&random[..chunk.len()]);
    }
    bytes
}
