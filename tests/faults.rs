//! Faults from the server, from a misbehaving loopback server: each gives the documented
//! typed error, is retried exactly where the retry policy says, and never panics or hangs
//! (every call runs under a 10 s guard).

mod support;

use std::time::Duration;

use medusa_store_auth::v1::AuthClient;
use medusa_store_auth::{Config, Error, RetryPolicy};
use support::fixtures::{recorded, EMAIL};
use support::scripted::{End, Reply, Scripted};

const GUARD: Duration = Duration::from_secs(10);

fn client(server: &Scripted) -> AuthClient {
    let policy = RetryPolicy::default()
        .with_initial_backoff(Duration::from_millis(5))
        .with_max_backoff(Duration::from_millis(10));
    let config = Config::new()
        .with_base_url(&server.base_url)
        .with_retry_policy(policy)
        .with_timeout(Duration::from_millis(1500))
        .with_max_response_bytes(64 * 1024);
    AuthClient::new(config).unwrap()
}

/// The head of a 200 JSON answer announcing `length` bytes.
fn head(length: usize) -> Vec<u8> {
    format!("HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {length}\r\n\r\n").into_bytes()
}

fn session_body() -> Vec<u8> {
    recorded("20-session-get-with-cookie").body().to_vec()
}

/// Runs `get_session` against a server answering `reply` to every attempt; returns the
/// error and the number of attempts the server saw.
async fn fault(reply: Reply) -> (Error, usize) {
    let server = Scripted::start(vec![reply]).await;
    let result = tokio::time::timeout(GUARD, client(&server).get_session())
        .await
        .expect("the call hung");
    (
        result.expect_err("a fault must be an error"),
        server.seen().len(),
    )
}

#[tokio::test]
async fn connections_broken_before_an_answer_are_transport_errors_and_retried() {
    for (name, reply) in [
        ("closed before the status line", Reply::Close),
        (
            "reset before the status line",
            Reply::Raw(vec![], End::Reset),
        ),
    ] {
        let (err, attempts) = fault(reply).await;
        assert!(err.is_transport(), "{name}: {err:?}");
        assert_eq!(attempts, 3, "{name}: retried twice");
    }
}

#[tokio::test]
async fn a_malformed_answer_is_a_transport_error_not_retried() {
    // The same server will answer the same way: trying again only adds load.
    let garbage = Reply::Raw(b"SSH-2.0-OpenSSH\r\n\r\n".to_vec(), End::Close);
    let (err, attempts) = fault(garbage).await;
    assert!(err.is_transport(), "{err:?}");
    assert_eq!(attempts, 1);
}

#[tokio::test]
async fn bodies_cut_short_are_transport_errors_not_retried() {
    let body = session_body();
    let after_headers = head(body.len());
    let mut mid_body = head(body.len());
    mid_body.extend_from_slice(&body[..body.len() / 2]);
    let truncated = mid_body.clone();
    for (name, reply) in [
        (
            "reset after the headers",
            Reply::Raw(after_headers, End::Reset),
        ),
        ("reset mid-body", Reply::Raw(mid_body, End::Reset)),
        (
            "truncated body, then a clean close",
            Reply::Raw(truncated, End::Close),
        ),
    ] {
        let (err, attempts) = fault(reply).await;
        assert!(err.is_transport(), "{name}: {err:?}");
        assert_eq!(
            attempts, 1,
            "{name}: the status was 200, so nothing to retry"
        );
    }
}

#[tokio::test]
async fn headers_that_never_finish_end_in_the_timeout() {
    let (err, attempts) = fault(Reply::Raw(
        b"HTTP/1.1 200 OK\r\nContent-Ty".to_vec(),
        End::Hang,
    ))
    .await;
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(attempts, 1, "no time left to retry");
}

#[tokio::test]
async fn a_body_past_the_limit_stops_the_read() {
    // Announced: 5 MiB with a Content-Length.
    let (err, attempts) = fault(Reply::json(200, &" ".repeat(5 << 20))).await;
    assert!(
        matches!(err, Error::ResponseTooLarge { limit: 65536, .. }),
        "{err:?}"
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(attempts, 1);

    // Not announced: chunked, then the server stalls; the client must not wait for the end.
    let mut endless =
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            .to_vec();
    for _ in 0..32 {
        endless.extend_from_slice(format!("{:x}\r\n{}\r\n", 8192, " ".repeat(8192)).as_bytes());
    }
    let (err, _) = fault(Reply::Raw(endless, End::Hang)).await;
    assert!(matches!(err, Error::ResponseTooLarge { .. }), "{err:?}");

    // Error bodies are read up to 64 KiB and kept, never more.
    let (err, _) = fault(Reply::Respond {
        status: 400,
        headers: vec![],
        body: vec![b'x'; 60 * 1024],
    })
    .await;
    let Error::Decode { body, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(body.as_bytes().len(), 60 * 1024);
}

#[tokio::test]
async fn bodies_that_do_not_decode_are_decode_errors_with_their_status() {
    for (name, reply, status) in [
        (
            "invalid UTF-8",
            Reply::Respond {
                status: 200,
                headers: vec![("content-type".into(), "application/json".into())],
                body: b"\xff\xfe{\"cus".to_vec(),
            },
            200,
        ),
        (
            "invalid JSON",
            Reply::json(200, r#"{"customer": {"id": "cus_1", "#),
            200,
        ),
        (
            "JSON content type, HTML body",
            Reply::Respond {
                status: 200,
                headers: vec![("content-type".into(), "application/json".into())],
                body: b"<html><body>Bad gateway</body></html>".to_vec(),
            },
            200,
        ),
        (
            "Express's malformed-JSON page",
            Reply::recorded("14-auth-login-malformed-json"),
            400,
        ),
        (
            "invalid UTF-8 error body",
            Reply::Respond {
                status: 418,
                headers: vec![],
                body: vec![0xc3, 0x28, 0xa0, 0xa1],
            },
            418,
        ),
    ] {
        let (err, attempts) = fault(reply).await;
        assert!(err.is_decode(), "{name}: {err:?}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status), "{name}");
        assert_eq!(attempts, 1, "{name}");
    }
    // Express's page for a route it does not have is not a body that failed to decode.
    let (err, attempts) = fault(Reply::recorded("75-unknown-store-route")).await;
    assert!(err.is_missing_route() && err.is_not_found(), "{err:?}");
    assert_eq!(attempts, 1);
}

#[tokio::test]
async fn json_with_a_wrong_content_type_is_still_read() {
    // The generated code decodes by status, not by content type: a proxy that relabels a
    // real answer does not break the call.
    let body = String::from_utf8(session_body()).unwrap();
    let reply = Reply::Respond {
        status: 200,
        headers: vec![("content-type".into(), "text/plain".into())],
        body: body.into_bytes(),
    };
    let server = Scripted::start(vec![reply]).await;
    let session = client(&server).get_session().await.unwrap();
    assert_eq!(session.customer.email, EMAIL);
}

#[tokio::test]
async fn a_500_unknown_error_is_an_api_error_sent_once() {
    let (err, attempts) = fault(Reply::recorded("38-exists-bad-percent")).await;
    assert_eq!(
        (err.status().map(|s| s.as_u16()), err.error_type()),
        (Some(500), Some("unknown_error"))
    );
    assert_eq!(attempts, 1);
}

#[tokio::test]
async fn a_503_with_retry_after_is_retried_then_reported() {
    let (err, attempts) = fault(Reply::status(503).with_header("retry-after", "0")).await;
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert!(
        err.is_decode(),
        "an empty 503 body is not a Medusa error: {err:?}"
    );
    assert_eq!(attempts, 3);
}
