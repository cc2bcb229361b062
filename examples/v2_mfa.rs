//! Medusa v2's second factor end to end: sign up → enrol a TOTP factor (the code an
//! authenticator app would show is computed with `totp-rs`) → recovery codes → log in again
//! → the challenge → read the customer, printing each step and never a secret.
//!
//! Against a real Medusa 2.21 with an MFA encryption key and no required verification:
//! `MEDUSA_BACKEND_URL=http://localhost:9000 MEDUSA_PUBLISHABLE_KEY=pk_… cargo run --example
//! v2_mfa` (it registers a new customer each run). Without `MEDUSA_BACKEND_URL`, it starts the
//! crate's v2 stand-in (feature `mock`), which answers as the recorded 2.21.2.

use std::time::{SystemTime, UNIX_EPOCH};

use medusa_store_auth::mock::v2::{MockStore, PUBLISHABLE_KEY};
use medusa_store_auth::v2::types::{
    AuthMfaChallengeVerifyReq, AuthMfaStartReq, AuthPayload, Login, StoreCreateCustomer, TotpSecret,
};
use medusa_store_auth::v2::{AuthClient, EMAILPASS};
use medusa_store_auth::{Config, Error};

/// What the customer's authenticator app shows now.
fn authenticator_app(secret: &TotpSecret) -> String {
    let secret = totp_rs::Secret::try_from_base32(secret.expose()).expect("a Base32 secret");
    totp_rs::Builder::new()
        .with_secret(secret)
        .build()
        .expect("Medusa's TOTP settings")
        .generate_current()
        .to_string()
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let (_standin, base_url, key) = match std::env::var("MEDUSA_BACKEND_URL") {
        Ok(url) => {
            let key = std::env::var("MEDUSA_PUBLISHABLE_KEY")
                .expect("set MEDUSA_PUBLISHABLE_KEY to a publishable API key of that store");
            (None, url, key)
        }
        Err(_) => {
            let store = MockStore::start().await;
            let url = store.base_url().to_string();
            println!("MEDUSA_BACKEND_URL is not set: using the crate's v2 stand-in at {url}");
            (Some(store), url, PUBLISHABLE_KEY.to_string())
        }
    };
    let config = Config::new()
        .with_base_url(&base_url)
        .with_publishable_api_key(key);
    let run = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_micros())
        .unwrap_or_default();
    let email = format!("mfa-example-{run}@example.com");
    let credentials = AuthPayload::email_password(&email, "Example-pass-1!");

    let client = AuthClient::new(config.clone())?;
    let signed_up = client
        .sign_up(EMAILPASS, &credentials, &StoreCreateCustomer::new(&email))
        .await?;
    println!("signed up {} ({:?})", email, signed_up.customer.id);

    let started = client
        .mfa()
        .start(
            &AuthMfaStartReq::totp()
                .with_label(&email)
                .with_issuer("Example Shop"),
        )
        .await?;
    println!("started a factor: {started:?}"); // the secret and URL print as <redacted>
    let secret = started.secret.expect("a TOTP factor has a secret");
    let factor = client
        .mfa()
        .verify(&started.mfa_factor.id, authenticator_app(&secret))
        .await?
        .mfa_factor;
    println!("factor {} is {}", factor.id, factor.status);
    let codes = client.mfa().generate_recovery_codes(Some(4)).await?;
    println!(
        "{} recovery codes to show the customer once",
        codes.recovery_codes.len()
    );

    // Another visitor logs in as this customer: a challenge first.
    let visitor = AuthClient::new(config)?;
    let login = visitor.login(EMAILPASS, &credentials).await?;
    let Login::MfaRequired { challenge, .. } = login else {
        panic!("expected a challenge, got {login:?}");
    };
    println!(
        "challenge {} ({:?}, {} attempts, until {}); pending: {:?}",
        challenge.id,
        challenge.methods,
        challenge.max_attempts,
        challenge.expires_at,
        visitor.pending()
    );
    let refused = visitor.retrieve_customer().await.unwrap_err();
    println!(
        "with the pending token: {refused} ({:?})",
        refused.auth_failure()
    );
    visitor
        .mfa()
        .verify_challenge(
            &challenge.id,
            &AuthMfaChallengeVerifyReq::totp(authenticator_app(&secret)),
        )
        .await?;
    let me = visitor.retrieve_customer().await?.customer;
    println!("signed in with the second factor as {:?}", me.email);
    Ok(())
}
