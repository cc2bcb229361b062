//! The exchanges recorded against a real Medusa 1.20.11 (`tests/fixtures/medusa-1.20.11/`,
//! copied from `shared/medusa/live/`): status, headers and body, byte for byte, so the
//! mocks answer as the real server does.

use std::path::PathBuf;

/// The server version the fixtures were recorded from; it names their folder.
pub const SERVER_VERSION: &str = "1.20.11";

/// The customer the recording logged in as.
pub const EMAIL: &str = "alice@example.com";
pub const PASSWORD: &str = "S3cret-pass!";

/// One recorded response.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The `name=value` part of the recorded `Set-Cookie`.
    pub fn cookie_pair(&self) -> Option<(String, String)> {
        let set_cookie = self.header("set-cookie")?;
        let pair = set_cookie.split(';').next()?;
        let (name, value) = pair.split_once('=')?;
        Some((name.to_string(), value.to_string()))
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("recorded body is JSON")
    }

    /// Answers with this response: status, every recorded header but the hop-by-hop and
    /// framing ones (the mock server sets its own), and the body. A `Set-Cookie` gets a
    /// fresh `Expires` (now + 10 h, as the server computes it), or a jar would drop the
    /// recorded cookie once its recorded expiry has passed.
    pub fn reply(&self, mut then: httpmock::Then) -> httpmock::Then {
        then = then.status(self.status);
        for (name, value) in &self.headers {
            let name = name.to_ascii_lowercase();
            if [
                "content-length",
                "transfer-encoding",
                "connection",
                "keep-alive",
                "date",
            ]
            .contains(&name.as_str())
            {
                continue;
            }
            let value = if name == "set-cookie" {
                refresh_expiry(value)
            } else {
                value.clone()
            };
            then = then.header(name, value);
        }
        then.body(self.body.clone())
    }
}

fn refresh_expiry(set_cookie: &str) -> String {
    let expires =
        (chrono::Utc::now() + chrono::Duration::hours(10)).format("%a, %d %b %Y %H:%M:%S GMT");
    set_cookie
        .split("; ")
        .map(|part| {
            if part.starts_with("Expires=") {
                format!("Expires={expires}")
            } else {
                part.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/fixtures/medusa-{SERVER_VERSION}"))
}

/// Loads `tests/fixtures/medusa-<SERVER_VERSION>/<name>.http`, e.g. `recorded("10-auth-login-ok")`.
pub fn recorded(name: &str) -> Recorded {
    let path = dir().join(format!("{name}.http"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    parse(&text).unwrap_or_else(|| panic!("{}: not a recorded exchange", path.display()))
}

/// Parses the response part of a recorded exchange.
pub fn parse(text: &str) -> Option<Recorded> {
    let response = text.split("=== RESPONSE ===\n").nth(1)?;
    let (head, rest) = response.split_once("\n\n")?;
    let mut lines = head.lines();
    let status = lines.next()?.split_whitespace().nth(1)?.parse().ok()?;
    let headers = lines
        .filter_map(|line| line.split_once(": "))
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    // The recorder writes the body, a newline, then its length. Bodies that quote the
    // server's install path were rewritten to `$MEDUSA_DIR`, so the text, not the recorded
    // length, is the body.
    let at = rest.rfind("# (response body: ")?;
    let body = rest[..at]
        .strip_suffix('\n')
        .unwrap_or(&rest[..at])
        .as_bytes()
        .to_vec();
    Some(Recorded {
        status,
        headers,
        body,
    })
}
