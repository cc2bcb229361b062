//! Inputs and servers that try to break the client: durations at their limits, emails too
//! long for a URL, `Retry-After: 0`, a flood of cookies, a token that is not a header value,
//! a peer that does not speak TLS. Each ends in a typed error or a bounded answer, never a
//! panic or a hang.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use medusa_store_auth::v1::types::StorePostAuthReq;
use medusa_store_auth::v1::AuthClient;
use medusa_store_auth::{Config, Error, InvalidInput, RetryPolicy};
use support::fixtures::{EMAIL, PASSWORD};
use support::scripted::{Reply, Scripted};

fn client(server: &Scripted, config: Config) -> AuthClient {
    AuthClient::new(config.with_base_url(&server.base_url)).unwrap()
}

#[tokio::test]
async fn the_longest_durations_mean_no_bound_and_never_panic() {
    let server = Scripted::start(vec![
        Reply::status(503).with_header("retry-after", "0"),
        Reply::recorded("30-exists-existing"),
    ])
    .await;
    let policy = RetryPolicy::default()
        .with_initial_backoff(Duration::MAX)
        .with_max_backoff(Duration::MAX)
        .with_max_retry_after(Duration::MAX);
    let config = Config::new()
        .with_timeout(Duration::MAX)
        .with_connect_timeout(Duration::MAX)
        .with_retry_policy(policy);
    let client = client(&server, config);
    // A backoff that cannot end before any deadline: the 503 now, not a panic or a hang.
    let err = client.exists(EMAIL).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    // A call timeout of `Duration::MAX` on its own.
    assert!(
        client
            .exists(EMAIL)
            .timeout(Duration::MAX)
            .max_retries(0)
            .await
            .unwrap()
            .exists
    );
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test]
async fn an_email_too_long_for_a_url_is_invalid_input_and_nothing_is_sent() {
    let server = Scripted::start(vec![Reply::recorded("31-exists-unknown")]).await;
    let client = client(&server, Config::new());
    let email = format!("{}@example.com", "a".repeat(70_000));
    let err = client.exists(email).await.unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput(InvalidInput::Email { .. })),
        "{err:?}"
    );
    assert!(server.seen().is_empty());
    // One that fits still goes whole.
    let email = format!("{}@example.com", "a".repeat(20_000));
    assert!(!client.exists(email).await.unwrap().exists);
}

#[tokio::test]
async fn retry_after_zero_still_waits_the_backoff() {
    // Before, `Retry-After: 0` switched the backoff off: 51 requests in 80 ms.
    let server = Scripted::start(vec![Reply::status(503).with_header("retry-after", "0")]).await;
    let backoff = Duration::from_millis(50);
    let policy = RetryPolicy::default()
        .with_max_retries(3)
        .with_initial_backoff(backoff)
        .with_max_backoff(backoff);
    let client = client(&server, Config::new().with_retry_policy(policy));
    client.exists(EMAIL).await.unwrap_err();
    let seen = server.seen();
    assert_eq!(seen.len(), 4);
    for pair in seen.windows(2) {
        // Real time on the wire is what this checks.
        assert!(
            pair[1].at - pair[0].at >= backoff,
            "{:?}",
            pair[1].at - pair[0].at
        );
    }
}

#[tokio::test]
async fn a_server_cannot_grow_the_session_without_bound() {
    let mut flood = Reply::recorded("31-exists-unknown")
        .with_header("set-cookie", &format!("huge={}; Path=/", "x".repeat(8_000)));
    // 80 cookies: hyper reads at most 100 response headers.
    for i in 0..80 {
        flood = flood.with_header("set-cookie", &format!("c{i}={}; Path=/", "v".repeat(60)));
    }
    let server = Scripted::start(vec![flood, Reply::recorded("31-exists-unknown")]).await;
    let client = client(&server, Config::new());
    client.exists(EMAIL).await.unwrap();
    client.exists(EMAIL).await.unwrap();
    let cookie = server.seen()[1].header("cookie").unwrap().to_string();
    assert!(!cookie.contains("huge="), "a cookie over 4 KB is dropped");
    // At most 50 cookies (the recorded anonymous session cookie among them).
    assert!(
        cookie.split("; ").count() <= 50,
        "{} cookies",
        cookie.split("; ").count()
    );
    assert!(cookie.len() < 4_000, "{} bytes of Cookie", cookie.len());
}

#[test]
fn a_session_cookie_name_that_is_not_a_cookie_name_is_refused() {
    for name in ["connect.sid\r\nx-evil: 1", "a;b", "a=b", "", "a b"] {
        let err = AuthClient::new(Config::new().with_session_cookie_name(name)).unwrap_err();
        assert!(err.is_invalid_input(), "{name:?}: {err:?}");
    }
    AuthClient::new(Config::new().with_session_cookie_name("_medusa_jwt")).unwrap();
}

#[tokio::test]
async fn a_token_that_cannot_be_a_header_is_a_decode_error_of_a_sent_call() {
    let server = Scripted::start(vec![Reply::json(
        200,
        r#"{"access_token":"eyJ\r\nx-evil: 1"}"#,
    )])
    .await;
    let client = client(&server, Config::new());
    let err = client
        .get_token(&StorePostAuthReq::new(EMAIL, PASSWORD))
        .await
        .unwrap_err();
    // The request was sent: not `InvalidInput` ("nothing was sent").
    assert!(err.is_decode(), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(server.seen().len(), 1);
    assert!(client.token().is_none());
}

#[tokio::test]
async fn a_peer_that_does_not_speak_tls_fails_once_not_three_times() {
    // An HTTP server where TLS is expected: the same peer would fail the same way again.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    let server = tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            use tokio::io::AsyncWriteExt;
            let _ = stream
                .write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                .await;
        }
    });
    let client = AuthClient::new(
        Config::new()
            .with_base_url(format!("https://127.0.0.1:{port}"))
            .with_retry_policy(
                RetryPolicy::default().with_initial_backoff(Duration::from_millis(5)),
            ),
    )
    .unwrap();
    let err = client.exists(EMAIL).await.unwrap_err();
    assert!(err.is_transport(), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!("could not connect to the server at 127.0.0.1:{port}")
    );
    // Every attempt the call made was accepted before it returned.
    assert_eq!(
        accepted.load(Ordering::SeqCst),
        1,
        "a TLS failure is not retried"
    );
    server.abort();
}
