//! The generated client's `ClientHooks`: each generated method runs `pre` (shape the
//! request) → `exec` (send it once) → `post`, and both hooks hand over to the runtime's
//! [`AttemptContext`], which every API line shares.

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};

use super::generated::Client;
use super::AttemptContext;

impl ClientHooks<AttemptContext> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        self.inner().prepare(request);
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        _info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        self.inner().send(self.client(), request).await
    }
}
