//! [`Response`]: a call's typed value with the status and headers it came with.

use std::fmt;
use std::ops::Deref;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use super::headers::names;

/// What [`Call::send_with_response`](crate::Call::send_with_response) returns: the typed
/// value (which the response derefs to) beside the status and headers (`Set-Cookie`,
/// `ETag`, ...). `Debug` shows header names only: their values can be credentials.
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    /// Boxed: a typed value can be large (v1's customer is 880 bytes), and a response
    /// passes through a dozen futures on its way out; a pointer moves for less.
    value: Box<T>,
}

impl<T> Response<T> {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, value: T) -> Self {
        Self {
            status,
            headers,
            value: Box::new(value),
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The typed value.
    pub fn into_inner(self) -> T {
        *self.value
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: fmt::Debug> fmt::Debug for Response<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("header_names", &names(&self.headers))
            .field("value", &self.value)
            .finish()
    }
}
