//! The village's household digests (`domain::village`), kept in the `meta` store beside the households they are
//! derived from, so the first secretary's village view opens from one small record instead of every household.
//!
//! Kept exact by [`super::records`]: every write of the households store first forgets the digests and writes them
//! again once the households are stored, so a write that stops half-way leaves no digests (the village view then
//! reads the households and builds them again), never digests of other households.

use super::{Store, StoreError};
use zoufang_domain::protocol::AssignedHousehold;
use zoufang_domain::village::{DIGEST_FORMAT, VillageDigest};

/// Key of the `meta` store.
const KEY: &str = "village_digest";

/// The digests as kept; `None` when there are none, or they are of another format or do not decode.
pub async fn load(store: &impl Store) -> Result<Option<VillageDigest>, StoreError> {
    match store.get_meta::<VillageDigest>(KEY).await {
        Ok(Some(digest)) if digest.format == DIGEST_FORMAT => Ok(Some(digest)),
        Ok(_) | Err(StoreError::Corrupt(_)) => Ok(None),
        Err(error) => Err(error),
    }
}

pub async fn save(store: &impl Store, digest: &VillageDigest) -> Result<(), StoreError> {
    store.put_meta(KEY, digest).await
}

/// Forgets the digests before the households change.
pub async fn forget(store: &impl Store) -> Result<(), StoreError> {
    store.delete_meta(KEY).await
}

/// Updates kept digests for households just stored (none kept: nothing to update, the village view builds them).
pub async fn merge(
    store: &impl Store,
    kept: Option<VillageDigest>,
    changed: &[AssignedHousehold],
) -> Result<(), StoreError> {
    if let Some(mut digest) = kept {
        digest.merge(changed);
        save(store, &digest).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::storage::MemoryStore;
    use crate::storage::records::{merge_households, save_assignments};
    use time::macros::date;
    use uuid::Uuid;
    use zoufang_domain::model::HouseholdId;
    use zoufang_domain::protocol::{AssignmentsResponse, PolicyDocument};
    use zoufang_domain::risk::{RiskAssessment, RiskColour, RiskRuleSet};

    fn assigned(n: u128, colour: RiskColour) -> AssignedHousehold {
        let mut household = zoufang_domain::sample::household();
        household.id = HouseholdId(Uuid::from_u128(n));
        household.household_code = format!("H{n:03}");
        AssignedHousehold {
            household,
            version: 1,
            risk: RiskAssessment {
                colour,
                triggered: Vec::new(),
                rule_set_version: String::new(),
            },
            last_visit_on: None,
            plan: None,
            review: None,
            income_sheets: Vec::new(),
            visits: Vec::new(),
            review_history: Vec::new(),
            earlier_visits: Vec::new(),
            review_basis: None,
            night_school_follow_up: None,
        }
    }

    fn colours(digest: &VillageDigest) -> Vec<(String, RiskColour)> {
        digest
            .households
            .iter()
            .map(|household| (household.code.clone(), household.colour))
            .collect()
    }

    #[test]
    fn every_write_of_the_households_keeps_their_digests_in_step() {
        futures::executor::block_on(async {
            let store = MemoryStore::default();
            assert_eq!(load(&store).await, Ok(None));
            let response = AssignmentsResponse {
                households: vec![
                    assigned(1, RiskColour::Red),
                    assigned(2, RiskColour::Yellow),
                ],
                policy: PolicyDocument::builtin().unwrap(),
                risk_rules: RiskRuleSet::default(),
                as_of: date!(2026 - 12 - 01),
                generated_at: "2026-12-01T01:00:00Z".into(),
                overdue_after_days: 30,
            };
            save_assignments(&store, &response).await.unwrap();
            let kept = load(&store).await.unwrap().unwrap();
            assert_eq!(kept, VillageDigest::of(&response.households));

            merge_households(
                &store,
                &[assigned(2, RiskColour::Green), assigned(3, RiskColour::Red)],
            )
            .await
            .unwrap();
            let kept = load(&store).await.unwrap().unwrap();
            assert_eq!(
                colours(&kept),
                vec![
                    ("H001".to_string(), RiskColour::Red),
                    ("H002".to_string(), RiskColour::Green),
                    ("H003".to_string(), RiskColour::Red),
                ]
            );

            // Without digests kept, a merge does not make partial ones: the view builds them from every household.
            forget(&store).await.unwrap();
            merge_households(&store, &[assigned(4, RiskColour::Red)])
                .await
                .unwrap();
            assert_eq!(load(&store).await, Ok(None));
        });
    }

    #[test]
    fn digests_of_another_format_or_that_do_not_decode_are_not_read() {
        futures::executor::block_on(async {
            let store = MemoryStore::default();
            let mut digest = VillageDigest::of(&[assigned(1, RiskColour::Red)]);
            digest.format = DIGEST_FORMAT + 1;
            save(&store, &digest).await.unwrap();
            assert_eq!(load(&store).await, Ok(None));
            store.put_meta(KEY, &"not digests").await.unwrap();
            assert_eq!(load(&store).await, Ok(None));
        });
    }
}
