//! The session cookie and the bearer token go only to the base URL's origin: a redirect
//! elsewhere (another port, another host name) never carries them.

mod support;

use medusa_store_auth::v1::AuthClient;
use medusa_store_auth::{AccessToken, Config, SessionCookie};
use support::scripted::{Reply, Scripted};

fn logged_in(base_url: &str, http: Option<reqwest::Client>) -> AuthClient {
    let mut config = Config::new()
        .with_base_url(base_url)
        .with_session_cookie(SessionCookie::new("s%3Asecret-session"))
        .with_token(AccessToken::new("secret.jwt.token"));
    if let Some(http) = http {
        config = config.with_http_client(http);
    }
    AuthClient::new(config).unwrap()
}

fn redirect_to(location: &str) -> Reply {
    Reply::status(302).with_header("location", location)
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_not_followed_by_the_crates_client() {
    let elsewhere = Scripted::start(vec![Reply::recorded("20-session-get-with-cookie")]).await;
    for target in [
        format!("{}/store/auth", elsewhere.base_url),
        elsewhere.base_url.replace("127.0.0.1", "localhost") + "/store/auth",
    ] {
        let origin = Scripted::start(vec![redirect_to(&target)]).await;
        let err = logged_in(&origin.base_url, None)
            .get_session()
            .header("x-medusa-access-token", "secret-api-key")
            .await
            .unwrap_err();
        assert_eq!(
            err.status().map(|s| s.as_u16()),
            Some(302),
            "{target}: {err:?}"
        );
        assert!(
            origin.seen()[0].header("cookie").is_some(),
            "the origin itself gets the cookie"
        );
    }
    assert!(
        elsewhere.seen().is_empty(),
        "nothing reached the other origin"
    );
}

#[tokio::test]
async fn a_callers_client_that_follows_redirects_drops_cookie_and_token_across_origins() {
    let other_port = Scripted::start(vec![Reply::recorded("21-session-get-no-cookie")]).await;
    let origin = Scripted::start(vec![redirect_to(&format!(
        "{}/store/auth",
        other_port.base_url
    ))])
    .await;
    let err = logged_in(&origin.base_url, Some(reqwest::Client::new()))
        .get_session()
        .await
        .unwrap_err();
    assert!(err.is_unauthorized());
    let arrived = &other_port.seen()[0];
    assert_eq!(
        (arrived.header("cookie"), arrived.header("authorization")),
        (None, None)
    );

    // Same port, another host name.
    let origin = Scripted::start(vec![Reply::recorded("21-session-get-no-cookie")]).await;
    let port = origin.base_url.rsplit(':').next().unwrap().to_string();
    let host_hop = Scripted::start(vec![redirect_to(&format!(
        "http://localhost:{port}/store/auth"
    ))])
    .await;
    logged_in(&host_hop.base_url, Some(reqwest::Client::new()))
        .get_session()
        .await
        .unwrap_err();
    let arrived = &origin.seen()[0];
    assert_eq!(
        (arrived.header("cookie"), arrived.header("authorization")),
        (None, None)
    );
}

#[tokio::test]
async fn a_same_origin_redirect_keeps_the_session() {
    let origin = Scripted::start(vec![
        redirect_to("/store/auth?moved=1"),
        Reply::recorded("20-session-get-with-cookie"),
    ])
    .await;
    logged_in(&origin.base_url, None)
        .get_session()
        .await
        .unwrap();
    let seen = origin.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].path, "/store/auth?moved=1");
    assert!(seen[1]
        .header("cookie")
        .unwrap()
        .contains("s%3Asecret-session"));
    assert_eq!(
        seen[1].header("authorization"),
        Some("Bearer secret.jwt.token")
    );
}
