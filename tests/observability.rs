//! Tracing: one span per call with operation, method, path template, attempts, status and
//! duration; an event per attempt and retry; and never a password, token, cookie or email.
#![cfg(feature = "tracing")]

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use medusa_store_auth::v1::types::StorePostAuthReq;
use medusa_store_auth::v1::AuthClient;
use medusa_store_auth::{Config, RetryPolicy};
use support::fixtures::{replayed, RecordingExt, EMAIL, PASSWORD};
use support::scripted::{Reply, Scripted};
use tracing_subscriber::fmt::format::FmtSpan;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

#[tokio::test]
async fn each_call_is_a_span_with_its_attempts_and_no_secret_is_logged() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let private_email = "private.person+vip@example.com";
    let login_answer = replayed("10-auth-login-ok");
    let token_answer = replayed("40-token-ok");
    let server = Scripted::start(vec![
        Reply::replaying(&login_answer),
        Reply::status(503),
        Reply::replaying(&token_answer),
        Reply::recorded("20-session-get-with-cookie"),
        Reply::recorded("31-exists-unknown"),
    ])
    .await;
    let policy = RetryPolicy::default().with_initial_backoff(Duration::from_millis(5));
    let client = AuthClient::new(
        Config::new()
            .with_base_url(&server.base_url)
            .with_retry_policy(policy),
    )
    .unwrap();
    let login = StorePostAuthReq::new(EMAIL, PASSWORD);
    client.authenticate(&login).await.unwrap();
    client.get_token(&login).await.unwrap();
    client.get_session().await.unwrap();
    client.exists(private_email).await.unwrap();

    let logs = captured.text();
    if std::env::var_os("SHOW_LOGS").is_some() {
        eprintln!("{logs}");
    }
    for expected in [
        "medusa_store_auth.call",
        r#"operation="PostAuth" method="POST" path="/store/auth""#,
        r#"operation="PostToken" method="POST" path="/store/auth/token""#,
        r#"operation="GetAuth" method="GET" path="/store/auth""#,
        r#"operation="GetAuthEmail" method="GET" path="/store/auth/{email}""#,
        "attempt finished attempt=1 status=503",
        "retrying attempt=1 wait_ms=",
        "attempt finished attempt=2 status=200",
        "attempts=2 status=200 duration_ms=",
    ] {
        assert!(logs.contains(expected), "missing {expected:?} in:\n{logs}");
    }
    // The secrets were in play: the session and the token went back on the wire.
    let token = token_answer.access_token();
    // The token answer set a new session cookie over the login's.
    let (_, login_cookie) = login_answer.cookie_pair().unwrap();
    let (name, cookie) = token_answer.cookie_pair().unwrap();
    let seen = server.seen();
    assert_eq!(
        seen[2].header("cookie"),
        Some(format!("{name}={login_cookie}").as_str()),
        "the login's session cookie was kept and sent"
    );
    assert_eq!(
        seen[3].header("cookie"),
        Some(format!("{name}={cookie}").as_str()),
        "the newer session cookie was kept and sent"
    );
    assert_eq!(
        seen[3].header("authorization"),
        Some(format!("Bearer {token}").as_str()),
        "the token was kept and sent"
    );
    for secret in [
        PASSWORD,
        token.as_str(),
        login_cookie.as_str(),
        cookie.as_str(),
        private_email,
        "private.person",
    ] {
        assert!(
            !logs.contains(secret),
            "{secret:?} leaked into the logs:\n{logs}"
        );
    }
}

#[tokio::test]
async fn mfa_and_verification_secrets_never_reach_the_log() {
    use medusa_store_auth::mock::v2::{MockSettings, MockStore};
    use medusa_store_auth::v2::types::{
        AuthMfaChallengeVerifyReq, AuthMfaStartReq, AuthPayload, AuthVerificationRequestReq,
        StoreCreateCustomer,
    };
    use medusa_store_auth::v2::EMAILPASS;

    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        // No timestamps: their microseconds could equal a six-digit code.
        .without_time()
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let store = MockStore::start_with(MockSettings::default().with_verification_required()).await;
    let email = "secretive@example.com";
    let credentials = AuthPayload::email_password(email, "S3cret-pass!");
    let client = store.client();
    client
        .sign_up(EMAILPASS, &credentials, &StoreCreateCustomer::new(email))
        .await
        .unwrap();
    client
        .verification()
        .request(&AuthVerificationRequestReq::email(email))
        .await
        .unwrap();
    let verification_code = store.verification_code(email).unwrap();
    client
        .verification()
        .confirm(verification_code.clone())
        .await
        .unwrap();
    client.refresh().await.unwrap();
    let started = client.mfa().start(&AuthMfaStartReq::totp()).await.unwrap();
    let secret = started.secret.clone().unwrap();
    let url = started.otpauth_url.clone().unwrap();
    let code = support::totp_now(secret.expose());
    client
        .mfa()
        .verify(&started.mfa_factor.id, code.clone())
        .await
        .unwrap();
    let recovery = client
        .mfa()
        .generate_recovery_codes(Some(2))
        .await
        .unwrap()
        .recovery_codes;
    let pending = store.client();
    let login = pending.login(EMAILPASS, &credentials).await.unwrap();
    let challenge = login.mfa_challenge().unwrap().id.clone();
    let answer = pending
        .mfa()
        .verify_challenge(
            &challenge,
            &AuthMfaChallengeVerifyReq::recovery_code(recovery[0].clone()),
        )
        .await
        .unwrap();

    let log = captured.text();
    // The calls were traced...
    for operation in [
        "PostAuthVerificationConfirm",
        "PostAuthMfaFactors",
        "PostAuthMfaRecoveryCodes",
        "PostAuthMfaChallengesIdVerify",
    ] {
        assert!(log.contains(operation), "{operation} is not in the log");
    }
    // ...and no secret went with them.
    for secret in [
        verification_code.expose(),
        secret.expose(),
        url.expose(),
        recovery[0].expose(),
        recovery[1].expose(),
        answer.token.expose(),
        login.token().unwrap().expose(),
        "S3cret-pass!",
    ] {
        assert!(!log.contains(secret), "a secret reached the log");
    }
    // Nor the code, where a six-digit number could only be it.
    assert!(!log.contains(&code), "the TOTP code reached the log");
}
