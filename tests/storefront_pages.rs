//! `examples/storefront_server/` as its visitors meet it, on both lines' stand-ins: forms,
//! the account page, logout, the v2 second factor and email verification, the pages for a
//! wrong password and a server that is down, CSRF, hostile cookies, and many visitors at once
//! on one shared client without one ever seeing another's account. (In a real browser:
//! tests/storefront_browser.rs.)

mod storefront;
mod support;

use std::collections::HashSet;
use std::time::Duration;

use medusa_store_auth::mock::{self, v2::MockSettings};
use medusa_store_auth::v2::types::AuthPayload;
use medusa_store_auth::v2::EMAILPASS;
use reqwest::StatusCode;
use storefront::example::{CookieSettings, Shop};
use storefront::{Storefront, Visitor};
use support::totp_now;

const PASSWORD: &str = "Storefront-pass-1!";

async fn v1_storefront() -> (mock::MockStore, Storefront) {
    let store = mock::MockStore::start().await;
    let shop = Shop::connect("v1", store.base_url(), None).unwrap();
    (store, Storefront::start(shop).await)
}

async fn v2_storefront(settings: MockSettings) -> (mock::v2::MockStore, Storefront) {
    let store = mock::v2::MockStore::start_with(settings).await;
    let shop = Shop::connect("v2", store.base_url(), Some(mock::v2::PUBLISHABLE_KEY)).unwrap();
    (store, Storefront::start(shop).await)
}

/// Logs in, reads the account twice (a reload keeps the session), logs out, and checks the
/// account is gone.
async fn visit(storefront: &Storefront, email: &str, password: &str) {
    let visitor = Visitor::new(storefront);
    let account = visitor.log_in(email, password).await;
    assert_eq!(
        (account.status, account.path.as_str()),
        (StatusCode::OK, "/account"),
        "{email}"
    );
    assert_eq!(account.text_of("customer-email"), Some(email));
    let again = visitor.get("/").await;
    assert_eq!(
        again.text_of("customer-email"),
        Some(email),
        "a reload keeps {email}"
    );
    let out = visitor.log_out().await;
    assert_eq!(out.path, "/login");
    assert!(out.html.contains("You have logged out."));
    let after = visitor.get("/account").await;
    assert_eq!(after.path, "/login", "{email}'s account after logout");
    assert_eq!(after.text_of("customer-email"), None);
}

#[tokio::test]
async fn v1_a_customer_logs_in_reloads_and_logs_out() {
    let (_store, storefront) = v1_storefront().await;
    visit(&storefront, mock::RECORDED_EMAIL, mock::RECORDED_PASSWORD).await;
}

#[tokio::test]
async fn v2_a_customer_logs_in_reloads_and_logs_out() {
    let (store, storefront) = v2_storefront(MockSettings::default()).await;
    store.register("carol@example.com", PASSWORD);
    visit(&storefront, "carol@example.com", PASSWORD).await;
}

#[tokio::test]
async fn a_new_customer_registers_on_either_line_and_lands_on_the_account() {
    let (_v1, v1) = v1_storefront().await;
    let (_v2, v2) = v2_storefront(MockSettings::default()).await;
    for storefront in [&v1, &v2] {
        let visitor = Visitor::new(storefront);
        let form = visitor.get("/register").await;
        let fields = [
            ("first_name", "Dora"),
            ("last_name", "<b>Explorer</b>"),
            ("email", "dora@example.com"),
            ("password", PASSWORD),
        ];
        let account = visitor.submit(&form, "/register", &fields).await;
        assert_eq!(account.path, "/account", "{}", account.html);
        assert_eq!(account.text_of("customer-email"), Some("dora@example.com"));
        // What a customer typed is text on the page, never markup.
        assert_eq!(
            account.text_of("customer-name"),
            Some("Dora &lt;b&gt;Explorer&lt;/b&gt;")
        );

        let again = Visitor::new(storefront);
        let form = again.get("/register").await;
        let taken = again.submit(&form, "/register", &fields).await;
        assert_eq!(taken.status, StatusCode::CONFLICT);
        assert!(taken.html.contains("exists already"), "{}", taken.html);
    }
}

#[tokio::test]
async fn a_wrong_password_gets_the_login_page_with_a_clear_message_and_no_session() {
    let (_store, storefront) = v1_storefront().await;
    let visitor = Visitor::new(&storefront);
    let page = visitor
        .log_in(mock::RECORDED_EMAIL, "not-the-password")
        .await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    assert!(page
        .html
        .contains("That email and password do not match an account."));
    assert!(!page.html.contains("not-the-password"));
    // The email is kept in the form, escaped.
    assert!(page
        .html
        .contains(&format!("value=\"{}\"", mock::RECORDED_EMAIL)));
    assert!(page
        .set_cookies
        .iter()
        .all(|c| !c.starts_with("shop_session=")));
    assert_eq!(visitor.get("/account").await.path, "/login");
}

#[tokio::test]
async fn a_server_that_is_down_gets_a_page_that_says_so() {
    let (store, storefront) = v2_storefront(MockSettings::default()).await;
    store.register("erin@example.com", PASSWORD);
    let visitor = Visitor::new(&storefront);
    assert_eq!(
        visitor.log_in("erin@example.com", PASSWORD).await.path,
        "/account"
    );
    drop(store);
    let page = visitor.get("/account").await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        page.html
            .contains("We cannot reach the shop&#39;s account service")
            || page
                .html
                .contains("We cannot reach the shop's account service")
    );
    // The session is kept: nothing was the visitor's fault.
    assert!(page
        .set_cookies
        .iter()
        .all(|c| !c.starts_with("shop_session=")));
    let login = visitor.log_in("erin@example.com", PASSWORD).await;
    assert_eq!(login.status, StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn a_form_without_the_csrf_token_or_from_another_site_changes_nothing() {
    let (store, storefront) = v1_storefront().await;
    let visitor = Visitor::new(&storefront);
    let account = visitor
        .log_in(mock::RECORDED_EMAIL, mock::RECORDED_PASSWORD)
        .await;
    assert_eq!(account.path, "/account");

    let forged = visitor
        .post("/logout", &[("csrf", "0123456789abcdef0123456789abcdef")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let missing = visitor.post("/logout", &[]).await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    assert_eq!(
        visitor.get("/account").await.text_of("customer-email"),
        Some(mock::RECORDED_EMAIL)
    );

    // The right token, but posted by another site's page.
    let http = reqwest::Client::new();
    let cross_site = http
        .post(format!("{}/login", storefront.url))
        .header("origin", "http://evil.example")
        .header("cookie", format!("shop_csrf={}", account.csrf()))
        .form(&[
            ("csrf", account.csrf()),
            ("email", mock::RECORDED_EMAIL),
            ("password", mock::RECORDED_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
    drop(store);
}

#[tokio::test]
async fn the_session_cookie_is_http_only_same_site_lax_and_secure_when_asked() {
    let store = mock::MockStore::start().await;
    for (secure, storefront) in [
        (
            false,
            Storefront::start(Shop::connect("v1", store.base_url(), None).unwrap()).await,
        ),
        (
            true,
            Storefront::start_with(
                Shop::connect("v1", store.base_url(), None).unwrap(),
                CookieSettings { secure: true },
            )
            .await,
        ),
    ] {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let login = http
            .get(format!("{}/login", storefront.url))
            .send()
            .await
            .unwrap();
        let csrf_cookie = login.headers()["set-cookie"].to_str().unwrap().to_string();
        let token = csrf_cookie
            .split(';')
            .next()
            .unwrap()
            .strip_prefix("shop_csrf=")
            .unwrap()
            .to_string();
        let answer = http
            .post(format!("{}/login", storefront.url))
            .header("cookie", format!("shop_csrf={token}"))
            .form(&[
                ("csrf", token.as_str()),
                ("email", mock::RECORDED_EMAIL),
                ("password", mock::RECORDED_PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::SEE_OTHER);
        let cookie = answer.headers()["set-cookie"].to_str().unwrap();
        assert!(cookie.starts_with("shop_session=ms1."), "{cookie}");
        let attributes: HashSet<&str> = cookie.split("; ").skip(1).collect();
        let mut expected = HashSet::from(["Path=/", "HttpOnly", "SameSite=Lax"]);
        if secure {
            expected.insert("Secure");
        }
        assert_eq!(attributes, expected);
    }
}

#[tokio::test]
async fn a_hostile_or_foreign_session_cookie_reads_as_signed_out_and_is_removed() {
    let (_v1, v1) = v1_storefront().await;
    let v2_store = mock::v2::MockStore::start().await;
    v2_store.register("fay@example.com", PASSWORD);
    // A real v2 session, as the other line's storefront would have saved it.
    let v2_session = v2_store.client();
    let credentials = AuthPayload::email_password("fay@example.com", PASSWORD);
    assert!(v2_session
        .login(EMAILPASS, &credentials)
        .await
        .unwrap()
        .is_authenticated());
    let foreign = v2_session.saved_session().encode();

    let oversized = "A".repeat(5000);
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for hostile in [
        "ms1.%%%",
        "ms1.eyJ4IjoxfQ",
        "<script>",
        &oversized,
        &foreign,
    ] {
        let answer = no_redirects
            .get(format!("{}/account", v1.url))
            .header("cookie", format!("shop_session={hostile}"))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::SEE_OTHER, "{hostile:.20}");
        assert_eq!(answer.headers()["location"], "/login", "{hostile:.20}");
        let removed = answer.headers().get_all("set-cookie").iter().any(|c| {
            let c = c.to_str().unwrap();
            c.starts_with("shop_session=;") && c.contains("Max-Age=0")
        });
        assert!(removed, "{hostile:.20}");
        assert!(!answer.text().await.unwrap().contains(hostile));
    }
}

#[tokio::test]
async fn v2_the_second_factor_step_finishes_the_sign_in() {
    let (store, storefront) = v2_storefront(MockSettings::default()).await;
    let email = "gus@example.com";
    store.register(email, PASSWORD);
    // The customer enrolled a TOTP factor earlier (through the crate, as an account page would).
    let enrolment = store.client();
    enrolment
        .login(EMAILPASS, &AuthPayload::email_password(email, PASSWORD))
        .await
        .unwrap();
    let secret = support::enrol_totp(&enrolment).await;

    let visitor = Visitor::new(&storefront);
    let challenge = visitor.log_in(email, PASSWORD).await;
    assert_eq!(challenge.path, "/mfa", "{}", challenge.html);
    // Not signed in yet: the account sends the visitor back to the challenge.
    assert_eq!(visitor.get("/account").await.path, "/mfa");

    let wrong = visitor
        .submit(
            &challenge,
            "/mfa",
            &[("challenge", &challenge_id(&challenge)), ("code", "000000")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.html.contains("That code is not right"));
    let code = totp_now(&secret);
    let account = visitor
        .submit(
            &wrong,
            "/mfa",
            &[("challenge", &challenge_id(&wrong)), ("code", &code)],
        )
        .await;
    assert_eq!(account.path, "/account", "{}", account.html);
    assert_eq!(account.text_of("customer-email"), Some(email));
}

fn challenge_id(page: &storefront::Page) -> String {
    let marker = "name=\"challenge\" value=\"";
    let start = page.html.find(marker).unwrap() + marker.len();
    page.html[start..][..page.html[start..].find('"').unwrap()].to_string()
}

#[tokio::test]
async fn v2_email_verification_finishes_a_registration() {
    let (store, storefront) =
        v2_storefront(MockSettings::default().with_verification_required()).await;
    let email = "hal@example.com";
    let visitor = Visitor::new(&storefront);
    let form = visitor.get("/register").await;
    let fields = [
        ("first_name", "Hal"),
        ("last_name", "V"),
        ("email", email),
        ("password", PASSWORD),
    ];
    let verify = visitor.submit(&form, "/register", &fields).await;
    assert_eq!(verify.path, "/verify", "{}", verify.html);
    assert_eq!(visitor.get("/account").await.path, "/verify");

    let wrong = visitor
        .submit(&verify, "/verify", &[("code", "not-the-code")])
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let code = store
        .verification_code(email)
        .expect("a code was requested");
    let account = visitor
        .submit(&wrong, "/verify", &[("code", code.expose())])
        .await;
    assert_eq!(account.path, "/account", "{}", account.html);
    assert_eq!(account.text_of("customer-email"), Some(email));
}

/// Many visitors at once on one storefront (one shared client) per line: each sees only its
/// own account, through login, reloads and logout. Bounded: 2 × 100 visitors, 60 s.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_concurrent_visitors_never_see_each_other() {
    const VISITORS: usize = 100;
    let (v1_store, v1) = v1_storefront().await;
    let (v2_store, v2) = v2_storefront(MockSettings::default()).await;
    let mut visits = tokio::task::JoinSet::new();
    for n in 0..VISITORS {
        let email = format!("visitor-{n}@example.com");
        v1_store.register(&email, PASSWORD);
        v2_store.register(&email, PASSWORD);
        for storefront in [&v1, &v2] {
            let visitor = Visitor::new(storefront);
            let email = email.clone();
            visits.spawn(async move {
                let account = visitor.log_in(&email, PASSWORD).await;
                for _ in 0..3 {
                    let page = visitor.get("/account").await;
                    assert_eq!(page.text_of("customer-email"), Some(email.as_str()));
                }
                assert_eq!(account.text_of("customer-email"), Some(email.as_str()));
                visitor.log_out().await;
                assert_eq!(visitor.get("/account").await.path, "/login");
            });
        }
    }
    let all = async {
        while let Some(visit) = visits.join_next().await {
            visit.unwrap();
        }
    };
    tokio::time::timeout(Duration::from_secs(60), all)
        .await
        .expect("200 visits within 60 s");
}
