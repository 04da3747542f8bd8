//! Autosave: a change to a draft is written to IndexedDB after a short pause in typing
//! ([`AUTOSAVE_DELAY_MS`]), but never later than [`AUTOSAVE_MAX_WAIT_MS`] after the first change not yet
//! written, so steady typing is saved several times a second too; and at once when the page is hidden, left or
//! closed (`visibilitychange` → hidden, `pagehide`, leaving the page).

use crate::clock;
use crate::draft::HouseholdDraft;
use crate::platform::performance_mark;
use crate::storage::draft_writer::DraftWriter;
use crate::storage::records;
use crate::storage::{AppStore, StoreError};
use gloo_timers::callback::Timeout;
use leptos::prelude::*;
use time::OffsetDateTime;

/// Typing pauses shorter than this are one save.
pub const AUTOSAVE_DELAY_MS: u32 = 200;

/// The longest a change waits while typing goes on without a pause. With the write itself (a few ms for a
/// 20-member household) a keystroke reaches IndexedDB within ~300 ms, as DESIGN.md asks, and a browser killed
/// mid-typing loses at most the last quarter second or so.
pub const AUTOSAVE_MAX_WAIT_MS: u32 = 250;

/// When a pending change is written: [`AUTOSAVE_DELAY_MS`] after the last change, but no later than
/// [`AUTOSAVE_MAX_WAIT_MS`] after the first change not yet written (times in milliseconds on one clock).
pub fn save_due(first_unsaved: f64, last_change: f64) -> f64 {
    (last_change + f64::from(AUTOSAVE_DELAY_MS))
        .min(first_unsaved + f64::from(AUTOSAVE_MAX_WAIT_MS))
}

/// A change waiting to be written: since when, and the timer that writes it.
struct Pending {
    first_unsaved: f64,
    timer: Timeout,
}

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
    let pending: StoredValue<Option<Pending>, LocalStorage> = StoredValue::new_local(None);
    let store = StoredValue::new_local(store);
    let household_id = StoredValue::new(household_id);
    // Which write was started last: an earlier write that finishes after a later one started says nothing about
    // the newest change.
    let writes_started: StoredValue<u64, LocalStorage> = StoredValue::new_local(0);
    // The draft's JSON part by part, so a write encodes again only what changed since the last one.
    let writer: StoredValue<DraftWriter, LocalStorage> =
        StoredValue::new_local(DraftWriter::default());

    // `try_` reads: this also runs while the page is being torn down (leaving it flushes the
    // pending change), and reading a disposed signal would panic and stop the whole app.
    let save_now = move || {
        pending.try_update_value(|slot| {
            if let Some(Pending { timer, .. }) = slot.take() {
                timer.cancel();
            }
        });
        performance_mark("zoufang:draft-save-start");
        let saved_at = clock::now_utc();
        // The draft is encoded now, as it is at this moment (only its changed parts are encoded again), so a
        // change made while the write is under way waits for the next one.
        let encoded = writer.try_update_value(|writer| {
            draft.try_with_untracked(|draft| writer.stored_json(draft, &clock::rfc3339(saved_at)))
        });
        let (Some(Some(encoded)), Some(store), Some(id)) =
            (encoded, store.try_get_value(), household_id.try_get_value())
        else {
            return;
        };
        let json = match encoded {
            Ok(json) => json,
            Err(error) => {
                set_state.set(SaveState::Failed(error));
                return;
            }
        };
        performance_mark("zoufang:draft-encoded");
        let Some(write) = writes_started.try_update_value(|count| {
            *count += 1;
            *count
        }) else {
            return;
        };
        leptos::task::spawn_local(async move {
            match records::save_draft_json(&store, &id, json).await {
                Ok(()) => {
                    performance_mark("zoufang:draft-committed");
                    measure_save();
                    // A change made while this write was under way is not in it: the indicator keeps saying
                    // 保存中 until that change is written too, so "已保存" always covers everything on screen.
                    let newer_change_waits =
                        pending.try_with_value(Option::is_some).unwrap_or(true);
                    let newer_write_runs = writes_started.try_get_value() != Some(write);
                    if !newer_change_waits && !newer_write_runs {
                        set_state.set(SaveState::Saved(saved_at));
                    }
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
        let now = now_ms();
        pending.update_value(|slot| {
            let first_unsaved = match slot.take() {
                Some(Pending {
                    first_unsaved,
                    timer,
                }) => {
                    timer.cancel();
                    first_unsaved
                }
                None => now,
            };
            // Whole milliseconds from now; a due time already past writes at the next turn.
            let wait = (save_due(first_unsaved, now) - now).clamp(0.0, f64::from(u32::MAX)) as u32;
            *slot = Some(Pending {
                first_unsaved,
                timer: Timeout::new(wait, save_now),
            });
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

/// Milliseconds on the page's monotonic clock (`performance.now()`); 0 where there is none, which only
/// makes every save wait the full pause.
fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|window| window.performance())
        .map_or(0.0, |performance| performance.now())
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

#[cfg(test)]
mod tests {
    use super::{AUTOSAVE_DELAY_MS, AUTOSAVE_MAX_WAIT_MS, save_due};

    /// When the timer fires for a stream of changes at `times`, each change re-arming it as the app does.
    fn writes(times: &[f64]) -> Vec<f64> {
        let mut written = Vec::new();
        let mut first_unsaved = None;
        let mut due = f64::INFINITY;
        for &at in times {
            if at >= due {
                written.push(due);
                first_unsaved = None;
            }
            let first = *first_unsaved.get_or_insert(at);
            due = save_due(first, at);
        }
        written.push(due);
        written
    }

    #[test]
    fn a_single_change_waits_for_the_pause() {
        assert_eq!(
            save_due(1000.0, 1000.0),
            1000.0 + f64::from(AUTOSAVE_DELAY_MS)
        );
        assert_eq!(writes(&[0.0]), vec![f64::from(AUTOSAVE_DELAY_MS)]);
    }

    #[test]
    fn steady_typing_is_written_at_least_every_max_wait() {
        // A key every 70 ms for four seconds: the pause never comes, the max-wait does.
        let keys: Vec<f64> = (0..57).map(|n| f64::from(n) * 70.0).collect();
        let written = writes(&keys);
        assert!(written.len() >= 14, "{written:?}");
        let mut last = 0.0;
        for &at in &written {
            assert!(
                at - last <= f64::from(AUTOSAVE_MAX_WAIT_MS) + 70.0,
                "{written:?}"
            );
            last = at;
        }
        // Every key is written no later than the max-wait after it was typed.
        for &key in &keys {
            let first_write = written.iter().find(|&&at| at >= key).copied();
            assert!(
                first_write.is_some_and(|at| at - key <= f64::from(AUTOSAVE_MAX_WAIT_MS)),
                "key at {key}: {first_write:?}"
            );
        }
    }

    #[test]
    fn the_pause_is_shorter_than_the_max_wait() {
        const { assert!(AUTOSAVE_DELAY_MS < AUTOSAVE_MAX_WAIT_MS) };
        // Two quick changes then a pause: written one pause after the second.
        assert_eq!(
            writes(&[0.0, 30.0]),
            vec![30.0 + f64::from(AUTOSAVE_DELAY_MS)]
        );
    }
}
