//! The store customer's calls (`sdk.store.customer.create` and `.retrieve`). Both are
//! `/store/*` routes: they need the publishable API key, and a token or a cookie session.

use super::client::AuthClient;
use super::operations::{CREATE_CUSTOMER, RETRIEVE_CUSTOMER};
use super::types::{StoreCreateCustomer, StoreCustomerResponse};
use crate::runtime::Call;

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
