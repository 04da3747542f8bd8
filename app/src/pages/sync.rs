//! 同步: the connection and what waits to be sent.

use crate::components::PageHeader;
use crate::i18n::*;
use crate::platform::use_online;
use leptos::prelude::*;

#[component]
pub fn SyncPage() -> impl IntoView {
    let i18n = use_i18n();
    let online = use_online();
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, sync.title).to_string()) />
        <p class=move || if online.get() { "status status-online" } else { "status status-offline" } data-testid="connection">
            {move || if online.get() {
                t_string!(i18n, sync.online).to_string()
            } else {
                t_string!(i18n, sync.offline).to_string()
            }}
        </p>
        <p class="empty">{t!(i18n, sync.empty)}</p>
    }
}
