//! The README's main job: authenticate → get_session → exists → get_token → get_session
//! with the bearer → delete_session, printing each step.
//!
//! Against a real Medusa: `MEDUSA_BACKEND_URL=http://localhost:9000 MEDUSA_EMAIL=… MEDUSA_PASSWORD=…
//! cargo run --example quickstart` (the customer must be registered). Without
//! `MEDUSA_BACKEND_URL`, it starts the crate's stand-in server (`medusa_store_auth::mock`,
//! feature `mock`), which answers as the recorded Medusa 1.20.11, and logs in as the recorded
//! customer.

use medusa_store_auth::mock::{MockStore, RECORDED_EMAIL, RECORDED_PASSWORD};
use medusa_store_auth::v1::types::StorePostAuthReq;
use medusa_store_auth::v1::AuthClient;
use medusa_store_auth::{Config, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    // Keep the stand-in alive for the whole run.
    let (_standin, base_url, email, password) = match std::env::var("MEDUSA_BACKEND_URL") {
        Ok(url) => {
            let email = std::env::var("MEDUSA_EMAIL")
                .expect("set MEDUSA_EMAIL to a registered customer's email");
            let password = std::env::var("MEDUSA_PASSWORD")
                .expect("set MEDUSA_PASSWORD to that customer's password");
            (None, url, email, password)
        }
        Err(_) => {
            let store = MockStore::start().await;
            let url = store.base_url().to_string();
            println!("MEDUSA_BACKEND_URL is not set: using the crate's stand-in at {url}");
            println!("  (medusa_store_auth::mock, which answers as the recorded Medusa 1.20.11)");
            (
                Some(store),
                url,
                RECORDED_EMAIL.to_string(),
                RECORDED_PASSWORD.to_string(),
            )
        }
    };

    let client = AuthClient::new(
        Config::new()
            .with_base_url(&base_url)
            .with_header("x-storefront", "quickstart"),
    )?;
    let login = StorePostAuthReq::new(email.as_str(), password.as_str());

    let session = client.authenticate(&login).await?;
    println!(
        "1. authenticate      -> logged in as {} ({})",
        session.customer.email, session.customer.id
    );

    let session = client.get_session().await?;
    println!(
        "2. get_session       -> cookie session is alive for {}",
        session.customer.email
    );

    let exists = client.exists(&email).await?;
    println!("3. exists({email})   -> {}", exists.exists);

    let token = client.get_token(&login).await?;
    println!(
        "4. get_token         -> a JWT of {} characters (printed as {:?})",
        token.access_token.expose().len(),
        token.access_token
    );

    // A fresh client with only the token: no cookie, so the bearer is what authenticates.
    let bearer_only = AuthClient::new(Config::new().with_base_url(&base_url))?;
    bearer_only.set_token(token.access_token)?;
    let session = bearer_only.get_session().await?;
    println!(
        "5. get_session       -> bearer token works for {}",
        session.customer.email
    );

    client.delete_session().await?;
    println!("6. delete_session    -> session ended; the client forgot its cookie and token");
    Ok(())
}
