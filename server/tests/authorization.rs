//! Who may call the sync endpoints, as one table per endpoint: role × own household / another helper's household
//! in the same village / a household of another village (or teaching point), with the status each must get.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use common::sync::*;
use time::OffsetDateTime;
use uuid::Uuid;
use zoufang_domain::model::{HouseholdId, UserId};
use zoufang_domain::protocol::{ReviewDecision, ReviewRequest, Role, SubmissionRecord};
use zoufang_server::api::sha256_hex;
use zoufang_server::auth::password;
use zoufang_server::demo::{DEMO_PASSWORD, demo_households};
use zoufang_server::store::households::{self, NewHousehold};
use zoufang_server::store::users;
use zoufang_server::store::villages::{self, NewTeachingPoint, NewVillage};

const OTHER_HELPER: &str = "13900000011";
const OTHER_SECRETARY: &str = "13900000012";
const OTHER_CADRE: &str = "13900000013";

/// The accounts of the table, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Actor {
    /// 王海燕: helper of `Own`.
    Helper,
    /// The first secretary of 清泉村.
    Secretary,
    /// The cadre of 清泉村's teaching point.
    Cadre,
    Admin,
    /// The first secretary of 白石村, the other village.
    OtherSecretary,
}

/// Whose household (or teaching point) the call is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// 王海燕's household / 清泉村's teaching point.
    Own,
    /// 陈志强's household in the same village.
    Colleague,
    /// A household / teaching point of 白石村.
    OtherVillage,
}

struct World {
    app: TestApp,
    tokens: Vec<(Actor, String)>,
    own: Uuid,
    colleague: Uuid,
    other: Uuid,
    own_point: Uuid,
    other_point: Uuid,
}

impl World {
    fn token(&self, actor: Actor) -> &str {
        &self.tokens.iter().find(|(a, _)| *a == actor).unwrap().1
    }

    fn household(&self, target: Target) -> Uuid {
        match target {
            Target::Own => self.own,
            Target::Colleague => self.colleague,
            Target::OtherVillage => self.other,
        }
    }
}

async fn account(
    app: &TestApp,
    phone: &str,
    role: Role,
    village: Uuid,
    point: Option<Uuid>,
) -> Uuid {
    let id = Uuid::new_v4();
    users::insert(
        &app.pool,
        &users::NewUser {
            id,
            phone,
            name: "白石村账号",
            role,
            password_hash: &password::hash(DEMO_PASSWORD).unwrap(),
            village_id: Some(village),
            teaching_point_id: point,
            created_at: OffsetDateTime::now_utc(),
        },
    )
    .await
    .unwrap();
    id
}

/// The demo village plus 白石村 with a helper, a first secretary, a cadre, a teaching point and one household.
async fn world() -> World {
    let app = seeded().await;
    let now = OffsetDateTime::now_utc();
    let village = Uuid::new_v4();
    villages::insert(
        &app.pool,
        &NewVillage {
            id: village,
            name: "白石村",
            county: "海口市琼山区",
            township: "三门坡镇",
        },
    )
    .await
    .unwrap();
    let other_point = Uuid::new_v4();
    villages::insert_teaching_point(
        &app.pool,
        &NewTeachingPoint {
            id: other_point,
            village_id: village,
            name: "白石村教学点",
            location: "村委会",
        },
    )
    .await
    .unwrap();
    let other_helper = account(&app, OTHER_HELPER, Role::Helper, village, None).await;
    account(&app, OTHER_SECRETARY, Role::FirstSecretary, village, None).await;
    account(
        &app,
        OTHER_CADRE,
        Role::VillageCadre,
        village,
        Some(other_point),
    )
    .await;
    let mut record = demo_households(zoufang_server::clock::china_date(now))[0]
        .record
        .clone();
    record.id = HouseholdId(Uuid::new_v4());
    record.household_code = "4601071060990001".into();
    record.address.village = "白石村".into();
    record.helpers[0].user_id = Some(UserId(other_helper));
    households::insert(
        &app.pool,
        &NewHousehold {
            village_id: village,
            address: "白石村一组 1 号",
            record: &record,
            last_visit_on: None,
            created_at: now,
        },
    )
    .await
    .unwrap();

    let mut tokens = Vec::new();
    for (actor, phone) in [
        (Actor::Helper, HELPER_1),
        (Actor::Secretary, FIRST_SECRETARY),
        (Actor::Cadre, CADRE),
        (Actor::Admin, ADMIN),
        (Actor::OtherSecretary, OTHER_SECRETARY),
    ] {
        tokens.push((actor, app.demo_token(phone).await));
    }
    World {
        own: households_of(&app, 0).await[0],
        colleague: households_of(&app, 1).await[0],
        other: record.id.0,
        own_point: demo_teaching_point(&app).await,
        other_point,
        app,
        tokens,
    }
}

/// The account id of an actor, as a visitor id.
async fn user_id(world: &World, actor: Actor) -> Uuid {
    let token = world.token(actor);
    let me = world.app.with_token(Method::GET, "/api/me", token).await;
    me.json()["id"].as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn who_may_submit_a_household_visit() {
    use Actor::*;
    use Target::*;
    let world = world().await;
    let table = [
        (Helper, Own, StatusCode::CREATED),
        (Helper, Colleague, StatusCode::FORBIDDEN),
        (Helper, OtherVillage, StatusCode::FORBIDDEN),
        (Secretary, Own, StatusCode::CREATED),
        (Secretary, Colleague, StatusCode::CREATED),
        (Secretary, OtherVillage, StatusCode::FORBIDDEN),
        (Cadre, Own, StatusCode::FORBIDDEN),
        (Cadre, OtherVillage, StatusCode::FORBIDDEN),
        (Admin, Own, StatusCode::FORBIDDEN),
        (Admin, OtherVillage, StatusCode::FORBIDDEN),
        (OtherSecretary, Own, StatusCode::FORBIDDEN),
        (OtherSecretary, OtherVillage, StatusCode::CREATED),
    ];
    for (actor, target, expected) in table {
        let server = assigned(&world.app, world.household(target)).await;
        let visit = visit_for(&server, user_id(&world, actor).await);
        let response = world
            .app
            .submit(world.token(actor), &visit_submission(visit))
            .await;
        assert_eq!(
            response.status,
            expected,
            "{actor:?} → {target:?}: {}",
            response.text()
        );
        if expected == StatusCode::FORBIDDEN {
            assert_eq!(response.error_code(), "forbidden");
        }
    }
}

#[tokio::test]
async fn who_may_submit_attendance() {
    use Actor::*;
    use Target::*;
    let world = world().await;
    let table = [
        (Cadre, Own, StatusCode::CREATED),
        (Cadre, OtherVillage, StatusCode::FORBIDDEN),
        (Secretary, Own, StatusCode::CREATED),
        (Secretary, OtherVillage, StatusCode::FORBIDDEN),
        (OtherSecretary, Own, StatusCode::FORBIDDEN),
        (OtherSecretary, OtherVillage, StatusCode::CREATED),
        (Helper, Own, StatusCode::FORBIDDEN),
        (Admin, Own, StatusCode::FORBIDDEN),
    ];
    for (actor, target, expected) in table {
        let (point, household) = match target {
            Own | Colleague => (world.own_point, world.own),
            OtherVillage => (world.other_point, world.other),
        };
        let sheet = attendance_for(
            &world.app,
            point,
            &[household],
            user_id(&world, actor).await,
        )
        .await;
        let response = world.app.submit(world.token(actor), &sheet).await;
        assert_eq!(
            response.status,
            expected,
            "{actor:?} → {target:?}: {}",
            response.text()
        );
    }
}

#[tokio::test]
async fn who_may_review_a_plan() {
    use Actor::*;
    use Target::*;
    let world = world().await;
    // A pending plan version on each household: 王海燕's by her, the others by the first secretary of the village,
    // who may then not review it (no one reviews their own plan).
    let mut submissions = Vec::new();
    for (target, submitter) in [
        (Own, Helper),
        (Colleague, Secretary),
        (OtherVillage, OtherSecretary),
    ] {
        let server = assigned(&world.app, world.household(target)).await;
        let submission = visit_submission(visit_for(&server, user_id(&world, submitter).await));
        let response = world.app.submit(world.token(submitter), &submission).await;
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
        submissions.push((target, submission.id));
    }
    let table = [
        (Secretary, Own, StatusCode::OK),
        (Secretary, Colleague, StatusCode::FORBIDDEN),
        (Secretary, OtherVillage, StatusCode::FORBIDDEN),
        (OtherSecretary, Own, StatusCode::FORBIDDEN),
        (OtherSecretary, OtherVillage, StatusCode::FORBIDDEN),
        (Helper, Own, StatusCode::FORBIDDEN),
        (Helper, OtherVillage, StatusCode::FORBIDDEN),
        (Cadre, Own, StatusCode::FORBIDDEN),
        (Admin, Own, StatusCode::FORBIDDEN),
    ];
    for (actor, target, expected) in table {
        let submission_id = submissions.iter().find(|(t, _)| *t == target).unwrap().1;
        let response = world
            .app
            .send_json(
                Method::POST,
                "/api/reviews",
                world.token(actor),
                ReviewRequest {
                    id: None,
                    submission_id,
                    decision: ReviewDecision::Approve,
                    comments: String::new(),
                },
            )
            .await;
        assert_eq!(
            response.status,
            expected,
            "{actor:?} → {target:?}: {}",
            response.text()
        );
    }
}

#[tokio::test]
async fn who_may_upload_check_and_download_photos() {
    use Actor::*;
    use Target::*;
    let world = world().await;
    // Uploads: every field role; not the admin.
    for (seed, actor, expected) in [
        (1, Helper, StatusCode::CREATED),
        (2, Secretary, StatusCode::CREATED),
        (3, Cadre, StatusCode::CREATED),
        (4, OtherSecretary, StatusCode::CREATED),
        (5, Admin, StatusCode::FORBIDDEN),
    ] {
        let response = world
            .app
            .put_photo(world.token(actor), &fake_jpeg(seed, 2_000), "image/jpeg")
            .await;
        assert_eq!(response.status, expected, "PUT by {actor:?}");
        let head = world
            .app
            .with_token(
                Method::HEAD,
                &format!("/api/photos/{}", sha256_hex(&fake_jpeg(seed, 2_000))),
                world.token(actor),
            )
            .await;
        let expected_head = if actor == Admin {
            StatusCode::FORBIDDEN
        } else {
            StatusCode::OK
        };
        assert_eq!(head.status, expected_head, "HEAD by {actor:?}");
    }

    // Downloads: a photo the helper uploaded and referred to in a visit to each target household.
    for target in [Own, OtherVillage] {
        let photo = fake_jpeg(20 + target as u8, 3_000);
        let (submitter, submitter_actor) = match target {
            Own => (world.token(Helper).to_owned(), Helper),
            _ => (world.token(OtherSecretary).to_owned(), OtherSecretary),
        };
        world.app.put_photo(&submitter, &photo, "image/jpeg").await;
        let server = assigned(&world.app, world.household(target)).await;
        let mut visit = visit_for(&server, user_id(&world, submitter_actor).await);
        visit
            .evidence
            .push(evidence_for(&photo, Some(visit.visit.id)));
        let submission = visit_submission(visit);
        assert!(matches!(
            submission.record,
            SubmissionRecord::HouseholdVisit(_)
        ));
        let response = world.app.submit(&submitter, &submission).await;
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    }
    // A photo someone may not see answers 404, as one the server does not have: existence does not leak.
    let table = [
        (Helper, Own, StatusCode::OK),
        (Helper, OtherVillage, StatusCode::NOT_FOUND),
        (Secretary, Own, StatusCode::OK),
        (Secretary, OtherVillage, StatusCode::NOT_FOUND),
        (OtherSecretary, Own, StatusCode::NOT_FOUND),
        (OtherSecretary, OtherVillage, StatusCode::OK),
        (Cadre, Own, StatusCode::NOT_FOUND),
        (Admin, Own, StatusCode::NOT_FOUND),
    ];
    for (actor, target, expected) in table {
        let photo = fake_jpeg(20 + target as u8, 3_000);
        let response = world
            .app
            .with_token(
                Method::GET,
                &format!("/api/photos/{}", sha256_hex(&photo)),
                world.token(actor),
            )
            .await;
        assert_eq!(response.status, expected, "GET by {actor:?} → {target:?}");
        if actor != Admin {
            let head = world
                .app
                .with_token(
                    Method::HEAD,
                    &format!("/api/photos/{}", sha256_hex(&photo)),
                    world.token(actor),
                )
                .await;
            assert_eq!(head.status, expected, "HEAD by {actor:?} → {target:?}");
        }
    }
}

#[tokio::test]
async fn who_may_read_the_change_feed_and_what_it_covers() {
    use Actor::*;
    let world = world().await;
    let table = [
        (Helper, StatusCode::OK, 4),
        (Secretary, StatusCode::OK, 12),
        (OtherSecretary, StatusCode::OK, 1),
        (Cadre, StatusCode::FORBIDDEN, 0),
        (Admin, StatusCode::FORBIDDEN, 0),
    ];
    for (actor, expected, households) in table {
        let response = world
            .app
            .with_token(Method::GET, "/api/changes", world.token(actor))
            .await;
        assert_eq!(response.status, expected, "{actor:?}");
        if expected == StatusCode::OK {
            assert_eq!(
                response.json()["households"].as_array().unwrap().len(),
                households,
                "{actor:?}"
            );
        }
    }
    // Without a token, every new endpoint is 401.
    for (method, uri) in [
        (Method::GET, "/api/changes".to_owned()),
        (Method::POST, "/api/submissions".to_owned()),
        (Method::POST, "/api/reviews".to_owned()),
        (Method::HEAD, format!("/api/photos/{}", "0".repeat(64))),
        (Method::PUT, format!("/api/photos/{}", "0".repeat(64))),
        (Method::GET, format!("/api/photos/{}", "0".repeat(64))),
    ] {
        let response = world
            .app
            .with_token(method.clone(), &uri, "not-a-token")
            .await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED, "{method} {uri}");
    }
}
