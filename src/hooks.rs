//! The one `ClientHooks` implementation for the generated client: every generated method
//! runs `pre` (shape the request) → `exec` (send it) → `post`.

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
            if let Ok(mut segments) = request.url_mut().path_segments_mut() {
                segments.pop().push(segment);
            }
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
        ctx.record_status(response.status());
        ctx.shared
            .session
            .store_cookies(response.headers(), response.url());
        Ok(response)
    }
}
