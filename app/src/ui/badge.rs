//! Where a household's record stands, as one badge: 草稿 / 待发送 / 待审核 / 已退回 / 已通过. The status is derived
//! each time from what the phone holds (its draft, its outbox, its queued review decisions) and what the server said at
//! the last sync, so it is never a stored flag that can go stale. The pages gather the facts; this module knows
//! nothing of storage.

use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use zoufang_domain::protocol::{ReviewDecision, ReviewStatus};

/// The five states a household's record can be in, in the words the village uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HouseholdStatus {
    /// 草稿: changed on this phone since its last 提交 (or never submitted).
    Draft,
    /// 待发送: submitted on this phone, not yet accepted by the server (waiting, sending, or refused and needing a
    /// person).
    Queued,
    /// 待审核: the server has the plan; the first secretary has not decided.
    Pending,
    /// 已退回: returned with comments; the helper revises it.
    Returned,
    /// 已通过: approved.
    Approved,
}

impl HouseholdStatus {
    /// Every status, in the order a filter offers them.
    pub const ALL: [HouseholdStatus; 5] = [
        HouseholdStatus::Draft,
        HouseholdStatus::Queued,
        HouseholdStatus::Pending,
        HouseholdStatus::Returned,
        HouseholdStatus::Approved,
    ];

    /// A stable name for test hooks and filter values (never shown).
    pub fn code(self) -> &'static str {
        match self {
            HouseholdStatus::Draft => "draft",
            HouseholdStatus::Queued => "queued",
            HouseholdStatus::Pending => "pending",
            HouseholdStatus::Returned => "returned",
            HouseholdStatus::Approved => "approved",
        }
    }

    /// The mark style it is drawn with (`style/main.css`).
    fn mark_class(self) -> &'static str {
        match self {
            HouseholdStatus::Draft => "mark-draft",
            HouseholdStatus::Queued => "mark-queued",
            HouseholdStatus::Pending => "mark-pending",
            HouseholdStatus::Returned => "mark-attention",
            HouseholdStatus::Approved => "mark-sent",
        }
    }

    pub fn from_code(code: &str) -> Option<HouseholdStatus> {
        HouseholdStatus::ALL
            .into_iter()
            .find(|status| status.code() == code)
    }

    /// The status's word in the current language.
    pub fn label(self, i18n: I18nContext<Locale>) -> String {
        match self {
            HouseholdStatus::Draft => t_string!(i18n, status.draft),
            HouseholdStatus::Queued => t_string!(i18n, status.queued),
            HouseholdStatus::Pending => t_string!(i18n, status.pending),
            HouseholdStatus::Returned => t_string!(i18n, status.returned),
            HouseholdStatus::Approved => t_string!(i18n, status.approved),
        }
        .to_string()
    }
}

/// The household's latest submission made on this phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SubmissionFact {
    /// When it was submitted (提交).
    pub submitted_at: OffsetDateTime,
    /// Not accepted yet: waiting, being sent, or refused and needing a person.
    pub unsent: bool,
    /// The server's copy on the phone already includes it (its visit or its plan review names the submission).
    pub in_server_copy: bool,
}

/// What the status is derived from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StatusFacts<'a> {
    /// When the household's draft was last saved on this phone.
    pub draft_saved_at: Option<&'a str>,
    pub latest_submission: Option<SubmissionFact>,
    /// A review decision on the current plan queued on this phone and not yet sent.
    pub queued_decision: Option<ReviewDecision>,
    /// The review of the current plan as the server last said.
    pub server_review: Option<ReviewStatus>,
}

/// The status, most urgent for this phone first: something not yet sent, then unsent edits, then a decision made
/// here, then a submission the server accepted but whose review the phone has not heard of, then the server's review.
/// `None`: nothing was ever submitted or drafted.
pub fn household_status(facts: &StatusFacts<'_>) -> Option<HouseholdStatus> {
    if facts.latest_submission.is_some_and(|latest| latest.unsent) {
        return Some(HouseholdStatus::Queued);
    }
    if let Some(saved_at) = facts.draft_saved_at {
        // A save time that cannot be read counts as an edit: the draft is shown rather than hidden.
        let saved_at = OffsetDateTime::parse(saved_at, &Rfc3339).ok();
        let edited_since = facts
            .latest_submission
            .is_none_or(|latest| saved_at.is_none_or(|saved_at| saved_at > latest.submitted_at));
        if edited_since {
            return Some(HouseholdStatus::Draft);
        }
    }
    if let Some(decision) = facts.queued_decision {
        return Some(match decision {
            ReviewDecision::Approve => HouseholdStatus::Approved,
            ReviewDecision::Return => HouseholdStatus::Returned,
        });
    }
    if facts
        .latest_submission
        .is_some_and(|latest| !latest.in_server_copy)
    {
        return Some(HouseholdStatus::Pending);
    }
    facts.server_review.map(|status| match status {
        ReviewStatus::Pending => HouseholdStatus::Pending,
        ReviewStatus::Returned => HouseholdStatus::Returned,
        ReviewStatus::Approved => HouseholdStatus::Approved,
    })
}

/// The status as a small labelled badge (a word, never colour alone); nothing when there is no status.
#[component]
pub fn StatusBadge(#[prop(into)] status: Signal<Option<HouseholdStatus>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        status.get().map(|status| {
            view! {
                <span
                    class=format!("mark status {}", status.mark_class())
                    data-testid="status-badge"
                    data-status=status.code()
                >
                    {move || status.label(i18n)}
                </span>
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EARLY: &str = "2026-11-30T02:00:00Z";
    const LATE: &str = "2026-11-30T03:00:00Z";

    fn instant(text: &str) -> OffsetDateTime {
        OffsetDateTime::parse(text, &Rfc3339).unwrap_or(OffsetDateTime::UNIX_EPOCH)
    }

    fn sent(in_server_copy: bool) -> SubmissionFact {
        SubmissionFact {
            submitted_at: instant(EARLY),
            unsent: false,
            in_server_copy,
        }
    }

    fn check(facts: StatusFacts<'_>, expected: Option<HouseholdStatus>) {
        assert_eq!(household_status(&facts), expected, "{facts:?}");
    }

    #[test]
    fn nothing_drafted_or_submitted_has_no_status() {
        check(StatusFacts::default(), None);
    }

    #[test]
    fn a_draft_never_submitted_is_a_draft() {
        check(
            StatusFacts {
                draft_saved_at: Some(EARLY),
                ..StatusFacts::default()
            },
            Some(HouseholdStatus::Draft),
        );
    }

    #[test]
    fn an_unsent_submission_is_waiting_to_be_sent_even_with_later_edits() {
        let latest = SubmissionFact {
            unsent: true,
            ..sent(false)
        };
        check(
            StatusFacts {
                draft_saved_at: Some(LATE),
                latest_submission: Some(latest),
                server_review: Some(ReviewStatus::Approved),
                ..StatusFacts::default()
            },
            Some(HouseholdStatus::Queued),
        );
    }

    #[test]
    fn a_draft_saved_after_the_last_submission_is_a_draft_again() {
        check(
            StatusFacts {
                draft_saved_at: Some(LATE),
                latest_submission: Some(sent(true)),
                server_review: Some(ReviewStatus::Pending),
                ..StatusFacts::default()
            },
            Some(HouseholdStatus::Draft),
        );
    }

    #[test]
    fn a_draft_last_saved_before_its_submission_follows_the_server() {
        check(
            StatusFacts {
                draft_saved_at: Some(EARLY),
                latest_submission: Some(SubmissionFact {
                    submitted_at: instant(LATE),
                    ..sent(true)
                }),
                server_review: Some(ReviewStatus::Returned),
                ..StatusFacts::default()
            },
            Some(HouseholdStatus::Returned),
        );
    }

    #[test]
    fn a_sent_submission_the_server_copy_does_not_know_yet_awaits_review_not_the_old_verdict() {
        check(
            StatusFacts {
                latest_submission: Some(sent(false)),
                server_review: Some(ReviewStatus::Approved),
                ..StatusFacts::default()
            },
            Some(HouseholdStatus::Pending),
        );
    }

    #[test]
    fn a_decision_queued_on_this_phone_shows_before_the_server_hears_of_it() {
        for (decision, expected) in [
            (ReviewDecision::Approve, HouseholdStatus::Approved),
            (ReviewDecision::Return, HouseholdStatus::Returned),
        ] {
            check(
                StatusFacts {
                    queued_decision: Some(decision),
                    server_review: Some(ReviewStatus::Pending),
                    ..StatusFacts::default()
                },
                Some(expected),
            );
        }
    }

    #[test]
    fn the_servers_review_gives_the_status_otherwise() {
        for (review, expected) in [
            (ReviewStatus::Pending, HouseholdStatus::Pending),
            (ReviewStatus::Returned, HouseholdStatus::Returned),
            (ReviewStatus::Approved, HouseholdStatus::Approved),
        ] {
            check(
                StatusFacts {
                    latest_submission: Some(sent(true)),
                    server_review: Some(review),
                    ..StatusFacts::default()
                },
                Some(expected),
            );
        }
    }

    #[test]
    fn status_codes_read_back() {
        for status in HouseholdStatus::ALL {
            assert_eq!(HouseholdStatus::from_code(status.code()), Some(status));
        }
        assert_eq!(HouseholdStatus::from_code("sent"), None);
    }
}
