//! End to end against a real Medusa v1 server, named by `MEDUSA_E2E_URL`
//! (`scripts/e2e.sh` provisions one, runs this suite and stops it).
//!
//! Without the variable every test here is reported as ignored; run them with
//! `MEDUSA_E2E_URL=http://127.0.0.1:9000 cargo test --test e2e -- --ignored`.
//! Each run registers fresh customers (`POST /store/customers`), so it can run again on the
//! same database.

mod support;

use medusa_store_auth::v1::types::StorePostAuthReq;
use medusa_store_auth::v1::AuthClient;
use medusa_store_auth::Config;
use support::proxy::RecordingProxy;
use support::unique_email;

const PASSWORD: &str = "E2e-pass-1!";

fn server_url() -> String {
    std::env::var("MEDUSA_E2E_URL")
        .expect("MEDUSA_E2E_URL is not set: start a server with scripts/medusa-server.sh start, or run scripts/e2e.sh")
        .trim_end_matches('/')
        .to_string()
}

fn client() -> AuthClient {
    AuthClient::with_base_url(server_url()).unwrap()
}

/// Registers a customer through the store API, outside the crate under test.
async fn register(email: &str) {
    let response = reqwest::Client::new()
        .post(format!("{}/store/customers", server_url()))
        .json(&serde_json::json!({ "email": email, "password": PASSWORD, "first_name": "E2e", "last_name": "Test" }))
        .send()
        .await
        .expect("POST /store/customers");
    assert_eq!(
        response.status(),
        200,
        "registering {email}: {}",
        response.text().await.unwrap_or_default()
    );
}

#[tokio::test]
#[ignore = "needs a real Medusa: set MEDUSA_E2E_URL (scripts/e2e.sh does)"]
async fn every_call_succeeds_and_decodes_into_the_generated_types() {
    let email = unique_email("calls");
    register(&email).await;
    let client = client();
    let login = StorePostAuthReq::new(&email, PASSWORD);

    let session = client.authenticate(&login).await.unwrap();
    assert_eq!(session.customer.email, email);
    assert!(session.customer.has_account && session.customer.id.starts_with("cus_"));
    assert_eq!(
        client.get_session().await.unwrap().customer,
        session.customer
    );
    assert!(client.exists(&email).await.unwrap().exists);
    let token = client.get_token(&login).await.unwrap().access_token;
    assert_eq!(token.expose().split('.').count(), 3, "a JWT");
    client.delete_session().await.unwrap();
}

#[tokio::test]
#[ignore = "needs a real Medusa: set MEDUSA_E2E_URL (scripts/e2e.sh does)"]
async fn wrong_password_and_unknown_email_are_unauthorized() {
    let email = unique_email("wrong");
    register(&email).await;
    let client = client();
    for login in [
        StorePostAuthReq::new(&email, "not-the-password"),
        StorePostAuthReq::new(unique_email("nobody"), PASSWORD),
    ] {
        let err = client.authenticate(&login).await.unwrap_err();
        assert!(err.is_unauthorized(), "{err:?}");
        assert!(client
            .get_token(&login)
            .await
            .unwrap_err()
            .is_unauthorized());
    }
    assert!(client.get_session().await.unwrap_err().is_unauthorized());
}

#[tokio::test]
#[ignore = "needs a real Medusa: set MEDUSA_E2E_URL (scripts/e2e.sh does)"]
async fn missing_or_invalid_fields_are_invalid_data() {
    let client = client();
    let err = client
        .authenticate(&StorePostAuthReq::new("alice@example.com", ""))
        .await
        .unwrap_err();
    assert!(err.is_invalid_data(), "{err:?}");
    assert_eq!(
        (err.status().unwrap().as_u16(), err.message()),
        (400, Some("password should not be empty"))
    );

    let err = client
        .get_token(&StorePostAuthReq::new("not-an-email", "x"))
        .await
        .unwrap_err();
    assert_eq!(
        (err.error_type(), err.message()),
        (Some("invalid_data"), Some("email must be an email"))
    );

    // Malformed input: a body the server cannot parse as JSON.
    let err = client
        .authenticate(&StorePostAuthReq::new("alice@example.com", PASSWORD))
        .header("content-type", "text/plain")
        .await
        .unwrap_err();
    assert_eq!(
        err.message(),
        Some("email must be an email, password should not be empty"),
        "{err:?}"
    );
}

#[tokio::test]
#[ignore = "needs a real Medusa: set MEDUSA_E2E_URL (scripts/e2e.sh does)"]
async fn exists_for_registered_unknown_upper_case_plus_and_special_emails() {
    let client = client();
    let plain = unique_email("exists");
    let plus = unique_email("exists+tag");
    let special = unique_email("o'hara#1/x%y");
    for email in [&plain, &plus, &special] {
        register(email).await;
    }
    assert!(client.exists(&plain).await.unwrap().exists);
    assert!(
        client.exists(plain.to_uppercase()).await.unwrap().exists,
        "the server compares case-insensitively"
    );
    assert!(client.exists(&plus).await.unwrap().exists, "{plus}");
    assert!(client.exists(&special).await.unwrap().exists, "{special}");
    assert!(!client.exists(unique_email("unknown")).await.unwrap().exists);
    assert!(
        !client
            .exists("back\\slash?query#frag@example.com")
            .await
            .unwrap()
            .exists
    );
}

#[tokio::test]
#[ignore = "needs a real Medusa: set MEDUSA_E2E_URL (scripts/e2e.sh does)"]
async fn cookie_lifecycle() {
    let email = unique_email("cookie");
    register(&email).await;
    let client = client();
    client
        .authenticate(&StorePostAuthReq::new(&email, PASSWORD))
        .await
        .unwrap();
    assert_eq!(client.get_session().await.unwrap().customer.email, email);
    client.delete_session().await.unwrap();
    assert!(client.get_session().await.unwrap_err().is_unauthorized());
}

#[tokio::test]
#[ignore = "needs a real Medusa: set MEDUSA_E2E_URL (scripts/e2e.sh does)"]
async fn token_lifecycle_and_the_server_never_revokes_a_token() {
    let email = unique_email("token");
    register(&email).await;
    let client = client();
    let token = client
        .get_token(&StorePostAuthReq::new(&email, PASSWORD))
        .await
        .unwrap()
        .access_token;
    assert_eq!(
        client.get_session().await.unwrap().customer.email,
        email,
        "the bearer authenticates"
    );

    client.delete_session().await.unwrap();
    assert!(client.token().is_none(), "the client forgot the token");
    assert!(client.get_session().await.unwrap_err().is_unauthorized());

    let other = self::client();
    other.set_token(token).unwrap();
    assert_eq!(
        other.get_session().await.unwrap().customer.email,
        email,
        "the token still works on the server"
    );
}

#[tokio::test]
#[ignore = "needs a real Medusa: set MEDUSA_E2E_URL (scripts/e2e.sh does)"]
async fn default_and_custom_headers_reach_the_server() {
    let upstream = server_url().trim_start_matches("http://").to_string();
    let proxy = RecordingProxy::start(upstream).await;
    let config = Config::new()
        .with_base_url(&proxy.base_url)
        .with_header("x-e2e-default", "d")
        .with_header("x-e2e-both", "default")
        .with_publishable_api_key("pk_e2e");
    let client = AuthClient::new(config).unwrap();

    let exists = client
        .exists("alice@example.com")
        .header("x-e2e-call", "c")
        .header("x-e2e-both", "call")
        .await
        .unwrap();
    assert!(exists.exists, "the seeded customer");
    client.exists("alice@example.com").await.unwrap();

    let seen = proxy.seen();
    assert_eq!(seen.len(), 2);
    let (first, second) = (&seen[0], &seen[1]);
    assert_eq!(
        (first.method.as_str(), first.path.as_str()),
        ("GET", "/store/auth/alice@example.com")
    );
    assert_eq!(first.header_values("x-e2e-default"), ["d"]);
    assert_eq!(first.header_values("x-e2e-both"), ["call"]);
    assert_eq!(first.header_values("x-e2e-call"), ["c"]);
    assert_eq!(first.header_values("x-publishable-api-key"), ["pk_e2e"]);
    assert!(first.header_values("api-version").is_empty());
    assert_eq!(second.header_values("x-e2e-both"), ["default"]);
    assert!(
        second.header_values("x-e2e-call").is_empty(),
        "per-call headers stay with their call"
    );
    assert_eq!(
        second.header_values("cookie").len(),
        1,
        "the session cookie set by the first answer is sent back"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a real Medusa: set MEDUSA_E2E_URL (scripts/e2e.sh does)"]
async fn fifty_concurrent_clients_each_see_only_their_own_customer() {
    const CLIENTS: usize = 50;
    let emails: Vec<String> = (0..CLIENTS).map(|_| unique_email("many")).collect();
    for email in &emails {
        register(email).await;
    }
    let tasks: Vec<_> = emails
        .iter()
        .cloned()
        .map(|email| {
            tokio::spawn(async move {
                let client = client();
                client
                    .authenticate(&StorePostAuthReq::new(&email, PASSWORD))
                    .await
                    .unwrap();
                let seen = client.get_session().await.unwrap().customer.email;
                (email, seen)
            })
        })
        .collect();
    for task in tasks {
        let (email, seen) = task.await.unwrap();
        assert_eq!(seen, email);
    }
}
