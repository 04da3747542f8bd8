//! What phones hold today must stay readable: the stored draft and outbox item formats, pinned by JSON files
//! written by the app as it was (`golden/`). A renamed or retyped field fails here before it strands a helper's
//! draft or queued visit. The files are never regenerated: a format change adds a migration (see
//! `storage::draft_format`) and a new file, and these keep passing.
#![cfg(not(target_arch = "wasm32"))]

use futures::executor::block_on;
use serde_json::Value;
use zoufang_app::draft::DRAFT_SCHEMA_VERSION;
use zoufang_app::storage::draft_format::read_stored_draft;
use zoufang_app::storage::draft_writer::DraftWriter;
use zoufang_app::storage::records::{
    OutboxItem, OutboxProblem, OutboxStatus, StoredDraft, SubmissionOnPhone, submissions_of,
};
use zoufang_app::storage::schema::OUTBOX_STORE;
use zoufang_app::storage::{MemoryStore, Store};

const DRAFT_V1: &str = include_str!("golden/draft-v1.json");
const OUTBOX_V1: &str = include_str!("golden/outbox-v1.json");

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

#[test]
fn a_version_1_draft_reads_through_the_app_s_read_path() {
    let stored = read_stored_draft(DRAFT_V1);
    let Ok(stored) = stored else {
        panic!("draft-v1.json no longer reads: {stored:?}");
    };
    let draft = &stored.draft;
    assert_eq!(draft.schema_version, DRAFT_SCHEMA_VERSION);
    assert_eq!(stored.saved_at, "2026-11-20T08:05:12.345Z");
    assert_eq!(draft.household.household_code, "4601080010010001");
    assert_eq!(draft.household.address.village, "演东村");
    assert_eq!(draft.visit.notes, "户主在家，了解今年种植情况。");
    assert_eq!(draft.base_version, 3);
    assert_eq!(
        draft
            .raw_inputs
            .get("income.lines[0].amount")
            .map(String::as_str),
        Some("36,0OO"),
        "text kept for a row that exists survives the migration"
    );
    assert_eq!(
        draft.warning_reasons.get("INC-DROP").map(String::as_str),
        Some("已入户核实")
    );
    let lines = draft.income.lines.len();
    assert!(lines > 0);
    assert_eq!(
        draft.income_line_keys.keys(lines),
        (0..u32::try_from(lines).unwrap_or(0)).collect::<Vec<_>>()
    );
    assert_eq!(draft.plan.measures.len(), 2);
    assert_eq!(lines, 6);
}

#[test]
fn the_draft_types_still_write_the_version_1_field_names() {
    // Decoded without migrating, the same value writes back the same JSON: no field was renamed or dropped.
    let decoded: Result<StoredDraft, _> = serde_json::from_str(DRAFT_V1);
    let Ok(decoded) = decoded else {
        panic!("draft-v1.json does not decode: {decoded:?}");
    };
    assert_eq!(serde_json::to_value(&decoded).ok(), Some(json(DRAFT_V1)));
}

#[test]
fn a_version_1_outbox_item_reads_and_writes_back_unchanged() {
    let decoded: Result<OutboxItem, _> = serde_json::from_str(OUTBOX_V1);
    let Ok(item) = decoded else {
        panic!("outbox-v1.json does not decode: {decoded:?}");
    };
    assert_eq!(item.id.to_string(), "00000000-0000-0000-0000-000000003001");
    assert_eq!(item.delivery.status, OutboxStatus::NeedsAttention);
    assert!(!item.is_pending());
    assert_eq!(item.delivery.attempts, 2);
    assert_eq!(
        item.submitted_at,
        time::macros::datetime!(2026-11-20 08:10 UTC)
    );
    assert_eq!(item.household_id, item.snapshot.household.id.to_string());
    assert_eq!(item.snapshot.schema_version, 1);
    assert_eq!(item.snapshot.visit.notes, "户主在家，了解今年种植情况。");
    assert!(matches!(
        &item.delivery.problem,
        Some(OutboxProblem::Refused { status: 403, code, .. }) if code == "NOT_ASSIGNED"
    ));
    assert_eq!(serde_json::to_value(&item).ok(), Some(json(OUTBOX_V1)));
}

#[test]
fn the_autosave_writer_writes_the_version_1_draft_as_it_was_stored() {
    // What autosave writes part by part is the golden text itself (as a JSON value: the file is pretty-printed).
    let decoded: Result<StoredDraft, _> = serde_json::from_str(DRAFT_V1);
    let Ok(decoded) = decoded else {
        panic!("draft-v1.json does not decode: {decoded:?}");
    };
    let mut writer = DraftWriter::default();
    let written = writer.stored_json(&decoded.draft, &decoded.saved_at);
    assert_eq!(written.as_deref().ok().map(json), Some(json(DRAFT_V1)));
    // Written again after a change to one part, it is still the whole draft's JSON.
    let mut changed = decoded.clone();
    changed.draft.visit.notes.push_str("又补充一句。");
    let again = writer.stored_json(&changed.draft, &changed.saved_at);
    assert_eq!(again.ok(), serde_json::to_string(&changed).ok());
}

#[test]
fn the_household_page_s_light_outbox_read_matches_the_full_item() {
    let Ok(item) = serde_json::from_str::<OutboxItem>(OUTBOX_V1) else {
        panic!("outbox-v1.json does not decode");
    };
    let store = MemoryStore::default();
    let read = block_on(async {
        store
            .put_json(OUTBOX_STORE, &item.id.to_string(), OUTBOX_V1.to_owned())
            .await?;
        let mine = submissions_of(&store, &item.household_id).await?;
        let others = submissions_of(&store, "00000000-0000-0000-0000-000000000000").await?;
        Ok::<_, zoufang_app::storage::StoreError>((mine, others))
    });
    let Ok((mine, others)) = read else {
        panic!("the outbox does not read: {read:?}");
    };
    assert_eq!(
        mine,
        vec![SubmissionOnPhone {
            submitted_at: item.submitted_at,
            visit_started_at: item.snapshot.visit.started_at,
            pending: item.is_pending(),
        }]
    );
    assert!(others.is_empty());
}
