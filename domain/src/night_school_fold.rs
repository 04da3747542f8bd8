//! One session per teaching point and date: when two phones each start the same Monday's session offline, the
//! second sheet to reach the server is folded into the session already there instead of becoming a second one.
//!
//! A household both sheets marked, differently, cannot be decided here: the folding is refused with those
//! households, and the phone shows them one by one (the three-way conflict view, with nothing as the common base).
//! Everything else joins: households only the second sheet marked are added; 期数, topic and notes fill what the
//! first left empty (two different notes are both kept); 点单, 961017 referrals and 集市 sales the first lacks are
//! added.

use crate::model::{Attendance, HouseholdId, Session};

/// Whether two marks say the same: who recorded them and when do not matter.
pub fn same_mark(a: Option<&Attendance>, b: Option<&Attendance>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => {
            a.status == b.status
                && a.absence_reason == b.absence_reason
                && a.absence_note.trim() == b.absence_note.trim()
                && a.present_member_ids == b.present_member_ids
        }
        _ => false,
    }
}

/// The households both sessions marked, differently, in `incoming`'s order.
pub fn marked_differently(existing: &Session, incoming: &Session) -> Vec<HouseholdId> {
    incoming
        .attendance
        .iter()
        .filter(|entry| {
            existing
                .entry(entry.household_id)
                .is_some_and(|kept| !same_mark(Some(kept), Some(entry)))
        })
        .map(|entry| entry.household_id)
        .collect()
}

/// `incoming` (a sheet started on another phone for the same point and date) folded into `existing`, keeping
/// `existing`'s id; `Err` with the households marked differently on the two.
pub fn fold_into(existing: &Session, incoming: &Session) -> Result<Session, Vec<HouseholdId>> {
    let conflicting = marked_differently(existing, incoming);
    if !conflicting.is_empty() {
        return Err(conflicting);
    }
    let mut folded = existing.clone();
    for entry in &incoming.attendance {
        if folded.entry(entry.household_id).is_none() {
            folded.attendance.push(entry.clone());
        }
    }
    if folded.episode.is_none() {
        folded.episode = incoming.episode;
    }
    if folded.topic.trim().is_empty() {
        folded.topic = incoming.topic.clone();
    }
    let notes = incoming.discussion_notes.trim();
    if !notes.is_empty() && !folded.discussion_notes.contains(notes) {
        folded.discussion_notes = if folded.discussion_notes.trim().is_empty() {
            incoming.discussion_notes.clone()
        } else {
            format!("{}\n\n{}", folded.discussion_notes.trim_end(), notes)
        };
    }
    add_missing(&mut folded.training_requests, &incoming.training_requests);
    add_missing(&mut folded.hotline_referrals, &incoming.hotline_referrals);
    add_missing(&mut folded.market_sales, &incoming.market_sales);
    Ok(folded)
}

fn add_missing<T: Clone + PartialEq>(kept: &mut Vec<T>, incoming: &[T]) {
    for item in incoming {
        if !kept.contains(item) {
            kept.push(item.clone());
        }
    }
}
