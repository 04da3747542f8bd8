//! Validation outside the household run: the field-level validators the editor calls, the visit log (`vl_*`) and
//! the night-school session.

mod rule_case;

use rule_case::*;

#[test]
fn field_level_id_number_and_money_validators_name_the_fault() {
    let path = FieldPath::root()
        .field("members")
        .index(2)
        .field("id_number");
    let finding = validate_id_number_field("11010519491231002Y", path, sample::TODAY);
    assert_eq!(
        finding.as_ref().map(|f| (f.code.as_str(), f.path.as_str())),
        Some(("MB-ID-INVALID", "members[2].id_number"))
    );
    assert!(
        finding
            .map(|f| f.message_zh.contains("第18位"))
            .unwrap_or(false)
    );
    assert!(
        validate_id_number_field("11010519491231002X", FieldPath::root(), sample::TODAY).is_none()
    );
    assert_eq!(
        validate_money_field("1,234.56", FieldPath::root()),
        Ok(Fen::from_fen(123_456))
    );
    let money = validate_money_field("12.345", FieldPath::root().field("amount"));
    assert_eq!(
        money.map_err(|f| (f.code.as_str().to_string(), f.message_zh)),
        Err((
            "FIELD-MONEY-INVALID".to_string(),
            "金额最多保留两位小数(精确到分)".to_string()
        ))
    );
}

#[test]
fn the_benchmark_household_of_20_members_and_50_measures_has_no_errors() {
    let (household, plan, sheet) = sample::large_household(20, 50);
    assert_eq!((household.members.len(), plan.measures.len()), (20, 50));
    let report = validate(&Case {
        household,
        plan: Some(plan),
        sheet: Some(sheet),
    });
    assert!(report.can_submit(), "{:#?}", report.findings);
}

#[test]
fn field_level_member_validation_matches_the_household_run() {
    let mut case = base();
    member(&mut case, 1).name.clear();
    let alone = validate_member(
        &case.household.members[1],
        &FieldPath::root().field("members").index(1),
        sample::TODAY,
    );
    let all = validate(&case);
    for finding in &alone {
        assert!(all.findings.contains(finding));
    }
    assert_eq!(alone.len(), 1);
}

// ---- visits and night school ----

fn visit() -> VisitLog {
    VisitLog {
        schema_version: CURRENT_SCHEMA_VERSION,
        id: VisitId(Uuid::from_u128(1)),
        household_id: HouseholdId(Uuid::from_u128(2)),
        purposes: vec![VisitPurpose::RoutineVisit],
        visitor_ids: vec![UserId(Uuid::from_u128(3))],
        started_at: datetime!(2020 - 11 - 30 09:00 +08:00),
        ended_at: datetime!(2020 - 11 - 30 10:00 +08:00),
        notes: String::new(),
        issues_found: vec![],
        follow_ups: vec![],
        household_confirmation: Some(HouseholdConfirmation {
            method: ConfirmationMethod::Signature,
            confirmed_by: "王海".into(),
            confirmed_at: datetime!(2020 - 11 - 30 10:00 +08:00),
            signature_evidence: None,
        }),
        evidence: vec![],
    }
}

fn check_visit(mutate: impl FnOnce(&mut VisitLog), code: &str) {
    let now = datetime!(2020 - 12 - 01 12:00 +08:00);
    assert!(validate_visit(&visit(), now).findings.is_empty());
    let mut changed = visit();
    mutate(&mut changed);
    assert!(validate_visit(&changed, now).has(code), "{code}");
}

#[test]
fn visit_rules_vl_no_purpose_no_visitor_end_before_start_in_future_not_confirmed() {
    check_visit(|v| v.purposes.clear(), "VL-NO-PURPOSE");
    check_visit(|v| v.visitor_ids.clear(), "VL-NO-VISITOR");
    check_visit(
        |v| v.ended_at = datetime!(2020 - 11 - 30 08:00 +08:00),
        "VL-END-BEFORE-START",
    );
    check_visit(
        |v| {
            v.started_at = datetime!(2020 - 12 - 02 09:00 +08:00);
            v.ended_at = v.started_at;
        },
        "VL-IN-FUTURE",
    );
    check_visit(|v| v.household_confirmation = None, "VL-NOT-CONFIRMED");
}

fn session() -> Session {
    Session {
        schema_version: CURRENT_SCHEMA_VERSION,
        id: SessionId(Uuid::from_u128(1)),
        teaching_point_id: TeachingPointId(Uuid::from_u128(2)),
        date: date!(2020 - 11 - 30),
        episode: Some(208),
        topic: "莲雾种植".into(),
        discussion_notes: String::new(),
        attendance: vec![
            Attendance {
                household_id: HouseholdId(Uuid::from_u128(10)),
                present_member_ids: vec![
                    MemberId(Uuid::from_u128(100)),
                    MemberId(Uuid::from_u128(101)),
                ],
                status: AttendanceStatus::Present,
                absence_reason: None,
                absence_note: String::new(),
                recorded_by: UserId(Uuid::from_u128(5)),
                recorded_at: datetime!(2020 - 11 - 30 20:05 +08:00),
            },
            Attendance {
                household_id: HouseholdId(Uuid::from_u128(11)),
                present_member_ids: vec![],
                status: AttendanceStatus::Absent,
                absence_reason: Some(AbsenceReason::MigrantWork),
                absence_note: String::new(),
                recorded_by: UserId(Uuid::from_u128(5)),
                recorded_at: datetime!(2020 - 11 - 30 20:05 +08:00),
            },
        ],
        confirmed_by: None,
        training_requests: vec![],
        hotline_referrals: vec![],
        market_sales: vec![],
    }
}

#[test]
fn night_school_rules_and_participation_rate() {
    assert!(validate_session(&session()).findings.is_empty());
    // 缺席 without a reason is fine (a household that did not come rarely says why); 请假 needs one.
    let mut absent = session();
    absent.attendance[1].absence_reason = None;
    assert!(validate_session(&absent).findings.is_empty());
    absent.attendance[1].status = AttendanceStatus::Excused;
    assert!(validate_session(&absent).has("NS-EXCUSED-WITHOUT-REASON"));
    let mut other = session();
    other.attendance[1].absence_reason = Some(AbsenceReason::Other);
    assert!(validate_session(&other).has("NS-OTHER-WITHOUT-NOTE"));
    other.attendance[1].absence_note = "去海口办事".into();
    assert!(validate_session(&other).findings.is_empty());
    // One tap marks 出席 without naming members.
    let mut present = session();
    present.attendance[0].present_member_ids.clear();
    assert!(validate_session(&present).findings.is_empty());
    present.attendance[0].absence_reason = Some(AbsenceReason::Illness);
    assert!(validate_session(&present).has("NS-PRESENT-WITH-REASON"));
    let mut sale = session();
    sale.market_sales.push(MarketSale {
        seller_household_id: HouseholdId(Uuid::from_u128(10)),
        product: " ".into(),
        amount: Fen::ZERO,
    });
    let report = validate_session(&sale);
    assert!(report.has("NS-SALE-AMOUNT-OUT-OF-RANGE") && report.has("NS-SALE-WITHOUT-PRODUCT"));
    sale.market_sales[0] = MarketSale {
        seller_household_id: HouseholdId(Uuid::from_u128(10)),
        product: "莲雾 5 斤".into(),
        amount: Fen::from_fen(5_000),
    };
    assert!(validate_session(&sale).findings.is_empty());
    let mut duplicate = session();
    duplicate.attendance[1].household_id = duplicate.attendance[0].household_id;
    assert!(validate_session(&duplicate).has("NS-DUPLICATE-HOUSEHOLD"));
    let roster = [
        HouseholdId(Uuid::from_u128(10)),
        HouseholdId(Uuid::from_u128(11)),
        HouseholdId(Uuid::from_u128(12)),
    ];
    let rate = session().participation(&roster);
    assert_eq!(
        (
            rate.present_households,
            rate.roster_households,
            rate.person_times,
            rate.per_mille()
        ),
        (1, 3, 2, Some(333))
    );
}
