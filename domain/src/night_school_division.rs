//! Dividing a village between its teaching points (教学点分户). The server's rule: a household assigned to a point
//! is on that point's roster only; one assigned to no point is on every point's roster of its village, so no
//! household drops off all of them (`PUT /api/night-school/points/{id}/households`). From the rosters a first
//! secretary's phone holds, each household's point is therefore known exactly when the village has two points or
//! more: on one roster only, it belongs there; on every roster, it belongs nowhere yet.

use std::collections::BTreeMap;

use crate::model::{HouseholdId, TeachingPointId};
use crate::protocol::{RosterAssignmentRequest, RosterHousehold, TeachingPointSheet};

/// One household of the village and the point it is assigned to (`None`: no point, so on every roster).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdPlace {
    pub household: RosterHousehold,
    pub point: Option<TeachingPointId>,
}

/// Every household on the points' rosters, once, with its point: grouped by 组 in the order the rosters bring them,
/// and within a 组 as the rosters list them.
/// With fewer than two points there is nothing to divide: every household is placed nowhere.
pub fn places(points: &[TeachingPointSheet]) -> Vec<HouseholdPlace> {
    let mut seen: BTreeMap<HouseholdId, (usize, Vec<TeachingPointId>)> = BTreeMap::new();
    let mut households: Vec<RosterHousehold> = Vec::new();
    for point in points {
        for household in &point.roster {
            let entry = seen.entry(household.household_id).or_insert_with(|| {
                households.push(household.clone());
                (households.len() - 1, Vec::new())
            });
            entry.1.push(point.id);
        }
    }
    let mut placed: Vec<HouseholdPlace> = households
        .into_iter()
        .map(|household| {
            let on = seen
                .get(&household.household_id)
                .map(|(_, on)| on.as_slice())
                .unwrap_or_default();
            let point = match on {
                [only] if points.len() >= 2 => Some(*only),
                _ => None,
            };
            HouseholdPlace { household, point }
        })
        .collect();
    // The 组 in the order the rosters bring them (the server's order: 一组 before 二组 before 三组, which the
    // characters' order would not give); stable, so within a 组 the rosters' own order (户编号) stays.
    let mut groups: Vec<String> = Vec::new();
    for place in &placed {
        if !groups.contains(&place.household.group_name) {
            groups.push(place.household.group_name.clone());
        }
    }
    placed.sort_by_key(|place| {
        groups
            .iter()
            .position(|group| *group == place.household.group_name)
    });
    placed
}

/// The requests that make the village's division `chosen`: one per point, each listing the households chosen for
/// it (possibly none, which takes that point's households back to no point). Sent one after another they leave
/// exactly `chosen`, whatever was assigned before, and sending them again changes nothing.
pub fn requests(
    points: &[TeachingPointSheet],
    chosen: &[(HouseholdId, Option<TeachingPointId>)],
) -> Vec<(TeachingPointId, RosterAssignmentRequest)> {
    points
        .iter()
        .map(|point| {
            let household_ids = chosen
                .iter()
                .filter(|(_, at)| *at == Some(point.id))
                .map(|(household, _)| *household)
                .collect();
            (point.id, RosterAssignmentRequest { household_ids })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn household(n: u128, group: &str) -> RosterHousehold {
        RosterHousehold {
            household_id: HouseholdId(Uuid::from_u128(n)),
            head_name: format!("户主{n}"),
            group_name: group.to_owned(),
            members: Vec::new(),
        }
    }

    fn point(n: u128, roster: Vec<RosterHousehold>) -> TeachingPointSheet {
        TeachingPointSheet {
            id: TeachingPointId(Uuid::from_u128(100 + n)),
            name: format!("教学点{n}"),
            location: String::new(),
            roster,
            sessions: Vec::new(),
            follow_ups: Vec::new(),
        }
    }

    fn placed(points: &[TeachingPointSheet]) -> Vec<(u128, Option<u128>)> {
        places(points)
            .into_iter()
            .map(|place| {
                (
                    place.household.household_id.0.as_u128(),
                    place.point.map(|point| point.0.as_u128() - 100),
                )
            })
            .collect()
    }

    #[test]
    fn a_household_on_one_roster_belongs_to_that_point_and_one_on_every_roster_to_none() {
        // 1 and 2 assigned to point 1, 3 to point 2, 4 to no point (on both rosters).
        let points = [
            point(
                1,
                vec![
                    household(1, "一组"),
                    household(2, "一组"),
                    household(4, "二组"),
                ],
            ),
            point(2, vec![household(3, "一组"), household(4, "二组")]),
        ];
        assert_eq!(
            placed(&points),
            vec![(1, Some(1)), (2, Some(1)), (3, Some(2)), (4, None)]
        );
    }

    #[test]
    fn with_one_point_or_none_nothing_is_divided() {
        assert_eq!(
            placed(&[point(1, vec![household(1, "一组")])]),
            vec![(1, None)]
        );
        assert_eq!(placed(&[]), vec![]);
    }

    #[test]
    fn with_three_points_a_household_on_two_rosters_is_not_taken_for_assigned() {
        // Not a state the server produces; the phone does not guess a point for it.
        let points = [
            point(1, vec![household(1, "一组")]),
            point(2, vec![household(1, "一组")]),
            point(3, vec![]),
        ];
        assert_eq!(placed(&points), vec![(1, None)]);
    }

    #[test]
    fn households_are_grouped_in_the_rosters_order_of_groups_keeping_their_order_within_one() {
        // 一组 (U+4E00) < 三组 (U+4E09) < 二组 (U+4E8C) by character: the rosters' order wins.
        let points = [
            point(
                1,
                vec![
                    household(2, "一组"),
                    household(5, "二组"),
                    household(7, "三组"),
                ],
            ),
            point(2, vec![household(9, "一组"), household(6, "二组")]),
        ];
        assert_eq!(
            placed(&points),
            vec![
                (2, Some(1)),
                (9, Some(2)),
                (5, Some(1)),
                (6, Some(2)),
                (7, Some(1))
            ]
        );
    }

    #[test]
    fn one_request_per_point_lists_its_households_and_an_emptied_point_gets_an_empty_list() {
        let points = [point(1, Vec::new()), point(2, Vec::new())];
        let id = |n: u128| HouseholdId(Uuid::from_u128(n));
        let at = |n: u128| Some(TeachingPointId(Uuid::from_u128(100 + n)));
        let sent = requests(&points, &[(id(1), at(2)), (id(2), None), (id(3), at(2))]);
        assert_eq!(sent.len(), 2);
        assert_eq!(sent[0].0, points[0].id);
        assert!(sent[0].1.household_ids.is_empty());
        assert_eq!(sent[1].1.household_ids, vec![id(1), id(3)]);
    }
}
