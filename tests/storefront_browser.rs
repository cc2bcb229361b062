//! `examples/storefront_server/` as a person uses it: Debian's Chromium, headless, driven
//! through chromedriver (WebDriver, with fantoccini). Two people, each in a browser profile of
//! their own, use one storefront (one shared client) at the same time: they log in (or
//! register) through the forms, see their account, reload, and log out, and neither ever sees
//! the other's account. The account page is saved as a PNG under `target/tmp/screenshots/`.
//!
//! Ignored by a plain `cargo test`: they need `chromium` and `chromium-driver`, which
//! `.ci/run` installs before running `cargo test --test storefront_browser -- --ignored`.
//! The `real_*` tests need a real server: `scripts/e2e.sh` (Medusa 1.x, `MEDUSA_E2E_URL`)
//! and `scripts/e2e-v2.sh` (Medusa 2.x, `MEDUSA_V2_E2E_*`) run them with it.

mod storefront;
mod support;

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use fantoccini::wd::TimeoutConfiguration;
use fantoccini::{Client, ClientBuilder, Locator};
use medusa_store_auth::mock::{self, v2::MockSettings};
use medusa_store_auth::v2::types::AuthPayload;
use medusa_store_auth::v2::EMAILPASS;
use storefront::example::Shop;
use storefront::Storefront;
use support::{totp_now, unique_email};
use tokio::io::{AsyncBufReadExt, BufReader};

const PASSWORD: &str = "Browser-pass-1!";
/// What a page after a sign-in step shows: the account, a code form, or an error.
const NEXT_STEP: &str = "#customer-email, #code, p.error";

/// chromedriver on a free loopback port, stopped with its browsers when dropped (a failing
/// test included).
struct Driver {
    url: String,
    process: tokio::process::Child,
}

impl Drop for Driver {
    fn drop(&mut self) {
        // chromedriver leads a process group of its own, which its Chromiums join: end the
        // whole group, not only the driver.
        if let Some(group) = self.process.id().and_then(|pid| i32::try_from(pid).ok()) {
            if group > 1 {
                // SAFETY: kill(2) with a negative pid signals that process group only.
                unsafe { libc::kill(-group, libc::SIGKILL) };
            }
        }
    }
}

impl Driver {
    async fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut process = tokio::process::Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::piped())
            .process_group(0)
            .kill_on_drop(true)
            .spawn()
            .expect("chromedriver (Debian's chromium-driver) is installed");
        // It says when it listens.
        let mut lines = BufReader::new(process.stdout.take().unwrap()).lines();
        let ready = async {
            while let Some(line) = lines.next_line().await.unwrap() {
                if line.contains("started successfully") {
                    return;
                }
            }
            panic!("chromedriver stopped before it listened");
        };
        tokio::time::timeout(Duration::from_secs(30), ready)
            .await
            .expect("chromedriver listens within 30 s");
        Driver {
            url: format!("http://127.0.0.1:{port}"),
            process,
        }
    }

    /// A browser with a new, empty profile of its own.
    async fn browser(&self, profile: &str) -> Person {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join("browser-profiles")
            .join(format!("{profile}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        // The flags that let Chromium run headless as root on a machine with no network
        // beyond loopback (without them it keeps calling Google's hosts).
        let args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=900,700",
            &format!("--user-data-dir={}", dir.display()),
        ];
        let capabilities = serde_json::json!({
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": "/usr/bin/chromium", "args": args },
        });
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let browser = ClientBuilder::new(connector)
            .capabilities(capabilities.as_object().unwrap().clone())
            .connect(&self.url)
            .await
            .expect("chromedriver starts a Chromium session");
        // Finding an element waits (in the browser) up to 10 s for the page to show it.
        browser
            .update_timeouts(TimeoutConfiguration::new(
                Some(Duration::from_secs(30)),
                Some(Duration::from_secs(30)),
                Some(Duration::from_secs(10)),
            ))
            .await
            .unwrap();
        Person { browser }
    }
}

/// One person at one browser.
struct Person {
    browser: Client,
}

impl Person {
    async fn open(&self, url: &str) {
        self.browser.goto(url).await.unwrap();
    }

    async fn path(&self) -> String {
        self.browser.current_url().await.unwrap().path().to_string()
    }

    async fn fill(&self, id: &str, text: &str) {
        let field = self.browser.find(Locator::Id(id)).await.unwrap();
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    async fn click(&self, id: &str) {
        self.browser
            .find(Locator::Id(id))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }

    /// Clicks `id`, which submits a form, and waits until the page it leads to shows
    /// `arrived` (a CSS selector): a click returns before the next page has loaded.
    async fn submit(&self, id: &str, arrived: &str) {
        self.click(id).await;
        self.browser
            .wait()
            .at_most(Duration::from_secs(15))
            .for_element(Locator::Css(arrived))
            .await
            .unwrap_or_else(|e| panic!("after {id}, no {arrived}: {e}"));
    }

    async fn text(&self, id: &str) -> Option<String> {
        let element = self.browser.find(Locator::Id(id)).await.ok()?;
        Some(element.text().await.unwrap())
    }

    async fn log_in(&self, storefront: &str, email: &str, password: &str) {
        self.open(&format!("{storefront}/login")).await;
        self.fill("email", email).await;
        self.fill("password", password).await;
        self.submit("log-in", NEXT_STEP).await;
    }

    async fn register(&self, storefront: &str, name: (&str, &str), email: &str) {
        self.open(&format!("{storefront}/register")).await;
        self.fill("first_name", name.0).await;
        self.fill("last_name", name.1).await;
        self.fill("email", email).await;
        self.fill("password", PASSWORD).await;
        self.submit("register", NEXT_STEP).await;
    }

    /// The email the account page shows, after waiting for it.
    async fn account_email(&self) -> String {
        match self.text("customer-email").await {
            Some(email) => email,
            None => panic!("no account page at {}", self.path().await),
        }
    }

    async fn screenshot(&self, name: &str) -> PathBuf {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, self.browser.screenshot().await.unwrap()).unwrap();
        println!("screenshot: {}", path.display());
        path
    }

    async fn close(self) {
        self.browser.close().await.unwrap();
    }
}

/// How a person gets in.
enum SignIn<'a> {
    LogIn {
        email: &'a str,
        password: &'a str,
    },
    Register {
        name: (&'a str, &'a str),
        email: &'a str,
    },
}

impl SignIn<'_> {
    fn email(&self) -> &str {
        match self {
            SignIn::LogIn { email, .. } | SignIn::Register { email, .. } => email,
        }
    }

    async fn run(&self, person: &Person, storefront: &str) {
        match self {
            SignIn::LogIn { email, password } => person.log_in(storefront, email, password).await,
            SignIn::Register { name, email } => person.register(storefront, *name, email).await,
        }
    }
}

/// Two people, two profiles, one storefront, at the same time: each sees only their own
/// account, a reload keeps it, and one logging out leaves the other signed in.
async fn two_people(storefront: &str, name: &str, first: SignIn<'_>, second: SignIn<'_>) {
    let driver = Driver::start().await;
    let profiles = (format!("{name}-a"), format!("{name}-b"));
    let (a, b) = tokio::join!(driver.browser(&profiles.0), driver.browser(&profiles.1));
    let (a_email, b_email) = (first.email().to_lowercase(), second.email().to_lowercase());
    assert_ne!(a_email, b_email);

    tokio::join!(first.run(&a, storefront), second.run(&b, storefront));
    assert_eq!(a.path().await, "/account");
    assert_eq!(b.path().await, "/account");
    assert_eq!(a.account_email().await, a_email);
    assert_eq!(b.account_email().await, b_email);
    let shot = a.screenshot(&format!("{name}-account")).await;
    assert!(std::fs::metadata(&shot).unwrap().len() > 1000);

    // A reload keeps each one's session, and only theirs.
    a.browser.refresh().await.unwrap();
    b.open(&format!("{storefront}/")).await;
    assert_eq!(a.account_email().await, a_email);
    assert_eq!(b.account_email().await, b_email);

    // One logs out: their account is gone, the other's is not.
    a.submit("log-out", "p.info").await;
    assert_eq!(a.path().await, "/login");
    assert!(a
        .browser
        .source()
        .await
        .unwrap()
        .contains("You have logged out."));
    a.open(&format!("{storefront}/account")).await;
    assert_eq!(a.path().await, "/login");
    assert_eq!(a.text("customer-email").await, None);
    b.browser.refresh().await.unwrap();
    assert_eq!(b.account_email().await, b_email);
    b.submit("log-out", "p.info").await;
    b.open(&format!("{storefront}/account")).await;
    assert_eq!(b.path().await, "/login");

    a.close().await;
    b.close().await;
}

/// A person registers on a store that requires a verified email and a second factor from
/// those who enrolled one: the code page, then the account; they enrol a TOTP factor (with
/// `client`, as an account page would), log out, and log in again through the challenge
/// page, a wrong code first. `emailed` reads the code the store sent.
async fn guarded_sign_ins<F, Fut>(
    storefront: &str,
    name: &str,
    email: &str,
    client: medusa_store_auth::v2::AuthClient,
    emailed: F,
) where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = String>,
{
    let driver = Driver::start().await;
    let person = driver.browser(name).await;
    person
        .register(storefront, ("Vera", "Verified"), email)
        .await;
    assert_eq!(person.path().await, "/verify");
    person.screenshot(&format!("{name}-verify")).await;
    person.fill("code", &emailed().await).await;
    person.submit("confirm", "#customer-email").await;
    assert_eq!(person.account_email().await, email);

    let credentials = AuthPayload::email_password(email, PASSWORD);
    assert!(client
        .login(EMAILPASS, &credentials)
        .await
        .unwrap()
        .is_authenticated());
    let secret = support::enrol_totp(&client).await;

    person.submit("log-out", "p.info").await;
    person.log_in(storefront, email, PASSWORD).await;
    assert_eq!(person.path().await, "/mfa");
    person.fill("code", "000000").await;
    person.submit("confirm", "p.error").await;
    assert!(person
        .browser
        .source()
        .await
        .unwrap()
        .contains("That code is not right"));
    person.screenshot(&format!("{name}-wrong-code")).await;
    person.fill("code", &totp_now(&secret)).await;
    person.submit("confirm", "#customer-email").await;
    assert_eq!(person.account_email().await, email);
    person.screenshot(&format!("{name}-account")).await;
    person.close().await;
}

#[tokio::test]
#[ignore = "needs Debian's chromium and chromium-driver (.ci/run installs them)"]
async fn stand_in_v1_two_people_in_chromium() {
    let store = mock::MockStore::start().await;
    store.register("bob@example.com", PASSWORD);
    let storefront = Storefront::start(Shop::connect("v1", store.base_url(), None).unwrap()).await;
    let alice = SignIn::LogIn {
        email: mock::RECORDED_EMAIL,
        password: mock::RECORDED_PASSWORD,
    };
    let bob = SignIn::LogIn {
        email: "bob@example.com",
        password: PASSWORD,
    };
    two_people(&storefront.url, "stand-in-v1", alice, bob).await;

    // What a person sees when the password is wrong, and when the shop's Medusa is down.
    let driver = Driver::start().await;
    let person = driver.browser("stand-in-v1-trouble").await;
    person
        .log_in(&storefront.url, "bob@example.com", "not-it")
        .await;
    let page = person.browser.source().await.unwrap();
    assert!(page.contains("That email and password do not match an account."));
    person.screenshot("stand-in-v1-wrong-password").await;
    person
        .log_in(&storefront.url, "bob@example.com", PASSWORD)
        .await;
    assert_eq!(person.account_email().await, "bob@example.com");
    drop(store);
    person.browser.refresh().await.unwrap();
    let page = person.browser.source().await.unwrap();
    assert!(page.contains("cannot reach the shop"), "{page}");
    person.screenshot("stand-in-v1-server-down").await;
    person.close().await;
}

#[tokio::test]
#[ignore = "needs Debian's chromium and chromium-driver (.ci/run installs them)"]
async fn stand_in_v2_two_people_second_factor_and_verification_in_chromium() {
    let store = mock::v2::MockStore::start().await;
    store.register("carol@example.com", PASSWORD);
    let shop = Shop::connect("v2", store.base_url(), Some(mock::v2::PUBLISHABLE_KEY)).unwrap();
    let storefront = Storefront::start(shop).await;
    let carol = SignIn::LogIn {
        email: "carol@example.com",
        password: PASSWORD,
    };
    let dan = SignIn::Register {
        name: ("Dan", "Newcomer"),
        email: "dan@example.com",
    };
    two_people(&storefront.url, "stand-in-v2", carol, dan).await;

    let settings = MockSettings::default().with_verification_required();
    let guarded = mock::v2::MockStore::start_with(settings).await;
    let shop = Shop::connect("v2", guarded.base_url(), Some(mock::v2::PUBLISHABLE_KEY)).unwrap();
    let storefront = Storefront::start(shop).await;
    let emailed = || async {
        let code = guarded.verification_code("vera@example.com").unwrap();
        code.expose().to_string()
    };
    let client = guarded.client();
    guarded_sign_ins(
        &storefront.url,
        "stand-in-v2-guarded",
        "vera@example.com",
        client,
        emailed,
    )
    .await;
}

fn var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set: scripts/e2e*.sh set it"))
}

#[tokio::test]
#[ignore = "needs chromium and a real Medusa 1.x: set MEDUSA_E2E_URL (scripts/e2e.sh does)"]
async fn real_v1_two_people_in_chromium() {
    let shop = Shop::connect("v1", &var("MEDUSA_E2E_URL"), None).unwrap();
    let storefront = Storefront::start(shop).await;
    let newcomer = unique_email("browser-v1");
    let registered = SignIn::LogIn {
        email: "alice@example.com",
        password: "S3cret-pass!",
    };
    let new = SignIn::Register {
        name: ("Nina", "Browser"),
        email: &newcomer,
    };
    two_people(&storefront.url, "real-v1", registered, new).await;
}

fn v2_key() -> String {
    let keys: serde_json::Value = serde_json::from_str(&var("MEDUSA_V2_E2E_KEYS")).unwrap();
    keys["publishable"].as_str().unwrap().to_string()
}

#[tokio::test]
#[ignore = "needs chromium and a real Medusa 2.x: set MEDUSA_V2_E2E_URL (scripts/e2e-v2.sh does)"]
async fn real_v2_two_people_in_chromium() {
    let shop = Shop::connect("v2", &var("MEDUSA_V2_E2E_URL"), Some(&v2_key())).unwrap();
    let storefront = Storefront::start(shop).await;
    let (first, second) = (unique_email("browser-v2"), unique_email("browser-v2"));
    let a = SignIn::Register {
        name: ("Ada", "First"),
        email: &first,
    };
    let b = SignIn::Register {
        name: ("Ben", "Second"),
        email: &second,
    };
    two_people(&storefront.url, "real-v2", a, b).await;
}

#[tokio::test]
#[ignore = "needs chromium and a real Medusa 2.x with MFA and verification: set MEDUSA_V2_E2E_FEATURES_URL (scripts/e2e-v2.sh does)"]
async fn real_v2_verification_and_second_factor_in_chromium() {
    let url = var("MEDUSA_V2_E2E_FEATURES_URL");
    let key = v2_key();
    let storefront = Storefront::start(Shop::connect("v2", &url, Some(&key)).unwrap()).await;
    let email = unique_email("browser-guarded");
    let dir = PathBuf::from(var("MEDUSA_V2_E2E_VERIFICATION_DIR"));
    let emailed = || async { support::emailed_verification_code(&dir, &email).await.0 };
    let client = medusa_store_auth::v2::AuthClient::new(
        medusa_store_auth::Config::new()
            .with_base_url(&url)
            .with_publishable_api_key(&key),
    )
    .unwrap();
    guarded_sign_ins(&storefront.url, "real-v2-guarded", &email, client, emailed).await;
}
