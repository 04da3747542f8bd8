//! 同步: the connection, the driver's last run, 立即同步, and every outbox item with where it stands — 待发送,
//! 发送中, 已发送, or 需处理 with the server's reason and what to do: household visits, then night-school attendance
//! sheets and confirmations. Read with a `LocalResource` (again after every run and every change made here);
//! discarding and resolving are `Action::new_local`s.

use crate::clock;
use crate::components::PageHeader;
use crate::i18n::*;
use crate::ids::new_uuid;
use crate::pages::night_school::queued::QueuedNightSchool;
use crate::platform::use_online;
use crate::session::AppContext;
use crate::storage::night_school::{self, QueuedAttendance, QueuedConfirmation};
use crate::storage::records::{self, OutboxItem, OutboxProblem, OutboxStatus};
use crate::sync::merge::{self, Part};
use crate::sync::service::{SyncState, use_sync};
use crate::sync::{self, RunOutcome};
use crate::ui::form::use_domain_locale;
use leptos::prelude::*;
use std::collections::BTreeSet;
use zoufang_domain::model::Relation;

/// Everything the page lists, read in one go.
#[derive(Clone, Default, PartialEq)]
struct Queued {
    visits: Vec<OutboxItem>,
    sheets: Vec<QueuedAttendance>,
    confirmations: Vec<QueuedConfirmation>,
}

impl Queued {
    fn count(&self, status: OutboxStatus) -> usize {
        self.visits
            .iter()
            .filter(|item| item.delivery.status == status)
            .count()
            + self
                .sheets
                .iter()
                .filter(|item| item.delivery.status == status)
                .count()
            + self
                .confirmations
                .iter()
                .filter(|item| item.delivery.status == status)
                .count()
    }

    fn is_empty(&self) -> bool {
        self.visits.is_empty() && self.sheets.is_empty() && self.confirmations.is_empty()
    }
}

async fn load(context: AppContext) -> Queued {
    let Some(store) = context.store() else {
        return Queued::default();
    };
    let (visits, sheets, confirmations) = futures::join!(
        records::outbox(&store),
        night_school::queued(&store),
        night_school::queued_confirmations(&store)
    );
    let mut queued = Queued::default();
    for result in [
        visits.map(|visits| queued.visits = visits),
        sheets.map(|sheets| queued.sheets = sheets),
        confirmations.map(|confirmations| queued.confirmations = confirmations),
    ] {
        if let Err(error) = result {
            context.storage_problem.set(Some(error));
        }
    }
    queued
}

#[component]
pub fn SyncPage() -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<AppContext>();
    let sync_service = use_sync();
    let online = use_online();
    // Read again whenever a run ends and after a change made here (a discarded or resolved item).
    let changes_here = RwSignal::new(0u32);
    let loaded = LocalResource::new(move || {
        sync_service.revision.track();
        changes_here.track();
        load(context)
    });
    let reload = move || changes_here.update(|changes| *changes += 1);
    let queued = Memo::new(move |_| loaded.get().unwrap_or_default());
    let items = move || queued.with(|queued| queued.visits.clone());
    let count = move |status: OutboxStatus| queued.with(|queued| queued.count(status));
    let pending = move || count(OutboxStatus::Queued) + count(OutboxStatus::Sending);
    let status_line = move || match sync_service.state.get() {
        SyncState::Idle => String::new(),
        SyncState::Running => t_string!(i18n, sync.running).to_string(),
        SyncState::Finished { at, outcome, sent } => {
            let time = clock::parse_rfc3339(&at)
                .map(clock::clock_time)
                .unwrap_or_default();
            match outcome {
                RunOutcome::Done { next_due: None } => {
                    t_string!(i18n, sync.last_run, time = time, sent = sent).to_string()
                }
                RunOutcome::Done {
                    next_due: Some(due),
                } => t_string!(
                    i18n,
                    sync.waiting_retry,
                    time = time,
                    sent = sent,
                    due = clock::clock_time(due)
                )
                .to_string(),
                RunOutcome::Backoff { retry_at, reason } => t_string!(
                    i18n,
                    sync.retry_at,
                    time = clock::clock_time(retry_at),
                    reason = reason
                )
                .to_string(),
                RunOutcome::NeedsLogin => t_string!(i18n, sync.needs_login).to_string(),
                RunOutcome::Storage(error) => {
                    t_string!(i18n, sync.storage_failed, reason = error.to_string()).to_string()
                }
            }
        }
    };
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, sync.title).to_string()) />
        <p class=move || if online.get() { "status status-online" } else { "status status-offline" } data-testid="connection">
            {move || if online.get() {
                t_string!(i18n, sync.online).to_string()
            } else {
                t_string!(i18n, sync.offline).to_string()
            }}
        </p>
        <div class="sync-actions">
            <button
                class="button button-primary"
                data-testid="sync-now"
                disabled=move || matches!(sync_service.state.get(), SyncState::Running)
                on:click=move |_| sync_service.kick(context, true)
            >
                {t!(i18n, sync.sync_now)}
            </button>
            <p class="sync-status" role="status" aria-live="polite" data-testid="sync-status">{status_line}</p>
        </div>
        <Show
            when=move || queued.with(|queued| !queued.is_empty())
            fallback=move || view! { <p class="empty">{t!(i18n, sync.empty)}</p> }
        >
            <p data-testid="queued-count">
                {move || t_string!(
                    i18n,
                    sync.counts,
                    pending = pending(),
                    attention = count(OutboxStatus::NeedsAttention),
                    sent = count(OutboxStatus::Sent)
                ).to_string()}
            </p>
            <ul class="household-list">
                <For
                    each=items
                    key=|item| (item.id, item.delivery.status, item.delivery.attempts)
                    let:item
                >
                    <OutboxRow item=item on_change=Callback::new(move |_| reload()) />
                </For>
                {move || queued.with(|queued| view! {
                    <QueuedNightSchool sheets=queued.sheets.clone() confirmations=queued.confirmations.clone() />
                })}
            </ul>
        </Show>
    }
}

#[component]
fn OutboxRow(item: OutboxItem, on_change: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let (status_text, status_class) = match item.delivery.status {
        OutboxStatus::Queued => (t_string!(i18n, sync.status_queued), "mark mark-queued"),
        OutboxStatus::Sending => (t_string!(i18n, sync.status_sending), "mark mark-queued"),
        OutboxStatus::Sent => (t_string!(i18n, sync.status_sent), "mark mark-sent"),
        OutboxStatus::NeedsAttention => (
            t_string!(i18n, sync.status_attention),
            "mark mark-attention",
        ),
    };
    let submitted = clock::date_time(item.submitted_at);
    let waiting = (item.delivery.status == OutboxStatus::Queued)
        .then(|| item.delivery.last_error.clone())
        .flatten()
        .map(|reason| {
            let at = item
                .delivery
                .next_attempt_at
                .map(clock::clock_time)
                .unwrap_or_default();
            view! {
                <span class="household-meta" data-testid="outbox-retry">
                    {t_string!(i18n, sync.item_retry, time = at, reason = reason).to_string()}
                </span>
            }
        });
    let href = format!("/households/{}", item.household_id);
    let problem = item.delivery.problem.clone().map(
        |problem| view! { <ProblemView item=item.clone() problem=problem on_change=on_change /> },
    );
    view! {
        <li class="outbox-row" data-testid="outbox-item" data-status=format!("{:?}", item.delivery.status)>
            <div class="outbox-head">
                <a class="household-main" href=href>
                    <span class="household-name">{head_name(&item)}</span>
                    <span class="household-meta">{submitted}</span>
                    {waiting}
                </a>
                <span class=status_class data-testid="outbox-status">{status_text}</span>
            </div>
            {problem}
        </li>
    }
}

#[component]
fn ProblemView(item: OutboxItem, problem: OutboxProblem, on_change: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = use_domain_locale();
    let context = expect_context::<AppContext>();
    let sync_service = use_sync();
    let item_id = item.id;
    let discard_refused = Action::new_local(move |_: &()| async move {
        let Some(store) = context.store() else { return };
        if let Err(error) = sync::discard_refused(&store, item_id).await {
            context.storage_problem.set(Some(error));
        }
        on_change.run(());
    });
    let discard = move |_| {
        let confirmed = window()
            .confirm_with_message(t_string!(i18n, sync.discard_confirm))
            .unwrap_or(false);
        if confirmed {
            discard_refused.dispatch(());
        }
    };
    let body = match problem {
        OutboxProblem::Invalid { findings } => {
            let list = findings
                .into_iter()
                .map(|finding| {
                    let text = move || {
                        format!(
                            "{} ({})",
                            finding.message(locale.get()),
                            finding.code.as_str()
                        )
                    };
                    view! { <li>{text}</li> }
                })
                .collect_view();
            view! {
                <p>{t!(i18n, sync.problem_invalid)}</p>
                <ul class="finding-list">{list}</ul>
            }
            .into_any()
        }
        OutboxProblem::Refused {
            status,
            code,
            message,
        } => {
            let advice = match status {
                413 => t_string!(i18n, sync.advice_too_large).to_string(),
                403 | 404 => t_string!(i18n, sync.advice_forbidden).to_string(),
                _ => t_string!(i18n, sync.advice_other).to_string(),
            };
            view! {
                <p>{t_string!(i18n, sync.problem_refused, status = status, message = message).to_string()}</p>
                <p class="household-meta">{code}</p>
                <p>{advice}</p>
            }
            .into_any()
        }
        OutboxProblem::Conflict { server } => view! {
            <ConflictView item=item.clone() server=*server on_resolved=Callback::new(move |_| {
                on_change.run(());
                sync_service.kick(context, true);
            }) />
        }
        .into_any(),
    };
    view! {
        <div class="outbox-problem" data-testid="outbox-problem">
            {body}
            <button class="button" data-testid="outbox-discard" on:click=discard>
                {t!(i18n, sync.discard)}
            </button>
        </div>
    }
}

/// Both versions, part by part: the helper keeps theirs or takes the server's for each part that differs.
#[component]
fn ConflictView(
    item: OutboxItem,
    server: zoufang_domain::protocol::AssignedHousehold,
    on_resolved: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<AppContext>();
    let parts = merge::differing_parts(&item.snapshot, &server);
    let take_server = RwSignal::new(BTreeSet::<Part>::new());
    let item_id = item.id;
    let resolve_conflict = Action::new_local(move |from_server: &BTreeSet<Part>| {
        let from_server = from_server.clone();
        async move {
            let Some(store) = context.store() else { return };
            match sync::resolve_conflict(&store, item_id, &from_server, new_uuid()).await {
                Ok(_) => on_resolved.run(()),
                Err(error) => context.storage_problem.set(Some(error)),
            }
        }
    });
    let resolve = move |choice: Option<bool>| {
        let from_server: BTreeSet<Part> = match choice {
            Some(true) => Part::ALL.into_iter().collect(),
            Some(false) => BTreeSet::new(),
            None => take_server.get_untracked(),
        };
        resolve_conflict.dispatch(from_server);
    };
    let mine_members = item.snapshot.household.members.len();
    let server_members = server.household.members.len();
    let rows = parts
        .into_iter()
        .map(|part| {
            let name = part_name(i18n, part);
            let code = part.code();
            view! {
                <li class="conflict-part" data-testid=format!("conflict-part-{code}")>
                    <span class="conflict-part-name">{name}</span>
                    <label class="choice">
                        <input
                            type="radio"
                            name=format!("part-{item_id}-{code}")
                            checked=true
                            on:change=move |_| take_server.update(|set| { set.remove(&part); })
                        />
                        {t!(i18n, sync.keep_mine)}
                    </label>
                    <label class="choice">
                        <input
                            type="radio"
                            name=format!("part-{item_id}-{code}")
                            data-testid=format!("take-server-{code}")
                            on:change=move |_| take_server.update(|set| { set.insert(part); })
                        />
                        {t!(i18n, sync.take_server)}
                    </label>
                </li>
            }
        })
        .collect_view();
    view! {
        <p>{t_string!(
            i18n,
            sync.problem_conflict,
            server_version = server.version,
            base_version = item.snapshot.base_version
        ).to_string()}</p>
        <p class="household-meta">{t_string!(
            i18n,
            sync.conflict_members,
            mine = mine_members,
            server = server_members
        ).to_string()}</p>
        <ul class="conflict-parts">{rows}</ul>
        <p class="household-meta">{t!(i18n, sync.conflict_visit_kept)}</p>
        <div class="conflict-actions">
            <button class="button button-primary" data-testid="conflict-merge" on:click=move |_| resolve(None)>
                {t!(i18n, sync.conflict_merge)}
            </button>
            <button class="button" data-testid="conflict-keep-mine" on:click=move |_| resolve(Some(false))>
                {t!(i18n, sync.conflict_keep_mine)}
            </button>
            <button class="button" data-testid="conflict-take-server" on:click=move |_| resolve(Some(true))>
                {t!(i18n, sync.conflict_take_server)}
            </button>
        </div>
    }
}

fn part_name(i18n: leptos_i18n::I18nContext<Locale>, part: Part) -> String {
    match part {
        Part::Basic => t_string!(i18n, sync.part_basic),
        Part::Housing => t_string!(i18n, sync.part_housing),
        Part::Members => t_string!(i18n, sync.part_members),
        Part::Causes => t_string!(i18n, sync.part_causes),
        Part::Checklist => t_string!(i18n, sync.part_checklist),
        Part::Plan => t_string!(i18n, sync.part_plan),
    }
    .to_string()
}

/// The name an outbox item is shown under: its household head.
pub(crate) fn head_name(item: &OutboxItem) -> String {
    let members = &item.snapshot.household.members;
    members
        .iter()
        .find(|member| member.relation == Relation::Head)
        .or(members.first())
        .map(|member| member.name.clone())
        .unwrap_or_default()
}
