//! 我的: who is logged in, the language, the phone's storage, the app version, logging out.

use crate::components::PageHeader;
use crate::i18n::*;
use crate::pages::sync::head_name;
use crate::platform::{self, ServiceWorkerStatus, StorageReport};
use crate::session::{AppContext, SessionState};
use crate::storage::account;
use crate::storage::account::Unsent;
use crate::storage::lock::LOCK_AFTER_CHOICES;
use leptos::prelude::*;
use zoufang_domain::protocol::Role;

#[component]
pub fn MePage() -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<AppContext>();
    let service_worker = expect_context::<ServiceWorkerStatus>();
    let storage = LocalResource::new(platform::storage_report);
    let photo_totals = LocalResource::new(move || async move {
        let store = context.store()?;
        crate::storage::photos::photo_totals(&store).await.ok()
    });

    let user = move || match context.session.get() {
        SessionState::LoggedIn(session) => Some(session.user),
        _ => None,
    };
    let role_label = move |role: Role| -> String {
        match role {
            Role::Helper => t_string!(i18n, role.helper),
            Role::FirstSecretary => t_string!(i18n, role.first_secretary),
            Role::VillageCadre => t_string!(i18n, role.village_cadre),
            Role::Admin => t_string!(i18n, role.admin),
        }
        .to_string()
    };
    // The user's unsent items, while logging out waits for the choice to send them first or keep them.
    let unsent: RwSignal<Option<Vec<Unsent>>> = RwSignal::new(None);
    let on_logout = move |_| {
        let Some(store) = context.store() else {
            return;
        };
        leptos::task::spawn_local(async move {
            // If the outbox cannot be read, logging out still keeps whatever it holds.
            let items = account::unsent(&store).await.unwrap_or_default();
            if !items.is_empty() {
                unsent.set(Some(items));
                return;
            }
            let confirmed = web_sys::window()
                .and_then(|window| {
                    window
                        .confirm_with_message(t_string!(i18n, me.logout_confirm))
                        .ok()
                })
                .unwrap_or(false);
            if confirmed {
                context.log_out().await;
            }
        });
    };
    let sync = crate::sync::service::use_sync();
    let navigate = leptos_router::hooks::use_navigate();
    let send_first = move |_| {
        unsent.set(None);
        sync.kick(context, true);
        navigate("/sync", Default::default());
    };

    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, me.title).to_string()) />
        {move || user().map(|user| view! {
            <section class="card" data-testid="profile">
                <h2 class="profile-name">{user.name.clone()}</h2>
                <dl class="facts">
                    <dt>{t!(i18n, me.role)}</dt>
                    <dd data-testid="role">{role_label(user.role)}</dd>
                    <dt>{t!(i18n, me.phone)}</dt>
                    <dd>{user.phone.clone()}</dd>
                    {user.village.clone().map(|village| view! {
                        <dt>{t!(i18n, me.village)}</dt>
                        <dd>{village.name}</dd>
                    })}
                    {user.teaching_point.clone().map(|point| view! {
                        <dt>{t!(i18n, me.teaching_point)}</dt>
                        <dd>{point.name}</dd>
                    })}
                </dl>
            </section>
        })}
        <section class="card">
            <h2>{t!(i18n, me.language)}</h2>
            <div class="segmented" role="group">
                <button
                    class="button"
                    aria-pressed=move || (i18n.get_locale() == Locale::zh_CN).to_string()
                    on:click=move |_| context.choose_locale(i18n, Locale::zh_CN)
                >"中文"</button>
                <button
                    class="button"
                    aria-pressed=move || (i18n.get_locale() == Locale::en).to_string()
                    on:click=move |_| context.choose_locale(i18n, Locale::en)
                >"English"</button>
            </div>
        </section>
        <section class="card" data-testid="lock-settings">
            <h2>{t!(i18n, me.lock)}</h2>
            <label class="field" for="lock-after">
                <span class="field-label">{t!(i18n, me.lock_after)}</span>
                <select id="lock-after"
                    on:change=move |event| {
                        if let Ok(minutes) = event_target_value(&event).parse::<u32>() {
                            context.choose_lock_after(minutes);
                        }
                    }
                >
                    {LOCK_AFTER_CHOICES.iter().map(|&minutes| view! {
                        <option value=minutes.to_string() selected=move || context.lock_after_minutes.get() == minutes>
                            {t_string!(i18n, me.lock_minutes, minutes = minutes).to_string()}
                        </option>
                    }).collect_view()}
                </select>
            </label>
            <button class="button" data-testid="lock-now" on:click=move |_| context.lock()>{t!(i18n, me.lock_now)}</button>
        </section>
        <section class="card" data-testid="storage">
            <h2>{t!(i18n, me.storage)}</h2>
            {move || storage.get().map(|report| storage_lines(i18n, report))}
            {move || photo_totals.get().flatten().map(|totals| view! {
                <p data-testid="storage-photos">
                    {t_string!(i18n, me.storage_photos, count = totals.count, size = platform::human_bytes(totals.bytes as f64)).to_string()}
                </p>
            })}
        </section>
        <section class="card">
            <h2>{t!(i18n, me.app_version)}</h2>
            <p>{env!("CARGO_PKG_VERSION")}" · "
                {move || if service_worker.offline_ready.get() {
                    t_string!(i18n, me.offline_ready).to_string()
                } else {
                    t_string!(i18n, me.offline_not_ready).to_string()
                }}
            </p>
            <Show when=move || service_worker.update_waiting.get()>
                <p>{t!(i18n, me.update_ready)}</p>
                <button class="button button-primary" on:click=|_| platform::activate_waiting_update()>
                    {t!(i18n, me.update_now)}
                </button>
            </Show>
        </section>
        {move || unsent.get().map(|items| view! {
            <section class="card notice" data-testid="logout-unsent">
                <h2>{t_string!(i18n, me.unsent_title, count = items.len()).to_string()}</h2>
                <ul class="unsent-list">
                    {items.iter().map(|item| {
                        let what = match item {
                            Unsent::Visit(visit) => head_name(visit),
                            Unsent::Review(_) => t_string!(i18n, me.unsent_review).to_string(),
                            Unsent::Attendance(_) => t_string!(i18n, me.unsent_attendance).to_string(),
                            Unsent::Confirmation(_) => t_string!(i18n, me.unsent_confirmation).to_string(),
                        };
                        let at = crate::clock::date_time(item.queued_at());
                        view! { <li>{what}" · "{at}</li> }
                    }).collect_view()}
                </ul>
                <p>{t!(i18n, me.unsent_explain)}</p>
                <div class="actions">
                    <button class="button button-primary" data-testid="logout-send" on:click=send_first.clone()>
                        {t!(i18n, me.unsent_send)}
                    </button>
                    <button class="button" data-testid="logout-keep"
                        on:click=move |_| {
                            unsent.set(None);
                            leptos::task::spawn_local(context.log_out());
                        }
                    >{t!(i18n, me.unsent_keep)}</button>
                    <button class="button" on:click=move |_| unsent.set(None)>{t!(i18n, me.unsent_cancel)}</button>
                </div>
            </section>
        })}
        <button class="button button-danger" data-testid="logout" on:click=on_logout>{t!(i18n, me.logout)}</button>
    }
}

fn storage_lines(i18n: leptos_i18n::I18nContext<Locale>, report: StorageReport) -> impl IntoView {
    let persistence = match report.persisted {
        Some(true) => t_string!(i18n, me.storage_persistent).to_string(),
        Some(false) => t_string!(i18n, me.storage_not_persistent).to_string(),
        None => t_string!(i18n, me.storage_unknown).to_string(),
    };
    let usage = match (report.usage_bytes, report.quota_bytes) {
        (Some(used), Some(quota)) => Some(
            t_string!(
                i18n,
                me.storage_usage,
                used = platform::human_bytes(used),
                quota = platform::human_bytes(quota)
            )
            .to_string(),
        ),
        _ => None,
    };
    view! {
        <p data-testid="storage-persistence">{persistence}</p>
        {usage.map(|text| view! { <p data-testid="storage-usage">{text}</p> })}
    }
}
