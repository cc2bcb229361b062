//! Sessions on the wire: the `connect.sid` cookie from `authenticate`, the bearer from
//! `get_token`, both per client (never per process), and `delete_session` forgetting them.

mod support;

use httpmock::prelude::*;
use medusa_store_auth::v1::types::StorePostAuthReq;
use medusa_store_auth::AccessToken;
use support::fixtures::{recorded, replayed, Recording, RecordingExt, EMAIL, PASSWORD};

fn login() -> StorePostAuthReq {
    StorePostAuthReq::new(EMAIL, PASSWORD)
}

fn recorded_cookie() -> (String, String) {
    recorded("10-auth-login-ok").cookie_pair().unwrap()
}

/// The token answer, replayed once so that every test of this file serves and expects the
/// same token.
fn token_answer() -> &'static Recording {
    static ANSWER: std::sync::OnceLock<Recording> = std::sync::OnceLock::new();
    ANSWER.get_or_init(|| replayed("40-token-ok"))
}

fn recorded_token() -> String {
    token_answer().access_token()
}

/// Mocks login, token and a session check that answers 200 only to the recorded cookie or
/// token, and 401 (as passport does) otherwise. Returns (with cookie, with bearer, refused).
async fn session_server(
    server: &MockServer,
) -> (httpmock::Mock<'_>, httpmock::Mock<'_>, httpmock::Mock<'_>) {
    server
        .mock_async(|when, then| {
            when.method(POST).path("/store/auth");
            replayed("10-auth-login-ok").reply(then);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/store/auth/token");
            token_answer().reply(then);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(DELETE).path("/store/auth");
            replayed("50-delete-session").reply(then);
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
            replayed("20-session-get-with-cookie").reply(then);
        })
        .await;
    let bearer = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/store/auth")
                .is_true(move |req| !has_cookie(req) && has_bearer(req));
            replayed("43-session-get-bearer").reply(then);
        })
        .await;
    let refused = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/store/auth")
                .is_true(move |req| !has_cookie(req) && !has_bearer(req));
            replayed("21-session-get-no-cookie").reply(then);
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
            replayed("20-session-get-with-cookie").reply(then);
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

#[tokio::test]
async fn the_session_cookie_can_be_read_saved_and_restored() {
    let server = MockServer::start_async().await;
    let (cookie, _, _) = session_server(&server).await;
    let (_, recorded_value) = recorded_cookie();
    let client = support::client_for(&server);
    assert!(client.session_cookie().is_none());

    client.authenticate(&login()).await.unwrap();
    let saved = client.session_cookie().expect("the login set a cookie");
    assert_eq!(saved.expose(), recorded_value);
    assert_eq!(format!("{saved:?}"), "<redacted>");

    // Another process, later: a client built from the saved cookie is logged in.
    let config = medusa_store_auth::Config::new()
        .with_base_url(server.base_url())
        .with_session_cookie(saved.clone());
    let restored = medusa_store_auth::v1::AuthClient::new(config).unwrap();
    assert_eq!(restored.get_session().await.unwrap().customer.email, EMAIL);
    let later = support::client_for(&server);
    later.set_session_cookie(&saved).unwrap();
    later.get_session().await.unwrap();
    cookie.assert_calls_async(2).await;

    let err = later
        .set_session_cookie(&medusa_store_auth::SessionCookie::new("a; b"))
        .unwrap_err();
    assert!(err.is_invalid_input());
}

#[tokio::test]
async fn a_client_can_start_from_a_saved_token() {
    let server = MockServer::start_async().await;
    let (_, bearer, _) = session_server(&server).await;
    let config = medusa_store_auth::Config::new()
        .with_base_url(server.base_url())
        .with_token(AccessToken::new(recorded_token()));
    let client = medusa_store_auth::v1::AuthClient::new(config).unwrap();
    assert_eq!(client.get_session().await.unwrap().customer.email, EMAIL);
    bearer.assert_calls_async(1).await;
}

#[tokio::test]
async fn new_session_keeps_the_configuration_but_not_the_session() {
    let server = MockServer::start_async().await;
    let tenant = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/store/auth/alice@example.com")
                .header("x-tenant", "acme")
                .header_missing("authorization");
            replayed("30-exists-existing").reply(then);
        })
        .await;
    let (_, _, refused) = session_server(&server).await;
    let config = medusa_store_auth::Config::new()
        .with_base_url(server.base_url())
        .with_header("x-tenant", "acme");
    let client = medusa_store_auth::v1::AuthClient::new(config).unwrap();
    client.authenticate(&login()).await.unwrap();
    client
        .set_token(AccessToken::new(recorded_token()))
        .unwrap();

    let fresh = client.new_session();
    assert!(fresh.token().is_none() && fresh.session_cookie().is_none());
    assert!(fresh.get_session().await.unwrap_err().is_unauthorized());
    fresh.exists(EMAIL).await.unwrap();
    assert!(client.token().is_some(), "the original keeps its session");

    refused.assert_calls_async(1).await;
    tenant.assert_calls_async(1).await;
}

#[tokio::test]
async fn raw_responses_carry_status_and_headers_beside_the_value() {
    let server = MockServer::start_async().await;
    session_server(&server).await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/store/auth/alice@example.com");
            replayed("30-exists-existing").reply(then);
        })
        .await;
    let client = support::client_for(&server);

    // First, while cookieless: the recorded answer sets an anonymous session cookie.
    let exists = client.exists(EMAIL).send_with_response().await.unwrap();
    assert_eq!(
        exists.headers().get("etag").unwrap(),
        recorded("30-exists-existing").header("etag").unwrap()
    );
    assert!(exists.exists);
    let login_response = client
        .authenticate(&login())
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(login_response.status(), 200);
    assert!(login_response.headers().get("set-cookie").is_some());
    assert_eq!(login_response.customer.email, EMAIL);
    assert!(
        !format!("{login_response:?}").contains("connect.sid"),
        "Debug shows the value only"
    );

    assert_eq!(
        client
            .get_session()
            .send_with_response()
            .await
            .unwrap()
            .status(),
        200
    );
    let token = client
        .get_token(&login())
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(token.access_token.expose(), recorded_token());
    let deleted = client.delete_session().send_with_response().await.unwrap();
    assert_eq!(
        deleted.headers().get("content-type").unwrap(),
        "text/plain; charset=utf-8"
    );
}
