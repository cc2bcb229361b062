//! Responses recorded from a real Medusa server, replayed with their times moved to now.
//!
//! Every stand-in of this repository (the [`MockStore`](super::MockStore), the httpmock and
//! scripted servers of the tests, the benchmark stub) answers through [`Recording::replay`],
//! so a recording made today still replays as a valid response in ten years: the session
//! cookie the server set 10 hours ahead is still 10 hours ahead, and a token that was valid
//! for 30 days still is.

use std::fmt;
use std::time::SystemTime;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{Map, Value};

/// One response as a real server sent it: status, headers in order, body.
///
/// Parsed from the `.http` files of `tests/fixtures/` (a request, `=== RESPONSE ===`, the
/// status line, headers, a blank line, the body and a `# (response body: N bytes)` trailer).
/// `Debug` shows the status and header names only: recordings carry session cookies and
/// tokens.
#[derive(Clone, PartialEq, Eq)]
pub struct Recording {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// A text that is not a recorded exchange; says which part is missing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseRecordingError(&'static str);

impl fmt::Display for ParseRecordingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a recorded exchange: {}", self.0)
    }
}

impl std::error::Error for ParseRecordingError {}

/// Headers a stand-in sets itself: it frames and keeps its own connections.
const FRAMING: [&str; 4] = [
    "content-length",
    "transfer-encoding",
    "connection",
    "keep-alive",
];

/// The claims of a JWT that say when it is valid.
const TIME_CLAIMS: [&str; 3] = ["iat", "nbf", "exp"];

impl Recording {
    /// Parses the response part of a recorded exchange.
    pub fn parse(text: &str) -> Result<Self, ParseRecordingError> {
        let response = text
            .split_once("=== RESPONSE ===\n")
            .ok_or(ParseRecordingError("no `=== RESPONSE ===` line"))?
            .1;
        let (head, rest) = response
            .split_once("\n\n")
            .ok_or(ParseRecordingError("no blank line after the headers"))?;
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|line| line.split_whitespace().nth(1))
            .and_then(|code| code.parse().ok())
            .ok_or(ParseRecordingError("no status line"))?;
        let headers = lines
            .filter_map(|line| line.split_once(": "))
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect();
        // The body is the text up to the trailer, not the trailer's length: bodies that
        // quoted the server's install path were rewritten when they were recorded.
        let at = rest
            .rfind("# (response body: ")
            .ok_or(ParseRecordingError("no `# (response body: …)` trailer"))?;
        let body = rest[..at].strip_suffix('\n').unwrap_or(&rest[..at]);
        Ok(Self {
            status,
            headers,
            body: body.as_bytes().to_vec(),
        })
    }

    /// The status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Every header, in the recorded order.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// [`replay_at`](Self::replay_at) the current time.
    pub fn replay(&self) -> Self {
        self.replay_at(SystemTime::now())
    }

    /// This response as the server would send it at `now`.
    ///
    /// Every time in it moves by the time from the recorded `Date` to `now`: `Date` itself,
    /// headers that hold an HTTP date (`Expires`, `Last-Modified`, a dated `Retry-After`), the
    /// `Expires` attribute of each `Set-Cookie`, and the `iat`, `nbf` and `exp` claims of each
    /// JWT in the body, and each `expires_at` of a JSON body (an MFA challenge's). `Max-Age`
    /// and delay-seconds are already relative and stay as they are. The moved JWTs keep
    /// their recorded signature, which no longer verifies: no stand-in checks one. Times that
    /// are data, such as a customer's `created_at`, stay as recorded. The framing headers (`Content-Length`, `Transfer-Encoding`, `Connection`,
    /// `Keep-Alive`) are left out: the stand-in sets its own.
    pub fn replay_at(&self, now: SystemTime) -> Self {
        let now = DateTime::<Utc>::from(now);
        let shift = self
            .header("date")
            .and_then(parse_http_date)
            .map_or(TimeDelta::zero(), |recorded| now - recorded);
        let headers = self
            .headers
            .iter()
            .filter(|(name, _)| !FRAMING.contains(&name.to_ascii_lowercase().as_str()))
            .map(|(name, value)| {
                let value = match name.to_ascii_lowercase().as_str() {
                    "date" => http_date(now),
                    "set-cookie" => shift_cookie_expiry(value, shift),
                    _ => match parse_http_date(value) {
                        Some(date) => http_date(date + shift),
                        None => value.clone(),
                    },
                };
                (name.clone(), value)
            })
            .collect();
        Self {
            status: self.status,
            headers,
            body: shift_tokens(&self.body, shift),
        }
    }
}

impl fmt::Debug for Recording {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("Recording")
            .field("status", &self.status)
            .field("headers", &names)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// An HTTP date (IMF-fixdate; RFC 850 and asctime are not sent by Express).
fn parse_http_date(value: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc2822(value)
        .ok()
        .map(|date| date.with_timezone(&Utc))
}

/// `date` as an IMF-fixdate, the form Express sends.
pub(crate) fn http_date(date: DateTime<Utc>) -> String {
    date.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

fn shift_cookie_expiry(set_cookie: &str, shift: TimeDelta) -> String {
    set_cookie
        .split("; ")
        .map(|attribute| {
            let expires = attribute
                .split_once('=')
                .filter(|(name, _)| name.eq_ignore_ascii_case("expires"))
                .and_then(|(name, date)| Some((name, parse_http_date(date)?)));
            match expires {
                Some((name, date)) => format!("{name}={}", http_date(date + shift)),
                None => attribute.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The body with each JWT among its JSON strings moved by `shift`. The body is edited as
/// text, so everything else in it stays byte for byte as recorded.
fn shift_tokens(body: &[u8], shift: TimeDelta) -> Vec<u8> {
    let Ok(mut text) = String::from_utf8(body.to_vec()) else {
        return body.to_vec();
    };
    let Ok(json) = serde_json::from_str::<Value>(&text) else {
        return body.to_vec();
    };
    let mut tokens = Vec::new();
    collect_strings(&json, &mut tokens);
    for token in tokens {
        if let Some(moved) = shift_token(token, shift) {
            text = text.replace(token, &moved);
        }
    }
    let mut expiries = Vec::new();
    collect_expiries(&json, &mut expiries);
    for expiry in expiries {
        if let Ok(time) = DateTime::parse_from_rfc3339(expiry) {
            let moved = (time.with_timezone(&Utc) + shift)
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
            let key = format!("\"expires_at\":\"{expiry}\"");
            text = text.replace(&key, &format!("\"expires_at\":\"{moved}\""));
        }
    }
    text.into_bytes()
}

/// The `expires_at` strings of every object in `value`.
fn collect_expiries<'a>(value: &'a Value, found: &mut Vec<&'a str>) {
    match value {
        Value::Array(items) => items.iter().for_each(|v| collect_expiries(v, found)),
        Value::Object(map) => {
            if let Some(Value::String(expiry)) = map.get("expires_at") {
                found.push(expiry);
            }
            map.values().for_each(|v| collect_expiries(v, found));
        }
        _ => {}
    }
}

fn collect_strings<'a>(value: &'a Value, found: &mut Vec<&'a str>) {
    match value {
        Value::String(s) => found.push(s),
        Value::Array(items) => items.iter().for_each(|v| collect_strings(v, found)),
        Value::Object(map) => map.values().for_each(|v| collect_strings(v, found)),
        _ => {}
    }
}

/// `token` with its time claims moved by `shift`, or `None` if it is not a JWT.
fn shift_token(token: &str, shift: TimeDelta) -> Option<String> {
    let (header, mut claims, signature) = decode_jwt(token)?;
    for name in TIME_CLAIMS {
        if let Some(time) = claims.get(name).and_then(Value::as_i64) {
            claims.insert(name.into(), (time + shift.num_seconds()).into());
        }
    }
    Some(format!("{header}.{}.{signature}", encode_claims(&claims)))
}

/// A JWT's encoded header, decoded claims and encoded signature.
pub(crate) fn decode_jwt(token: &str) -> Option<(&str, Map<String, Value>, &str)> {
    let mut parts = token.split('.');
    let (header, claims, signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let claims = URL_SAFE_NO_PAD.decode(claims).ok()?;
    let Value::Object(claims) = serde_json::from_slice(&claims).ok()? else {
        return None;
    };
    Some((header, claims, signature))
}

pub(crate) fn encode_claims(claims: &Map<String, Value>) -> String {
    URL_SAFE_NO_PAD.encode(Value::Object(claims.clone()).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    const LOGIN: &str = include_str!("../../tests/fixtures/medusa-1.20.11/10-auth-login-ok.http");
    const TOKEN: &str = include_str!("../../tests/fixtures/medusa-1.20.11/40-token-ok.http");

    fn at(rfc3339: &str) -> SystemTime {
        DateTime::parse_from_rfc3339(rfc3339).unwrap().into()
    }

    #[test]
    fn a_replay_keeps_the_cookie_lifetime_and_moves_its_dates() {
        let login = Recording::parse(LOGIN).unwrap();
        assert_eq!(login.header("date"), Some("Fri, 27 Nov 2026 18:43:36 GMT"));
        let replayed = login.replay_at(at("2036-03-01T09:00:00Z"));
        assert_eq!(
            replayed.header("date"),
            Some("Sat, 01 Mar 2036 09:00:00 GMT")
        );
        let cookie = replayed.header("set-cookie").unwrap();
        assert!(
            cookie.ends_with("; Path=/; Expires=Sat, 01 Mar 2036 19:00:00 GMT; HttpOnly"),
            "{cookie}"
        );
        assert_eq!(
            cookie.split(';').next(),
            login.header("set-cookie").unwrap().split(';').next(),
            "the session id is the recorded one"
        );
        assert_eq!(replayed.body(), login.body(), "no token, no change");
        assert_eq!(replayed.header("content-length"), None);
        assert_eq!(replayed.header("keep-alive"), None);
        assert_eq!(replayed.header("etag"), login.header("etag"));
    }

    #[test]
    fn a_replayed_token_is_valid_for_as_long_as_the_recorded_one_from_now() {
        let recorded = Recording::parse(TOKEN).unwrap();
        for now in ["2024-01-01T00:00:00Z", "2029-11-30T12:00:00Z"] {
            let replayed = recorded.replay_at(at(now));
            let body: Value = serde_json::from_slice(replayed.body()).unwrap();
            let token = body["access_token"].as_str().unwrap();
            let (_, claims, _) = decode_jwt(token).unwrap();
            let now = at(now).duration_since(SystemTime::UNIX_EPOCH).unwrap();
            let iat = claims["iat"].as_i64().unwrap();
            // Recorded two seconds after its `Date`.
            assert!((now.as_secs() as i64..now.as_secs() as i64 + 3).contains(&iat));
            assert_eq!(claims["exp"].as_i64().unwrap() - iat, 30 * 24 * 3600);
            assert_eq!(claims["customer_id"], "cus_01M8F53WBQYT97Q75CAGE6K7J1");
        }
    }

    #[test]
    fn dated_headers_move_and_other_text_does_not() {
        let text = "=== RESPONSE ===\nHTTP/1.1 503 Service Unavailable\nDate: Fri, 27 Nov 2026 18:43:36 GMT\n\
                    Retry-After: Fri, 27 Nov 2026 18:44:36 GMT\nX-Note: Friday\n\n\"eyJ.not.a-token\"\n\
                    # (response body: 17 bytes)\n";
        let replayed = Recording::parse(text)
            .unwrap()
            .replay_at(at("2026-11-27T18:43:36Z") + Duration::from_secs(86_400));
        assert_eq!(
            replayed.header("retry-after"),
            Some("Sat, 28 Nov 2026 18:44:36 GMT")
        );
        assert_eq!(replayed.header("x-note"), Some("Friday"));
        assert_eq!(replayed.body(), b"\"eyJ.not.a-token\"");
    }

    #[test]
    fn broken_texts_say_what_is_missing() {
        assert_eq!(
            Recording::parse("GET / HTTP/1.1\n")
                .unwrap_err()
                .to_string(),
            "not a recorded exchange: no `=== RESPONSE ===` line"
        );
        let no_trailer = "=== RESPONSE ===\nHTTP/1.1 200 OK\n\n{}\n";
        assert!(Recording::parse(no_trailer).is_err());
        let debug = format!("{:?}", Recording::parse(LOGIN).unwrap());
        assert!(!debug.contains("connect.sid="), "{debug}");
    }
}
