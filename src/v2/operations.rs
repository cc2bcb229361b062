// The operations of `openapi/store-auth-v2.yaml` the crate calls: the one list for Medusa v2.
// Compiled into the crate (src/v2/auth.rs and src/v2/customer.rs, src/mock.rs's routes),
// into build.rs and its tests (build/checks.rs checks the document has each) and into
// scripts/vendor-openapi (which cuts them from the upstream document). Plain data.

use super::operation::Operation;

pub const REGISTER: Operation = Operation {
    name: "PostActor_typeAuth_provider_register",
    method: "POST",
    path: "/auth/customer/{auth_provider}/register",
    call: "register",
    publishable_key: false,
};
pub const LOGIN: Operation = Operation {
    name: "PostActor_typeAuth_provider",
    method: "POST",
    path: "/auth/customer/{auth_provider}",
    call: "login",
    publishable_key: false,
};
/// Not in the upstream document: added by a patch (js-sdk calls it with GET).
pub const CALLBACK: Operation = Operation {
    name: "GetActor_typeAuth_providerCallback",
    method: "GET",
    path: "/auth/customer/{auth_provider}/callback",
    call: "callback",
    publishable_key: false,
};
/// Not in the upstream document: added by a patch (new since 2.0.0).
pub const PROVIDERS: Operation = Operation {
    name: "GetActor_typeAuthProviders",
    method: "GET",
    path: "/auth/customer/providers",
    call: "list_providers",
    publishable_key: false,
};
pub const RESET_PASSWORD: Operation = Operation {
    name: "PostActor_typeAuth_providerResetPassword",
    method: "POST",
    path: "/auth/customer/{auth_provider}/reset-password",
    call: "reset_password",
    publishable_key: false,
};
pub const UPDATE_PROVIDER: Operation = Operation {
    name: "PostActor_typeAuth_providerUpdate",
    method: "POST",
    path: "/auth/customer/{auth_provider}/update",
    call: "update_provider",
    publishable_key: false,
};
pub const CREATE_SESSION: Operation = Operation {
    name: "PostSession",
    method: "POST",
    path: "/auth/session",
    call: "create_session",
    publishable_key: false,
};
pub const DELETE_SESSION: Operation = Operation {
    name: "DeleteSession",
    method: "DELETE",
    path: "/auth/session",
    call: "logout",
    publishable_key: false,
};
/// Upstream names it as if it were the admin route; the store route is the same handler.
pub const REFRESH: Operation = Operation {
    name: "PostAdminAuthTokenRefresh",
    method: "POST",
    path: "/auth/token/refresh",
    call: "refresh",
    publishable_key: false,
};
pub const CREATE_CUSTOMER: Operation = Operation {
    name: "PostCustomers",
    method: "POST",
    path: "/store/customers",
    call: "create_customer",
    publishable_key: true,
};
pub const RETRIEVE_CUSTOMER: Operation = Operation {
    name: "GetCustomersMe",
    method: "GET",
    path: "/store/customers/me",
    call: "retrieve_customer",
    publishable_key: true,
};

// Multi-factor auth (Medusa 2.15.3+) and identity verification (2.16.0+): not in the 2.0.0
// upstream document, added by patches from the recorded 2.21.2 exchanges.
pub const MFA_LIST: Operation = Operation {
    name: "GetAuthMfaFactors",
    method: "GET",
    path: "/auth/mfa/factors",
    call: "mfa().list",
    publishable_key: false,
};
pub const MFA_START: Operation = Operation {
    name: "PostAuthMfaFactors",
    method: "POST",
    path: "/auth/mfa/factors",
    call: "mfa().start",
    publishable_key: false,
};
pub const MFA_VERIFY: Operation = Operation {
    name: "PostAuthMfaFactorsIdVerify",
    method: "POST",
    path: "/auth/mfa/factors/{id}/verify",
    call: "mfa().verify",
    publishable_key: false,
};
pub const MFA_DISABLE: Operation = Operation {
    name: "DeleteAuthMfaFactorsId",
    method: "DELETE",
    path: "/auth/mfa/factors/{id}",
    call: "mfa().disable",
    publishable_key: false,
};
pub const MFA_RECOVERY_CODES: Operation = Operation {
    name: "PostAuthMfaRecoveryCodes",
    method: "POST",
    path: "/auth/mfa/recovery-codes",
    call: "mfa().generate_recovery_codes",
    publishable_key: false,
};
pub const MFA_VERIFY_CHALLENGE: Operation = Operation {
    name: "PostAuthMfaChallengesIdVerify",
    method: "POST",
    path: "/auth/mfa/challenges/{id}/verify",
    call: "mfa().verify_challenge",
    publishable_key: false,
};
pub const VERIFICATION_REQUEST: Operation = Operation {
    name: "PostAuthVerificationRequest",
    method: "POST",
    path: "/auth/verification/request",
    call: "verification().request",
    publishable_key: false,
};
pub const VERIFICATION_CONFIRM: Operation = Operation {
    name: "PostAuthVerificationConfirm",
    method: "POST",
    path: "/auth/verification/confirm",
    call: "verification().confirm",
    publishable_key: false,
};

/// Every operation above: what build.rs checks the document for and the stand-in answers.
#[allow(dead_code)] // not every build that includes this file reads every entry
pub const OPERATIONS: [Operation; 19] = [
    REGISTER,
    LOGIN,
    CALLBACK,
    PROVIDERS,
    RESET_PASSWORD,
    UPDATE_PROVIDER,
    CREATE_SESSION,
    DELETE_SESSION,
    REFRESH,
    CREATE_CUSTOMER,
    RETRIEVE_CUSTOMER,
    MFA_LIST,
    MFA_START,
    MFA_VERIFY,
    MFA_DISABLE,
    MFA_RECOVERY_CODES,
    MFA_VERIFY_CHALLENGE,
    VERIFICATION_REQUEST,
    VERIFICATION_CONFIRM,
];

/// The operations a patch adds, which the vendoring tool does not look for upstream.
#[allow(dead_code)]
pub const ADDED_BY_PATCHES: [&str; 10] = [
    CALLBACK.name,
    PROVIDERS.name,
    MFA_LIST.name,
    MFA_START.name,
    MFA_VERIFY.name,
    MFA_DISABLE.name,
    MFA_RECOVERY_CODES.name,
    MFA_VERIFY_CHALLENGE.name,
    VERIFICATION_REQUEST.name,
    VERIFICATION_CONFIRM.name,
];
