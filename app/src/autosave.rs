//! Autosave: every change to a draft reaches IndexedDB within [`AUTOSAVE_DELAY_MS`], and at once when
//! the page is hidden, left or closed (`visibilitychange` → hidden, `pagehide`, leaving the page).

use crate::clock;
use crate::draft::HouseholdDraft;
use crate::storage::records::{self, StoredDraft};
use crate::storage::{AppStore, StoreError};
use gloo_timers::callback::Timeout;
use leptos::prelude::*;
use time::OffsetDateTime;

/// Typing pauses shorter than this are one save; DESIGN.md asks for ≤ 300 ms.
pub const AUTOSAVE_DELAY_MS: u32 = 250;

/// What the "已保存" indicator shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveState {
    /// Loaded from the phone, nothing changed yet.
    Unchanged,
    /// A change waits for the pause or is being written.
    Saving,
    Saved(OffsetDateTime),
    /// The last write failed; the draft is still in memory and the next change tries again.
    Failed(StoreError),
}

/// Watches `draft` and writes it to `store` under `household_id`. Returns the state for the indicator.
pub fn use_autosave(
    draft: RwSignal<HouseholdDraft>,
    store: AppStore,
    household_id: String,
) -> ReadSignal<SaveState> {
    let (state, set_state) = signal(SaveState::Unchanged);
    let pending: StoredValue<Option<Timeout>, LocalStorage> = StoredValue::new_local(None);
    let store = StoredValue::new_local(store);
    let household_id = StoredValue::new(household_id);

    // `try_` reads: this also runs while the page is being torn down (leaving it flushes the
    // pending change), and reading a disposed signal would panic and stop the whole app.
    let save_now = move || {
        pending.try_update_value(|timer| {
            if let Some(timer) = timer.take() {
                timer.cancel();
            }
        });
        let (Some(snapshot), Some(store), Some(id)) = (
            draft.try_get_untracked(),
            store.try_get_value(),
            household_id.try_get_value(),
        ) else {
            return;
        };
        leptos::task::spawn_local(async move {
            let saved_at = clock::now_utc();
            let stored = StoredDraft {
                draft: snapshot,
                saved_at: clock::rfc3339(saved_at),
            };
            mark("zoufang:draft-save-start");
            match records::save_draft(&store, &id, &stored).await {
                Ok(()) => {
                    mark("zoufang:draft-committed");
                    measure_save();
                    set_state.set(SaveState::Saved(saved_at));
                }
                Err(error) => set_state.set(SaveState::Failed(error)),
            }
        });
    };
    let flush = move || {
        let has_pending = pending.try_with_value(Option::is_some).unwrap_or(false);
        if has_pending {
            save_now();
        }
    };

    // The effect only schedules the write to IndexedDB (the outside world); it writes no signal
    // that feeds back into the draft.
    Effect::new(move |previous: Option<()>| {
        draft.track();
        if previous.is_none() {
            return;
        }
        set_state.set(SaveState::Saving);
        let timer = Timeout::new(AUTOSAVE_DELAY_MS, save_now);
        pending.update_value(|slot| {
            if let Some(old) = slot.replace(timer) {
                old.cancel();
            }
        });
    });

    let on_visibility = window_event_listener(leptos::ev::visibilitychange, move |_| {
        let hidden = web_sys::window()
            .and_then(|window| window.document())
            .is_some_and(|document| {
                document.visibility_state() == web_sys::VisibilityState::Hidden
            });
        if hidden {
            flush();
        }
    });
    let on_page_hide = window_event_listener(leptos::ev::pagehide, move |_| flush());
    on_cleanup(move || {
        flush();
        on_visibility.remove();
        on_page_hide.remove();
    });
    state
}

fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
        let _ = performance.mark(name);
    }
}

/// Leaves a `zoufang:draft-save` performance measure (serialise + put + commit) for the benchmark.
fn measure_save() {
    if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
        let _ = performance.measure_with_start_mark_and_end_mark(
            "zoufang:draft-save",
            "zoufang:draft-save-start",
            "zoufang:draft-committed",
        );
    }
}
