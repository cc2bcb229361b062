//! The one `ClientHooks` implementation for the generated client: every generated method
//! runs `pre` (shape the request) → `exec` (send it) → `post`.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{AUTHORIZATION, COOKIE};

use crate::context::CallContext;
use crate::generated::Client;
use crate::headers::override_with;

impl ClientHooks<CallContext> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        let ctx = self.inner();
        let shared = &ctx.shared;

        if let Some(segment) = &ctx.call.last_segment {
            replace_last_segment(request.url_mut(), segment);
        }
        let cookie = shared.session.cookie_header(request.url());
        let bearer = shared.session.bearer_header();

        let headers = request.headers_mut();
        // progenitor sends `api-version: <info.version>`; Medusa ignores it, and in a browser
        // it would force a CORS preflight.
        headers.remove("api-version");
        override_with(headers, &shared.default_headers);
        if let Some(cookie) = cookie {
            headers.insert(COOKIE, cookie);
        }
        if let Some(bearer) = bearer {
            headers.insert(AUTHORIZATION, bearer);
        }
        override_with(headers, &ctx.call.headers);

        *request.timeout_mut() = Some(ctx.call.timeout.unwrap_or(shared.timeout));
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        _info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let response = self.client().execute(request).await?;
        let ctx = self.inner();
        ctx.record_response(&response);
        ctx.shared
            .session
            .store_cookies(response.headers(), response.url());
        Ok(response)
    }
}

/// Everything but the characters that mean the same raw or encoded in a path segment
/// (RFC 3986 unreserved, plus `@` and `+`, which Medusa's live captures show it reads raw).
/// Tabs and newlines are encoded too: URL parsing would silently drop them.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'@')
    .remove(b'+');

/// Puts `segment` in place of the URL's last path segment, percent-encoded as one segment.
/// `auth::exists` sends a placeholder through the generated method and lands here, because
/// progenitor's own encoding leaves `\` and control characters to URL parsing, which turns
/// `\` into `/` and drops tabs and newlines.
fn replace_last_segment(url: &mut reqwest::Url, segment: &str) {
    let path = url.path();
    let prefix = &path[..path.rfind('/').unwrap_or(0)];
    let path = format!("{prefix}/{}", utf8_percent_encode(segment, SEGMENT));
    url.set_path(&path);
}
