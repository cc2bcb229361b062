//! A caller's own `reqwest::Client` (proxy, TLS roots, a shared pool) keeps everything the
//! crate adds per call: headers, the session cookie and token, retries and timeouts.

mod support;

use std::time::{Duration, Instant};

use medusa_store_auth::v1::types::StorePostAuthReq;
use medusa_store_auth::v1::AuthClient;
use medusa_store_auth::{Config, RetryPolicy};
use support::fixtures::{recorded, replayed, RecordingExt, EMAIL, PASSWORD};
use support::scripted::{Reply, Scripted};

fn own_client() -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-from-own-client", "1".parse().unwrap());
    reqwest::Client::builder()
        .user_agent("storefront/3.1")
        .default_headers(headers)
        .build()
        .unwrap()
}

#[tokio::test]
async fn headers_session_and_retries_work_through_a_caller_client() {
    let token = replayed("40-token-ok");
    let server = Scripted::start(vec![
        Reply::status(503),
        Reply::recorded("10-auth-login-ok"),
        Reply::recorded("20-session-get-with-cookie"),
        Reply::replaying(&token),
        Reply::recorded("43-session-get-bearer"),
    ])
    .await;
    let config = Config::new()
        .with_base_url(&server.base_url)
        .with_http_client(own_client())
        .with_header("x-default", "d")
        .with_retry_policy(RetryPolicy::default().with_initial_backoff(Duration::from_millis(5)));
    let client = AuthClient::new(config).unwrap();
    let login = StorePostAuthReq::new(EMAIL, PASSWORD);

    client
        .authenticate(&login)
        .header("x-call", "c")
        .await
        .expect("retried past the 503");
    client.get_session().await.unwrap();
    client.get_token(&login).await.unwrap();
    let bearer_only = client.new_session();
    bearer_only.set_token(client.token().unwrap()).unwrap();
    bearer_only.get_session().await.unwrap();

    let seen = server.seen();
    assert_eq!(seen.len(), 5);
    assert!(seen
        .iter()
        .all(|s| s.header("x-from-own-client") == Some("1")));
    assert!(seen
        .iter()
        .all(|s| s.header("user-agent") == Some("storefront/3.1")));
    assert!(seen.iter().all(|s| s.header("x-default") == Some("d")));
    assert_eq!(
        (
            seen[0].header("x-call"),
            seen[1].header("x-call"),
            seen[2].header("x-call")
        ),
        (Some("c"), Some("c"), None)
    );
    let (name, value) = recorded("10-auth-login-ok").cookie_pair().unwrap();
    assert!(seen[2]
        .header("cookie")
        .unwrap()
        .contains(&format!("{name}={value}")));
    let token = token.access_token();
    assert_eq!(
        seen[4].header("authorization"),
        Some(format!("Bearer {token}").as_str())
    );
    assert_eq!(
        seen[4].header("cookie"),
        None,
        "a new session has no cookie"
    );
}

#[tokio::test]
async fn timeouts_apply_to_a_caller_client_without_its_own() {
    let server = Scripted::start(vec![
        Reply::recorded("30-exists-existing").after(Duration::from_secs(5))
    ])
    .await;
    let config = Config::new()
        .with_base_url(&server.base_url)
        .with_http_client(reqwest::Client::new());
    let client = AuthClient::new(config).unwrap();
    let started = Instant::now();
    let err = client
        .exists(EMAIL)
        .timeout(Duration::from_millis(200))
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn the_reexported_reqwest_and_http_are_the_ones_the_api_names() {
    // Named through the crate, a user's client and header types are the crate's versions.
    let http = medusa_store_auth::reqwest::Client::builder()
        .redirect(medusa_store_auth::reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut headers = medusa_store_auth::http::HeaderMap::new();
    headers.insert(
        "x-request-id",
        medusa_store_auth::http::HeaderValue::from_static("1"),
    );
    let config = medusa_store_auth::Config::new()
        .with_http_client(http)
        .with_headers(headers);
    let client = medusa_store_auth::v1::AuthClient::new(config).unwrap();
    let status: Option<medusa_store_auth::http::StatusCode> =
        medusa_store_auth::Error::Unauthorized {
            status: medusa_store_auth::reqwest::StatusCode::UNAUTHORIZED,
            error: None,
        }
        .status();
    assert_eq!(
        status,
        Some(medusa_store_auth::http::StatusCode::UNAUTHORIZED)
    );
    drop(client);
}
