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

#[tokio::test]
async fn a_cookie_set_by_another_origin_never_enters_the_session() {
    // A caller's client that follows redirects: the chain ends on another port of the same
    // host, which sets a cookie. Cookie stores ignore ports, so only the crate's rule keeps
    // it out of the session.
    let other_port = Scripted::start(vec![Reply::recorded("20-session-get-with-cookie")
        .with_header("set-cookie", "planted=evil; Path=/")])
    .await;
    let origin = Scripted::start(vec![
        redirect_to(&format!("{}/store/auth", other_port.base_url)),
        Reply::recorded("20-session-get-with-cookie"),
    ])
    .await;
    let client = logged_in(&origin.base_url, Some(reqwest::Client::new()));
    client.get_session().await.unwrap();
    client.get_session().await.unwrap();
    let later = &origin.seen()[1];
    let cookie = later.header("cookie").unwrap();
    assert!(cookie.contains("s%3Asecret-session"), "{cookie}");
    assert!(!cookie.contains("planted"), "{cookie}");
}

#[tokio::test]
async fn each_hop_of_a_redirect_gets_its_own_cookies_and_keeps_its_set_cookie() {
    let origin = Scripted::start(vec![
        // First call: a cookie for /store/auth only.
        Reply::recorded("20-session-get-with-cookie")
            .with_header("set-cookie", "scoped=1; Path=/store/auth"),
        // Second call: a redirect elsewhere on the same origin, which sets a cookie itself.
        redirect_to("/elsewhere").with_header("set-cookie", "hop=1; Path=/"),
        Reply::recorded("20-session-get-with-cookie"),
    ])
    .await;
    let client = logged_in(&origin.base_url, None);
    client.get_session().await.unwrap();
    client.get_session().await.unwrap();
    let seen = origin.seen();
    assert_eq!(seen.len(), 3);
    assert!(seen[1].header("cookie").unwrap().contains("scoped=1"));
    // The hop to /elsewhere: the cookies for that URL, the hop's own included.
    assert_eq!(seen[2].path, "/elsewhere");
    let cookie = seen[2].header("cookie").unwrap();
    assert!(cookie.contains("s%3Asecret-session"), "{cookie}");
    assert!(
        cookie.contains("hop=1"),
        "the hop's Set-Cookie is kept: {cookie}"
    );
    assert!(
        !cookie.contains("scoped"),
        "a /store/auth cookie stays there: {cookie}"
    );
    assert_eq!(
        seen[2].header("authorization"),
        Some("Bearer secret.jwt.token")
    );
    // And the session keeps the hop's cookie for later calls.
    assert!(client.session_cookie().is_some());
}

#[tokio::test]
async fn a_post_redirected_with_303_continues_as_a_get_and_307_with_a_body_is_not_followed() {
    use medusa_store_auth::v1::types::StorePostAuthReq;
    let origin = Scripted::start(vec![
        Reply::status(303).with_header("location", "/store/auth"),
        Reply::recorded("20-session-get-with-cookie"),
        Reply::status(307).with_header("location", "/store/auth/again"),
    ])
    .await;
    let client = logged_in(&origin.base_url, None);
    let login = StorePostAuthReq::new("alice@example.com", "S3cret-pass!");
    client.authenticate(&login).await.unwrap();
    let err = client.authenticate(&login).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(307), "{err:?}");
    let seen = origin.seen();
    assert_eq!(
        seen.iter()
            .map(|s| (s.method.as_str(), s.path.as_str()))
            .collect::<Vec<_>>(),
        [
            ("POST", "/store/auth"),
            ("GET", "/store/auth"),
            ("POST", "/store/auth")
        ]
    );
    assert!(seen[1].body.is_empty());
}
