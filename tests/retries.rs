//! Retries on the wire: which outcomes are retried, how many attempts the server sees,
//! the Idempotency-Key across attempts, Retry-After, and the timeout bounding it all.

mod support;

use std::time::{Duration, Instant};

use medusa_store_auth::v1::types::StorePostAuthReq;
use medusa_store_auth::v1::AuthClient;
use medusa_store_auth::{Config, RetryPolicy};
use support::fixtures::{EMAIL, PASSWORD};
use support::scripted::{Reply, Scripted};

/// Retries without the default waits, so the tests stay fast.
fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_initial_backoff(Duration::from_millis(5))
        .with_max_backoff(Duration::from_millis(20))
}

fn client(server: &Scripted, policy: RetryPolicy) -> AuthClient {
    AuthClient::new(
        Config::new()
            .with_base_url(&server.base_url)
            .with_retry_policy(policy),
    )
    .unwrap()
}

fn login() -> StorePostAuthReq {
    StorePostAuthReq::new(EMAIL, PASSWORD)
}

#[tokio::test]
async fn a_post_is_retried_with_one_idempotency_key_per_call() {
    let server = Scripted::start(vec![
        Reply::status(503),
        Reply::status(502),
        Reply::recorded("40-token-ok"),
        Reply::recorded("40-token-ok"),
    ])
    .await;
    let client = client(&server, fast_retries());

    client
        .get_token(&login())
        .await
        .expect("third attempt succeeds");
    client.get_token(&login()).await.unwrap();

    let seen = server.seen();
    assert_eq!(seen.len(), 4);
    let keys: Vec<&str> = seen
        .iter()
        .map(|s| s.header("idempotency-key").expect("POST carries a key"))
        .collect();
    assert_eq!(keys[0], keys[1]);
    assert_eq!(keys[1], keys[2]);
    assert_ne!(keys[2], keys[3], "a new call gets a new key");
    assert_eq!(keys[0].len(), 36, "a UUID: {}", keys[0]);
    assert!(seen
        .iter()
        .all(|s| s.body == br#"{"email":"alice@example.com","password":"S3cret-pass!"}"#));
}

#[tokio::test]
async fn a_caller_key_is_sent_on_every_attempt_and_gets_carry_none() {
    let server = Scripted::start(vec![
        Reply::status(503),
        Reply::recorded("10-auth-login-ok"),
        Reply::recorded("30-exists-existing"),
    ])
    .await;
    let client = client(&server, fast_retries());

    client
        .authenticate(&login())
        .idempotency_key("order-42-login")
        .await
        .unwrap();
    client.exists(EMAIL).await.unwrap();

    let seen = server.seen();
    assert_eq!(seen[0].header("idempotency-key"), Some("order-42-login"));
    assert_eq!(seen[1].header("idempotency-key"), Some("order-42-login"));
    assert_eq!(seen[2].header("idempotency-key"), None);
}

#[tokio::test]
async fn the_retryable_statuses_get_the_whole_budget() {
    for status in [408, 409, 429, 502, 503, 504] {
        let server = Scripted::start(vec![Reply::json(
            status,
            r#"{"type":"conflict","message":"try again"}"#,
        )])
        .await;
        let err = client(&server, fast_retries())
            .authenticate(&login())
            .await
            .unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(
            server.seen().len(),
            3,
            "status {status}: 1 attempt + 2 retries"
        );
    }
}

#[tokio::test]
async fn the_statuses_that_cannot_heal_are_sent_once() {
    for (status, fixture) in [
        (400, "13-auth-login-missing-password"),
        (401, "11-auth-login-wrong-password"),
        (404, "75-unknown-store-route"),
        (500, "38-exists-bad-percent"),
    ] {
        let server = Scripted::start(vec![Reply::recorded(fixture)]).await;
        let err = client(&server, fast_retries())
            .authenticate(&login())
            .await
            .unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(server.seen().len(), 1, "status {status}");
    }
    let server = Scripted::start(vec![Reply::json(
        422,
        r#"{"type":"duplicate_error","message":"dup"}"#,
    )])
    .await;
    client(&server, fast_retries())
        .authenticate(&login())
        .await
        .unwrap_err();
    assert_eq!(server.seen().len(), 1, "status 422");
}

#[tokio::test]
async fn a_connection_closed_without_an_answer_is_retried() {
    let server = Scripted::start(vec![
        Reply::Close,
        Reply::Close,
        Reply::recorded("30-exists-existing"),
    ])
    .await;
    assert!(
        client(&server, fast_retries())
            .exists(EMAIL)
            .await
            .unwrap()
            .exists
    );
    assert_eq!(server.seen().len(), 3);
}

#[tokio::test]
async fn retry_after_is_waited_for() {
    let server = Scripted::start(vec![
        Reply::status(503).with_header("retry-after", "1"),
        Reply::recorded("30-exists-existing"),
    ])
    .await;
    // The backoff alone would retry after 5–10 ms.
    assert!(
        client(&server, fast_retries())
            .exists(EMAIL)
            .await
            .unwrap()
            .exists
    );
    let seen = server.seen();
    let gap = seen[1].at - seen[0].at;
    assert!(
        gap >= Duration::from_millis(950) && gap < Duration::from_secs(3),
        "{gap:?}"
    );
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_ends_the_call_at_once() {
    let server = Scripted::start(vec![
        Reply::status(429).with_header("retry-after", "3600"),
        Reply::recorded("30-exists-existing"),
    ])
    .await;
    let started = Instant::now();
    let err = client(&server, fast_retries())
        .exists(EMAIL)
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(server.seen().len(), 1);
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn the_budget_can_be_changed_per_client_and_per_call() {
    let server = Scripted::start(vec![Reply::status(503)]).await;
    client(&server, RetryPolicy::none())
        .exists(EMAIL)
        .await
        .unwrap_err();
    assert_eq!(server.seen().len(), 1);

    let server = Scripted::start(vec![Reply::status(503)]).await;
    let client = client(&server, fast_retries().with_max_retries(4));
    client.exists(EMAIL).await.unwrap_err();
    assert_eq!(server.seen().len(), 5);
    client.exists(EMAIL).max_retries(0).await.unwrap_err();
    assert_eq!(server.seen().len(), 6);
}

#[tokio::test]
async fn the_timeout_bounds_the_whole_call_retries_included() {
    let slow_503 = Reply::status(503).after(Duration::from_millis(300));
    let server = Scripted::start(vec![slow_503]).await;
    let policy = fast_retries().with_max_retries(10);
    let config = Config::new()
        .with_base_url(&server.base_url)
        .with_retry_policy(policy)
        .with_timeout(Duration::from_millis(800));
    let client = AuthClient::new(config).unwrap();

    let started = Instant::now();
    let err = client.exists(EMAIL).await.unwrap_err();
    let elapsed = started.elapsed();

    assert!(elapsed < Duration::from_millis(1500), "{elapsed:?}");
    assert!(
        err.is_timeout() || err.status().map(|s| s.as_u16()) == Some(503),
        "{err:?}"
    );
    let attempts = server.seen().len();
    assert!(
        (2..=3).contains(&attempts),
        "{attempts} attempts in 800 ms of 300 ms answers"
    );

    // A per-call timeout does the same for one call.
    let started = Instant::now();
    client
        .exists(EMAIL)
        .timeout(Duration::from_millis(200))
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(900));
}

#[tokio::test]
async fn the_default_policy_is_two_retries() {
    // The default's waits (0.5–1 s, then 1–2 s) are checked as values in src/retry.rs; here
    // only its budget, on the wire, with the waits shortened.
    let policy = RetryPolicy::default().with_initial_backoff(Duration::from_millis(5));
    assert_eq!(policy.max_retries(), 2);
    let server = Scripted::start(vec![
        Reply::status(503),
        Reply::status(503),
        Reply::status(503),
        Reply::recorded("30-exists-existing"),
    ])
    .await;
    let err = client(&server, policy).exists(EMAIL).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.seen().len(), 3, "one attempt and two retries");
}

#[tokio::test]
async fn a_retried_409_is_sent_again_with_the_same_key() {
    // Medusa's 409 is JSON ("Failed to ... please retry"); the attempt loop re-runs the
    // generated method, so the retry is a fresh request with the same key.
    let conflict = Reply::json(
        409,
        r#"{"code":"invalid_state_error","type":"conflict","message":"The request conflicted with another request. You may retry the request with the provided Idempotency-Key."}"#,
    );
    let server = Scripted::start(vec![conflict, Reply::recorded("40-token-ok")]).await;
    let client = client(&server, fast_retries());
    client
        .get_token(&login())
        .await
        .expect("second attempt succeeds");
    assert_eq!(server.seen().len(), 2);
    assert_eq!(
        server.seen()[0].header("idempotency-key"),
        server.seen()[1].header("idempotency-key")
    );
}

#[tokio::test]
async fn each_call_has_its_own_key() {
    let server = Scripted::start(vec![
        Reply::recorded("40-token-ok"),
        Reply::recorded("40-token-ok"),
    ])
    .await;
    let client = client(&server, fast_retries());
    client.get_token(&login()).await.expect("first call");
    client.get_token(&login()).await.expect("second call");

    let keys: Vec<String> = server
        .seen()
        .iter()
        .map(|s| {
            s.header("idempotency-key")
                .expect("POST carries a key")
                .to_string()
        })
        .collect();
    assert_eq!(keys.len(), 2);
    assert_ne!(keys[0], keys[1], "two calls, two keys");
}
