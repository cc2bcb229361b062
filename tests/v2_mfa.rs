//! Medusa v2's multi-factor auth and verification calls on the wire: what reaches the
//! server, and what the caller gets back from the answers recorded against a real 2.21.2
//! with both features on (`tests/fixtures/medusa-2.21.2/{mfa,verification}/`).

mod support;

use httpmock::prelude::*;
use medusa_store_auth::v2::types::{
    AuthMfaChallengeVerifyReq, AuthMfaDisableReq, AuthMfaStartReq, AuthPayload,
    AuthVerificationRequestReq, Login,
};
use medusa_store_auth::v2::{AuthClient, Pending, EMAILPASS};
use medusa_store_auth::{AccessToken, AuthFailure, Config, Error};
use serde_json::json;
use support::fixtures::{replayed_v2, replayed_v2_oldest, RecordingExt};

const KEY: &str = "pk_test_storefront";

fn client(server: &MockServer) -> AuthClient {
    AuthClient::new(
        Config::new()
            .with_base_url(server.base_url())
            .with_publishable_api_key(KEY),
    )
    .unwrap()
}

/// A client holding `token`, as after a login.
fn client_with(server: &MockServer, token: &str) -> AuthClient {
    let client = client(server);
    client.set_token(AccessToken::new(token)).unwrap();
    client
}

/// A server answering `method path` with the replayed recording `name`, whatever was sent.
async fn answering(method: httpmock::Method, path: &str, name: &str) -> MockServer {
    let server = MockServer::start_async().await;
    let answer = replayed_v2(name);
    server
        .mock_async(|when, then| {
            when.method(method).path(path);
            answer.reply(then);
        })
        .await;
    server
}

#[tokio::test]
async fn enrolment_sends_what_js_sdk_sends_and_reads_the_recorded_answers() {
    let server = MockServer::start_async().await;
    let start = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/auth/mfa/factors")
                .header("authorization", "Bearer t")
                .header_missing("x-publishable-api-key-missing")
                .json_body(json!({ "provider": "totp", "label": "mona@example.com", "issuer": "Loopback Shop" }));
            replayed_v2("mfa/15-factor-start-totp").reply(then);
        })
        .await;
    let verify = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/auth/mfa/factors/authmfa_01M8VTHFZX1JZRB70YF36DAG8F/verify")
                .json_body(json!({ "code": "123456" }));
            replayed_v2("mfa/20-factor-verify-right-code").reply(then);
        })
        .await;
    let codes = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/auth/mfa/recovery-codes")
                .json_body(json!({}));
            replayed_v2("mfa/63-recovery-codes-generate").reply(then);
        })
        .await;
    let list = server
        .mock_async(|when, then| {
            when.method(GET).path("/auth/mfa/factors");
            replayed_v2("mfa/22-factors-list-enabled").reply(then);
        })
        .await;
    let disable = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path("/auth/mfa/factors/authmfa_01M8VTHFZX1JZRB70YF36DAG8F")
                .json_body(json!({}));
            replayed_v2("mfa/82-factor-disable-no-body").reply(then);
        })
        .await;

    let client = client_with(&server, "t");
    let request = AuthMfaStartReq::totp()
        .with_label("mona@example.com")
        .with_issuer("Loopback Shop");
    let started = client.mfa().start(&request).await.unwrap();
    assert!(started.mfa_factor.is_pending());
    let secret = started.secret.as_ref().unwrap();
    assert_eq!(secret.expose(), "LN4N5ETVPBCICVXKNPKMMMNVMBATEIUD");
    let url = started.otpauth_url.as_ref().unwrap();
    assert!(url.expose().starts_with("otpauth://totp/Loopback%20Shop:"));
    // Neither the secret nor the URL that holds it is ever printed.
    let printed = format!("{started:?}");
    assert!(!printed.contains("LN4N5ETV"), "{printed}");

    let id = started.mfa_factor.id.clone();
    let enabled = client.mfa().verify(&id, "123456").await.unwrap();
    assert!(enabled.mfa_factor.is_enabled());
    assert!(enabled.mfa_factor.created_at.is_some());

    let recovery = client
        .mfa()
        .generate_recovery_codes(None)
        .await
        .unwrap()
        .recovery_codes;
    assert_eq!(recovery.len(), 10);
    assert_eq!(
        recovery[0].expose(),
        "dbb7-b10f-18cd-3389-23af-763b-1ff5-28e6"
    );
    assert!(!format!("{recovery:?}").contains("dbb7"));

    let factors = client.mfa().list().await.unwrap().mfa_factors;
    assert_eq!(factors.len(), 1);
    assert!(factors[0].is_enabled());

    let disabled = client
        .mfa()
        .disable(&id, &AuthMfaDisableReq::default())
        .await
        .unwrap();
    assert_eq!(disabled.mfa_factor.status, "disabled");
    for mock in [&start, &verify, &codes, &list, &disable] {
        mock.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn an_mfa_login_keeps_the_pending_token_until_the_challenge_gives_a_full_one() {
    let server = MockServer::start_async().await;
    let pending = replayed_v2("mfa/30-login-mfa-required");
    let pending_token = pending.json()["token"].as_str().unwrap().to_string();
    let full = replayed_v2("mfa/42-challenge-verify-right-code");
    let full_token = full.json()["token"].as_str().unwrap().to_string();
    server
        .mock_async(|when, then| {
            when.method(POST).path("/auth/customer/emailpass");
            pending.reply(then);
        })
        .await;
    let challenge = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/auth/mfa/challenges/authmfachal_01M8VTHJ29FMHC422YGPE9WJ5B/verify")
                .header("authorization", format!("Bearer {pending_token}"))
                .json_body(json!({ "method": "totp", "code": "870374" }));
            full.reply(then);
        })
        .await;

    let client = client(&server);
    let login = client
        .login(
            EMAILPASS,
            &AuthPayload::email_password("mona@example.com", "S3cret-pass!"),
        )
        .await
        .unwrap();
    let Login::MfaRequired { challenge: c, .. } = &login else {
        panic!("{login:?}")
    };
    assert_eq!(c.methods, ["totp"]);
    assert_eq!((c.attempts, c.max_attempts), (0, 5));
    assert!(
        c.expires_at > chrono::Utc::now(),
        "replayed relative to now"
    );
    assert_eq!(client.pending(), Some(Pending::SecondFactor));
    assert_eq!(client.token(), Some(AccessToken::new(&pending_token)));

    let answer = client
        .mfa()
        .verify_challenge(&c.id, &AuthMfaChallengeVerifyReq::totp("870374"))
        .await
        .unwrap();
    assert_eq!(answer.token.expose(), full_token);
    assert_eq!(client.token(), Some(AccessToken::new(&full_token)));
    assert_eq!(client.pending(), None);
    challenge.assert_calls_async(1).await;
    // The code never reaches Debug.
    let request = AuthMfaChallengeVerifyReq::totp("870374");
    assert!(!format!("{request:?}").contains("870374"));
}

#[tokio::test]
async fn refresh_and_verification_report_what_the_sign_in_still_needs() {
    // A verification-pending login, then request, confirm and refresh.
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/auth/customer/emailpass");
            replayed_v2("verification/04-login-verification-required").reply(then);
        })
        .await;
    let request = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/auth/verification/request")
                .json_body(json!({ "entity_id": "vera@example.com", "entity_type": "email" }));
            replayed_v2("verification/12-request").reply(then);
        })
        .await;
    let confirm = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/auth/verification/confirm")
                .json_body(json!({ "code": "the-code-from-the-event" }));
            replayed_v2("verification/19-confirm").reply(then);
        })
        .await;
    let refresh = server
        .mock_async(|when, then| {
            when.method(POST).path("/auth/token/refresh");
            replayed_v2("verification/56-refresh-verification-pending-token-with-mfa").reply(then);
        })
        .await;

    let client = client(&server);
    let login = client
        .login(
            EMAILPASS,
            &AuthPayload::email_password("vera@example.com", "S3cret-pass!"),
        )
        .await
        .unwrap();
    assert!(matches!(
        login,
        Login::VerificationRequired {
            verification: None,
            ..
        }
    ));
    assert_eq!(client.pending(), Some(Pending::Verification));
    let requested = client
        .verification()
        .request(&AuthVerificationRequestReq::email("vera@example.com"))
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(requested.status(), 201);
    assert_eq!(requested.verification.verified_at, None);
    let confirmed = client
        .verification()
        .confirm("the-code-from-the-event")
        .await
        .unwrap();
    assert_eq!(confirmed.entity_id, "vera@example.com");
    // Confirming does not change the token: the refresh does, here into a challenge.
    assert_eq!(client.pending(), Some(Pending::Verification));
    let refreshed = client.refresh().await.unwrap();
    assert!(refreshed.mfa_challenge().is_some(), "{refreshed:?}");
    assert_eq!(client.pending(), Some(Pending::SecondFactor));
    assert_eq!(client.token().as_ref(), refreshed.token());
    for mock in [&request, &confirm, &refresh] {
        mock.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn every_refusal_is_told_apart_with_the_servers_message() {
    use AuthFailure::*;
    let cases: [(&str, httpmock::Method, &str, AuthFailure); 15] = [
        (
            "mfa/18-factor-verify-wrong-code",
            POST,
            "/auth/mfa/factors/f/verify",
            InvalidCode,
        ),
        (
            "mfa/40-challenge-verify-wrong-code",
            POST,
            "/auth/mfa/challenges/c/verify",
            InvalidCode,
        ),
        (
            "mfa/55-challenge-verify-wrong-attempt-5",
            POST,
            "/auth/mfa/challenges/c/verify",
            TooManyAttempts,
        ),
        (
            "mfa/43-challenge-verify-completed",
            POST,
            "/auth/mfa/challenges/c/verify",
            ChallengeCompleted,
        ),
        (
            "mfa/41-challenge-verify-unknown-id",
            POST,
            "/auth/mfa/challenges/c/verify",
            ChallengeNotFound,
        ),
        (
            "mfa/b07-challenge-verify-expired",
            POST,
            "/auth/mfa/challenges/c/verify",
            ChallengeNotFound,
        ),
        (
            "mfa/38-challenge-verify-unsupported-method",
            POST,
            "/auth/mfa/challenges/c/verify",
            MethodNotAllowed,
        ),
        (
            "mfa/d02-challenge-verify-without-key",
            POST,
            "/auth/mfa/challenges/c/verify",
            MfaNotConfigured,
        ),
        (
            "mfa/00c-factor-start-no-encryption-key",
            POST,
            "/auth/mfa/factors",
            MfaNotConfigured,
        ),
        (
            "mfa/14-factor-start-unknown-provider",
            POST,
            "/auth/mfa/factors",
            UnknownProvider,
        ),
        (
            "mfa/16-factor-start-again",
            POST,
            "/auth/mfa/factors",
            FactorExists,
        ),
        (
            "mfa/64-recovery-codes-no-factor",
            POST,
            "/auth/mfa/recovery-codes",
            NoEnabledFactor,
        ),
        (
            "mfa/86-factor-disable-unknown-id",
            DELETE,
            "/auth/mfa/factors/f",
            FactorNotFound,
        ),
        (
            "mfa/b11-factor-disable-no-code",
            DELETE,
            "/auth/mfa/factors/f",
            CodeRequired,
        ),
        (
            "mfa/32-factors-list-mfa-pending-token",
            GET,
            "/auth/mfa/factors",
            MfaPending,
        ),
    ];
    for (name, method, path, failure) in cases {
        let is_get = matches!(method, GET);
        let server = answering(method, path, name).await;
        let client = client_with(&server, "t");
        let mfa = client.mfa();
        let err = match path {
            "/auth/mfa/factors/f/verify" => mfa.verify("f", "000000").await.unwrap_err(),
            "/auth/mfa/challenges/c/verify" => mfa
                .verify_challenge("c", &AuthMfaChallengeVerifyReq::totp("000000"))
                .await
                .unwrap_err(),
            "/auth/mfa/factors" if is_get => mfa.list().await.unwrap_err(),
            "/auth/mfa/factors" => mfa.start(&AuthMfaStartReq::totp()).await.unwrap_err(),
            "/auth/mfa/recovery-codes" => mfa.generate_recovery_codes(Some(3)).await.unwrap_err(),
            _ => mfa
                .disable("f", &AuthMfaDisableReq::default())
                .await
                .unwrap_err(),
        };
        assert_eq!(err.auth_failure(), Some(failure), "{name}: {err:?}");
        let recorded = replayed_v2(name).json()["message"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(err.message(), Some(recorded.as_str()), "{name}");
        // The server's text stays out of Display (it can echo the request).
        assert!(!err.to_string().contains(&recorded), "{name}");
    }

    for (name, step, failure) in [
        (
            "verification/16-confirm-wrong-code",
            "confirm",
            AuthFailure::InvalidCode,
        ),
        (
            "verification/42-confirm-expired",
            "confirm",
            AuthFailure::CodeExpired,
        ),
        (
            "verification/18-confirm-unknown-code-provider",
            "confirm",
            AuthFailure::UnknownProvider,
        ),
    ] {
        let server = answering(POST, &format!("/auth/verification/{step}"), name).await;
        let err = client(&server)
            .verification()
            .confirm("code")
            .await
            .unwrap_err();
        assert_eq!(err.auth_failure(), Some(failure), "{name}: {err:?}");
    }

    // A plain 500 elsewhere is not read as an unknown provider.
    let server = answering(
        POST,
        "/auth/token/refresh",
        "mfa/14-factor-start-unknown-provider",
    )
    .await;
    let err = client_with(&server, "t").refresh().await.unwrap_err();
    assert_eq!(err.auth_failure(), None, "{err:?}");
}

#[tokio::test]
async fn a_server_older_than_the_routes_gets_a_missing_route_error() {
    // Recorded on 2.10.3: a route with no match is Express's 404 page; one that matches
    // `/auth/{actor_type}/{auth_provider}` is a 401 for a provider named after its last segment.
    let cases = [
        (
            "10-mfa-factors-start",
            POST,
            "/auth/mfa/factors",
            "mfa().start",
            401,
        ),
        (
            "11-mfa-challenge-verify",
            POST,
            "/auth/mfa/challenges/c/verify",
            "mfa().verify_challenge",
            404,
        ),
        (
            "12-verification-request",
            POST,
            "/auth/verification/request",
            "verification().request",
            401,
        ),
    ];
    for (name, method, path, call, status) in cases {
        let server = MockServer::start_async().await;
        let answer = replayed_v2_oldest(name);
        server
            .mock_async(|when, then| {
                when.method(method).path(path);
                answer.reply(then);
            })
            .await;
        let client = client_with(&server, "t");
        let err = match call {
            "mfa().start" => client.mfa().start(&AuthMfaStartReq::totp()).await,
            "mfa().verify_challenge" => client
                .mfa()
                .verify_challenge("c", &AuthMfaChallengeVerifyReq::totp("123456"))
                .await
                .map(drop)
                .map(|_| unreachable!()),
            _ => client
                .verification()
                .request(&AuthVerificationRequestReq::email("old@example.com"))
                .await
                .map(|_| unreachable!()),
        }
        .unwrap_err();
        assert!(
            matches!(&err, Error::MissingRoute { call: c, .. } if *c == call),
            "{name}: {err:?}"
        );
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status), "{name}");
        assert!(!err.is_unauthorized(), "{name}");
        assert!(err.to_string().contains(call), "{err}");
    }
}

#[tokio::test]
async fn ids_and_counts_that_cannot_be_sent_fail_before_anything_is_sent() {
    let server = MockServer::start_async().await;
    let anything = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(500);
        })
        .await;
    let client = client_with(&server, "t");
    for id in ["", "../factors", "a/b", "x?y", "a b"] {
        let err = client
            .mfa()
            .verify_challenge(id, &AuthMfaChallengeVerifyReq::totp("123456"))
            .await
            .unwrap_err();
        assert!(err.is_invalid_input(), "{id:?}: {err:?}");
        assert!(client
            .mfa()
            .verify(id, "1")
            .await
            .unwrap_err()
            .is_invalid_input());
        assert!(client
            .mfa()
            .disable(id, &AuthMfaDisableReq::default())
            .await
            .unwrap_err()
            .is_invalid_input());
    }
    let err = client
        .mfa()
        .generate_recovery_codes(Some(0))
        .await
        .unwrap_err();
    assert!(err.is_invalid_input(), "{err:?}");
    anything.assert_calls_async(0).await;
}
