//! Runs the driver when it should: at start, when the phone comes online, when the page becomes visible, on a
//! timer (the next backoff, and every [`POLL_INTERVAL_MS`]), and on 立即同步. One run at a time; a request that
//! arrives during a run starts another right after it.

use super::{RunOutcome, RunReport, http::HttpTransport, run};
use crate::clock;
use crate::session::AppContext;
use gloo_timers::callback::{Interval, Timeout};
use leptos::prelude::*;

/// How often a logged-in app looks for work and changes even when nothing else happens.
pub const POLL_INTERVAL_MS: u32 = 60_000;

/// During a run the 同步 page is refreshed at most this often: it reads the whole outbox, and doing that after
/// every one of hundreds of items would cost more than sending them.
const PROGRESS_INTERVAL_MS: f64 = 500.0;

/// What the 同步 page shows about the driver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncState {
    Idle,
    Running,
    /// The last run ended; when it did and how.
    Finished {
        at: String,
        outcome: RunOutcome,
        sent: usize,
    },
}

/// The app-wide handle, provided as context.
#[derive(Clone, Copy)]
pub struct SyncService {
    pub state: RwSignal<SyncState>,
    /// Bumped after every run that changed the outbox or the households, so pages reload them.
    pub revision: RwSignal<u64>,
    busy: StoredValue<bool, LocalStorage>,
    /// `Some(force)` when a run was requested during a run.
    again: StoredValue<Option<bool>, LocalStorage>,
    timer: StoredValue<Option<Timeout>, LocalStorage>,
    poll: StoredValue<Option<Interval>, LocalStorage>,
}

impl SyncService {
    pub fn new() -> SyncService {
        SyncService {
            state: RwSignal::new(SyncState::Idle),
            revision: RwSignal::new(0),
            busy: StoredValue::new_local(false),
            again: StoredValue::new_local(None),
            timer: StoredValue::new_local(None),
            poll: StoredValue::new_local(None),
        }
    }

    /// Starts the periodic poll (idempotent).
    pub fn start_polling(self, context: AppContext) {
        if self.poll.with_value(Option::is_some) {
            return;
        }
        let interval = Interval::new(POLL_INTERVAL_MS, move || self.kick(context, false));
        self.poll.set_value(Some(interval));
    }

    /// Runs the driver now (or right after the current run). `force` ignores backoff times (立即同步).
    pub fn kick(self, context: AppContext, force: bool) {
        if self.busy.get_value() {
            self.again
                .update_value(|again| *again = Some(again.unwrap_or(false) || force));
            return;
        }
        let Some(session) = context.current() else {
            return;
        };
        if context.needs_reauth.get_untracked() {
            return;
        }
        let Some(store) = context.store() else {
            return;
        };
        self.busy.set_value(true);
        self.state.set(SyncState::Running);
        leptos::task::spawn_local(async move {
            let transport = HttpTransport {
                token: session.token,
                user: session.user.id,
            };
            let mut jitter = js_sys::Math::random;
            // Items' new states show on the 同步 page as they happen (throttled; `finish` always refreshes).
            let mut last_shown = js_sys::Date::now();
            let mut progress = |_: &RunReport| {
                let now = js_sys::Date::now();
                if now - last_shown >= PROGRESS_INTERVAL_MS {
                    last_shown = now;
                    self.revision.update(|revision| *revision += 1);
                }
            };
            let report: RunReport = run(
                &store,
                &transport,
                &super::StoredPhotos(&store),
                clock::now_utc(),
                force,
                &mut jitter,
                &mut progress,
            )
            .await;
            self.finish(context, report);
        });
    }

    fn finish(self, context: AppContext, report: RunReport) {
        self.busy.set_value(false);
        let wake_at = match &report.outcome {
            RunOutcome::Done { next_due } => *next_due,
            RunOutcome::Backoff { retry_at, .. } => Some(*retry_at),
            RunOutcome::NeedsLogin => {
                context.needs_reauth.set(true);
                None
            }
            RunOutcome::Storage(error) => {
                context.storage_problem.set(Some(error.clone()));
                None
            }
        };
        self.state.set(SyncState::Finished {
            at: clock::rfc3339(clock::now_utc()),
            outcome: report.outcome,
            sent: report.sent,
        });
        self.revision.update(|revision| *revision += 1);
        self.timer.update_value(|timer| {
            if let Some(timer) = timer.take() {
                timer.cancel();
            }
        });
        if let Some(wake_at) = wake_at {
            let wait = (wake_at - clock::now_utc()).whole_milliseconds().max(0);
            let wait = u32::try_from(wait).unwrap_or(u32::MAX);
            let timeout = Timeout::new(wait, move || self.kick(context, false));
            self.timer.set_value(Some(timeout));
        }
        if let Some(force) = self.again.try_update_value(Option::take).flatten() {
            self.kick(context, force);
        }
    }
}

impl Default for SyncService {
    fn default() -> Self {
        SyncService::new()
    }
}

/// The sync service from context.
pub fn use_sync() -> SyncService {
    expect_context::<SyncService>()
}
