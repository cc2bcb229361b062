//! `exists(email)`: the email reaches the server as exactly one percent-encoded path
//! segment that decodes back to the email, whatever it contains.

mod support;

use httpmock::prelude::*;
use percent_encoding::percent_decode_str;
use support::fixtures::{replayed, RecordingExt};

/// The raw (still encoded) path segment after `/store/auth/`, if the request is exactly
/// `GET /store/auth/<one segment>` with no query.
fn single_segment(req: &HttpMockRequest) -> Option<String> {
    let uri = req.uri();
    if uri.query().is_some() {
        return None;
    }
    let segment = uri.path().strip_prefix("/store/auth/")?;
    (!segment.is_empty() && !segment.contains('/')).then(|| segment.to_string())
}

const ODD_EMAILS: &[&str] = &[
    "alice+tag@example.com",
    "o'hara#1/x%y@example.com",
    "john doe@example.com",
    "what?x=1&y=2@example.com",
    "frag#ment@example.com",
    "back\\slash@example.com",
    "../../admin@example.com",
    "%2e%2e",
    "%zz@example.com",
    "tab\tand\nnewline@example.com",
    "ünïcødé@exämple.com",
    "邮件@例子.中国",
    "semi;colon,comma@example.com",
    "\"quoted local\"@example.com",
    "...",
];

#[tokio::test]
async fn every_odd_email_arrives_as_one_segment_that_decodes_to_itself() {
    for &email in ODD_EMAILS {
        let server = MockServer::start_async().await;
        let expected = email.to_string();
        let mock = server
            .mock_async(move |when, then| {
                when.method(GET).is_true(move |req| {
                    single_segment(req).is_some_and(|raw| {
                        percent_decode_str(&raw)
                            .decode_utf8()
                            .is_ok_and(|d| d == expected)
                    })
                });
                replayed("31-exists-unknown").reply(then);
            })
            .await;

        let answer = support::client_for(&server).exists(email).await;

        assert!(answer.is_ok_and(|a| !a.exists), "{email:?}");
        mock.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn the_encoding_is_the_one_the_real_server_decoded() {
    // Live captures 30, 32, 35 and 37: Medusa decoded these forms (raw `@` and `+`, `%27`,
    // `%23`, `%2F`, `%25`, `%20`) back to the emails.
    for (email, raw) in [
        ("alice+tag@example.com", "/store/auth/alice+tag@example.com"),
        (
            "o'hara#1/x%y@example.com",
            "/store/auth/o%27hara%231%2Fx%25y@example.com",
        ),
        ("john doe@example.com", "/store/auth/john%20doe@example.com"),
    ] {
        let server = MockServer::start_async().await;
        let mock = server
            .mock_async(|when, then| {
                when.method(GET).path(raw);
                replayed("35-exists-special-encoded").reply(then);
            })
            .await;
        assert!(
            support::client_for(&server)
                .exists(email)
                .await
                .unwrap()
                .exists,
            "{email}"
        );
        mock.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn a_ten_thousand_character_email_is_sent_whole() {
    let email = format!("{}@example.com", "a".repeat(10_000 - "@example.com".len()));
    assert_eq!(email.len(), 10_000);
    let server = MockServer::start_async().await;
    let expected = email.clone();
    let mock = server
        .mock_async(move |when, then| {
            when.method(GET)
                .is_true(move |req| single_segment(req).as_deref() == Some(expected.as_str()));
            replayed("31-exists-unknown").reply(then);
        })
        .await;
    assert!(
        !support::client_for(&server)
            .exists(email)
            .await
            .unwrap()
            .exists
    );
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn the_email_never_replaces_a_base_url_prefix() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/shop/store/auth/..%2F..%2Fadmin@example.com");
            replayed("31-exists-unknown").reply(then);
        })
        .await;
    let client = medusa_store_auth::v1::AuthClient::with_base_url(server.url("/shop/")).unwrap();
    client.exists("../../admin@example.com").await.unwrap();
    mock.assert_calls_async(1).await;
}
