//! 登录: phone number and password, checked by the server once; then the phone remembers the login.

use crate::api::ApiError;
use crate::i18n::*;
use crate::session::AppContext;
use leptos::prelude::*;
use zoufang_domain::protocol::LoginRequest;

/// What went wrong with a login attempt, resolved to a message at render time (so a language switch
/// re-renders it).
#[derive(Debug, Clone, PartialEq, Eq)]
enum LoginProblem {
    PhoneRequired,
    PhoneInvalid,
    PasswordRequired,
    InvalidCredentials,
    AccountDisabled,
    TooManyAttempts,
    Offline,
    Unreachable,
    Timeout,
    Server(String),
}

impl LoginProblem {
    fn from_api(error: ApiError) -> LoginProblem {
        match error {
            ApiError::Offline => LoginProblem::Offline,
            ApiError::Unreachable => LoginProblem::Unreachable,
            ApiError::Timeout => LoginProblem::Timeout,
            ApiError::Unauthorized(body) if body.code == "account_disabled" => {
                LoginProblem::AccountDisabled
            }
            ApiError::Unauthorized(_) => LoginProblem::InvalidCredentials,
            ApiError::Rejected { body, .. } if body.code == "too_many_attempts" => {
                LoginProblem::TooManyAttempts
            }
            ApiError::Rejected { body, .. } if body.code == "invalid_phone" => {
                LoginProblem::PhoneInvalid
            }
            ApiError::Rejected { body, .. } => LoginProblem::Server(body.message),
            ApiError::Server(message) => LoginProblem::Server(message),
            ApiError::Conflict(conflict) => LoginProblem::Server(conflict.message),
            ApiError::Invalid(rejection) => LoginProblem::Server(rejection.message),
        }
    }

    fn is_about_phone(&self) -> bool {
        matches!(
            self,
            LoginProblem::PhoneRequired | LoginProblem::PhoneInvalid
        )
    }

    fn is_about_password(&self) -> bool {
        matches!(self, LoginProblem::PasswordRequired)
    }
}

/// Checks the form before it goes to the server, so the common mistakes get an instant message.
fn check_form(phone: &str, password: &str) -> Result<LoginRequest, LoginProblem> {
    let phone = phone.trim();
    if phone.is_empty() {
        return Err(LoginProblem::PhoneRequired);
    }
    if phone.len() != 11 || !phone.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(LoginProblem::PhoneInvalid);
    }
    if password.is_empty() {
        return Err(LoginProblem::PasswordRequired);
    }
    Ok(LoginRequest {
        phone: phone.to_owned(),
        password: password.to_owned(),
    })
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<AppContext>();
    let reauth = context.reauth_open.get_untracked();
    let initial_phone = context
        .current()
        .map(|session| session.user.phone)
        .unwrap_or_default();
    let phone = RwSignal::new(initial_phone);
    let password = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<LoginProblem>);
    // No prefetch of the logged-in frame here, unlike the PIN page: loading it while the phone number is typed
    // blocks the page for a few hundred ms on a slow phone (it doubled Lighthouse's total blocking time). The
    // service worker downloads it in the background; the tap on 登录 loads it from there.

    let submit = Action::new_local(move |request: &LoginRequest| {
        let request = request.clone();
        async move {
            match crate::routes::log_in(context, request).await {
                Ok(()) => problem.set(None),
                Err(error) => problem.set(Some(LoginProblem::from_api(error))),
            }
        }
    });
    let pending = submit.pending();

    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        match check_form(&phone.get_untracked(), &password.get_untracked()) {
            Ok(request) => {
                problem.set(None);
                submit.dispatch_local(request);
            }
            Err(found) => problem.set(Some(found)),
        }
    };

    let message = move |found: &LoginProblem| -> String {
        match found {
            LoginProblem::PhoneRequired => t_string!(i18n, login.phone_required).to_string(),
            LoginProblem::PhoneInvalid => t_string!(i18n, login.phone_invalid).to_string(),
            LoginProblem::PasswordRequired => t_string!(i18n, login.password_required).to_string(),
            LoginProblem::InvalidCredentials => {
                t_string!(i18n, login.invalid_credentials).to_string()
            }
            LoginProblem::AccountDisabled => t_string!(i18n, login.account_disabled).to_string(),
            LoginProblem::TooManyAttempts => t_string!(i18n, login.too_many_attempts).to_string(),
            LoginProblem::Offline => t_string!(i18n, login.offline).to_string(),
            LoginProblem::Unreachable => t_string!(i18n, login.unreachable).to_string(),
            LoginProblem::Timeout => t_string!(i18n, login.timeout).to_string(),
            LoginProblem::Server(detail) => {
                t_string!(i18n, login.server_error, message = detail.clone()).to_string()
            }
        }
    };
    let phone_error = move || {
        problem
            .get()
            .filter(LoginProblem::is_about_phone)
            .map(|p| message(&p))
    };
    let password_error = move || {
        problem
            .get()
            .filter(LoginProblem::is_about_password)
            .map(|p| message(&p))
    };
    let form_error = move || {
        problem
            .get()
            .filter(|p| !p.is_about_phone() && !p.is_about_password())
            .map(|p| message(&p))
    };
    let storage_warning = move || {
        context.storage_problem.get().map(|reason| {
            t_string!(i18n, login.storage_unavailable, reason = reason.to_string()).to_string()
        })
    };

    view! {
        <main class="login">
            <div class="login-brand">
                <div class="splash-mark" aria-hidden="true">"走"</div>
                <h1>{t!(i18n, app_name)}</h1>
                <p>{t!(i18n, app_tagline)}</p>
            </div>
            <form class="card form" on:submit=on_submit novalidate=true>
                <h2>{t!(i18n, login.title)}</h2>
                <label class="field">
                    <span class="field-label">{t!(i18n, login.phone)}</span>
                    <input
                        name="phone"
                        type="tel"
                        inputmode="numeric"
                        autocomplete="username"
                        maxlength="11"
                        placeholder=move || t_string!(i18n, login.phone_hint)
                        aria-invalid=move || phone_error().is_some().to_string()
                        prop:value=move || phone.get()
                        on:input=move |event| phone.set(event_target_value(&event))
                    />
                    {move || phone_error().map(|text| view! { <span class="field-error" role="alert">{text}</span> })}
                </label>
                <label class="field">
                    <span class="field-label">{t!(i18n, login.password)}</span>
                    <input
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        aria-invalid=move || password_error().is_some().to_string()
                        prop:value=move || password.get()
                        on:input=move |event| password.set(event_target_value(&event))
                    />
                    {move || password_error().map(|text| view! { <span class="field-error" role="alert">{text}</span> })}
                </label>
                {move || form_error().map(|text| view! { <p class="form-error" role="alert" data-testid="login-error">{text}</p> })}
                <button class="button button-primary" type="submit" disabled=move || pending.get()>
                    {move || if pending.get() {
                        t_string!(i18n, login.submitting).to_string()
                    } else {
                        t_string!(i18n, login.submit).to_string()
                    }}
                </button>
                {reauth.then(|| view! {
                    <button class="button" type="button" on:click=move |_| context.reauth_open.set(false)>"←"</button>
                })}
            </form>
            {move || storage_warning().map(|text| view! { <p class="banner banner-warning">{text}</p> })}
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_phone_is_reported_before_the_password() {
        assert_eq!(check_form("  ", ""), Err(LoginProblem::PhoneRequired));
    }

    #[test]
    fn a_phone_that_is_not_eleven_digits_is_invalid() {
        assert_eq!(
            check_form("1380000000", "x"),
            Err(LoginProblem::PhoneInvalid)
        );
        assert_eq!(
            check_form("1380000000a", "x"),
            Err(LoginProblem::PhoneInvalid)
        );
    }

    #[test]
    fn an_empty_password_is_required() {
        assert_eq!(
            check_form("13800000001", ""),
            Err(LoginProblem::PasswordRequired)
        );
    }

    #[test]
    fn a_well_formed_form_is_trimmed_into_a_request() {
        let request = check_form(" 13800000001 ", "secret").ok();
        assert_eq!(request.map(|r| r.phone), Some("13800000001".to_owned()));
    }
}
