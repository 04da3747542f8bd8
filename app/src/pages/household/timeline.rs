//! The household's history on its overview: every visit the server accepted (date, who, what it was for, the notes,
//! the photos) and every review decision (approved or returned, by whom, with the comment), newest first.
//!
//! The assignments carry the latest visit in full and the earlier ones in brief, so the timeline shows all of them
//! offline on a new phone; their notes and photos come with the full history (`GET /api/households/{id}/history`),
//! fetched when the timeline opens with a network and kept on the phone (`storage::photo_cache`).

use super::HouseholdScreen;
use crate::api;
use crate::clock;
use crate::i18n::*;
use crate::pages::review::photos::PhotoStrip;
use crate::session::AppContext;
use crate::storage::{photo_cache, records};
use leptos::prelude::*;
use time::{Date, UtcOffset};
use zoufang_domain::labels::{Labelled, Locale as DomainLocale};
use zoufang_domain::model::{Evidence, VisitPurpose};
use zoufang_domain::protocol::{
    AssignedHousehold, HouseholdHistoryResponse, ReviewDecision, ReviewEntry, VisitEntry,
    VisitSummary,
};

/// One row of the timeline.
#[derive(Debug, Clone, PartialEq)]
enum Event {
    Visit {
        on: Date,
        by: Option<String>,
        purposes: Vec<VisitPurpose>,
        /// `None` for a visit known only in brief.
        notes: Option<String>,
        photos: Vec<Evidence>,
        photo_count: u32,
    },
    Decision {
        on: Date,
        entry: ReviewEntry,
    },
}

impl Event {
    fn on(&self) -> Date {
        match self {
            Event::Visit { on, .. } | Event::Decision { on, .. } => *on,
        }
    }

    fn of_visit(entry: &VisitEntry) -> Event {
        Event::Visit {
            on: entry.visit.started_at.date(),
            by: entry.submitted_by.clone(),
            purposes: entry.visit.purposes.clone(),
            notes: Some(entry.visit.notes.clone()),
            photos: entry.evidence.clone(),
            photo_count: u32::try_from(entry.evidence.len()).unwrap_or(u32::MAX),
        }
    }
}

/// The rows, newest first: the visits in full where the phone has them (the download's latest, then the kept
/// history), else in brief; the review decisions from both, each once, dated where the phone is (`offset`).
fn events(
    household: &AssignedHousehold,
    kept: Option<&HouseholdHistoryResponse>,
    offset: UtcOffset,
) -> Vec<Event> {
    let mut full: Vec<&VisitEntry> = household.visits.iter().collect();
    if let Some(kept) = kept {
        for visit in &kept.visits {
            if !full
                .iter()
                .any(|known| known.submission_id == visit.submission_id)
            {
                full.push(visit);
            }
        }
    }
    let mut rows: Vec<Event> = full.iter().map(|entry| Event::of_visit(entry)).collect();
    // An earlier visit the phone has no full entry for (no history kept yet, or kept before it) is shown in brief.
    rows.extend(
        household
            .earlier_visits
            .iter()
            .filter(|brief| !covered(brief, &full))
            .map(|brief| Event::Visit {
                on: brief.started_at.date(),
                by: brief.submitted_by.clone(),
                purposes: brief.purposes.clone(),
                notes: None,
                photos: Vec::new(),
                photo_count: brief.photos,
            }),
    );
    let mut decisions: Vec<&ReviewEntry> = household.review_history.iter().collect();
    for entry in kept.map(|kept| kept.reviews.as_slice()).unwrap_or_default() {
        if !decisions.iter().any(|known| known.id == entry.id) {
            decisions.push(entry);
        }
    }
    rows.extend(decisions.into_iter().map(|entry| {
        Event::Decision {
            on: clock::parse_rfc3339(&entry.decided_at)
                .map(|at| at.to_offset(offset).date())
                .unwrap_or(Date::MIN),
            entry: entry.clone(),
        }
    }));
    rows.sort_by_key(|row| std::cmp::Reverse(row.on()));
    rows
}

/// Whether a full entry stands for this brief (the same submission: a corrected visit sent twice is two entries).
fn covered(brief: &VisitSummary, full: &[&VisitEntry]) -> bool {
    full.iter()
        .any(|entry| entry.submission_id == brief.submission_id)
}

/// Whether some visit is known only in brief, so the full history (notes, photos) is worth fetching.
fn needs_full_history(
    household: &AssignedHousehold,
    kept: Option<&HouseholdHistoryResponse>,
) -> bool {
    let mut full: Vec<&VisitEntry> = household.visits.iter().collect();
    full.extend(kept.into_iter().flat_map(|kept| kept.visits.iter()));
    household
        .earlier_visits
        .iter()
        .any(|brief| !covered(brief, &full))
}

#[derive(Clone, PartialEq)]
enum Fetch {
    Idle,
    Fetching,
    Failed,
}

#[component]
pub fn HouseholdTimeline(screen: HouseholdScreen) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<AppContext>();
    let household = RwSignal::new(None::<AssignedHousehold>);
    let kept = RwSignal::new(None::<HouseholdHistoryResponse>);
    let fetch = RwSignal::new(Fetch::Idle);
    let store = screen.store.get_value();
    let household_id = screen.household_id.get_value();
    leptos::task::spawn_local(async move {
        let assigned = records::load_household(&store, &household_id)
            .await
            .ok()
            .flatten();
        let history = photo_cache::kept_history(&store, &household_id)
            .await
            .ok()
            .flatten();
        let wanted = assigned
            .as_ref()
            .is_some_and(|assigned| needs_full_history(assigned, history.as_ref()));
        household.set(assigned);
        kept.set(history);
        if wanted {
            fetch_history(context, store, household_id, kept, fetch).await;
        }
    });
    let rows = move || {
        let locale = crate::ui::form::domain_locale(i18n.get_locale());
        household.with(|assigned| {
            let Some(assigned) = assigned else {
                return ().into_any();
            };
            let rows = kept.with(|kept| events(assigned, kept.as_ref(), clock::local_offset()));
            if rows.is_empty() {
                return view! { <li class="lead" data-testid="timeline-empty">{t!(i18n, timeline.empty)}</li> }
                    .into_any();
            }
            rows.into_iter()
                .map(|row| row_view(i18n, locale, row))
                .collect_view()
                .into_any()
        })
    };
    let status = move || match fetch.get() {
        Fetch::Fetching => Some(t_string!(i18n, timeline.fetching).to_string()),
        Fetch::Failed => Some(t_string!(i18n, timeline.offline).to_string()),
        Fetch::Idle => None,
    };
    view! {
        <section class="card overview-card" data-testid="timeline">
            <h2 class="overview-title">{t!(i18n, timeline.title)}</h2>
            {move || status().map(|text| view! { <p class="hint" data-testid="timeline-status">{text}</p> })}
            <ol class="timeline">{rows}</ol>
        </section>
    }
}

async fn fetch_history(
    context: AppContext,
    store: crate::storage::AppStore,
    household_id: String,
    kept: RwSignal<Option<HouseholdHistoryResponse>>,
    fetch: RwSignal<Fetch>,
) {
    let Some(session) = context.current() else {
        return;
    };
    fetch.set(Fetch::Fetching);
    match api::household_history(&session.token, &household_id).await {
        Ok(history) => {
            // Shown even when the phone cannot keep it; kept so the next visit to this page needs no network.
            let _ = photo_cache::keep_history(&store, &history).await;
            kept.set(Some(history));
            fetch.set(Fetch::Idle);
        }
        Err(_) => fetch.set(Fetch::Failed),
    }
}

fn row_view(i18n: leptos_i18n::I18nContext<Locale>, locale: DomainLocale, row: Event) -> AnyView {
    match row {
        Event::Visit {
            on,
            by,
            purposes,
            notes,
            photos,
            photo_count,
        } => {
            let what: Vec<&str> = purposes
                .iter()
                .map(|purpose| purpose.label(locale))
                .collect();
            let head = t_string!(
                i18n,
                timeline.visit,
                date = on.to_string(),
                who = by.unwrap_or_default(),
                what = what.join("、")
            )
            .to_string();
            let body = match notes {
                Some(notes) => view! {
                    <p class="timeline-notes">{notes}</p>
                    <PhotoStrip evidence=photos />
                }
                .into_any(),
                None => {
                    let text = if photo_count == 1 {
                        t_string!(i18n, timeline.in_brief_one).to_string()
                    } else {
                        t_string!(i18n, timeline.in_brief, count = photo_count).to_string()
                    };
                    view! { <p class="hint">{text}</p> }.into_any()
                }
            };
            view! {
                <li class="timeline-row" data-testid="timeline-visit">
                    <p class="timeline-head">{head}</p>
                    {body}
                </li>
            }
            .into_any()
        }
        Event::Decision { on, entry } => {
            let who = entry.reviewer_name.clone().unwrap_or_default();
            let head = match entry.decision {
                ReviewDecision::Approve => {
                    t_string!(i18n, timeline.approved, date = on.to_string(), who = who).to_string()
                }
                ReviewDecision::Return => {
                    t_string!(i18n, timeline.returned, date = on.to_string(), who = who).to_string()
                }
            };
            let class = match entry.decision {
                ReviewDecision::Approve => "timeline-row timeline-approved",
                ReviewDecision::Return => "timeline-row timeline-returned",
            };
            let comments = (!entry.comments.is_empty()).then(|| {
                view! { <p class="timeline-notes" data-testid="timeline-comment">{entry.comments.clone()}</p> }
            });
            view! {
                <li class=class data-testid="timeline-decision">
                    <p class="timeline-head">{head}</p>
                    {comments}
                </li>
            }
            .into_any()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn household() -> AssignedHousehold {
        let record = zoufang_domain::sample::household();
        AssignedHousehold {
            household: record,
            version: 1,
            risk: zoufang_domain::risk::RiskAssessment {
                colour: zoufang_domain::risk::RiskColour::Green,
                triggered: Vec::new(),
                rule_set_version: String::new(),
            },
            last_visit_on: None,
            plan: None,
            review: None,
            income_sheets: Vec::new(),
            visits: Vec::new(),
            review_history: Vec::new(),
            night_school_follow_up: None,
            earlier_visits: Vec::new(),
            review_basis: None,
        }
    }

    const CHINA: UtcOffset = time::macros::offset!(+8);

    fn brief(on: Date) -> VisitSummary {
        VisitSummary {
            submission_id: Uuid::from_u128(u128::from(on.ordinal())),
            started_at: on
                .with_hms(9, 0, 0)
                .unwrap_or_else(|_| unreachable!())
                .assume_offset(CHINA),
            purposes: vec![VisitPurpose::RoutineVisit],
            photos: 2,
            submitted_by: Some("王海燕".into()),
        }
    }

    fn decision(at: &str, decision: ReviewDecision) -> ReviewEntry {
        ReviewEntry {
            id: Uuid::from_u128(at.len() as u128),
            submission_id: Uuid::nil(),
            decision,
            comments: "同意。".into(),
            reviewer_name: Some("符明亮".into()),
            decided_at: at.into(),
        }
    }

    #[test]
    fn visits_in_brief_and_decisions_are_merged_newest_first() {
        let mut assigned = household();
        assigned.earlier_visits = vec![
            brief(time::macros::date!(2026 - 10 - 01)),
            brief(time::macros::date!(2026 - 08 - 01)),
        ];
        assigned.review_history = vec![decision("2026-09-01T02:00:00Z", ReviewDecision::Approve)];
        let rows = events(&assigned, None, CHINA);
        let days: Vec<String> = rows.iter().map(|row| row.on().to_string()).collect();
        assert_eq!(days, ["2026-10-01", "2026-09-01", "2026-08-01"]);
        assert!(matches!(
            &rows[0],
            Event::Visit {
                notes: None,
                photo_count: 2,
                ..
            }
        ));
        assert!(needs_full_history(&assigned, None));
    }

    #[test]
    fn a_decision_in_both_the_download_and_the_kept_history_is_shown_once() {
        let mut assigned = household();
        assigned.earlier_visits = vec![brief(time::macros::date!(2026 - 10 - 01))];
        let approval = decision("2026-09-01T02:00:00Z", ReviewDecision::Approve);
        assigned.review_history = vec![approval.clone()];
        let kept = HouseholdHistoryResponse {
            household_id: assigned.household.id,
            visits: Vec::new(),
            reviews: vec![approval],
        };
        let rows = events(&assigned, Some(&kept), CHINA);
        let decisions = rows
            .iter()
            .filter(|row| matches!(row, Event::Decision { .. }))
            .count();
        assert_eq!(decisions, 1, "{rows:?}");
        // The kept history is older than the visit known in brief: that one stays in brief and is worth fetching.
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert!(needs_full_history(&assigned, Some(&kept)));
    }
}
