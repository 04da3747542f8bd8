//! Zoufang's client: a Leptos app that keeps working with no signal.
//!
//! Layers: `storage` is the only code that touches IndexedDB; `api` is the only code that talks HTTP;
//! `pages` own data loading; `components` are props in, callbacks out.

pub mod api;
pub mod components;
pub mod pages;
pub mod platform;
pub mod session;
pub mod storage;

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

use crate::i18n::*;
use crate::session::{AppContext, SessionState};
use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;

/// The whole app: i18n, the session bootstrapped from the phone, then the login page or the shell.
#[component]
pub fn App() -> impl IntoView {
    let context = AppContext::new();
    provide_context(context);
    let service_worker = platform::ServiceWorkerStatus {
        offline_ready: RwSignal::new(false),
        update_waiting: RwSignal::new(false),
    };
    provide_context(service_worker);
    platform::register_service_worker(service_worker);

    view! {
        <I18nContextProvider>
            <Boot />
            <Router>
                {move || match context.session.get() {
                    SessionState::Loading => view! { <components::Splash /> }.into_any(),
                    SessionState::LoggedOut => view! { <pages::login::LoginPage /> }.into_any(),
                    SessionState::LoggedIn(_) if context.reauth_open.get() => {
                        view! { <pages::login::LoginPage /> }.into_any()
                    }
                    SessionState::LoggedIn(_) => view! { <Shell /> }.into_any(),
                }}
            </Router>
        </I18nContextProvider>
    }
}

/// Reads the phone's storage once the i18n context exists, so the stored language applies before the
/// first real page renders.
#[component]
fn Boot() -> impl IntoView {
    let context = expect_context::<AppContext>();
    context.boot(use_i18n());
}

/// The logged-in frame: the page area and the bottom navigation.
#[component]
fn Shell() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="shell">
            <components::ReauthBanner />
            <main class="page">
                <Routes fallback=move || view! { <p class="empty">{t!(i18n, not_found)}</p> }>
                    <Route path=path!("/") view=|| view! { <Redirect path="/households" /> } />
                    <Route path=path!("/households") view=pages::households::HouseholdsPage />
                    <Route path=path!("/night-school") view=pages::night_school::NightSchoolPage />
                    <Route path=path!("/sync") view=pages::sync::SyncPage />
                    <Route path=path!("/me") view=pages::me::MePage />
                </Routes>
            </main>
            <components::BottomNav />
        </div>
    }
}
