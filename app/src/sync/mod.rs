//! The outbox driver: sends what the helper submitted, one item at a time, and brings back what changed.
//!
//! No DOM here. The driver reads and writes the outbox through [`Store`] and talks to the server through
//! [`Transport`], so the same code runs against the real server in the browser ([`http::HttpTransport`]) and
//! against a scripted server in native tests. What starts a run (app start, `online`, the page becoming visible,
//! a timer, 立即同步) is wired by [`service`].
//!
//! The rules, in order of importance:
//! - Nothing leaves the outbox before the server confirmed it: a sent item is kept, marked 已发送, with its receipt.
//! - An item is sent with the UUID it was given at 提交; the server answers a repeat with its first receipt, so a
//!   retry after a lost answer never makes a second record.
//! - One bad item never blocks the others: a refusal (409, 413, 422, other 4xx) marks that item 需处理 and the run
//!   goes on. A network failure or a 5xx stops the run and backs off (1 s doubling to 5 min, with jitter).
//! - 401 keeps everything and stops: the app asks for the password, then runs again.
//! - An item goes out only with its owner's login ([`Transport::session_user`]).
//! - A first secretary's review decisions are queued the same way (`storage::review_queue`, sent by [`reviews`]
//!   after the visits), each with its UUID as the server's idempotency key; a village cadre's night-school
//!   attendance sheets (`storage::night_school`) after them, by [`night_school`].

pub mod http;
pub mod merge;
mod night_school;
mod reviews;
pub mod service;

use crate::api::ApiError;
use crate::storage::delivery::{Delivery, earliest};
use crate::storage::records::{self, OutboxItem, OutboxProblem, OutboxStatus};
use crate::storage::{Store, StoreError};
use std::time::Duration;
use time::OffsetDateTime;
use zoufang_domain::model::Evidence;
use zoufang_domain::protocol::{
    ChangesResponse, HouseholdVisit, PlanReview, ReviewRequest, Submission, SubmissionReceipt,
    SubmissionRecord,
};

/// The first retry waits this long; each further failure doubles it.
pub const BACKOFF_FIRST: Duration = Duration::from_secs(1);
/// Retries never wait longer than this.
pub const BACKOFF_MAX: Duration = Duration::from_secs(5 * 60);

/// Key of the `meta` store holding the changes cursor.
const CHANGES_CURSOR: &str = "changes_cursor";

/// How long to wait after `attempts` failures in a row. `jitter` in `[0, 1)` (from the caller's random source)
/// takes up to a quarter off, so phones that lost the signal together do not all come back at the same instant.
pub fn backoff_delay(attempts: u32, jitter: f64) -> Duration {
    let doublings = attempts.saturating_sub(1).min(31);
    let base = BACKOFF_FIRST
        .saturating_mul(1u32 << doublings)
        .min(BACKOFF_MAX);
    let jitter = if jitter.is_finite() {
        jitter.clamp(0.0, 1.0)
    } else {
        0.0
    };
    base.mul_f64(1.0 - 0.25 * jitter)
}

/// What the driver needs from the server.
#[allow(async_fn_in_trait)]
pub trait Transport {
    /// Whether the server already holds the photo with this SHA-256.
    async fn photo_exists(&self, sha256: &str) -> Result<bool, ApiError>;
    /// Uploads a photo's bytes.
    async fn put_photo(&self, sha256: &str, bytes: &[u8]) -> Result<(), ApiError>;
    /// Sends one submission.
    async fn submit(&self, submission: &Submission) -> Result<SubmissionReceipt, ApiError>;
    /// Households changed since the cursor.
    async fn changes(&self, since: Option<&str>) -> Result<ChangesResponse, ApiError>;
    /// Sends one review decision (a first secretary's 通过 / 退回).
    async fn review(&self, request: &ReviewRequest) -> Result<PlanReview, ApiError>;
    /// Sends a first secretary's 确认 of one version of a night-school session.
    async fn confirm_session(
        &self,
        session_id: uuid::Uuid,
        version: u32,
    ) -> Result<zoufang_domain::protocol::SessionRecord, ApiError>;
    /// The user whose login the requests carry, when known: only that user's items are sent.
    fn session_user(&self) -> Option<uuid::Uuid> {
        None
    }
}

/// Where the photos a visit refers to come from (the photo store on the phone).
#[allow(async_fn_in_trait)]
pub trait PhotoSource {
    /// The metadata and bytes of one piece of evidence, `None` when the phone no longer has it.
    async fn evidence(
        &self,
        id: &zoufang_domain::model::EvidenceId,
    ) -> Result<Option<(Evidence, Vec<u8>)>, StoreError>;
}

/// The photos kept on the phone (`storage::photos`).
pub struct StoredPhotos<'a, S>(pub &'a S);

impl<S: crate::storage::blobs::BlobStore> PhotoSource for StoredPhotos<'_, S> {
    async fn evidence(
        &self,
        id: &zoufang_domain::model::EvidenceId,
    ) -> Result<Option<(Evidence, Vec<u8>)>, StoreError> {
        Ok(crate::storage::photos::photo_blob(self.0, *id)
            .await?
            .map(|(record, bytes)| (record.evidence, bytes)))
    }
}

/// A visit without photos, or a phone without a photo store.
pub struct NoPhotos;

impl PhotoSource for NoPhotos {
    async fn evidence(
        &self,
        _id: &zoufang_domain::model::EvidenceId,
    ) -> Result<Option<(Evidence, Vec<u8>)>, StoreError> {
        Ok(None)
    }
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunOutcome {
    /// Every due item was answered by the server (sent or marked 需处理) and changes were fetched.
    Done {
        /// When the earliest waiting item is due, if any waits for a later attempt.
        next_due: Option<OffsetDateTime>,
    },
    /// The server could not be reached or failed; try again at `retry_at`.
    Backoff {
        retry_at: OffsetDateTime,
        reason: String,
    },
    /// 401: the token was refused. Nothing was lost; log in again and run again.
    NeedsLogin,
    /// The phone's storage failed.
    Storage(StoreError),
}

/// What one run did, for the UI and the tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunReport {
    pub sent: usize,
    pub needs_attention: usize,
    pub photos_uploaded: usize,
    pub outcome: RunOutcome,
}

/// Sends every due item, oldest first, then fetches changes. `force` (立即同步) ignores the backoff times.
/// `jitter` gives a value in `[0, 1)` for each backoff; `progress` is told after each item's new state is stored.
pub async fn run(
    store: &impl Store,
    transport: &impl Transport,
    photos: &impl PhotoSource,
    now: OffsetDateTime,
    force: bool,
    jitter: &mut impl FnMut() -> f64,
    progress: &mut impl FnMut(&RunReport),
) -> RunReport {
    let mut report = RunReport {
        sent: 0,
        needs_attention: 0,
        photos_uploaded: 0,
        outcome: RunOutcome::Done { next_due: None },
    };
    let items = match records::outbox(store).await {
        Ok(items) => items,
        Err(error) => {
            report.outcome = RunOutcome::Storage(error);
            return report;
        }
    };
    let mut moved = BaseMoves::from_sent(&items);
    let mut next_due: Option<OffsetDateTime> = None;
    // Households with an item waiting for its next attempt: their later items wait behind it, so a household's
    // submissions reach the server in the order they were made (each builds on the version the one before made).
    let mut held = std::collections::BTreeSet::<&str>::new();
    // Another user's item is never sent with this login (it stays, for its owner to send).
    let user = transport.session_user();
    let own = |item: &&OutboxItem| user.is_none() || item.owner == user;
    for item in items.iter().filter(|item| item.is_pending()).filter(own) {
        if held.contains(item.household_id.as_str()) {
            continue;
        }
        if let Some(due_at) = item.delivery.waiting_until(now, force) {
            next_due = earliest(next_due, Some(due_at));
            held.insert(item.household_id.as_str());
            continue;
        }
        let mut item = item.clone();
        item.snapshot.base_version = moved.follow(&item.household_id, item.snapshot.base_version);
        item.delivery.status = OutboxStatus::Sending;
        if let Err(error) = records::update_item(store, &item).await {
            report.outcome = RunOutcome::Storage(error);
            return report;
        }
        progress(&report);
        let stop = match send_item(&item, transport, photos, &mut report).await {
            Ok(receipt) => {
                report.sent += 1;
                if let Some(version) = receipt.household_version {
                    moved.record(&item.household_id, item.snapshot.base_version, version);
                }
                item.delivery.sent();
                item.receipt = Some(receipt);
                None
            }
            Err(step) => after_failure(&mut item.delivery, step, now, jitter, &mut report),
        };
        let saved = records::update_item(store, &item).await;
        if let Err(outcome) = go_on(stop, saved) {
            report.outcome = outcome;
            return report;
        }
        progress(&report);
    }
    // Review decisions go after the visits: a decision on a plan this phone also sent a newer version of is then
    // refused as superseded instead of approving the older one.
    match reviews::send_reviews(store, transport, now, force, jitter, &mut report).await {
        Ok(due) => next_due = earliest(next_due, due),
        Err(outcome) => {
            report.outcome = outcome;
            return report;
        }
    }
    // Night-school attendance sheets (`night_school.rs`), each with its UUID, after the review decisions.
    match night_school::send_attendance(store, transport, photos, now, force, jitter, &mut report)
        .await
    {
        Ok(due) => next_due = earliest(next_due, due),
        Err(outcome) => {
            report.outcome = outcome;
            return report;
        }
    }
    // The first secretary's confirmations after the sheets: a sheet and its confirmation made on the same phone go
    // out in that order.
    match night_school::send_confirmations(store, transport, now, force, jitter, &mut report).await
    {
        Ok(due) => {
            next_due = match (next_due, due) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            }
        }
        Err(outcome) => {
            report.outcome = outcome;
            return report;
        }
    }
    match pull_changes(store, transport).await {
        Ok(()) => {}
        Err(Step::NeedsLogin) => {
            report.outcome = RunOutcome::NeedsLogin;
            return report;
        }
        Err(Step::Storage(error)) => {
            report.outcome = RunOutcome::Storage(error);
            return report;
        }
        // Changes are fetched again on the next run; a failure here does not hold the queue.
        Err(_) => {}
    }
    report.outcome = RunOutcome::Done { next_due };
    report
}

/// One step's result, sorted by what the driver does next.
enum Step {
    Refused(OutboxProblem),
    NeedsLogin,
    Retry(String),
    Storage(StoreError),
}

/// Records a failed attempt in a queued record's delivery (the caller saves the record): a refusal marks it 需处理
/// and the run goes on (`None`); a transient failure schedules the next attempt with backoff, and a needed login
/// or a storage failure puts it back in the queue — these end the run with the returned outcome.
fn after_failure(
    delivery: &mut Delivery,
    step: Step,
    now: OffsetDateTime,
    jitter: &mut impl FnMut() -> f64,
    report: &mut RunReport,
) -> Option<RunOutcome> {
    match step {
        Step::Refused(problem) => {
            report.needs_attention += 1;
            delivery.refused(problem);
            None
        }
        Step::Retry(reason) => {
            let retry_at = now + backoff_delay(delivery.failed(), jitter());
            delivery.retry_at(retry_at, reason.clone());
            Some(RunOutcome::Backoff { retry_at, reason })
        }
        Step::NeedsLogin => {
            delivery.interrupted();
            Some(RunOutcome::NeedsLogin)
        }
        Step::Storage(error) => {
            delivery.interrupted();
            Some(RunOutcome::Storage(error))
        }
    }
}

/// How the run goes on once a record's new state was saved: a failure's outcome ends it, and so does a save
/// that failed (unless the run was ending anyway for a login or for storage).
fn go_on(stop: Option<RunOutcome>, saved: Result<(), StoreError>) -> Result<(), RunOutcome> {
    match (stop, saved) {
        (Some(outcome @ (RunOutcome::NeedsLogin | RunOutcome::Storage(_))), _) => Err(outcome),
        (_, Err(error)) => Err(RunOutcome::Storage(error)),
        (Some(outcome), Ok(())) => Err(outcome),
        (None, Ok(())) => Ok(()),
    }
}

impl From<ApiError> for Step {
    fn from(error: ApiError) -> Step {
        classify_api(error)
    }
}

fn classify_api(error: ApiError) -> Step {
    match error {
        ApiError::Unauthorized(_) => Step::NeedsLogin,
        ApiError::Offline => Step::Retry("offline".to_owned()),
        ApiError::Unreachable => Step::Retry("unreachable".to_owned()),
        ApiError::Timeout => Step::Retry("timeout".to_owned()),
        ApiError::Server(reason) => Step::Retry(reason),
        // Too many requests or a request timeout are the server's way of saying "later".
        ApiError::Rejected {
            status: 408 | 429,
            body,
        } => Step::Retry(body.message),
        ApiError::Rejected { status, body } => Step::Refused(OutboxProblem::Refused {
            status,
            code: body.code,
            message: body.message,
        }),
        ApiError::Conflict(conflict) => Step::Refused(OutboxProblem::Conflict {
            server: Box::new(conflict.server),
        }),
        ApiError::Invalid(rejection) => Step::Refused(OutboxProblem::Invalid {
            findings: rejection.findings,
        }),
    }
}

/// Uploads the bytes of the photos the server does not hold yet, skipping those the phone no longer has; returns
/// the metadata of those it has (what the record names as its evidence).
async fn upload_photos(
    ids: impl IntoIterator<Item = &zoufang_domain::model::EvidenceId>,
    transport: &impl Transport,
    photos: &impl PhotoSource,
    report: &mut RunReport,
) -> Result<Vec<Evidence>, Step> {
    let mut evidence = Vec::new();
    for id in ids {
        let Some((meta, bytes)) = photos.evidence(id).await.map_err(Step::Storage)? else {
            continue;
        };
        let sha = meta.sha256.as_str().to_owned();
        if !transport.photo_exists(&sha).await.map_err(Step::from)? {
            transport
                .put_photo(&sha, &bytes)
                .await
                .map_err(Step::from)?;
            report.photos_uploaded += 1;
        }
        evidence.push(meta);
    }
    Ok(evidence)
}

/// Photos first, then the record.
async fn send_item(
    item: &OutboxItem,
    transport: &impl Transport,
    photos: &impl PhotoSource,
    report: &mut RunReport,
) -> Result<SubmissionReceipt, Step> {
    let ids = crate::storage::photos::evidence_ids(&item.snapshot);
    let evidence = upload_photos(&ids, transport, photos, report).await?;
    let draft = &item.snapshot;
    let submission = Submission {
        id: item.id,
        submitted_at: item.submitted_at,
        record: SubmissionRecord::HouseholdVisit(HouseholdVisit {
            household: draft.household.clone(),
            base_version: draft.base_version,
            plan: draft.plan.clone(),
            income: draft.income.clone(),
            visit: draft.visit.clone(),
            evidence,
            warning_reasons: item.warning_reasons.clone(),
        }),
    };
    transport.submit(&submission).await.map_err(Step::from)
}

/// The versions the helper's own accepted submissions moved each household through: a submission built on
/// version 3 that the server accepted as version 4 means later work built on 3 (a second submission queued before
/// the first was sent, or the draft) continues from 4 — otherwise the helper's own earlier submission would look
/// like someone else's edit.
#[derive(Debug, Default)]
struct BaseMoves {
    moves: std::collections::BTreeMap<(String, i64), i64>,
}

impl BaseMoves {
    fn from_sent(items: &[OutboxItem]) -> BaseMoves {
        let mut moves = BaseMoves::default();
        for item in items {
            if let (OutboxStatus::Sent, Some(version)) = (
                item.delivery.status,
                item.receipt.as_ref().and_then(|r| r.household_version),
            ) {
                moves.record(&item.household_id, item.snapshot.base_version, version);
            }
        }
        moves
    }

    fn record(&mut self, household_id: &str, from: i64, to: i64) {
        self.moves.insert((household_id.to_owned(), from), to);
    }

    /// The version `base` leads to through the accepted submissions (bounded, in case of a cycle).
    fn follow(&self, household_id: &str, mut base: i64) -> i64 {
        for _ in 0..self.moves.len() {
            match self.moves.get(&(household_id.to_owned(), base)) {
                Some(&next) if next != base => base = next,
                _ => break,
            }
        }
        base
    }
}

async fn pull_changes(store: &impl Store, transport: &impl Transport) -> Result<(), Step> {
    let cursor: Option<String> = store
        .get_meta(CHANGES_CURSOR)
        .await
        .map_err(Step::Storage)?;
    let changes = transport
        .changes(cursor.as_deref())
        .await
        .map_err(classify_api)?;
    records::merge_households(store, &changes.households)
        .await
        .map_err(Step::Storage)?;
    store
        .put_meta(CHANGES_CURSOR, &changes.cursor)
        .await
        .map_err(Step::Storage)
}

/// Resolves a 409: the item is replaced by a new submission (a new UUID, since its content changes) built on the
/// server's version, with the `from_server` parts taken from the server's copy. The old item goes: the server
/// answered it and stored nothing. The household's draft moves to the server's version too, with the same parts.
pub async fn resolve_conflict(
    store: &impl Store,
    item_id: uuid::Uuid,
    from_server: &std::collections::BTreeSet<merge::Part>,
    new_id: uuid::Uuid,
) -> Result<Option<OutboxItem>, StoreError> {
    let Some(item) = store
        .get::<OutboxItem>(crate::storage::schema::OUTBOX_STORE, &item_id.to_string())
        .await?
    else {
        return Ok(None);
    };
    let Some(OutboxProblem::Conflict { server }) = &item.delivery.problem else {
        return Ok(None);
    };
    let merged = merge::merge(&item.snapshot, server, from_server);
    let mut replacement = OutboxItem::queued(new_id, item.submitted_at, merged);
    replacement.warning_reasons = item.warning_reasons.clone();
    records::enqueue(store, &replacement).await?;
    records::remove_item(store, item.id).await?;
    if let Some(mut stored) = records::load_draft(store, &item.household_id).await?
        && stored.draft.base_version == item.snapshot.base_version
    {
        let moved = merge::merge(&stored.draft, server, from_server);
        stored.draft = moved;
        records::save_draft(store, &item.household_id, &stored).await?;
    }
    Ok(Some(replacement))
}

/// Removes an item the server refused (需处理) after the helper decided to drop it. Items not yet answered by the
/// server are never removed.
pub async fn discard_refused(store: &impl Store, item_id: uuid::Uuid) -> Result<bool, StoreError> {
    let item = store
        .get::<OutboxItem>(crate::storage::schema::OUTBOX_STORE, &item_id.to_string())
        .await?;
    match item {
        Some(item) if item.delivery.status == OutboxStatus::NeedsAttention => {
            records::remove_item(store, item.id).await?;
            Ok(true)
        }
        _ => Ok(false),
    }
}

/// Forgets the changes cursor (after a fresh full list of assignments, or a logout).
pub async fn reset_cursor(store: &impl Store) -> Result<(), StoreError> {
    store.delete_meta(CHANGES_CURSOR).await
}

#[cfg(test)]
mod tests;
