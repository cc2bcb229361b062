//! Sessions on the wire: the `connect.sid` cookie from `authenticate`, the bearer from
//! `get_token`, both per client (never per process), and `delete_session` forgetting them.

mod support;

use httpmock::prelude::*;
use medusa_store_auth::types::StorePostAuthReq;
use medusa_store_auth::AccessToken;
use support::fixtures::{recorded, EMAIL, PASSWORD};

fn login() -> StorePostAuthReq {
    StorePostAuthReq::new(EMAIL, PASSWORD)
}

fn recorded_cookie() -> (String, String) {
    recorded("10-auth-login-ok").cookie_pair().unwrap()
}

fn recorded_token() -> String {
    recorded("40-token-ok").json()["access_token"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Mocks login, token and a session check that answers 200 only to the recorded cookie or
/// token, and 401 (as passport does) otherwise. Returns (with cookie, with bearer, refused).
async fn session_server(
    server: &MockServer,
) -> (httpmock::Mock<'_>, httpmock::Mock<'_>, httpmock::Mock<'_>) {
    server
        .mock_async(|when, then| {
            when.method(POST).path("/store/auth");
            recorded("10-auth-login-ok").reply(then);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/store/auth/token");
            recorded("40-token-ok").reply(then);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(DELETE).path("/store/auth");
            recorded("50-delete-session").reply(then);
        })
        .await;
    // As the real server: a valid session cookie wins; otherwise a valid bearer; otherwise 401.
    let has_cookie = |req: &HttpMockRequest| {
        let (name, value) = recorded_cookie();
        req.headers().get_all("cookie").iter().any(|v| {
            v.to_str()
                .unwrap()
                .split("; ")
                .any(|pair| pair == format!("{name}={value}"))
        })
    };
    let has_bearer = |req: &HttpMockRequest| {
        req.headers()
            .get("authorization")
            .map(|v| v.to_str().unwrap().to_string())
            == Some(format!("Bearer {}", recorded_token()))
    };
    let cookie = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/store/auth")
                .is_true(move |req| has_cookie(req));
            recorded("20-session-get-with-cookie").reply(then);
        })
        .await;
    let bearer = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/store/auth")
                .is_true(move |req| !has_cookie(req) && has_bearer(req));
            recorded("43-session-get-bearer").reply(then);
        })
        .await;
    let refused = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/store/auth")
                .is_true(move |req| !has_cookie(req) && !has_bearer(req));
            recorded("21-session-get-no-cookie").reply(then);
        })
        .await;
    (cookie, bearer, refused)
}

#[tokio::test]
async fn the_login_cookie_is_sent_by_later_calls_of_the_same_client_and_its_clones() {
    let server = MockServer::start_async().await;
    let (cookie, _, refused) = session_server(&server).await;
    let client = support::client_for(&server);

    assert!(client.get_session().await.unwrap_err().is_unauthorized());
    client.authenticate(&login()).await.unwrap();
    assert_eq!(client.get_session().await.unwrap().customer.email, EMAIL);
    assert_eq!(
        client.clone().get_session().await.unwrap().customer.email,
        EMAIL
    );

    cookie.assert_calls_async(2).await;
    refused.assert_calls_async(1).await;
}

#[tokio::test]
async fn two_clients_never_share_a_session() {
    let server = MockServer::start_async().await;
    let (cookie, bearer, refused) = session_server(&server).await;
    let alice = support::client_for(&server);
    let other = support::client_for(&server);

    alice.authenticate(&login()).await.unwrap();
    let with_token = support::client_for(&server);
    with_token.get_token(&login()).await.unwrap();

    assert!(other.get_session().await.unwrap_err().is_unauthorized());
    assert!(other.token().is_none());
    cookie.assert_calls_async(0).await;
    bearer.assert_calls_async(0).await;
    refused.assert_calls_async(1).await;
}

#[tokio::test]
async fn get_token_makes_the_same_client_send_the_bearer() {
    let server = MockServer::start_async().await;
    let (_, bearer, _) = session_server(&server).await;
    let client = support::client_for(&server);

    let token = client.get_token(&login()).await.unwrap().access_token;
    assert_eq!(token.expose(), recorded_token());
    assert_eq!(client.get_session().await.unwrap().customer.email, EMAIL);

    bearer.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_token_can_be_set_and_cleared() {
    let server = MockServer::start_async().await;
    let (_, bearer, refused) = session_server(&server).await;
    let client = support::client_for(&server);

    client
        .set_token(AccessToken::new(recorded_token()))
        .unwrap();
    assert_eq!(client.token().unwrap().expose(), recorded_token());
    client.get_session().await.unwrap();
    client.clear_token();
    assert!(client.token().is_none());
    assert!(client.get_session().await.unwrap_err().is_unauthorized());

    bearer.assert_calls_async(1).await;
    refused.assert_calls_async(1).await;
    let err = client
        .set_token(AccessToken::new("bad\ntoken"))
        .unwrap_err();
    assert!(err.is_invalid_input() && !err.to_string().contains("bad"));
}

#[tokio::test]
async fn delete_session_forgets_the_cookie_and_the_token() {
    let server = MockServer::start_async().await;
    let (cookie, _, refused) = session_server(&server).await;
    let client = support::client_for(&server);
    client.authenticate(&login()).await.unwrap();
    client
        .set_token(AccessToken::new(recorded_token()))
        .unwrap();

    client.delete_session().await.unwrap();

    assert!(client.token().is_none());
    assert!(client.get_session().await.unwrap_err().is_unauthorized());
    cookie.assert_calls_async(0).await;
    refused.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_per_call_cookie_replaces_the_jar_for_that_call_only() {
    let server = MockServer::start_async().await;
    let forwarded = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/store/auth")
                .header("cookie", "connect.sid=from-browser");
            recorded("20-session-get-with-cookie").reply(then);
        })
        .await;
    let (cookie, _, _) = session_server(&server).await;
    let client = support::client_for(&server);
    client.authenticate(&login()).await.unwrap();

    client
        .get_session()
        .header("cookie", "connect.sid=from-browser")
        .await
        .unwrap();
    client.get_session().await.unwrap();

    forwarded.assert_calls_async(1).await;
    cookie.assert_calls_async(1).await;
}
