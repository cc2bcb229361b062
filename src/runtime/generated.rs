//! What the runtime asks of an API line's generated client, and the one way a call of any
//! line is made from a generated method ([`Runtime::call`]). The hooks every generated client
//! needs are written once, as a macro an API line invokes on its client type.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use progenitor_client::{ClientInfo, ResponseValue};

use super::attempt::AttemptContext;
use super::call::{AttemptFn, Call};
use super::outcome::attempt_outcome;
use super::settings::Runtime;
use crate::error::ApiError;
use crate::operation::Operation;

/// A progenitor client generated with the inner type [`AttemptContext`] (see build.rs).
pub(crate) trait GeneratedClient:
    ClientInfo<AttemptContext> + Send + Sync + 'static
{
    /// A client for one attempt: the shared pool and base URL, the attempt's context.
    fn for_attempt(base_url: &str, http: reqwest::Client, ctx: AttemptContext) -> Self;
}

/// A generated method, called with the call's input.
pub(crate) type Method<G, I, T, E> = for<'a> fn(
    &'a G,
    &'a I,
) -> Pin<
    Box<dyn Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>> + Send + 'a>,
>;

impl Runtime {
    /// A call of `operation` whose every attempt runs `method` with `input` on a generated
    /// client made for that attempt, then maps what it returned.
    pub(crate) fn call<G, I, T, E>(
        &self,
        operation: Operation,
        input: I,
        method: Method<G, I, T, E>,
    ) -> Call<T>
    where
        G: GeneratedClient,
        I: Send + Sync + 'static,
        T: Send + 'static,
        E: Into<ApiError> + Send + 'static,
    {
        let settings = self.settings.clone();
        let input = Arc::new(input);
        let attempt: AttemptFn<T> = Box::new(move |ctx| {
            let raw = G::for_attempt(&settings.base_url, settings.http.clone(), ctx);
            let input = input.clone();
            Box::pin(async move {
                let result = method(&raw, &input).await;
                attempt_outcome(raw.inner(), result).await
            })
        });
        Call::new(self.clone(), operation, attempt)
    }
}

/// Implements progenitor's `ClientHooks` and [`GeneratedClient`] for a generated `Client`:
/// each generated method runs `pre` (shape the request) → `exec` (send it once) → `post`,
/// and both hooks hand over to [`AttemptContext`].
macro_rules! attempt_hooks {
    ($client:ty) => {
        impl progenitor_client::ClientHooks<$crate::runtime::AttemptContext> for $client {
            async fn pre<E>(
                &self,
                request: &mut reqwest::Request,
                _info: &progenitor_client::OperationInfo,
            ) -> Result<(), progenitor_client::Error<E>> {
                use progenitor_client::ClientInfo;
                self.inner().prepare(request);
                Ok(())
            }

            async fn exec(
                &self,
                request: reqwest::Request,
                _info: &progenitor_client::OperationInfo,
            ) -> reqwest::Result<reqwest::Response> {
                use progenitor_client::ClientInfo;
                self.inner().send(self.client(), request).await
            }
        }

        impl $crate::runtime::GeneratedClient for $client {
            fn for_attempt(
                base_url: &str,
                http: reqwest::Client,
                ctx: $crate::runtime::AttemptContext,
            ) -> Self {
                Self::new_with_client(base_url, http, ctx)
            }
        }
    };
}
pub(crate) use attempt_hooks;
