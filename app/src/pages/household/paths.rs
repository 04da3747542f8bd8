//! Where a field lives: the household's sections (each editable alone from the overview) and the steps of the guided
//! visit, named in the address (`/households/:id/edit/income`, `/households/:id/visit/plan`), and which of them
//! shows the field at a finding's path (`members[2].id_number`), so a link in the check list opens the right screen.

/// A section of the household record, opened alone from the overview for a correction outside a visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Basic,
    Members,
    Causes,
    Checklist,
    Income,
    Plan,
    Visit,
}

impl Section {
    pub const ALL: [Section; 7] = [
        Section::Basic,
        Section::Members,
        Section::Causes,
        Section::Checklist,
        Section::Income,
        Section::Plan,
        Section::Visit,
    ];

    /// The section's name in the address.
    pub fn slug(self) -> &'static str {
        match self {
            Section::Basic => "basic",
            Section::Members => "members",
            Section::Causes => "causes",
            Section::Checklist => "checklist",
            Section::Income => "income",
            Section::Plan => "plan",
            Section::Visit => "visit",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Section> {
        Section::ALL
            .into_iter()
            .find(|section| section.slug() == slug)
    }

    /// The section that holds the field at `path` (a finding's path).
    pub fn of_path(path: &str) -> Section {
        match first_name(path) {
            "members" => Section::Members,
            "causes" => Section::Causes,
            "checklist" => Section::Checklist,
            "income" => Section::Income,
            "plan" => Section::Plan,
            "visit" => Section::Visit,
            _ => Section::Basic,
        }
    }
}

/// One screen of the guided visit, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// What changed since last time: members (health, work), housing, sudden events.
    Changes,
    /// 两不愁三保障.
    Checklist,
    /// The visit's photos.
    Photos,
    /// The plan's measures and their progress.
    Plan,
    /// The visit record and the household's confirmation.
    Confirm,
    /// What must be fixed or explained, then 提交.
    Review,
}

impl Step {
    pub const ALL: [Step; 6] = [
        Step::Changes,
        Step::Checklist,
        Step::Photos,
        Step::Plan,
        Step::Confirm,
        Step::Review,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Step::Changes => "changes",
            Step::Checklist => "checklist",
            Step::Photos => "photos",
            Step::Plan => "plan",
            Step::Confirm => "confirm",
            Step::Review => "review",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|step| step.slug() == slug)
    }

    /// 0 for the first step.
    pub fn index(self) -> usize {
        Step::ALL
            .iter()
            .position(|step| *step == self)
            .unwrap_or_default()
    }

    pub fn previous(self) -> Option<Step> {
        self.index()
            .checked_sub(1)
            .and_then(|index| Step::ALL.get(index).copied())
    }

    pub fn next(self) -> Option<Step> {
        Step::ALL.get(self.index() + 1).copied()
    }

    /// The step that shows the field at `path`; `None` for fields a visit does not open (address, income …),
    /// which the check list opens in their section instead.
    pub fn of_path(path: &str) -> Option<Step> {
        match first_name(path) {
            "members" | "housing" | "sudden_events" => Some(Step::Changes),
            "checklist" => Some(Step::Checklist),
            "plan" => Some(Step::Plan),
            "visit" if path.starts_with("visit.evidence") => Some(Step::Photos),
            "visit" => Some(Step::Confirm),
            _ => None,
        }
    }
}

/// One part of the "what changed" step, collapsed until the helper opens it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangePart {
    /// Members with their health and work.
    Members,
    Housing,
    SuddenEvents,
}

impl ChangePart {
    pub const ALL: [ChangePart; 3] = [
        ChangePart::Members,
        ChangePart::Housing,
        ChangePart::SuddenEvents,
    ];

    pub fn of_path(path: &str) -> Option<ChangePart> {
        match first_name(path) {
            "members" => Some(ChangePart::Members),
            "housing" => Some(ChangePart::Housing),
            "sudden_events" => Some(ChangePart::SuddenEvents),
            _ => None,
        }
    }
}

/// The first name of a path: `members` for `members[2].id_number`.
fn first_name(path: &str) -> &str {
    path.split(['.', '[']).next().unwrap_or_default()
}

/// Where the check list's link for the field at `path` goes: its step in the visit, else its section alone (with
/// `?from=review`, so that screen leads back to the check list).
pub fn link_for_path(household_href: &str, path: &str) -> String {
    match Step::of_path(path) {
        Some(step) => format!("{household_href}/visit/{}", step.slug()),
        None => format!(
            "{household_href}/edit/{}?from=review",
            Section::of_path(path).slug()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_slug_reads_back_as_its_own_section_and_step() {
        for section in Section::ALL {
            assert_eq!(Section::from_slug(section.slug()), Some(section));
        }
        for step in Step::ALL {
            assert_eq!(Step::from_slug(step.slug()), Some(step));
        }
        assert_eq!(Step::from_slug("nonsense"), None);
        assert_eq!(Section::from_slug(""), None);
    }

    #[test]
    fn steps_go_forward_and_back_in_order_and_stop_at_the_ends() {
        assert_eq!(Step::Changes.previous(), None);
        assert_eq!(Step::Changes.next(), Some(Step::Checklist));
        assert_eq!(Step::Confirm.next(), Some(Step::Review));
        assert_eq!(Step::Review.next(), None);
        assert_eq!(Step::Review.previous(), Some(Step::Confirm));
    }

    #[test]
    fn a_finding_opens_the_step_that_shows_its_field() {
        assert_eq!(Step::of_path("members[2].id_number"), Some(Step::Changes));
        assert_eq!(Step::of_path("housing.area_m2"), Some(Step::Changes));
        assert_eq!(Step::of_path("sudden_events[0].kind"), Some(Step::Changes));
        assert_eq!(Step::of_path("checklist.food"), Some(Step::Checklist));
        assert_eq!(Step::of_path("visit.evidence"), Some(Step::Photos));
        assert_eq!(Step::of_path("plan.measures[0].deadline"), Some(Step::Plan));
        assert_eq!(Step::of_path("visit.purposes"), Some(Step::Confirm));
        assert_eq!(
            Step::of_path("visit.household_confirmation"),
            Some(Step::Confirm)
        );
        assert_eq!(Step::of_path("income.lines[0].amount"), None);
        assert_eq!(Step::of_path("address.village"), None);
    }

    #[test]
    fn a_finding_outside_the_visit_opens_its_section_and_leads_back_to_the_check_list() {
        let household = "/households/abc";
        assert_eq!(
            link_for_path(household, "income.lines[0].amount"),
            "/households/abc/edit/income?from=review"
        );
        assert_eq!(
            link_for_path(household, "causes.main"),
            "/households/abc/edit/causes?from=review"
        );
        assert_eq!(
            link_for_path(household, "attribute"),
            "/households/abc/edit/basic?from=review"
        );
        assert_eq!(
            link_for_path(household, "members[0].name"),
            "/households/abc/visit/changes"
        );
        assert_eq!(
            ChangePart::of_path("members[0].health"),
            Some(ChangePart::Members)
        );
        assert_eq!(ChangePart::of_path("checklist.food"), None);
    }
}
