//! The exchanges recorded against a real Medusa 1.20.11 (`tests/fixtures/medusa-1.20.11/`,
//! copied from `shared/medusa/live/`), served through the crate's one replay path
//! ([`Recording::replay`]), which moves every time in them to now.

use std::path::PathBuf;

pub use medusa_store_auth::mock::Recording;

/// The server version the fixtures were recorded from; it names their folder.
pub const SERVER_VERSION: &str = "1.20.11";

/// The customer the recording logged in as.
pub const EMAIL: &str = "alice@example.com";
pub const PASSWORD: &str = "S3cret-pass!";

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/fixtures/medusa-{SERVER_VERSION}"))
}

/// `tests/fixtures/medusa-<SERVER_VERSION>/<name>.http` as it was recorded, e.g.
/// `recorded("10-auth-login-ok")`.
pub fn recorded(name: &str) -> Recording {
    let path = dir().join(format!("{name}.http"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Recording::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The recording `name` as the server would answer now: what a stand-in serves.
pub fn replayed(name: &str) -> Recording {
    recorded(name).replay()
}

/// `tests/fixtures/medusa-2.21.2/<name>.http` (Medusa v2) as it was recorded.
pub fn recorded_v2(name: &str) -> Recording {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/fixtures/medusa-2.21.2/{name}.http"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Recording::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `tests/fixtures/medusa-2.10.3/<name>.http`: what the oldest Medusa v2 the crate supports
/// answers where it differs from 2.21.2, replayed now.
pub fn replayed_v2_oldest(name: &str) -> Recording {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/fixtures/medusa-2.10.3/{name}.http"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Recording::parse(&text)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .replay()
}

/// The Medusa v2 recording `name` as the server would answer now.
pub fn replayed_v2(name: &str) -> Recording {
    recorded_v2(name).replay()
}

/// What the tests read from a recording.
pub trait RecordingExt {
    /// The body as JSON.
    fn json(&self) -> serde_json::Value;
    /// The `name=value` part of the `Set-Cookie`.
    fn cookie_pair(&self) -> Option<(String, String)>;
    /// The `access_token` of a token response.
    fn access_token(&self) -> String;
    /// Answers an httpmock request with this response, as it is (replay it first).
    fn reply(&self, then: httpmock::Then) -> httpmock::Then;
}

impl RecordingExt for Recording {
    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(self.body()).expect("recorded body is JSON")
    }

    fn cookie_pair(&self) -> Option<(String, String)> {
        let pair = self.header("set-cookie")?.split(';').next()?;
        let (name, value) = pair.split_once('=')?;
        Some((name.to_string(), value.to_string()))
    }

    fn access_token(&self) -> String {
        self.json()["access_token"]
            .as_str()
            .expect("a token response")
            .to_string()
    }

    fn reply(&self, mut then: httpmock::Then) -> httpmock::Then {
        then = then.status(self.status());
        for (name, value) in self.headers() {
            then = then.header(name, value);
        }
        then.body(self.body())
    }
}

/// The claims of a JWT, decoded without checking its signature.
pub fn jwt_claims(token: &medusa_store_auth::AccessToken) -> serde_json::Value {
    use base64::Engine;
    let payload = token
        .expose()
        .split('.')
        .nth(1)
        .expect("a JWT has three parts");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("JWT claims are base64url");
    serde_json::from_slice(&bytes).expect("JWT claims are JSON")
}
