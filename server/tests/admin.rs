//! `zoufang-server admin …`: accounts, helper assignment, and the household CSV import (good rows kept, each bad
//! row refused with its line and reason).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::sync::*;
use time::OffsetDateTime;
use time::macros::date;
use zoufang_domain::model::{PovertyAttribute, PovertyStatus, Relation, Sex};
use zoufang_domain::protocol::Role;
use zoufang_domain::sample::make_id_number;
use zoufang_server::admin::{self, AdminCommand, NewAccount, import};
use zoufang_server::store::{households, users};

const HEADER: &str = "户编号,户主姓名,户主身份证号,省,市,县,乡镇,村,组,门牌,户属性,脱贫年度,帮扶责任人手机号,帮扶单位,帮扶责任人职务";

fn row(
    code: &str,
    name: &str,
    id_number: &str,
    village: &str,
    attribute: &str,
    helper: &str,
) -> String {
    format!(
        "{code},{name},{id_number},海南省,海口市,琼山区,三门坡镇,{village},三组,7 号,{attribute},2019,{helper},区农业农村局,科员"
    )
}

#[tokio::test]
async fn good_rows_are_imported_and_each_bad_row_is_reported_by_line() {
    let app = seeded().await;
    let head_id = make_id_number("460107", date!(1968 - 04 - 02), 31);
    let second_id = make_id_number("460107", date!(1975 - 09 - 12), 42);
    let mut bad_check = make_id_number("460107", date!(1980 - 01 - 01), 51);
    let last = bad_check.pop().unwrap();
    bad_check.push(if last == '0' { '1' } else { '0' });
    let csv = [
        format!("\u{feff}{HEADER}"),
        row(
            "4601071060130001",
            "张大山",
            &head_id,
            "清泉村",
            "05",
            HELPER_2,
        ),
        row("4601071060130002", "", &second_id, "清泉村", "05", HELPER_2),
        row(
            "4601071060130003",
            "李四",
            &bad_check,
            "清泉村",
            "05",
            HELPER_2,
        ),
        row(
            "4601071060130004",
            "王五",
            &second_id,
            "白石村",
            "05",
            HELPER_2,
        ),
        row(
            "4601071060130005",
            "赵六",
            &second_id,
            "清泉村",
            "99",
            HELPER_2,
        ),
        row(
            "4601071060130006",
            "钱七",
            &second_id,
            "清泉村",
            "一般农户",
            "13911112222",
        ),
        row("4601071060130007", "孙八", &second_id, "清泉村", "", CADRE),
        row(
            "4601071060130001",
            "张大山",
            &head_id,
            "清泉村",
            "05",
            HELPER_2,
        ),
        "\"4601071060130008\",\"周九\"".to_owned(),
        row(
            "4601071060130009",
            "吴十",
            &second_id,
            "清泉村",
            "低保贫困户",
            FIRST_SECRETARY,
        ),
    ]
    .join("\n");
    let village = admin::village_summary(&app.pool, "清泉村").await.unwrap();
    let report = import::import_households(
        &app.pool,
        &village,
        csv.as_bytes(),
        OffsetDateTime::now_utc(),
    )
    .await
    .unwrap();

    assert_eq!(
        report.imported,
        vec![
            (2, "4601071060130001".to_owned()),
            (11, "4601071060130009".to_owned())
        ]
    );
    let refused: Vec<(u64, &str)> = report
        .refused
        .iter()
        .map(|refusal| (refusal.line, refusal.reason.as_str()))
        .collect();
    let expect = [
        (3, "户主姓名 is empty"),
        (4, "户主身份证号"),
        (5, "村 \"白石村\""),
        (6, "户属性 \"99\""),
        (7, "no such account"),
        (8, "not a helper"),
        (9, "exists already"),
        (10, "户主身份证号 is empty"),
    ];
    assert_eq!(refused.len(), expect.len(), "{refused:#?}");
    for ((line, reason), (expected_line, fragment)) in refused.iter().zip(expect) {
        assert_eq!(*line, expected_line, "{reason}");
        assert!(
            reason.contains(fragment),
            "line {line}: {reason:?} lacks {fragment:?}"
        );
    }

    let id = households::id_by_code(&app.pool, "4601071060130001")
        .await
        .unwrap()
        .unwrap();
    let stored = households::find(&app.pool, id).await.unwrap().unwrap();
    let head = &stored.record.members[0];
    assert_eq!(head.name, "张大山");
    assert_eq!(head.relation, Relation::Head);
    assert_eq!(head.birth_date, date!(1968 - 04 - 02));
    assert_eq!(head.sex, Sex::Male);
    assert_eq!(stored.record.attribute, PovertyAttribute::GeneralExited);
    assert_eq!(
        stored.record.poverty_status,
        PovertyStatus::ExitedWithPolicy
    );
    assert_eq!(stored.record.exit_year, Some(2019));
    assert_eq!(stored.version, 1);
    assert_eq!(
        stored.helper_user_id,
        Some(zoufang_server::demo::demo_user_id(1))
    );
    // The helper sees the new household on the next sync.
    assert_eq!(households_of(&app, 1).await.len(), 5);
}

#[tokio::test]
async fn a_header_without_the_required_columns_is_refused_as_a_whole() {
    let app = seeded().await;
    let village = admin::village_summary(&app.pool, "清泉村").await.unwrap();
    let outcome = import::import_households(
        &app.pool,
        &village,
        "户编号,户主姓名\n1,张三\n".as_bytes(),
        OffsetDateTime::now_utc(),
    )
    .await;
    let error = outcome.unwrap_err().to_string();
    assert!(error.contains("户主身份证号"), "{error}");
    assert_eq!(app.count("households").await, 12);
}

#[tokio::test]
async fn villages_users_and_helper_assignment_from_the_command_line() {
    let app = seeded().await;
    let mut no_stdin: &[u8] = b"";
    admin::run(
        &app.pool,
        AdminCommand::CreateVillage {
            name: "白石村".into(),
            county: "海口市琼山区".into(),
            township: "三门坡镇".into(),
        },
        &mut no_stdin,
    )
    .await
    .unwrap();
    let mut password: &[u8] = b"s3cret pass\n";
    admin::run(
        &app.pool,
        AdminCommand::CreateUser {
            phone: "13900000099".into(),
            name: "新帮扶人".into(),
            role: admin::RoleArg::Helper,
            village: Some("白石村".into()),
            teaching_point: None,
            password: None,
        },
        &mut password,
    )
    .await
    .unwrap();
    let token = app.token_for("13900000099", "s3cret pass").await;
    assert!(!token.is_empty());

    // A cadre needs a teaching point; a phone is 11 digits; phones are unique.
    let now = OffsetDateTime::now_utc();
    for (phone, role, point, fragment) in [
        ("13900000098", Role::VillageCadre, None, "teaching-point"),
        ("1390000009", Role::Helper, None, "11-digit"),
        ("13900000099", Role::Helper, None, "exists"),
        (
            "13900000097",
            Role::VillageCadre,
            Some("没有的教学点"),
            "teaching point",
        ),
    ] {
        let error = admin::create_user(
            &app.pool,
            NewAccount {
                phone,
                name: "某人",
                role,
                village: Some("清泉村"),
                teaching_point: point,
                password: "清泉村帮扶长密码2026".into(),
            },
            now,
        )
        .await
        .unwrap_err()
        .to_string();
        assert!(error.contains(fragment), "{phone}: {error}");
    }

    let household = households::find(&app.pool, households_of(&app, 0).await[0])
        .await
        .unwrap()
        .unwrap();
    // 13900000099 helps in 白石村: the household of 清泉村 cannot be handed to him.
    let error = admin::assign_helper(
        &app.pool,
        &household.record.household_code,
        "13900000099",
        "区民政局",
        "干部",
        date!(2026 - 12 - 01),
        now,
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(error.contains("does not belong to the village"), "{error}");
    // Nor to the village's cadre.
    let error = admin::assign_helper(
        &app.pool,
        &household.record.household_code,
        CADRE,
        "",
        "",
        date!(2026 - 12 - 01),
        now,
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(
        error.contains("only helpers and first secretaries"),
        "{error}"
    );
    assert_eq!(app.count("household_changes").await, 0);

    admin::create_user(
        &app.pool,
        NewAccount {
            phone: "13900000096",
            name: "新帮扶人",
            role: Role::Helper,
            village: Some("清泉村"),
            teaching_point: None,
            password: "清泉村帮扶长密码2026".into(),
        },
        now,
    )
    .await
    .unwrap();
    admin::assign_helper(
        &app.pool,
        &household.record.household_code,
        "13900000096",
        "区民政局",
        "干部",
        date!(2026 - 12 - 01),
        now,
    )
    .await
    .unwrap();
    let after = households::find(&app.pool, household.record.id.0)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after.version, household.version + 1);
    let helper = users::find_by_phone(&app.pool, "13900000096")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after.helper_user_id, Some(helper.id));
    assert_eq!(
        after.record.helpers.len(),
        household.record.helpers.len() + 1
    );
    assert_eq!(
        after.record.helpers[0].ended_on,
        Some(date!(2026 - 11 - 30)),
        "history is kept: the previous helper's period ends the day before"
    );
    assert_eq!(app.count("household_changes").await, 1);
    // The same assignment again does nothing, and says so.
    let error = admin::assign_helper(
        &app.pool,
        &household.record.household_code,
        "13900000096",
        "区民政局",
        "干部",
        date!(2026 - 12 - 01),
        now,
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(error.contains("already the current helper"), "{error}");
    assert_eq!(app.count("household_changes").await, 1);
}

#[tokio::test]
async fn an_imported_household_cannot_be_given_a_helper_of_another_village() {
    let app = seeded().await;
    let now = OffsetDateTime::now_utc();
    let mut no_stdin: &[u8] = b"";
    admin::run(
        &app.pool,
        AdminCommand::CreateVillage {
            name: "白石村".into(),
            county: "海口市琼山区".into(),
            township: "三门坡镇".into(),
        },
        &mut no_stdin,
    )
    .await
    .unwrap();
    admin::create_user(
        &app.pool,
        NewAccount {
            phone: "13900000095",
            name: "白石村帮扶人",
            role: Role::Helper,
            village: Some("白石村"),
            teaching_point: None,
            password: "清泉村帮扶长密码2026".into(),
        },
        now,
    )
    .await
    .unwrap();
    let head_id = make_id_number("460107", date!(1970 - 05 - 06), 61);
    let csv = [
        HEADER.to_owned(),
        row(
            "4601071060130021",
            "郑一",
            &head_id,
            "清泉村",
            "05",
            "13900000095",
        ),
    ]
    .join("\n");
    let village = admin::village_summary(&app.pool, "清泉村").await.unwrap();
    let report = import::import_households(&app.pool, &village, csv.as_bytes(), now)
        .await
        .unwrap();
    assert!(report.imported.is_empty());
    assert_eq!(report.refused.len(), 1);
    assert!(
        report.refused[0]
            .reason
            .contains("not an account of 清泉村"),
        "{}",
        report.refused[0].reason
    );
}
