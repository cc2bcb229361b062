//! End to end against a real Medusa v2 (2.21.x), named by `MEDUSA_V2_E2E_URL` and the
//! variables `scripts/medusa-v2-server.sh start` prints (`scripts/e2e-v2.sh` provisions a
//! server, runs this suite and stops it).
//!
//! Without the variables every test here is reported as ignored; run them with
//! `eval "$(scripts/medusa-v2-server.sh start)"; export MEDUSA_V2_E2E_URL ...; cargo test --test e2e_v2 -- --ignored`.
//! Each test registers fresh customers, so the suite can run again on the same database.

use std::path::PathBuf;
use std::time::Duration;

mod support;

use medusa_store_auth::v2::types::{
    AuthMfaChallenge, AuthMfaChallengeVerifyReq, AuthMfaDisableReq, AuthMfaStartReq, AuthPayload,
    AuthResetPasswordReq, AuthVerificationRequestReq, Login, OneTimeCode, StoreCreateCustomer,
    TotpSecret,
};
use medusa_store_auth::v2::{AuthClient, Logout, Pending, EMAILPASS, RECOVERY_CODE};
use medusa_store_auth::{AccessToken, AuthFailure, Config, Error, InvalidInput};
use support::fixtures::jwt_claims;
use support::unique_email;

const PASSWORD: &str = "E2e-pass-1!";

fn var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: run scripts/e2e-v2.sh, or export what scripts/medusa-v2-server.sh start prints")
    })
}

/// Whether the release under test (`MEDUSA_V2_E2E_VERSION`, printed by the provisioning
/// script; 2.21.2 when unset) is `version` or later: what an older release answers
/// differently is asserted as it answers, by version (shared/medusa-v2/versions.md).
fn server_at_least(version: &str) -> bool {
    let parse = |v: &str| -> Vec<u32> { v.split('.').map(|n| n.parse().unwrap()).collect() };
    let running = std::env::var("MEDUSA_V2_E2E_VERSION").unwrap_or_else(|_| "2.21.2".into());
    parse(&running) >= parse(version)
}

fn keys() -> serde_json::Value {
    serde_json::from_str(&var("MEDUSA_V2_E2E_KEYS")).expect("MEDUSA_V2_E2E_KEYS is the keys JSON")
}

fn publishable_key() -> String {
    keys()["publishable"].as_str().unwrap().to_string()
}

fn config(url: &str) -> Config {
    Config::new()
        .with_base_url(url)
        .with_publishable_api_key(publishable_key())
}

fn client() -> AuthClient {
    AuthClient::new(config(&var("MEDUSA_V2_E2E_URL"))).unwrap()
}

fn credentials(email: &str, password: &str) -> AuthPayload {
    AuthPayload::email_password(email, password)
}

/// Registers `email` through the crate's guided flow: register → create → refresh.
async fn registered(client: &AuthClient, email: &str) -> String {
    let customer = StoreCreateCustomer {
        first_name: Some("E2e".into()),
        last_name: Some("Test".into()),
        ..StoreCreateCustomer::new(email)
    };
    let created = client
        .sign_up(EMAILPASS, &credentials(email, PASSWORD), &customer)
        .await
        .unwrap()
        .customer;
    // The client now acts as the new customer.
    assert_eq!(
        client.retrieve_customer().await.unwrap().customer.id,
        created.id
    );
    created.id
}

/// A fresh client logged in (by token) as a newly registered `email`, and the customer's id.
async fn registered_and_logged_in(email: &str) -> (AuthClient, String) {
    let id = registered(&client(), email).await;
    let client = client();
    client
        .login(EMAILPASS, &credentials(email, PASSWORD))
        .await
        .unwrap();
    (client, id)
}

#[tokio::test]
#[ignore = "needs a real Medusa v2: set MEDUSA_V2_E2E_URL (scripts/e2e-v2.sh does)"]
async fn register_create_refresh_then_me() {
    let email = unique_email("register");
    let client = client();
    let registration = client
        .register(EMAILPASS, &credentials(&email, PASSWORD))
        .await
        .unwrap();
    assert_eq!(jwt_claims(&registration.token)["actor_id"], "");
    assert_eq!(client.token(), Some(registration.token.clone()));
    // The registration token has no customer behind it yet.
    assert!(client
        .retrieve_customer()
        .await
        .unwrap_err()
        .is_unauthorized());

    let customer = StoreCreateCustomer {
        first_name: Some("Regi".into()),
        ..StoreCreateCustomer::new(&email)
    };
    let created = client.create_customer(&customer).await.unwrap().customer;
    assert_eq!(created.email.as_deref(), Some(email.as_str()));
    // The same token cannot create a second customer.
    let again = client.create_customer(&customer).await.unwrap_err();
    assert_eq!(again.status().map(|s| s.as_u16()), Some(422), "{again:?}");
    assert_eq!(again.error_type(), Some("duplicate_error"));

    let refreshed = client.refresh().await.unwrap();
    assert_eq!(
        jwt_claims(refreshed.token().unwrap())["actor_id"],
        created.id.as_str()
    );
    assert_eq!(client.token(), refreshed.token().cloned());
    let me = client.retrieve_customer().await.unwrap().customer;
    assert_eq!(me.id, created.id);
    assert_eq!(me.first_name.as_deref(), Some("Regi"));
    assert_eq!(me.has_account, Some(true));
    let some = client
        .retrieve_customer_fields("id,email")
        .await
        .unwrap()
        .customer;
    assert_eq!(
        (some.id, some.email, some.first_name),
        (created.id, Some(email), None)
    );
}

#[tokio::test]
#[ignore = "needs a real Medusa v2: set MEDUSA_V2_E2E_URL (scripts/e2e-v2.sh does)"]
async fn login_good_wrong_and_unknown() {
    let email = unique_email("login");
    let id = registered(&client(), &email).await;

    let client = client();
    let login = client
        .login(EMAILPASS, &credentials(&email, PASSWORD))
        .await
        .unwrap();
    assert!(login.is_authenticated(), "{login:?}");
    assert_eq!(jwt_claims(login.token().unwrap())["actor_id"], id.as_str());
    assert_eq!(client.retrieve_customer().await.unwrap().customer.id, id);

    for (who, password) in [
        (email.as_str(), "wrong-password"),
        ("nobody-e2e@example.com", PASSWORD),
    ] {
        let fresh = client.new_session();
        let err = fresh
            .login(EMAILPASS, &credentials(who, password))
            .await
            .unwrap_err();
        assert!(err.is_unauthorized(), "{err:?}");
        assert_eq!(err.message(), Some("Invalid email or password"));
        assert!(fresh.token().is_none());
    }
    // emailpass matches emails exactly.
    let upper = client
        .new_session()
        .login(EMAILPASS, &credentials(&email.to_uppercase(), PASSWORD))
        .await
        .unwrap_err();
    assert!(upper.is_unauthorized());

    if server_at_least("2.19.0") {
        let providers = client.list_providers().await.unwrap().providers;
        assert!(providers.iter().any(|p| p.id == EMAILPASS), "{providers:?}");
    } else {
        // Before 2.19.0 the path is taken for a provider named `providers`.
        let err = client.list_providers().await.unwrap_err();
        assert!(err.is_missing_route(), "{err:?}");
    }
    let callback = client
        .callback(EMAILPASS, [("code", "x y"), ("state", "s&t")])
        .await
        .unwrap_err();
    assert!(callback.is_unauthorized(), "{callback:?}");
}

#[tokio::test]
#[ignore = "needs a real Medusa v2: set MEDUSA_V2_E2E_URL (scripts/e2e-v2.sh does)"]
async fn a_cookie_session_is_kept_sent_and_ended() {
    let email = unique_email("session");
    let (client, id) = registered_and_logged_in(&email).await;
    let token = client.token().unwrap();

    let session = client.create_session().await.unwrap();
    assert_eq!(session.user.actor_id, id);
    let cookie = client.session_cookie().expect("the session cookie is kept");
    assert!(
        client.token().is_none(),
        "the cookie acts instead of the token"
    );
    // The cookie alone authenticates: the client sends no token now.
    assert_eq!(client.retrieve_customer().await.unwrap().customer.id, id);
    // Refresh by cookie (2.16.0+; before, only a bearer token refreshes).
    if server_at_least("2.16.0") {
        let by_cookie = client.refresh().await.unwrap();
        assert_eq!(
            jwt_claims(by_cookie.token().unwrap())["actor_id"],
            id.as_str()
        );
        client.clear_token();
    } else {
        assert!(client.refresh().await.unwrap_err().is_unauthorized());
    }

    assert_eq!(client.logout().await.unwrap(), Logout::SessionEnded);
    assert!(client.session_cookie().is_none() && client.token().is_none());
    // The old cookie is refused now; the token is not revoked.
    let replay = AuthClient::new(config(&var("MEDUSA_V2_E2E_URL"))).unwrap();
    replay.set_session_cookie(&cookie).unwrap();
    assert!(replay
        .retrieve_customer()
        .await
        .unwrap_err()
        .is_unauthorized());
    let bearer = client.new_session();
    bearer.set_token(token).unwrap();
    assert_eq!(bearer.retrieve_customer().await.unwrap().customer.id, id);
    // A token-only client has no session to end: reported, not an error; forgotten anyway.
    assert_eq!(bearer.logout().await.unwrap(), Logout::NoSession);
    assert!(bearer.token().is_none());
}

#[tokio::test]
#[ignore = "needs a real Medusa v2: set MEDUSA_V2_E2E_URL (scripts/e2e-v2.sh does)"]
async fn refresh_by_bearer_and_without_anything() {
    let email = unique_email("refresh");
    let (client, id) = registered_and_logged_in(&email).await;
    let first = client.token().unwrap();
    let refreshed = client.refresh().await.unwrap();
    assert_eq!(
        jwt_claims(refreshed.token().unwrap())["actor_id"],
        id.as_str()
    );
    assert_eq!(client.token(), refreshed.token().cloned());
    assert_eq!(client.retrieve_customer().await.unwrap().customer.id, id);
    assert!(
        jwt_claims(&first)["iat"].as_i64() <= jwt_claims(&client.token().unwrap())["iat"].as_i64()
    );

    let nobody = client.new_session();
    assert!(nobody.refresh().await.unwrap_err().is_unauthorized());
}

/// The reset token the test subscriber captured for `email` (the server sends it nowhere
/// else), waiting for the event to be handled.
async fn emailed_reset_token(email: &str) -> AccessToken {
    let hex: String = email.bytes().map(|b| format!("{b:02x}")).collect();
    let path = PathBuf::from(var("MEDUSA_V2_E2E_RESET_DIR")).join(format!("{hex}.json"));
    // The event is handled after the 201 is sent: poll for the file, bounded.
    for _ in 0..100 {
        if let Ok(text) = std::fs::read_to_string(&path) {
            let event: serde_json::Value = serde_json::from_str(&text).unwrap();
            return AccessToken::new(event["token"].as_str().unwrap());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "no auth.password_reset event for {email} in 10 s ({})",
        path.display()
    );
}

#[tokio::test]
#[ignore = "needs a real Medusa v2: set MEDUSA_V2_E2E_URL (scripts/e2e-v2.sh does)"]
async fn reset_password_then_update_with_the_emailed_token() {
    let email = unique_email("reset");
    let (client, id) = registered_and_logged_in(&email).await;
    let before = client.token().unwrap();

    client
        .reset_password(EMAILPASS, &AuthResetPasswordReq::new(&email))
        .await
        .unwrap();
    // An unknown identifier gets the same answer.
    client
        .reset_password(EMAILPASS, &AuthResetPasswordReq::new(unique_email("ghost")))
        .await
        .unwrap();
    let reset_token = emailed_reset_token(&email).await;

    // A login token is not a reset token.
    let refused = client
        .update_provider(EMAILPASS, &before, &AuthPayload::password("N3w-pass-1!"))
        .await
        .unwrap_err();
    assert!(refused.is_unauthorized(), "{refused:?}");
    assert_eq!(refused.message(), Some("Invalid token"));

    let updated = client
        .update_provider(
            EMAILPASS,
            &reset_token,
            &AuthPayload::password("N3w-pass-1!"),
        )
        .await
        .unwrap();
    assert!(updated.success);
    // The client's own token was neither sent nor replaced.
    assert_eq!(client.token(), Some(before.clone()));
    // Single use (2.16.0+; an older server takes a reset token again, and sets the password).
    let reused = client
        .update_provider(
            EMAILPASS,
            &reset_token,
            &AuthPayload::password("Other-pass-1!"),
        )
        .await;
    let password = if server_at_least("2.16.0") {
        assert!(reused.unwrap_err().is_unauthorized());
        "N3w-pass-1!"
    } else {
        assert!(reused.unwrap().success);
        "Other-pass-1!"
    };

    let fresh = client.new_session();
    let old = fresh.login(EMAILPASS, &credentials(&email, PASSWORD)).await;
    assert!(old.unwrap_err().is_unauthorized());
    let new = fresh
        .login(EMAILPASS, &credentials(&email, password))
        .await
        .unwrap();
    assert!(new.is_authenticated());
    // A token issued before the reset still works: Medusa never revokes JWTs.
    assert_eq!(client.retrieve_customer().await.unwrap().customer.id, id);
}

#[tokio::test]
#[ignore = "needs a real Medusa v2: set MEDUSA_V2_E2E_URL (scripts/e2e-v2.sh does)"]
async fn missing_bogus_and_revoked_publishable_keys() {
    let email = unique_email("keys");
    let registrar = client();
    registered(&registrar, &email).await;
    let token = registrar.token().unwrap();
    let url = var("MEDUSA_V2_E2E_URL");

    // Missing: refused locally, nothing sent.
    let without =
        AuthClient::new(Config::new().with_base_url(&url).with_token(token.clone())).unwrap();
    let err = without.retrieve_customer().await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidInput(InvalidInput::MissingPublishableKey {
                call: "retrieve_customer"
            })
        ),
        "{err:?}"
    );
    // The auth routes need none.
    assert!(without.refresh().await.is_ok());

    let revoked = keys()["revoked"].as_str().unwrap().to_string();
    for key in ["pk_bogus_e2e", revoked.as_str()] {
        let client = AuthClient::new(
            Config::new()
                .with_base_url(&url)
                .with_publishable_api_key(key)
                .with_token(token.clone()),
        )
        .unwrap();
        let err = client.retrieve_customer().await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(400), "{err:?}");
        assert_eq!(err.error_type(), Some("not_allowed"));
    }
    // A per-call key works where the client has none.
    let me = without
        .retrieve_customer()
        .header("x-publishable-api-key", publishable_key())
        .await
        .unwrap();
    assert_eq!(me.customer.email.as_deref(), Some(email.as_str()));
}

#[tokio::test]
#[ignore = "needs a real Medusa v2: set MEDUSA_V2_E2E_URL (scripts/e2e-v2.sh does)"]
async fn production_mode_sets_the_cookie_only_over_https() {
    let email = unique_email("production");
    let id = registered(&client(), &email).await;
    let url = var("MEDUSA_V2_E2E_PRODUCTION_URL");
    let client = AuthClient::new(config(&url)).unwrap();
    client
        .login(EMAILPASS, &credentials(&email, PASSWORD))
        .await
        .unwrap();

    // Plain HTTP: 200, but no cookie; the client keeps its token and stays logged in.
    let plain = client.create_session().send_with_response().await.unwrap();
    assert!(plain.headers().get("set-cookie").is_none());
    assert!(client.session_cookie().is_none());
    assert!(client.token().is_some());
    assert_eq!(client.retrieve_customer().await.unwrap().customer.id, id);

    // Behind a TLS-terminating proxy: a `Secure; SameSite=Lax` cookie.
    let forwarded = client
        .create_session()
        .header("x-forwarded-proto", "https")
        .send_with_response()
        .await
        .unwrap();
    let set_cookie = forwarded
        .headers()
        .get("set-cookie")
        .expect("a cookie behind X-Forwarded-Proto: https")
        .to_str()
        .unwrap()
        .to_string();
    // 2.21.2 sends `SameSite=Lax`; 2.10.3 sent `SameSite=None`.
    let same_site = if server_at_least("2.21.0") {
        "SameSite=Lax"
    } else {
        "SameSite="
    };
    assert!(
        set_cookie.contains("Secure") && set_cookie.contains(same_site),
        "{set_cookie}"
    );
    // Loopback is a secure context for the jar, as for browsers: the Secure cookie is kept
    // and sent back to 127.0.0.1, and acts instead of the token.
    assert!(client.session_cookie().is_some());
    assert!(client.token().is_none());
    assert_eq!(client.retrieve_customer().await.unwrap().customer.id, id);
    assert_eq!(client.logout().await.unwrap(), Logout::SessionEnded);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a real Medusa v2: set MEDUSA_V2_E2E_URL (scripts/e2e-v2.sh does)"]
async fn fifty_concurrent_customers_each_see_only_themselves() {
    const CUSTOMERS: usize = 50;
    let shared = client();
    let mut ids = Vec::new();
    let emails: Vec<String> = (0..CUSTOMERS).map(|_| unique_email("many")).collect();
    for email in &emails {
        ids.push(registered(&shared.new_session(), email).await);
    }
    let tasks: Vec<_> = emails
        .iter()
        .cloned()
        .zip(ids)
        .enumerate()
        .map(|(i, (email, id))| {
            // One pool for all: each visitor gets a session of its own.
            let visitor = shared.new_session();
            tokio::spawn(async move {
                visitor
                    .login(EMAILPASS, &credentials(&email, PASSWORD))
                    .await
                    .unwrap();
                if i % 2 == 0 {
                    visitor.create_session().await.unwrap();
                }
                let me = visitor.retrieve_customer().await.unwrap().customer;
                (id, me.id, me.email)
            })
        })
        .collect();
    for (task, email) in tasks.into_iter().zip(&emails) {
        let (id, seen, seen_email) = task.await.unwrap();
        assert_eq!((seen, seen_email.as_deref()), (id, Some(email.as_str())));
    }
    assert!(shared.token().is_none() && shared.session_cookie().is_none());
}

// ---------------------------------------------------------------------------------------
// Multi-factor auth and verification, on the server started with both features on
// (MEDUSA_V2_E2E_FEATURES_URL: an MFA key, and every customer must verify their email).

fn features_client() -> AuthClient {
    AuthClient::new(config(&var("MEDUSA_V2_E2E_FEATURES_URL"))).unwrap()
}

/// Whether the release under test has MFA (2.15.3+) and verification (2.16.0+), and so a
/// server started with both. On an older one, asserts what it answers instead (each route
/// missing, a typed error naming the call), says so, and the test ends there.
async fn has_mfa_and_verification(test: &str) -> bool {
    if server_at_least("2.16.0") {
        return true;
    }
    let (client, _) = registered_and_logged_in(&unique_email("old")).await;
    let err = client.mfa().list().await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::MissingRoute {
                call: "mfa().list",
                ..
            }
        ),
        "{err:?}"
    );
    let email = AuthVerificationRequestReq::email("old@example.com");
    let err = client.verification().request(&email).await.unwrap_err();
    assert!(err.is_missing_route(), "{err:?}");
    eprintln!("{test}: Medusa {} has no MFA or verification routes (2.15.3+, 2.16.0+): checked they are reported missing",
        std::env::var("MEDUSA_V2_E2E_VERSION").unwrap_or_default());
    false
}

/// The code the features server emailed `email` last, and when it expires.
async fn emailed_verification_code(email: &str) -> (OneTimeCode, chrono::DateTime<chrono::Utc>) {
    let dir = PathBuf::from(var("MEDUSA_V2_E2E_VERIFICATION_DIR"));
    let (code, expires_at) = support::emailed_verification_code(&dir, email).await;
    (OneTimeCode::new(code), expires_at)
}

/// The code an authenticator app shows now for `secret`.
fn totp_now(secret: &TotpSecret) -> String {
    support::totp_now(secret.expose())
}

/// Signs `email` up on the features server and verifies it: the client then acts as the
/// customer.
async fn verified_customer(email: &str) -> AuthClient {
    let client = features_client();
    let signed_up = client
        .sign_up(
            EMAILPASS,
            &credentials(email, PASSWORD),
            &StoreCreateCustomer::new(email),
        )
        .await
        .unwrap();
    assert!(
        matches!(signed_up.login, Login::VerificationRequired { .. }),
        "{:?}",
        signed_up.login
    );
    client
        .verification()
        .request(&AuthVerificationRequestReq::email(email))
        .await
        .unwrap();
    let (code, _) = emailed_verification_code(email).await;
    client.verification().confirm(code).await.unwrap();
    let refreshed = client.refresh().await.unwrap();
    assert!(refreshed.is_authenticated(), "{refreshed:?}");
    client
}

/// A verified customer `email` with an enabled TOTP factor: its client and secret.
async fn enrolled(email: &str) -> (AuthClient, TotpSecret) {
    let client = verified_customer(email).await;
    let started = client
        .mfa()
        .start(
            &AuthMfaStartReq::totp()
                .with_label(email)
                .with_issuer("E2e Shop"),
        )
        .await
        .unwrap();
    assert!(started.mfa_factor.is_pending());
    let secret = started.secret.clone().unwrap();
    let url = started.otpauth_url.clone().unwrap();
    assert!(url.expose().contains(secret.expose()));
    assert!(!format!("{started:?}").contains(secret.expose()));
    let enabled = client
        .mfa()
        .verify(&started.mfa_factor.id, totp_now(&secret))
        .await
        .unwrap();
    assert!(enabled.mfa_factor.is_enabled());
    (client, secret)
}

/// A fresh client that logged in as `email` and holds an MFA-pending token; the challenge.
async fn challenged(email: &str) -> (AuthClient, AuthMfaChallenge) {
    let client = features_client();
    let login = client
        .login(EMAILPASS, &credentials(email, PASSWORD))
        .await
        .unwrap();
    let Login::MfaRequired { challenge, .. } = login else {
        panic!("{login:?}")
    };
    assert_eq!(client.pending(), Some(Pending::SecondFactor));
    (client, challenge)
}

#[tokio::test]
#[ignore = "needs a real Medusa v2: set MEDUSA_V2_E2E_FEATURES_URL (scripts/e2e-v2.sh does)"]
async fn verification_required_request_code_confirm_refresh_then_customer() {
    if !has_mfa_and_verification("verification_required_request_code_confirm_refresh_then_customer")
        .await
    {
        return;
    }
    let email = unique_email("verify");
    let client = features_client();
    let signed_up = client
        .sign_up(
            EMAILPASS,
            &credentials(&email, PASSWORD),
            &StoreCreateCustomer::new(&email),
        )
        .await
        .unwrap();
    assert!(!signed_up.is_authenticated());
    assert_eq!(client.pending(), Some(Pending::Verification));
    // The verification-pending token acts as nobody.
    assert!(client
        .retrieve_customer()
        .await
        .unwrap_err()
        .is_unauthorized());
    // A login says the same, with no verification requested yet.
    let login = features_client()
        .login(EMAILPASS, &credentials(&email, PASSWORD))
        .await
        .unwrap();
    assert!(matches!(
        login,
        Login::VerificationRequired {
            verification: None,
            ..
        }
    ));

    let requested = client
        .verification()
        .request(&AuthVerificationRequestReq::email(&email))
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(requested.status(), 201);
    assert_eq!(requested.verification.entity_id, email);
    let (code, _) = emailed_verification_code(&email).await;
    let wrong = client
        .verification()
        .confirm("not-the-code")
        .await
        .unwrap_err();
    assert_eq!(
        wrong.auth_failure(),
        Some(AuthFailure::InvalidCode),
        "{wrong:?}"
    );
    let confirmed = client.verification().confirm(code.clone()).await.unwrap();
    assert_eq!(confirmed.entity_id, email);
    let reused = client.verification().confirm(code).await.unwrap_err();
    assert_eq!(reused.auth_failure(), Some(AuthFailure::InvalidCode));

    // The pending token does not change by itself: one refresh, and it acts.
    assert_eq!(client.pending(), Some(Pending::Verification));
    let refreshed = client.refresh().await.unwrap();
    assert!(refreshed.is_authenticated(), "{refreshed:?}");
    assert_eq!(client.pending(), None);
    let me = client.retrieve_customer().await.unwrap().customer;
    assert_eq!(me.id, signed_up.customer.id);
}

#[tokio::test]
#[ignore = "needs a real Medusa v2: set MEDUSA_V2_E2E_FEATURES_URL (scripts/e2e-v2.sh does)"]
async fn an_expired_verification_code_is_refused() {
    if !has_mfa_and_verification("an_expired_verification_code_is_refused").await {
        return;
    }
    let email = unique_email("expired");
    let client = features_client();
    client
        .sign_up(
            EMAILPASS,
            &credentials(&email, PASSWORD),
            &StoreCreateCustomer::new(&email),
        )
        .await
        .unwrap();
    client
        .verification()
        .request(&AuthVerificationRequestReq::email(&email))
        .await
        .unwrap();
    let (code, expires_at) = emailed_verification_code(&email).await;
    // The server's codes live MEDUSA_V2_E2E_VERIFICATION_TTL seconds (3): wait that real
    // time out, as the server's clock is the one that counts.
    let left = (expires_at - chrono::Utc::now())
        .to_std()
        .unwrap_or_default();
    assert!(left <= Duration::from_secs(10), "a short TTL: {left:?}");
    tokio::time::sleep(left + Duration::from_millis(500)).await;
    let err = client.verification().confirm(code).await.unwrap_err();
    assert_eq!(
        err.auth_failure(),
        Some(AuthFailure::CodeExpired),
        "{err:?}"
    );
}

#[tokio::test]
#[ignore = "needs a real Medusa v2: set MEDUSA_V2_E2E_FEATURES_URL (scripts/e2e-v2.sh does)"]
async fn enrol_totp_then_login_challenge_verify_and_act_as_the_customer() {
    if !has_mfa_and_verification("enrol_totp_then_login_challenge_verify_and_act_as_the_customer")
        .await
    {
        return;
    }
    let email = unique_email("mfa");
    let (enrolling, secret) = enrolled(&email).await;
    let id = enrolling.retrieve_customer().await.unwrap().customer.id;
    let factors = enrolling.mfa().list().await.unwrap().mfa_factors;
    assert_eq!(factors.len(), 1);
    assert!(factors[0].is_enabled());

    let (client, challenge) = challenged(&email).await;
    assert_eq!(challenge.methods, ["totp"]);
    assert!(challenge.expires_at > chrono::Utc::now());
    // The pending token is refused on /store/* and on the factor routes.
    let refused = client.retrieve_customer().await.unwrap_err();
    assert!(refused.is_unauthorized());
    assert_eq!(
        refused.auth_failure(),
        Some(AuthFailure::MfaPending),
        "{refused:?}"
    );
    let refused = client.mfa().list().await.unwrap_err();
    assert_eq!(refused.auth_failure(), Some(AuthFailure::MfaPending));

    let answer = client
        .mfa()
        .verify_challenge(
            &challenge.id,
            &AuthMfaChallengeVerifyReq::totp(totp_now(&secret)),
        )
        .await
        .unwrap();
    assert_eq!(client.pending(), None);
    assert_eq!(client.token(), Some(answer.token.clone()));
    assert!(jwt_claims(&answer.token)["mfa_challenge_completed_at"].is_string());
    assert_eq!(client.retrieve_customer().await.unwrap().customer.id, id);
    let again = client
        .mfa()
        .verify_challenge(
            &challenge.id,
            &AuthMfaChallengeVerifyReq::totp(totp_now(&secret)),
        )
        .await
        .unwrap_err();
    assert_eq!(again.auth_failure(), Some(AuthFailure::ChallengeCompleted));

    // A refresh of a pending token is a new challenge.
    let (pending, first) = challenged(&email).await;
    let refreshed = pending.refresh().await.unwrap();
    let second = refreshed.mfa_challenge().expect("a new challenge");
    assert_ne!(second.id, first.id);
    assert_eq!(pending.pending(), Some(Pending::SecondFactor));
}

#[tokio::test]
#[ignore = "needs a real Medusa v2: set MEDUSA_V2_E2E_FEATURES_URL (scripts/e2e-v2.sh does)"]
async fn five_wrong_codes_lock_the_challenge() {
    if !has_mfa_and_verification("five_wrong_codes_lock_the_challenge").await {
        return;
    }
    let email = unique_email("lockout");
    let (_, secret) = enrolled(&email).await;
    let (client, challenge) = challenged(&email).await;
    let wrong = AuthMfaChallengeVerifyReq::totp("000000");
    let mut failures = Vec::new();
    for _ in 0..challenge.max_attempts {
        let err = client
            .mfa()
            .verify_challenge(&challenge.id, &wrong)
            .await
            .unwrap_err();
        failures.push(err.auth_failure());
    }
    assert_eq!(failures.len(), 5);
    assert!(
        failures[..4]
            .iter()
            .all(|f| *f == Some(AuthFailure::InvalidCode)),
        "{failures:?}"
    );
    assert_eq!(failures[4], Some(AuthFailure::TooManyAttempts));
    let right = AuthMfaChallengeVerifyReq::totp(totp_now(&secret));
    let locked = client
        .mfa()
        .verify_challenge(&challenge.id, &right)
        .await
        .unwrap_err();
    assert_eq!(locked.auth_failure(), Some(AuthFailure::TooManyAttempts));
    assert!(client.retrieve_customer().await.is_err());
}

#[tokio::test]
#[ignore = "needs a real Medusa v2: set MEDUSA_V2_E2E_FEATURES_URL (scripts/e2e-v2.sh does)"]
async fn a_recovery_code_works_once_then_disable_ends_the_challenges() {
    if !has_mfa_and_verification("a_recovery_code_works_once_then_disable_ends_the_challenges")
        .await
    {
        return;
    }
    let email = unique_email("recovery");
    let (client, _) = enrolled(&email).await;
    let codes = client
        .mfa()
        .generate_recovery_codes(Some(2))
        .await
        .unwrap()
        .recovery_codes;
    assert_eq!(codes.len(), 2);
    assert!(!format!("{codes:?}").contains(codes[0].expose()));

    let (first, challenge) = challenged(&email).await;
    assert!(challenge.methods.iter().any(|m| m == RECOVERY_CODE));
    first
        .mfa()
        .verify_challenge(
            &challenge.id,
            &AuthMfaChallengeVerifyReq::recovery_code(codes[0].clone()),
        )
        .await
        .unwrap();
    assert!(first.retrieve_customer().await.is_ok());
    let (second, challenge) = challenged(&email).await;
    let reused = second
        .mfa()
        .verify_challenge(
            &challenge.id,
            &AuthMfaChallengeVerifyReq::recovery_code(codes[0].clone()),
        )
        .await
        .unwrap_err();
    assert_eq!(
        reused.auth_failure(),
        Some(AuthFailure::InvalidCode),
        "{reused:?}"
    );

    let factor = client.mfa().list().await.unwrap().mfa_factors[0].id.clone();
    let disabled = client
        .mfa()
        .disable(&factor, &AuthMfaDisableReq::default())
        .await
        .unwrap();
    assert_eq!(disabled.mfa_factor.status, "disabled");
    let login = features_client()
        .login(EMAILPASS, &credentials(&email, PASSWORD))
        .await
        .unwrap();
    assert!(login.is_authenticated(), "{login:?}");
}

#[tokio::test]
#[ignore = "needs a real Medusa v2: set MEDUSA_V2_E2E_FEATURES_URL (scripts/e2e-v2.sh does)"]
async fn a_cookie_session_made_while_pending_is_upgraded_by_the_challenge() {
    if !has_mfa_and_verification("a_cookie_session_made_while_pending_is_upgraded_by_the_challenge")
        .await
    {
        return;
    }
    let email = unique_email("mfa-cookie");
    let (_, secret) = enrolled(&email).await;
    let (client, challenge) = challenged(&email).await;
    client.create_session().await.unwrap();
    let cookie = client
        .session_cookie()
        .expect("development mode sets the cookie");
    assert_eq!(client.pending(), Some(Pending::SecondFactor));
    client
        .mfa()
        .verify_challenge(
            &challenge.id,
            &AuthMfaChallengeVerifyReq::totp(totp_now(&secret)),
        )
        .await
        .unwrap();
    // The same cookie, alone, now acts as the customer.
    let by_cookie = features_client();
    by_cookie.set_session_cookie(&cookie).unwrap();
    let me = by_cookie.retrieve_customer().await.unwrap().customer;
    assert_eq!(me.email.as_deref(), Some(email.as_str()));
}

#[tokio::test]
#[ignore = "needs a real Medusa v2: set MEDUSA_V2_E2E_URL (scripts/e2e-v2.sh does)"]
async fn a_server_without_an_mfa_key_lists_no_factors_and_refuses_to_start_one() {
    if !has_mfa_and_verification(
        "a_server_without_an_mfa_key_lists_no_factors_and_refuses_to_start_one",
    )
    .await
    {
        return;
    }
    let (client, _) = registered_and_logged_in(&unique_email("nokey")).await;
    assert!(client.mfa().list().await.unwrap().mfa_factors.is_empty());
    let err = client
        .mfa()
        .start(&AuthMfaStartReq::totp())
        .await
        .unwrap_err();
    assert_eq!(
        err.auth_failure(),
        Some(AuthFailure::MfaNotConfigured),
        "{err:?}"
    );
    // And an MFA provider the server does not have.
    let unknown = AuthMfaStartReq {
        provider: "sms".into(),
        ..AuthMfaStartReq::totp()
    };
    let err = client.mfa().start(&unknown).await.unwrap_err();
    assert_eq!(
        err.auth_failure(),
        Some(AuthFailure::UnknownProvider),
        "{err:?}"
    );
}
