//! What the runtime asks of an API line's generated client, and the one way a call of any
//! line is made from a generated method ([`Runtime::call`]). The hooks every generated client
//! needs are written once, as a macro an API line invokes on its client type.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

use progenitor_client::{ClientInfo, ResponseValue};

use super::attempt::{AttemptContext, CallPlan};
use super::call::{Attempts, Call, Execute, Options, Parts};
use super::outcome::{failure, success, Failure};
use super::response::Response;
use super::settings::Runtime;
use crate::error::{ApiError, Error};
use crate::operation::Operation;

/// A progenitor client generated with the inner type [`AttemptContext`] (see build.rs).
pub(crate) trait GeneratedClient:
    ClientInfo<AttemptContext> + Send + Sync + 'static
{
    /// A client for one call: the shared pool and base URL, the call's context.
    fn for_call(base_url: &str, http: reqwest::Client, ctx: AttemptContext) -> Self;
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
    /// client made for the call, then maps what it returned.
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
        let execute = Box::new(GeneratedCall {
            input,
            method,
            client: PhantomData,
        });
        Call::new(self.clone(), operation, execute)
    }
}

/// A generated method and its input, before the call starts.
struct GeneratedCall<G, I, T, E> {
    input: I,
    method: Method<G, I, T, E>,
    client: PhantomData<fn() -> G>,
}

/// The same once started, with the generated client made for the call.
struct GeneratedAttempts<G, I, T, E> {
    client: G,
    input: I,
    method: Method<G, I, T, E>,
}

impl<G, I, T, E> Execute<T> for GeneratedCall<G, I, T, E>
where
    G: GeneratedClient,
    I: Send + Sync + 'static,
    T: Send + 'static,
    E: Into<ApiError> + Send + 'static,
{
    fn execute(
        self: Box<Self>,
        parts: Parts<T>,
        options: Options,
        keep_headers: bool,
    ) -> Pin<Box<dyn Future<Output = Result<Response<T>, Error>> + Send>> {
        let GeneratedCall { input, method, .. } = *self;
        let (plan, ready) = match parts.prepare(options, keep_headers) {
            Ok(prepared) => prepared,
            Err(error) => return Box::pin(std::future::ready(Err(error))),
        };
        let settings = plan.runtime.settings.clone();
        let client = G::for_call(
            &settings.base_url,
            settings.http.clone(),
            AttemptContext::new(plan),
        );
        let attempts = GeneratedAttempts {
            client,
            input,
            method,
        };
        Box::pin(ready.send(attempts))
    }
}

impl<G, I, T, E> Attempts<T> for GeneratedAttempts<G, I, T, E>
where
    G: GeneratedClient,
    I: Send + Sync + 'static,
    T: Send + 'static,
    E: Into<ApiError> + Send + 'static,
{
    async fn attempt(&self, number: u32) -> Result<Response<T>, Failure> {
        let ctx = self.client.inner();
        ctx.begin(number);
        // Not a `match` with an await in an arm: the typed value would stay in this future.
        let error = match (self.method)(&self.client, &self.input).await {
            Ok(value) => return Ok(success(ctx, value)),
            Err(error) => error,
        };
        // Boxed: mapping a failure takes a large future, and most calls succeed.
        Err(Box::pin(failure(ctx, error)).await)
    }

    fn plan(&self) -> &CallPlan {
        self.client.inner().plan()
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
            fn for_call(
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
