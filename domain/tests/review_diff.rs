//! What a first secretary's review shows as changed since the approved version: one test per kind of change, on
//! the sample household.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use time::macros::date;
use zoufang_domain::income::{IncomeLine, IncomeLineKind};
use zoufang_domain::labels::Locale;
use zoufang_domain::model::*;
use zoufang_domain::money::Fen;
use zoufang_domain::review_diff::{Change, Part, PartDiff, Snapshot, diff};
use zoufang_domain::sample;

fn yuan(amount: i64) -> Fen {
    Fen::from_fen(amount * 100)
}

fn field(field: &'static str, before: &str, after: &str) -> Change {
    Change::Field {
        item: None,
        field,
        values: Some((before.to_owned(), after.to_owned())),
    }
}

fn part(parts: &[PartDiff], part: Part) -> Vec<Change> {
    parts
        .iter()
        .find(|diff| diff.part == part)
        .map(|diff| diff.changes.clone())
        .unwrap_or_default()
}

#[test]
fn the_same_version_has_no_changes() {
    let household = sample::household();
    let plan = sample::plan(&household);
    let sheet = sample::income_sheet(&household);
    let snapshot = Snapshot {
        household: &household,
        plan: Some(&plan),
        income: Some(&sheet),
        net_per_capita: Some(yuan(9_300)),
    };
    assert_eq!(diff(&snapshot, &snapshot, Locale::ZhCn), Vec::new());
}

#[test]
fn a_member_added_and_one_removed_are_named() {
    let before = sample::household();
    let mut after = before.clone();
    let removed = after.members.remove(1);
    after.members.push(sample::member(
        9,
        "王小明",
        Relation::Grandson,
        Sex::Male,
        date!(2021 - 03 - 01),
    ));
    let parts = diff(
        &Snapshot {
            household: &before,
            plan: None,
            income: None,
            net_per_capita: None,
        },
        &Snapshot {
            household: &after,
            plan: None,
            income: None,
            net_per_capita: None,
        },
        Locale::ZhCn,
    );
    assert_eq!(
        part(&parts, Part::Members),
        vec![
            Change::Added("王小明".into()),
            Change::Removed(removed.name.clone())
        ]
    );
    assert_eq!(parts.len(), 1, "only the members part changed: {parts:?}");
}

#[test]
fn a_members_work_months_show_before_and_after_under_their_name() {
    let before = sample::household();
    let mut after = before.clone();
    after.members[0].work = WorkRecord {
        location: WorkLocation::OutsideProvince,
        months: WorkMonths::new(5).unwrap(),
    };
    let parts = diff(
        &Snapshot {
            household: &before,
            plan: None,
            income: None,
            net_per_capita: None,
        },
        &Snapshot {
            household: &after,
            plan: None,
            income: None,
            net_per_capita: None,
        },
        Locale::ZhCn,
    );
    let changes = part(&parts, Part::Members);
    assert_eq!(changes.len(), 1, "{changes:?}");
    let Change::Field {
        item,
        field,
        values,
    } = &changes[0]
    else {
        panic!("a field change: {changes:?}");
    };
    assert_eq!(item.as_deref(), Some(before.members[0].name.as_str()));
    assert_eq!(*field, "务工状况");
    let (old, new) = values.clone().unwrap();
    assert!(new.ends_with("5 个月"), "{new}");
    assert_ne!(old, new);
}

#[test]
fn an_id_number_change_never_shows_either_number() {
    let before = sample::household();
    let mut after = before.clone();
    after.members[0].id_number = sample::make_id_number("460108", date!(1970 - 01 - 01), 11);
    let parts = diff(
        &Snapshot {
            household: &before,
            plan: None,
            income: None,
            net_per_capita: None,
        },
        &Snapshot {
            household: &after,
            plan: None,
            income: None,
            net_per_capita: None,
        },
        Locale::En,
    );
    assert_eq!(
        part(&parts, Part::Members),
        vec![Change::Field {
            item: Some(before.members[0].name.clone()),
            field: "ID number",
            values: None
        }]
    );
    let text = format!("{parts:?}");
    assert!(
        !text.contains(&before.members[0].id_number) && !text.contains(&after.members[0].id_number)
    );
}

#[test]
fn housing_danger_grade_is_shown_with_its_labels() {
    let before = sample::household();
    let mut after = before.clone();
    after.housing.danger_grade = DangerGrade::D;
    let parts = diff(
        &Snapshot {
            household: &before,
            plan: None,
            income: None,
            net_per_capita: None,
        },
        &Snapshot {
            household: &after,
            plan: None,
            income: None,
            net_per_capita: None,
        },
        Locale::ZhCn,
    );
    let changes = part(&parts, Part::Housing);
    assert_eq!(changes.len(), 1, "{changes:?}");
    let Change::Field {
        field,
        values: Some((_, new)),
        ..
    } = &changes[0]
    else {
        panic!("{changes:?}");
    };
    assert_eq!(*field, "危房等级");
    assert!(new.contains('D'), "{new}");
}

#[test]
fn income_is_compared_per_person_and_by_kind() {
    let household = sample::household();
    let before = sample::income_sheet(&household);
    let mut after = before.clone();
    after.lines[0].amount = yuan(24_000);
    after
        .lines
        .push(IncomeLine::new(IncomeLineKind::Pension, yuan(600)));
    let parts = diff(
        &Snapshot {
            household: &household,
            plan: None,
            income: Some(&before),
            net_per_capita: Some(yuan(9_300)),
        },
        &Snapshot {
            household: &household,
            plan: None,
            income: Some(&after),
            net_per_capita: Some(yuan(7_800)),
        },
        Locale::ZhCn,
    );
    let changes = part(&parts, Part::Income);
    assert_eq!(changes.len(), 3, "{changes:?}");
    assert_eq!(changes[0], field("人均纯收入", "9300.00 元", "7800.00 元"));
    assert!(
        matches!(&changes[1], Change::Field { values: Some((old, new)), .. }
        if old == "30000.00 元" && new == "24000.00 元"),
        "{changes:?}"
    );
    assert!(
        matches!(&changes[2], Change::Field { values: Some((old, new)), .. }
        if old == "1200.00 元" && new == "1800.00 元"),
        "{changes:?}"
    );
}

#[test]
fn a_first_income_sheet_reads_as_every_kind_from_nothing() {
    let household = sample::household();
    let sheet = sample::income_sheet(&household);
    let parts = diff(
        &Snapshot {
            household: &household,
            plan: None,
            income: None,
            net_per_capita: None,
        },
        &Snapshot {
            household: &household,
            plan: None,
            income: Some(&sheet),
            net_per_capita: None,
        },
        Locale::En,
    );
    let changes = part(&parts, Part::Income);
    // No per-person figure on either side: nothing said about it.
    assert_eq!(changes[0], field("Income year", "—", "2020"));
    assert_eq!(changes.len(), 1 + sheet.lines.len(), "{changes:?}");
}

#[test]
fn plan_measures_added_removed_and_changed_are_told_apart() {
    let household = sample::household();
    let before = sample::plan(&household);
    let mut after = before.clone();
    after.measures[0].funds = yuan(8_000);
    let removed = after.measures.remove(1);
    let mut added = removed.clone();
    added.id = MeasureId(uuid::Uuid::from_u128(77));
    added.category = MeasureCategory::PublicWelfareJob;
    added.content = "村保洁员".into();
    after.measures.push(added);
    after.needs.push("低保申请".into());
    after.target_per_capita_income = Some(yuan(9_000));
    let parts = diff(
        &Snapshot {
            household: &household,
            plan: Some(&before),
            income: None,
            net_per_capita: None,
        },
        &Snapshot {
            household: &household,
            plan: Some(&after),
            income: None,
            net_per_capita: None,
        },
        Locale::ZhCn,
    );
    assert_eq!(
        part(&parts, Part::Plan),
        vec![
            field("年度目标人均纯收入", "8000.00 元", "9000.00 元"),
            Change::Added("低保申请".into()),
            Change::Field {
                item: Some("产业：种植莲雾".into()),
                field: "扶持资金",
                values: Some(("5000.00 元".into(), "8000.00 元".into())),
            },
            Change::Added("公益岗位：村保洁员".into()),
            Change::Removed("就业：户主外出务工交通补贴".into()),
        ]
    );
}

#[test]
fn checklist_and_sudden_events_are_their_own_parts() {
    let before = sample::household();
    let mut after = before.clone();
    after.checklist.housing_safety.status = CheckStatus::Fail;
    after.sudden_events.push(SuddenEvent {
        kind: SuddenEventKind::AnimalDisease,
        occurred_on: date!(2020 - 08 - 01),
        note: String::new(),
    });
    let parts = diff(
        &Snapshot {
            household: &before,
            plan: None,
            income: None,
            net_per_capita: None,
        },
        &Snapshot {
            household: &after,
            plan: None,
            income: None,
            net_per_capita: None,
        },
        Locale::ZhCn,
    );
    let order: Vec<Part> = parts.iter().map(|diff| diff.part).collect();
    assert_eq!(order, vec![Part::Checklist, Part::Events]);
    assert!(
        matches!(&part(&parts, Part::Events)[0], Change::Added(text) if text.starts_with("2020-08-01"))
    );
}
