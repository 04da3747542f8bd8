//! 同步: the connection and what waits to be sent.

use crate::clock;
use crate::components::PageHeader;
use crate::i18n::*;
use crate::platform::use_online;
use crate::session::AppContext;
use crate::storage::records::{self, OutboxItem};
use leptos::prelude::*;
use zoufang_domain::model::Relation;

#[component]
pub fn SyncPage() -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<AppContext>();
    let online = use_online();
    let items = RwSignal::new(Vec::<OutboxItem>::new());
    leptos::task::spawn_local(async move {
        if let Some(store) = context.store() {
            match records::outbox(&store).await {
                Ok(loaded) => items.set(loaded),
                Err(error) => context.storage_problem.set(Some(error)),
            }
        }
    });
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, sync.title).to_string()) />
        <p class=move || if online.get() { "status status-online" } else { "status status-offline" } data-testid="connection">
            {move || if online.get() {
                t_string!(i18n, sync.online).to_string()
            } else {
                t_string!(i18n, sync.offline).to_string()
            }}
        </p>
        <Show
            when=move || items.with(|items| !items.is_empty())
            fallback=move || view! { <p class="empty">{t!(i18n, sync.empty)}</p> }
        >
            <p data-testid="queued-count">
                {move || t_string!(i18n, sync.queued_count, count = items.with(Vec::len)).to_string()}
            </p>
            <ul class="household-list">
                <For each=move || items.get() key=|item| item.id let:item>
                    <li class="household-row" data-testid="outbox-item">
                        <span class="household-main">
                            <span class="household-name">{head_name(&item)}</span>
                            <span class="household-meta">
                                {clock::parse_rfc3339(&item.submitted_at).map(clock::date_time).unwrap_or_default()}
                            </span>
                        </span>
                        <span class="mark mark-queued">{t!(i18n, households.queued)}</span>
                    </li>
                </For>
            </ul>
        </Show>
    }
}

fn head_name(item: &OutboxItem) -> String {
    let members = &item.snapshot.household.members;
    members
        .iter()
        .find(|member| member.relation == Relation::Head)
        .or(members.first())
        .map(|member| member.name.clone())
        .unwrap_or_default()
}
