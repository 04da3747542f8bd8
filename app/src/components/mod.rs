//! Presentational components: props in, callbacks out, no data loading.

use crate::i18n::*;
use crate::session::AppContext;
use leptos::prelude::*;
use leptos_router::components::A;

/// Shown for the instant between the first paint and the session being read from the phone.
#[component]
pub fn Splash() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="splash" role="status">
            <div class="splash-mark" aria-hidden="true">"走"</div>
            <p>{t!(i18n, loading)}</p>
        </div>
    }
}

/// The four tabs: 我的户 (全村 for a first secretary, none for a village cadre) / 夜校 / 同步 / 我的. The router marks the current one with
/// `aria-current`.
#[component]
pub fn BottomNav() -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<AppContext>();
    let role = context.current().map(|session| session.user.role);
    let first_secretary = role == Some(zoufang_domain::protocol::Role::FirstSecretary);
    // A village cadre has no households: their home is the teaching point, so no 我的户 tab.
    let cadre = role == Some(zoufang_domain::protocol::Role::VillageCadre);
    let (home, home_label) = if first_secretary {
        (
            "/village",
            Signal::derive(move || t_string!(i18n, nav.village).to_string()),
        )
    } else {
        (
            "/households",
            Signal::derive(move || t_string!(i18n, nav.households).to_string()),
        )
    };
    view! {
        <nav class="bottom-nav" aria-label="main">
            {(!cadre).then(|| view! {
                <A href=home>
                    <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M3 11 12 4l9 7v9h-6v-6H9v6H3z" /></svg>
                    <span>{home_label}</span>
                </A>
            })}
            <A href="/night-school">
                <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M3 5h18v11H3zM8 20h8M12 16v4" /></svg>
                <span>{t!(i18n, nav.night_school)}</span>
            </A>
            <A href="/sync">
                <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 12a8 8 0 0 1 14-5l2-2v6h-6l2.5-2.5A5 5 0 0 0 7 12zM20 12a8 8 0 0 1-14 5l-2 2v-6h6l-2.5 2.5A5 5 0 0 0 17 12z" /></svg>
                <span>{t!(i18n, nav.sync)}</span>
            </A>
            <A href="/me">
                <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21a8 8 0 0 1 16 0z" /></svg>
                <span>{t!(i18n, nav.me)}</span>
            </A>
        </nav>
    }
}

/// Asks for the password again when the server refused the stored token.
#[component]
pub fn ReauthBanner() -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<AppContext>();
    view! {
        <Show when=move || context.needs_reauth.get()>
            <div class="banner banner-warning" role="alert">
                <p>{t!(i18n, login.reauth_banner)}</p>
                <button class="button" on:click=move |_| context.reauth_open.set(true)>
                    {t!(i18n, login.reauth_action)}
                </button>
            </div>
        </Show>
    }
}

/// After a login on a phone that still keeps another user's unsent records (set aside for them, never sent with
/// this login): says so once.
#[component]
pub fn KeptForOthersBanner() -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<AppContext>();
    view! {
        <Show when=move || { context.kept_for_others.get() > 0 }>
            <div class="banner banner-warning" role="status" data-testid="kept-for-others">
                <p>{move || t_string!(i18n, login.kept_for_others, count = context.kept_for_others.get()).to_string()}</p>
                <button class="button" on:click=move |_| context.kept_for_others.set(0)>
                    {t!(i18n, login.kept_for_others_ok)}
                </button>
            </div>
        </Show>
    }
}

/// A page heading with an optional line under it.
#[component]
pub fn PageHeader(#[prop(into)] title: Signal<String>) -> impl IntoView {
    view! {
        <header class="page-header">
            <h1>{title}</h1>
        </header>
    }
}

/// The 红黄绿 colour as a coloured dot with its word (never colour alone).
#[component]
pub fn RiskBadge(colour: zoufang_domain::risk::RiskColour) -> impl IntoView {
    use zoufang_domain::risk::RiskColour;
    let i18n = use_i18n();
    let (class, label) = match colour {
        RiskColour::Red => (
            "risk risk-red",
            Signal::derive(move || t_string!(i18n, households.colour.red).to_string()),
        ),
        RiskColour::Yellow => (
            "risk risk-yellow",
            Signal::derive(move || t_string!(i18n, households.colour.yellow).to_string()),
        ),
        RiskColour::Green => (
            "risk risk-green",
            Signal::derive(move || t_string!(i18n, households.colour.green).to_string()),
        ),
        // Grey: the year's income is not accounted yet, so no colour can be given.
        RiskColour::NotAccounted => (
            "risk risk-not-accounted",
            Signal::derive(move || t_string!(i18n, households.colour.not_accounted).to_string()),
        ),
        // Neutral: no standard or monitoring line is configured for the year.
        RiskColour::NotConfigured => (
            "risk risk-not-configured",
            Signal::derive(move || t_string!(i18n, households.colour.not_configured).to_string()),
        ),
    };
    view! { <span class=class data-testid="risk">{label}</span> }
}
