//! The store customer's calls (`sdk.store.customer.create` and `.retrieve`). Both are
//! `/store/*` routes: they need the publishable API key, and a token or a cookie session.

use super::client::AuthClient;
use super::operations::{CREATE_CUSTOMER, RETRIEVE_CUSTOMER};
use super::types::{AuthPayload, Login, StoreCreateCustomer, StoreCustomer, StoreCustomerResponse};
use crate::error::Error;
use crate::runtime::{Call, Response};

/// What [`AuthClient::sign_up`] came to: the customer it created, and what the token the
/// client now holds is good for.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct SignUp {
    /// The created customer.
    pub customer: StoreCustomer,
    /// The last step's answer (the refresh): [`Login::Authenticated`] when the token acts as
    /// the customer; [`Login::VerificationRequired`] on a store that requires verified
    /// emails (verify, then [`refresh`](AuthClient::refresh)).
    pub login: Login,
}

impl SignUp {
    /// Whether the client's token now acts as the new customer.
    pub fn is_authenticated(&self) -> bool {
        self.login.is_authenticated()
    }
}

impl StoreCreateCustomer {
    /// A customer with `email` (which the server requires, and which need not be the
    /// identity's) and nothing else; set the other fields with struct update syntax.
    pub fn new(email: impl Into<String>) -> Self {
        Self {
            email: email.into(),
            company_name: None,
            first_name: None,
            last_name: None,
            phone: None,
            metadata: Default::default(),
        }
    }
}

impl AuthClient {
    /// Creates the customer of a registered identity (`POST /store/customers`), with the
    /// token from [`register`](Self::register); then call [`refresh`](Self::refresh) for a
    /// token that acts as the customer (see [`register`](Self::register)).
    ///
    /// - Errors: [`Error::Api`](crate::Error::Api) 422 `duplicate_error` when that identity
    ///   has a customer already; 400 `invalid_data` with a token that already acts as a
    ///   customer; [`Error::Unauthorized`](crate::Error::Unauthorized) without a token.
    pub fn create_customer(&self, customer: &StoreCreateCustomer) -> Call<StoreCustomerResponse> {
        self.call(CREATE_CUSTOMER, customer.clone(), |raw, customer| {
            Box::pin(raw.post_customers(None, customer))
        })
    }

    /// Registers a customer in one go: [`register`](Self::register), then
    /// [`create_customer`](Self::create_customer), then [`refresh`](Self::refresh), each sent
    /// only if the one before succeeded. Returns the created customer and the refresh's
    /// answer ([`SignUp`]). Usually the client then holds a token that acts as the new
    /// customer, so [`retrieve_customer`](Self::retrieve_customer) succeeds; on a store that
    /// requires verified emails the answer is [`Login::VerificationRequired`] instead (see
    /// [`verification`](Self::verification)).
    ///
    /// An interrupted sign-up can be run again with the same password: Medusa answers
    /// `register` with a token for an identity that has no customer yet. It is a [`Call`]
    /// like the others: per-call headers and the retry budget apply to each of the three
    /// requests, the timeout bounds all three together, and
    /// [`send_with_response`](Call::send_with_response) keeps the last one's status and
    /// headers.
    ///
    /// ```no_run
    /// # async fn demo(client: medusa_store_auth::v2::AuthClient) -> Result<(), medusa_store_auth::Error> {
    /// use medusa_store_auth::v2::types::{AuthPayload, StoreCreateCustomer};
    /// use medusa_store_auth::v2::EMAILPASS;
    ///
    /// let credentials = AuthPayload::email_password("alice@example.com", "S3cret-pass!");
    /// let customer = StoreCreateCustomer {
    ///     first_name: Some("Alice".into()),
    ///     ..StoreCreateCustomer::new("alice@example.com")
    /// };
    /// let signed_up = client.sign_up(EMAILPASS, &credentials, &customer).await?;
    /// if signed_up.is_authenticated() {
    ///     assert_eq!(client.retrieve_customer().await?.customer.id, signed_up.customer.id);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn sign_up(
        &self,
        provider: &str,
        payload: &AuthPayload,
        customer: &StoreCreateCustomer,
    ) -> Call<SignUp> {
        // Calls do nothing until awaited: these run in order, each on the session the one
        // before left.
        let (register, create, refresh) = (
            self.register(provider, payload),
            self.create_customer(customer),
            self.refresh(),
        );
        let default_timeout = self.runtime.settings.timeout;
        Call::steps(Box::new(move |options| {
            Box::pin(async move {
                let limit = options.timeout_or(default_timeout);
                let step = options.without_timeout();
                let steps = async move {
                    register.with_options(step.clone()).await?;
                    let customer = create.with_options(step.clone()).await?.customer;
                    let refreshed = refresh.with_options(step).send_with_response().await?;
                    let (status, headers) = (refreshed.status(), refreshed.headers().clone());
                    let login = refreshed.into_inner();
                    Ok(Response::new(status, headers, SignUp { customer, login }))
                };
                tokio::time::timeout(limit, steps)
                    .await
                    .unwrap_or(Err(Error::Timeout {
                        limit: Some(limit),
                        source: None,
                    }))
            })
        }))
    }

    /// Reads the logged-in customer (`GET /store/customers/me`), with the client's token or
    /// cookie session.
    ///
    /// - Errors: [`Error::Unauthorized`](crate::Error::Unauthorized) without a session, with
    ///   an expired token, or with a registration token whose customer was not created (or
    ///   not yet refreshed); [`Error::Api`](crate::Error::Api) 400 `not_allowed` for a
    ///   publishable key the server does not know or has revoked.
    pub fn retrieve_customer(&self) -> Call<StoreCustomerResponse> {
        self.call(RETRIEVE_CUSTOMER, (), |raw, ()| {
            Box::pin(raw.get_customers_me(None))
        })
    }

    /// Reads the logged-in customer with only `fields` (`?fields=id,email`; a `+` or `-`
    /// prefix adds to or removes from the default fields). Fields left out are `None`.
    pub fn retrieve_customer_fields(
        &self,
        fields: impl Into<String>,
    ) -> Call<StoreCustomerResponse> {
        self.call(RETRIEVE_CUSTOMER, fields.into(), |raw, fields| {
            Box::pin(raw.get_customers_me(Some(fields)))
        })
    }
}
