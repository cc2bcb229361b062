//! Every sign-in flow of Medusa v2 through the crate, against the v2 stand-in
//! (`mock::v2::MockStore`): enrol a TOTP factor, log in with a challenge, recovery codes,
//! lockout, disable, verification. TOTP codes are computed with `totp-rs`, as an
//! authenticator app would.

mod support;

use std::time::Duration;

use medusa_store_auth::mock::v2::{MockSettings, MockStore};
use medusa_store_auth::v2::types::{
    AuthMfaChallengeVerifyReq, AuthMfaDisableReq, AuthMfaStartReq, AuthPayload,
    AuthVerificationRequestReq, Login, StoreCreateCustomer,
};
use medusa_store_auth::v2::{AuthClient, Pending, EMAILPASS};
use medusa_store_auth::AuthFailure;
use support::totp_now;

const PASSWORD: &str = "S3cret-pass!";

fn credentials(email: &str) -> AuthPayload {
    AuthPayload::email_password(email, PASSWORD)
}

/// A signed-up customer `email` with an enabled TOTP factor; returns its secret.
async fn enrolled(store: &MockStore, email: &str) -> String {
    let client = store.client();
    let signed_up = client
        .sign_up(
            EMAILPASS,
            &credentials(email),
            &StoreCreateCustomer::new(email),
        )
        .await
        .unwrap();
    assert!(signed_up.is_authenticated());
    let started = client
        .mfa()
        .start(&AuthMfaStartReq::totp().with_label(email))
        .await
        .unwrap();
    let secret = started.secret.unwrap().expose().to_string();
    assert_eq!(
        store.totp_secret(email).map(|s| s.expose().to_string()),
        Some(secret.clone())
    );
    let enabled = client
        .mfa()
        .verify(&started.mfa_factor.id, totp_now(&secret))
        .await
        .unwrap();
    assert!(enabled.mfa_factor.is_enabled());
    secret
}

/// A fresh client logged in as `email`, which must answer a challenge; and its id.
async fn challenged(store: &MockStore, email: &str) -> (AuthClient, String) {
    let client = store.client();
    let login = client.login(EMAILPASS, &credentials(email)).await.unwrap();
    let challenge = login.mfa_challenge().expect("a challenge").id.clone();
    (client, challenge)
}

#[tokio::test]
async fn enrol_then_log_in_with_the_second_factor() {
    let store = MockStore::start().await;
    let secret = enrolled(&store, "mona@example.com").await;

    let (client, challenge) = challenged(&store, "mona@example.com").await;
    assert_eq!(client.pending(), Some(Pending::SecondFactor));
    // The pending token acts as nobody: /store/* refuses it, with the MFA message.
    let refused = client.retrieve_customer().await.unwrap_err();
    assert!(refused.is_unauthorized());
    assert_eq!(refused.auth_failure(), Some(AuthFailure::MfaPending));
    // So do the factor routes.
    let refused = client.mfa().list().await.unwrap_err();
    assert_eq!(refused.auth_failure(), Some(AuthFailure::MfaPending));

    client
        .mfa()
        .verify_challenge(
            &challenge,
            &AuthMfaChallengeVerifyReq::totp(totp_now(&secret)),
        )
        .await
        .unwrap();
    assert_eq!(client.pending(), None);
    let me = client.retrieve_customer().await.unwrap().customer;
    assert_eq!(me.email.as_deref(), Some("mona@example.com"));
    // A challenge is answered once.
    let again = client
        .mfa()
        .verify_challenge(
            &challenge,
            &AuthMfaChallengeVerifyReq::totp(totp_now(&secret)),
        )
        .await
        .unwrap_err();
    assert_eq!(again.auth_failure(), Some(AuthFailure::ChallengeCompleted));
}

#[tokio::test]
async fn five_wrong_codes_lock_the_challenge_even_for_the_right_one() {
    let store = MockStore::start().await;
    let secret = enrolled(&store, "lock@example.com").await;
    let (client, challenge) = challenged(&store, "lock@example.com").await;
    let wrong = AuthMfaChallengeVerifyReq::totp("000000");
    let mut failures = Vec::new();
    for _ in 0..5 {
        let err = client
            .mfa()
            .verify_challenge(&challenge, &wrong)
            .await
            .unwrap_err();
        failures.push(err.auth_failure().unwrap());
    }
    assert_eq!(
        failures,
        [
            AuthFailure::InvalidCode,
            AuthFailure::InvalidCode,
            AuthFailure::InvalidCode,
            AuthFailure::InvalidCode,
            AuthFailure::TooManyAttempts
        ]
    );
    let right = AuthMfaChallengeVerifyReq::totp(totp_now(&secret));
    let err = client
        .mfa()
        .verify_challenge(&challenge, &right)
        .await
        .unwrap_err();
    assert_eq!(err.auth_failure(), Some(AuthFailure::TooManyAttempts));
    assert_eq!(client.pending(), Some(Pending::SecondFactor));
    // A new login is a new challenge.
    let (client, challenge) = challenged(&store, "lock@example.com").await;
    client
        .mfa()
        .verify_challenge(&challenge, &right)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_recovery_code_works_once_and_disabling_ends_the_challenges() {
    let store = MockStore::start().await;
    let secret = enrolled(&store, "rita@example.com").await;
    let client = store.client();
    let (pending, challenge) = challenged(&store, "rita@example.com").await;
    pending
        .mfa()
        .verify_challenge(
            &challenge,
            &AuthMfaChallengeVerifyReq::totp(totp_now(&secret)),
        )
        .await
        .unwrap();
    client.set_token(pending.token().unwrap()).unwrap();
    let codes = client
        .mfa()
        .generate_recovery_codes(Some(3))
        .await
        .unwrap()
        .recovery_codes;
    assert_eq!(codes.len(), 3);

    let (first, challenge) = challenged(&store, "rita@example.com").await;
    let login = first
        .login(EMAILPASS, &credentials("rita@example.com"))
        .await
        .unwrap();
    assert!(login
        .mfa_challenge()
        .unwrap()
        .methods
        .contains(&"recovery_code".to_string()));
    // Upper case is accepted, as by the server.
    let code = codes[0].expose().to_uppercase();
    first
        .mfa()
        .verify_challenge(&challenge, &AuthMfaChallengeVerifyReq::recovery_code(code))
        .await
        .unwrap();
    let (second, challenge) = challenged(&store, "rita@example.com").await;
    let reused = second
        .mfa()
        .verify_challenge(
            &challenge,
            &AuthMfaChallengeVerifyReq::recovery_code(codes[0].clone()),
        )
        .await
        .unwrap_err();
    assert_eq!(reused.auth_failure(), Some(AuthFailure::InvalidCode));

    let factor = client.mfa().list().await.unwrap().mfa_factors[0].id.clone();
    client
        .mfa()
        .disable(&factor, &AuthMfaDisableReq::default())
        .await
        .unwrap();
    let login = store
        .client()
        .login(EMAILPASS, &credentials("rita@example.com"))
        .await
        .unwrap();
    assert!(login.is_authenticated(), "{login:?}");
}

#[tokio::test]
async fn a_cookie_session_made_from_the_pending_token_is_upgraded_by_the_challenge() {
    let store = MockStore::start().await;
    let secret = enrolled(&store, "cora@example.com").await;
    let (client, challenge) = challenged(&store, "cora@example.com").await;
    // js-sdk's session mode: a session from the pending token.
    client.create_session().await.unwrap();
    let cookie = client.session_cookie().unwrap();
    assert_eq!(client.token(), None);
    assert_eq!(client.pending(), Some(Pending::SecondFactor));
    client
        .mfa()
        .verify_challenge(
            &challenge,
            &AuthMfaChallengeVerifyReq::totp(totp_now(&secret)),
        )
        .await
        .unwrap();
    // The same cookie now acts as the customer, on its own.
    let by_cookie = store.client();
    by_cookie.set_session_cookie(&cookie).unwrap();
    let me = by_cookie.retrieve_customer().await.unwrap().customer;
    assert_eq!(me.email.as_deref(), Some("cora@example.com"));
}

#[tokio::test]
async fn an_expired_challenge_is_gone_and_refresh_of_a_pending_token_is_a_new_one() {
    let store =
        MockStore::start_with(MockSettings::default().with_challenge_ttl(Duration::ZERO)).await;
    let secret = enrolled(&store, "eve@example.com").await;
    let (client, challenge) = challenged(&store, "eve@example.com").await;
    let right = AuthMfaChallengeVerifyReq::totp(totp_now(&secret));
    let err = client
        .mfa()
        .verify_challenge(&challenge, &right)
        .await
        .unwrap_err();
    assert_eq!(err.auth_failure(), Some(AuthFailure::ChallengeNotFound));
    let refreshed = client.refresh().await.unwrap();
    let fresh = refreshed.mfa_challenge().expect("a new challenge");
    assert_ne!(fresh.id, challenge);
    assert_eq!(client.pending(), Some(Pending::SecondFactor));
}

#[tokio::test]
async fn verification_required_then_request_confirm_refresh() {
    let store = MockStore::start_with(MockSettings::default().with_verification_required()).await;
    let client = store.client();
    let email = "vera@example.com";
    let signed_up = client
        .sign_up(
            EMAILPASS,
            &credentials(email),
            &StoreCreateCustomer::new(email),
        )
        .await
        .unwrap();
    // A clear outcome, not a 401 one call later.
    assert!(matches!(
        signed_up.login,
        Login::VerificationRequired { .. }
    ));
    assert_eq!(client.pending(), Some(Pending::Verification));
    assert!(client
        .retrieve_customer()
        .await
        .unwrap_err()
        .is_unauthorized());

    client
        .verification()
        .request(&AuthVerificationRequestReq::email(email))
        .await
        .unwrap();
    let code = store.verification_code(email).expect("a code was sent");
    assert_eq!(code.expose().len(), 43);
    assert_eq!(format!("{code:?}"), "<redacted>");
    let wrong = client
        .verification()
        .confirm("not-the-code")
        .await
        .unwrap_err();
    assert_eq!(wrong.auth_failure(), Some(AuthFailure::InvalidCode));
    client.verification().confirm(code.clone()).await.unwrap();
    assert_eq!(store.verification_code(email), None, "used once");

    let refreshed = client.refresh().await.unwrap();
    assert!(refreshed.is_authenticated(), "{refreshed:?}");
    assert_eq!(client.pending(), None);
    let me = client.retrieve_customer().await.unwrap().customer;
    assert_eq!(me.id, signed_up.customer.id);
}

#[tokio::test]
async fn an_expired_verification_code_is_refused() {
    let settings = MockSettings::default()
        .with_verification_required()
        .with_verification_ttl(Duration::ZERO);
    let store = MockStore::start_with(settings).await;
    let client = store.client();
    let email = "old@example.com";
    client
        .sign_up(
            EMAILPASS,
            &credentials(email),
            &StoreCreateCustomer::new(email),
        )
        .await
        .unwrap();
    client
        .verification()
        .request(&AuthVerificationRequestReq::email(email))
        .await
        .unwrap();
    let code = store.verification_code(email).unwrap();
    let err = client.verification().confirm(code).await.unwrap_err();
    assert_eq!(err.auth_failure(), Some(AuthFailure::CodeExpired));
}

#[tokio::test]
async fn a_server_without_an_mfa_key_says_so() {
    let store = MockStore::start_with(MockSettings::default().without_mfa_key()).await;
    let client = store.client();
    let email = "nokey@example.com";
    client
        .sign_up(
            EMAILPASS,
            &credentials(email),
            &StoreCreateCustomer::new(email),
        )
        .await
        .unwrap();
    let err = client
        .mfa()
        .start(&AuthMfaStartReq::totp())
        .await
        .unwrap_err();
    assert_eq!(err.auth_failure(), Some(AuthFailure::MfaNotConfigured));
}

/// Every key path of a JSON value (`a.b`, `a[].c`), to compare shapes.
fn shape(value: &serde_json::Value, prefix: &str, into: &mut std::collections::BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                let path = format!("{prefix}.{key}");
                into.insert(path.clone());
                shape(value, &path, into);
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                shape(item, &format!("{prefix}[]"), into);
            }
        }
        _ => {}
    }
}

fn shape_of(value: &serde_json::Value) -> std::collections::BTreeSet<String> {
    let mut keys = std::collections::BTreeSet::new();
    shape(value, "", &mut keys);
    keys
}

fn recorded_body(name: &str) -> serde_json::Value {
    let path = format!(
        "{}/tests/fixtures/medusa-2.21.2/{name}.http",
        env!("CARGO_MANIFEST_DIR")
    );
    let recording =
        medusa_store_auth::mock::Recording::parse(&std::fs::read_to_string(path).unwrap()).unwrap();
    serde_json::from_slice(recording.body()).unwrap()
}

#[tokio::test]
async fn the_stand_in_answers_in_the_recorded_shapes() {
    let store = MockStore::start_with(MockSettings::default().with_verification_required()).await;
    let http = reqwest::Client::new();
    let base = store.base_url().to_string();
    let post = |path: &str, token: Option<&str>, body: serde_json::Value| {
        let mut request = http.post(format!("{base}{path}")).json(&body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        async move {
            let response = request.send().await.unwrap();
            (
                response.status().as_u16(),
                response.json::<serde_json::Value>().await.unwrap(),
            )
        }
    };
    let email = "shape@example.com";
    let client = store.client();
    client
        .sign_up(
            EMAILPASS,
            &credentials(email),
            &StoreCreateCustomer::new(email),
        )
        .await
        .unwrap();
    let pending = client.token().unwrap();
    let (status, login) = post(
        "/auth/customer/emailpass",
        None,
        serde_json::json!({ "email": email, "password": PASSWORD }),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        shape_of(&login),
        shape_of(&recorded_body(
            "verification/04-login-verification-required"
        ))
    );
    let (status, requested) = post(
        "/auth/verification/request",
        Some(pending.expose()),
        serde_json::json!({ "entity_id": email, "entity_type": "email", "metadata": { "redirect": "/account" } }),
    )
    .await;
    assert_eq!(status, 201);
    let recorded = shape_of(&recorded_body("verification/13-login-after-request")["verification"]);
    assert_eq!(shape_of(&requested["verification"]), recorded);
    let code = store.verification_code(email).unwrap();
    let (status, confirmed) = post(
        "/auth/verification/confirm",
        None,
        serde_json::json!({ "code": code.expose() }),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        shape_of(&confirmed),
        shape_of(&recorded_body("verification/19-confirm"))
    );
    client.refresh().await.unwrap();
    let token = client.token().unwrap();

    let (status, started) = post(
        "/auth/mfa/factors",
        Some(token.expose()),
        serde_json::json!({ "provider": "totp", "label": email, "issuer": "Loopback Shop" }),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        shape_of(&started),
        shape_of(&recorded_body("mfa/15-factor-start-totp"))
    );
    let id = started["mfa_factor"]["id"].as_str().unwrap();
    let code = totp_now(started["secret"].as_str().unwrap());
    let (status, verified) = post(
        &format!("/auth/mfa/factors/{id}/verify"),
        Some(token.expose()),
        serde_json::json!({ "code": code }),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        shape_of(&verified),
        shape_of(&recorded_body("mfa/20-factor-verify-right-code"))
    );
    let (status, codes) = post(
        "/auth/mfa/recovery-codes",
        Some(token.expose()),
        serde_json::json!({}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        shape_of(&codes),
        shape_of(&recorded_body("mfa/63-recovery-codes-generate"))
    );
    let recorded_code =
        recorded_body("mfa/63-recovery-codes-generate")["recovery_codes"][0].clone();
    assert_eq!(
        codes["recovery_codes"][0].as_str().unwrap().len(),
        recorded_code.as_str().unwrap().len()
    );
    let (status, login) = post(
        "/auth/customer/emailpass",
        None,
        serde_json::json!({ "email": email, "password": PASSWORD }),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        shape_of(&login),
        shape_of(&recorded_body(
            "mfa/65-login-mfa-required-with-recovery-codes"
        ))
    );
    let (status, wrong) = post(
        &format!(
            "/auth/mfa/challenges/{}/verify",
            login["mfa_challenge"]["id"].as_str().unwrap()
        ),
        login["token"].as_str(),
        serde_json::json!({ "method": "totp", "code": "000000" }),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(wrong, recorded_body("mfa/40-challenge-verify-wrong-code"));
}

/// Compiles only if `future` can be spawned on a multi-threaded runtime.
fn spawnable<F: std::future::Future + Send + 'static>(future: F) -> F {
    future
}

#[tokio::test]
async fn every_mfa_and_verification_call_can_be_spawned() {
    use std::future::IntoFuture;
    let store = MockStore::start().await;
    let client = store.client();
    let email = String::from("spawn@example.com");
    client
        .sign_up(
            EMAILPASS,
            &credentials(&email),
            &StoreCreateCustomer::new(&email),
        )
        .await
        .unwrap();
    let request = AuthMfaStartReq::totp();
    let start = spawnable(client.mfa().start(&request).into_future());
    drop(request);
    let started = tokio::spawn(start).await.unwrap().unwrap();
    let secret = started.secret.unwrap().expose().to_string();
    let id = started.mfa_factor.id.clone();
    let verify = spawnable(client.mfa().verify(&id, totp_now(&secret)).send());
    let list = spawnable(client.mfa().list().send_with_response());
    drop(id);
    tokio::spawn(verify).await.unwrap().unwrap();
    assert_eq!(tokio::spawn(list).await.unwrap().unwrap().status(), 200);
    let codes = spawnable(client.mfa().generate_recovery_codes(Some(1)).into_future());
    let code = tokio::spawn(codes).await.unwrap().unwrap().recovery_codes[0].clone();

    let pending = store.client();
    let login = pending
        .login(EMAILPASS, &credentials(&email))
        .await
        .unwrap();
    let challenge = login.mfa_challenge().unwrap().id.clone();
    let answer = AuthMfaChallengeVerifyReq::recovery_code(code);
    let verify = spawnable(
        pending
            .mfa()
            .verify_challenge(&challenge, &answer)
            .into_future(),
    );
    drop((challenge, answer));
    tokio::spawn(verify).await.unwrap().unwrap();

    let verification = AuthVerificationRequestReq::email(&email);
    let request = spawnable(client.verification().request(&verification).send());
    let confirm = spawnable(client.verification().confirm("no-such-code").send());
    drop(verification);
    tokio::spawn(request).await.unwrap().unwrap();
    assert!(tokio::spawn(confirm).await.unwrap().is_err());
    let factor = client.mfa().list().await.unwrap().mfa_factors[0].id.clone();
    let disable = spawnable(
        client
            .mfa()
            .disable(&factor, &AuthMfaDisableReq::default())
            .into_future(),
    );
    drop(factor);
    tokio::spawn(disable).await.unwrap().unwrap();
}
