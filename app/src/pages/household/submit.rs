//! 提交: the draft as it is becomes an outbox item with its own UUID (the server's idempotency key), and the sync
//! driver is asked to send it. Refused while an error is left or a warning has no written reason.

use super::{HouseholdScreen, VisitOnPhone};
use crate::clock;
use crate::i18n::*;
use crate::ids::new_uuid;
use crate::sections::summary::warnings_without_reason;
use crate::session::AppContext;
use crate::storage::records::{self, OutboxItem};
use leptos::prelude::*;

/// How many findings stop 提交, counted once per change of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Blockers {
    /// Errors: must be fixed.
    pub errors: usize,
    /// Warning codes without a written reason: must be explained.
    pub unexplained: usize,
}

impl Blockers {
    pub fn any(self) -> bool {
        self.errors > 0 || self.unexplained > 0
    }
}

/// The blockers of the household's draft, as a memo.
pub fn use_blockers(screen: HouseholdScreen) -> Memo<Blockers> {
    Memo::new(move |_| {
        screen.report.with(|report| {
            screen.draft.with(|draft| Blockers {
                errors: report.errors().count(),
                unexplained: warnings_without_reason(report, &draft.warning_reasons).len(),
            })
        })
    })
}

/// 提交 for a screen: queues the draft as it is now; does nothing while something blocks it or while the last
/// 提交 is still being written.
pub fn use_submit(screen: HouseholdScreen, blockers: Memo<Blockers>) -> Callback<()> {
    let context = expect_context::<AppContext>();
    let sync = crate::sync::service::use_sync();
    let queue = Action::new_local(move |queued: &Queued| {
        let Queued {
            item,
            now,
            visit_on,
        } = queued.clone();
        let store = screen.store.get_value();
        async move {
            match records::enqueue(&store, &item).await {
                Ok(()) => {
                    screen.outcome.set(Some(Ok(clock::clock_time(now))));
                    screen.visit_on_phone.set(Some(VisitOnPhone {
                        on: visit_on,
                        sent: false,
                    }));
                    sync.kick(context, false);
                }
                Err(error) => screen.outcome.set(Some(Err(error.to_string()))),
            }
        }
    });
    Callback::new(move |()| {
        if blockers.get_untracked().any() || queue.pending().get_untracked() {
            return;
        }
        queue.dispatch(Queued::now(screen));
    })
}

/// One 提交: the outbox item made of the draft as it is, when, and the day of its visit.
#[derive(Clone)]
struct Queued {
    item: OutboxItem,
    now: time::OffsetDateTime,
    visit_on: time::Date,
}

impl Queued {
    fn now(screen: HouseholdScreen) -> Queued {
        let now = clock::now_utc();
        let snapshot = screen.draft.get_untracked();
        let visit_on = snapshot
            .visit
            .started_at
            .to_offset(clock::local_offset())
            .date();
        Queued {
            item: OutboxItem::queued(new_uuid(), now, snapshot),
            now,
            visit_on,
        }
    }
}

/// Why 提交 is refused, or what became of the last 提交.
#[component]
pub fn SubmitMessages(screen: HouseholdScreen, blockers: Memo<Blockers>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        {move || {
            let blockers = blockers.get();
            (blockers.errors == 0 && blockers.unexplained > 0).then(|| view! {
                <p class="form-error" data-testid="submit-needs-reasons">{t!(i18n, household.submit_needs_reasons)}</p>
            })
        }}
        {move || {
            let errors = blockers.get().errors;
            (errors > 0).then(|| view! {
                <p class="form-error" data-testid="submit-blocked">
                    {match errors {
                        1 => t_string!(i18n, household.submit_blocked_single).to_string(),
                        count => t_string!(i18n, household.submit_blocked, count = count).to_string(),
                    }}
                </p>
            })
        }}
        {move || screen.outcome.get().map(|result| match result {
            Ok(time) => view! {
                <p class="banner banner-ok" data-testid="queued">
                    {t_string!(i18n, household.queued_message, time = time).to_string()}
                </p>
            }.into_any(),
            Err(reason) => view! {
                <p class="form-error">{t_string!(i18n, household.queue_failed, reason = reason).to_string()}</p>
            }.into_any(),
        })}
    }
}
