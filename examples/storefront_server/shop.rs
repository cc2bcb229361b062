//! The Medusa side: one shared client for either line, and one visitor's session on it,
//! with the steps a sign-in takes on each line.

use std::time::Duration;

use medusa_store_auth::v1::types::StorePostAuthReq;
use medusa_store_auth::v2::types::{
    AuthMfaChallengeVerifyReq, AuthPayload, AuthVerificationRequestReq, Login, StoreCreateCustomer,
};
use medusa_store_auth::v2::{Pending, Renewal, EMAILPASS};
use medusa_store_auth::{v1, v2, Config, Error, SavedSession};
use reqwest::StatusCode;
use serde::Deserialize;

/// A v2 token with less than this left is renewed on the visitor's next page.
const RENEW_WITHIN: Duration = Duration::from_secs(3600);

/// The Medusa behind the storefront: one client (one connection pool) for every visitor.
#[derive(Clone)]
pub enum Shop {
    V1 {
        client: v1::AuthClient,
        /// v1 registers customers at `POST /store/customers`, outside the store-auth API
        /// the crate covers: a plain request on the same connection pool.
        http: reqwest::Client,
        base_url: String,
    },
    V2(v2::AuthClient),
}

impl Shop {
    /// A shop on `line` ("v1" or "v2") at `base_url`; v2 needs the store's publishable key.
    pub fn connect(
        line: &str,
        base_url: &str,
        publishable_key: Option<&str>,
    ) -> Result<Self, Error> {
        let http = reqwest::Client::new();
        let config = Config::new()
            .with_base_url(base_url)
            .with_http_client(http.clone());
        match line {
            "v2" => Ok(Shop::V2(v2::AuthClient::new(
                config.with_publishable_api_key(publishable_key.unwrap_or_default()),
            )?)),
            _ => Ok(Shop::V1 {
                client: v1::AuthClient::new(config)?,
                http,
                base_url: base_url.trim_end_matches('/').to_string(),
            }),
        }
    }

    pub fn line(&self) -> &'static str {
        match self {
            Shop::V1 { .. } => "Medusa v1",
            Shop::V2(_) => "Medusa v2",
        }
    }

    /// The visitor's own session on the shared pool, from what the browser kept.
    pub fn restore(&self, saved: &SavedSession) -> Result<Session, Error> {
        match self {
            Shop::V1 { client, .. } => client.restore_session(saved).map(Session::V1),
            Shop::V2(client) => client.restore_session(saved).map(Session::V2),
        }
    }

    /// A session of its own on the shared pool, signed in as nobody.
    pub fn signed_out(&self) -> Session {
        match self {
            Shop::V1 { client, .. } => Session::V1(client.new_session()),
            Shop::V2(client) => Session::V2(client.new_session()),
        }
    }
}

/// A customer as the pages show one, from either line.
pub struct Customer {
    pub id: String,
    pub email: String,
    pub name: String,
}

/// Where a sign-in stands after a step.
pub enum SignIn {
    /// The customer can act: show the account.
    Done,
    /// v2: the store asks for the second factor.
    SecondFactor { challenge_id: String },
    /// v2: the store asks for the emailed code.
    Verify,
}

/// One visitor's session on the shared client.
pub enum Session {
    V1(v1::AuthClient),
    V2(v2::AuthClient),
}

impl Session {
    pub fn saved(&self) -> SavedSession {
        match self {
            Session::V1(client) => client.saved_session(),
            Session::V2(client) => client.saved_session(),
        }
    }

    pub async fn log_in(&self, email: &str, password: &str) -> Result<SignIn, Error> {
        match self {
            Session::V1(client) => {
                client
                    .authenticate(&StorePostAuthReq::new(email, password))
                    .await?;
                Ok(SignIn::Done)
            }
            Session::V2(client) => {
                let login = client
                    .login(EMAILPASS, &AuthPayload::email_password(email, password))
                    .await?;
                self.next_step(login, email).await
            }
        }
    }

    pub async fn register(&self, form: &NewCustomer, shop: &Shop) -> Result<Registration, Error> {
        match (self, shop) {
            (Session::V1(client), Shop::V1 { http, base_url, .. }) => {
                if client.exists(&form.email).await?.exists {
                    return Ok(Registration::Taken);
                }
                let created = http
                    .post(format!("{base_url}/store/customers"))
                    .json(&serde_json::json!({
                        "email": form.email, "password": form.password,
                        "first_name": form.first_name, "last_name": form.last_name,
                    }))
                    .send()
                    .await;
                match created.map(|r| r.status()) {
                    Ok(status) if status.is_success() => {}
                    Ok(StatusCode::UNPROCESSABLE_ENTITY) => return Ok(Registration::Taken),
                    Ok(status) if status.is_client_error() => return Ok(Registration::Refused),
                    _ => return Ok(Registration::Unavailable),
                }
                self.log_in(&form.email, &form.password)
                    .await
                    .map(Registration::Signed)
            }
            (Session::V2(client), _) => {
                let customer = StoreCreateCustomer {
                    first_name: Some(form.first_name.clone()).filter(|n| !n.is_empty()),
                    last_name: Some(form.last_name.clone()).filter(|n| !n.is_empty()),
                    ..StoreCreateCustomer::new(&form.email)
                };
                let credentials = AuthPayload::email_password(&form.email, &form.password);
                match client.sign_up(EMAILPASS, &credentials, &customer).await {
                    // Medusa answers 401 for an email that has an identity already.
                    Err(error) if error.is_unauthorized() => Ok(Registration::Taken),
                    Err(error) => Err(error),
                    Ok(signed_up) => self
                        .next_step(signed_up.login, &form.email)
                        .await
                        .map(Registration::Signed),
                }
            }
            // A session is always of its shop's line (`Shop::visitor` makes it).
            (Session::V1(_), Shop::V2(_)) => Ok(Registration::Unavailable),
        }
    }

    /// What a v2 login answer asks for next; a code is requested when verification is.
    pub async fn next_step(&self, login: Login, email: &str) -> Result<SignIn, Error> {
        let Session::V2(client) = self else {
            return Ok(SignIn::Done);
        };
        match login {
            Login::MfaRequired { challenge, .. } => Ok(SignIn::SecondFactor {
                challenge_id: challenge.id,
            }),
            Login::VerificationRequired { .. } => {
                client
                    .verification()
                    .request(&AuthVerificationRequestReq::email(email))
                    .await?;
                Ok(SignIn::Verify)
            }
            _ => Ok(SignIn::Done),
        }
    }

    /// The signed-in customer; for v2 the token is renewed first when it is close to expiry.
    /// `Ok(None)`: nobody is signed in (or the token has expired).
    pub async fn customer(&self) -> Result<Option<Customer>, Error> {
        let customer = match self {
            Session::V1(client) => client.get_session().await.map(|me| {
                let c = me.customer;
                Customer {
                    name: full_name(c.first_name.as_deref(), c.last_name.as_deref()),
                    id: c.id,
                    email: c.email,
                }
            }),
            Session::V2(client) => {
                if client.saved_session().is_empty() {
                    return Ok(None);
                }
                if let Renewal::Expired = client.renew_token(RENEW_WITHIN).await? {
                    return Ok(None);
                }
                client.retrieve_customer().await.map(|me| {
                    let c = me.customer;
                    Customer {
                        name: full_name(c.first_name.as_deref(), c.last_name.as_deref()),
                        id: c.id,
                        email: c.email.unwrap_or_default(),
                    }
                })
            }
        };
        match customer {
            Ok(customer) => Ok(Some(customer)),
            Err(error) if error.is_unauthorized() => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// v2: the second factor's answer; `recovery` when it is a recovery code.
    pub async fn answer_challenge(
        &self,
        id: &str,
        code: &str,
        recovery: bool,
    ) -> Result<(), Error> {
        let Session::V2(client) = self else {
            return Ok(());
        };
        let answer = if recovery {
            AuthMfaChallengeVerifyReq::recovery_code(code)
        } else {
            AuthMfaChallengeVerifyReq::totp(code)
        };
        client.mfa().verify_challenge(id, &answer).await.map(drop)
    }

    /// v2: the emailed code, then a refresh for a token that acts (or asks for more).
    pub async fn confirm_email(&self, code: &str) -> Result<SignIn, Error> {
        let Session::V2(client) = self else {
            return Ok(SignIn::Done);
        };
        client.verification().confirm(code).await?;
        match client.refresh().await? {
            Login::MfaRequired { challenge, .. } => Ok(SignIn::SecondFactor {
                challenge_id: challenge.id,
            }),
            Login::VerificationRequired { .. } => Ok(SignIn::Verify),
            _ => Ok(SignIn::Done),
        }
    }

    /// v2: a new challenge for a visitor whose sign-in waits for the second factor.
    pub async fn new_challenge(&self) -> Result<Option<String>, Error> {
        let Session::V2(client) = self else {
            return Ok(None);
        };
        Ok(client
            .refresh()
            .await?
            .mfa_challenge()
            .map(|c| c.id.clone()))
    }

    pub fn pending(&self) -> Option<Pending> {
        self.saved().pending()
    }

    pub async fn log_out(&self) -> Result<(), Error> {
        match self {
            Session::V1(client) => client.delete_session().await,
            Session::V2(client) => client.logout().await.map(drop),
        }
    }
}

pub enum Registration {
    Signed(SignIn),
    Taken,
    Refused,
    Unavailable,
}

fn full_name(first: Option<&str>, last: Option<&str>) -> String {
    [first, last]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// What a registration form gives.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewCustomer {
    pub email: String,
    pub password: String,
    pub first_name: String,
    pub last_name: String,
}
