//! Each of the five calls on the wire: what reaches the server, and what the caller gets
//! back from the recorded real responses.

mod support;

use httpmock::prelude::*;
use medusa_store_auth::v1::types::{Customer, StorePostAuthReq};
use medusa_store_auth::{AccessToken, SessionCookie};
use serde_json::json;
use support::fixtures::{recorded, replayed, RecordingExt, EMAIL, PASSWORD};

fn login() -> StorePostAuthReq {
    StorePostAuthReq::new(EMAIL, PASSWORD)
}

/// The customer of a recorded response, decoded independently of the client.
fn recorded_customer(name: &str) -> Customer {
    serde_json::from_value(recorded(name).json()["customer"].clone())
        .expect("recorded customer decodes")
}

#[tokio::test]
async fn authenticate_posts_the_credentials_as_json_and_returns_the_customer() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/store/auth")
                .header("content-type", "application/json")
                .header("accept", "application/json")
                .header_missing("api-version")
                .header_missing("authorization")
                .json_body(json!({ "email": EMAIL, "password": PASSWORD }));
            replayed("10-auth-login-ok").reply(then);
        })
        .await;

    let res = support::client_for(&server)
        .authenticate(&login())
        .await
        .expect("login succeeds");

    mock.assert_calls_async(1).await;
    assert_eq!(res.customer, recorded_customer("10-auth-login-ok"));
    assert_eq!(res.customer.email, EMAIL);
    assert!(res.customer.has_account);
    assert_eq!(res.customer.phone, None);
}

#[tokio::test]
async fn user_agent_names_the_crate() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/store/auth/alice@example.com")
                .header(
                    "user-agent",
                    concat!("medusa-store-auth/", env!("CARGO_PKG_VERSION")),
                );
            replayed("30-exists-existing").reply(then);
        })
        .await;
    support::client_for(&server).exists(EMAIL).await.unwrap();
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn delete_session_sends_delete_and_accepts_the_text_ok() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path("/store/auth")
                .header("cookie", "connect.sid=s%3Asaved")
                .header_missing("api-version");
            replayed("50-delete-session").reply(then);
        })
        .await;
    let client = support::client_for(&server);
    client
        .set_session_cookie(&SessionCookie::new("s%3Asaved"))
        .unwrap();
    client.set_token(AccessToken::new("a.saved.token")).unwrap();

    client.delete_session().await.expect("200 OK is success");

    mock.assert_calls_async(1).await;
    assert!(client.session_cookie().is_none(), "the cookie is forgotten");
    assert!(client.token().is_none(), "the token is forgotten");
}

#[tokio::test]
async fn delete_session_accepts_a_204_from_a_proxy() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(DELETE).path("/store/auth");
            then.status(204);
        })
        .await;
    support::client_for(&server)
        .delete_session()
        .await
        .expect("204 is success too");
}

#[tokio::test]
async fn get_session_sends_get_and_decodes_the_recorded_customer() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/store/auth")
                .header("accept", "application/json");
            replayed("20-session-get-with-cookie").reply(then);
        })
        .await;

    let res = support::client_for(&server)
        .get_session()
        .await
        .expect("session");

    mock.assert_calls_async(1).await;
    assert_eq!(
        res.customer,
        recorded_customer("20-session-get-with-cookie")
    );
    assert!(res.customer.orders.is_empty() && res.customer.shipping_addresses.is_empty());
}

#[tokio::test]
async fn exists_reads_true_and_false_from_the_recorded_answers() {
    let server = MockServer::start_async().await;
    let known = server
        .mock_async(|when, then| {
            when.method(GET).path("/store/auth/alice@example.com");
            replayed("30-exists-existing").reply(then);
        })
        .await;
    let unknown = server
        .mock_async(|when, then| {
            when.method(GET).path("/store/auth/nobody@example.com");
            replayed("31-exists-unknown").reply(then);
        })
        .await;
    let client = support::client_for(&server);

    assert!(client.exists(EMAIL).await.unwrap().exists);
    assert!(!client.exists("nobody@example.com").await.unwrap().exists);
    known.assert_calls_async(1).await;
    unknown.assert_calls_async(1).await;
}

#[tokio::test]
async fn get_token_posts_the_credentials_and_returns_the_recorded_token() {
    let server = MockServer::start_async().await;
    let answer = replayed("40-token-ok");
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/store/auth/token")
                .header("content-type", "application/json")
                .json_body(json!({ "email": EMAIL, "password": PASSWORD }));
            answer.reply(then);
        })
        .await;

    let client = support::client_for(&server);
    let res = client.get_token(&login()).await.expect("token");

    mock.assert_calls_async(1).await;
    assert_eq!(res.access_token.expose(), answer.access_token());
    assert_eq!(client.token().unwrap().expose(), answer.access_token());
}

#[tokio::test]
async fn base_url_prefix_and_trailing_slash_are_kept_and_ignored() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/medusa/store/auth/alice@example.com");
            replayed("30-exists-existing").reply(then);
        })
        .await;
    for base in [server.url("/medusa"), server.url("/medusa/")] {
        let client = medusa_store_auth::v1::AuthClient::with_base_url(base).unwrap();
        assert!(client.exists(EMAIL).await.unwrap().exists);
    }
    mock.assert_calls_async(2).await;
}

#[tokio::test]
async fn send_with_response_keeps_status_and_headers_beside_the_value() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/store/auth/alice@example.com")
                .header("x-tenant", "acme");
            replayed("30-exists-existing").reply(then);
        })
        .await;
    let config = medusa_store_auth::Config::new()
        .with_base_url(server.base_url())
        .with_header("x-tenant", "acme");
    let client = medusa_store_auth::v1::AuthClient::new(config).unwrap();

    let response = client
        .exists(EMAIL)
        .send_with_response()
        .await
        .expect("the call");

    mock.assert_calls_async(1).await;
    assert_eq!(response.status(), 200);
    assert!(response.headers().contains_key("etag"));
    assert!(response.into_inner().exists);
}

#[test]
fn the_default_base_url_is_medusa_js_s() {
    let client = medusa_store_auth::v1::AuthClient::new(medusa_store_auth::Config::new()).unwrap();
    assert_eq!(client.base_url(), "http://localhost:9000");
}
