//! Custom headers: how they are collected (client defaults and per call) and how the layers
//! are merged onto a request.
//!
//! Precedence, lowest first: built-in headers (`accept`, `content-type`, `user-agent`) <
//! client defaults (including `x-publishable-api-key`) < the client's session (the `Cookie`
//! from its jar, `Authorization: Bearer` from its token) < per-call headers. A layer replaces
//! every value a lower layer gave the same header name; names are case-insensitive.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::error::{Error, InvalidInput};

/// Header names whose values are secrets: marked sensitive (hidden from `Debug` of the
/// request and from HTTP/2 header compression) wherever the crate sets them.
const SENSITIVE: [&str; 5] = [
    "authorization",
    "cookie",
    "proxy-authorization",
    "x-medusa-access-token",
    "set-cookie",
];

pub(crate) fn is_sensitive(name: &HeaderName) -> bool {
    SENSITIVE.contains(&name.as_str())
}

/// Headers being collected by a builder. An invalid name or value is remembered and
/// reported when the builder is used, as reqwest's builders do, so setters can chain.
#[derive(Clone, Default)]
pub(crate) struct HeaderCollector {
    headers: HeaderMap,
    invalid: Option<InvalidInput>,
}

impl HeaderCollector {
    /// Adds one value; calling it twice with one name sends both values.
    pub(crate) fn append<K, V>(&mut self, name: K, value: V)
    where
        K: AsRef<str>,
        HeaderValue: TryFrom<V>,
    {
        if self.invalid.is_some() {
            return;
        }
        let name_text = name.as_ref();
        let Ok(name) = HeaderName::from_bytes(name_text.as_bytes()) else {
            self.invalid = Some(InvalidInput::HeaderName {
                name: name_text.escape_debug().to_string(),
            });
            return;
        };
        match HeaderValue::try_from(value) {
            Ok(mut value) => {
                value.set_sensitive(is_sensitive(&name));
                self.headers.append(name, value);
            }
            // The value is never echoed: it may be a credential.
            Err(_) => {
                self.invalid = Some(InvalidInput::HeaderValue {
                    name: name.as_str().to_string(),
                })
            }
        }
    }

    /// Adds every value of `headers`.
    pub(crate) fn extend(&mut self, headers: HeaderMap) {
        for name in headers.keys() {
            for value in headers.get_all(name) {
                let mut value = value.clone();
                value.set_sensitive(is_sensitive(name));
                self.headers.append(name.clone(), value);
            }
        }
    }

    /// The headers, or the first invalid one.
    pub(crate) fn finish(self) -> Result<HeaderMap, Error> {
        match self.invalid {
            Some(invalid) => Err(Error::InvalidInput(invalid)),
            None => Ok(self.headers),
        }
    }
}

/// Puts `layer` over `target`: each name in `layer` replaces all of that name's values.
pub(crate) fn override_with(target: &mut HeaderMap, layer: &HeaderMap) {
    for name in layer.keys() {
        let mut values = layer.get_all(name).iter();
        if let Some(first) = values.next() {
            target.insert(name.clone(), first.clone());
            for value in values {
                target.append(name.clone(), value.clone());
            }
        }
    }
}

/// Header names only, for `Debug` output that must not show values.
pub(crate) fn names(headers: &HeaderMap) -> Vec<&str> {
    headers.keys().map(HeaderName::as_str).collect()
}

/// Checks a cookie name (RFC 6265 §4.1.1: an HTTP token): anything else could end or split
/// the `Cookie` header the client builds with it.
pub(crate) fn check_cookie_name(name: &str) -> Result<(), Error> {
    let token = |b: u8| b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?={}".contains(&b);
    if name.is_empty() || !name.bytes().all(token) {
        return Err(Error::InvalidInput(InvalidInput::HeaderValue {
            name: "cookie".into(),
        }));
    }
    Ok(())
}
