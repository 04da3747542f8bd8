//! 两不愁三保障 + 饮水安全: the six checklist items of a household, each with a status, a note and evidence.

use serde::{Deserialize, Serialize};

use super::EvidenceId;

/// 两不愁三保障 + 饮水安全: six items, each pass / fail / not checked, with a note and evidence.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Checklist {
    /// 不愁吃
    pub food: ChecklistEntry,
    /// 不愁穿
    pub clothing: ChecklistEntry,
    /// 义务教育有保障
    pub compulsory_education: ChecklistEntry,
    /// 基本医疗有保障
    pub basic_medical: ChecklistEntry,
    /// 住房安全有保障
    pub housing_safety: ChecklistEntry,
    /// 饮水安全有保障
    pub drinking_water: ChecklistEntry,
}

impl Checklist {
    /// The six entries in handbook order.
    pub fn entries(&self) -> [(ChecklistItem, &ChecklistEntry); 6] {
        [
            (ChecklistItem::Food, &self.food),
            (ChecklistItem::Clothing, &self.clothing),
            (
                ChecklistItem::CompulsoryEducation,
                &self.compulsory_education,
            ),
            (ChecklistItem::BasicMedical, &self.basic_medical),
            (ChecklistItem::HousingSafety, &self.housing_safety),
            (ChecklistItem::DrinkingWater, &self.drinking_water),
        ]
    }
}

impl Checklist {
    /// The entry of one item.
    pub fn entry(&self, item: ChecklistItem) -> &ChecklistEntry {
        match item {
            ChecklistItem::Food => &self.food,
            ChecklistItem::Clothing => &self.clothing,
            ChecklistItem::CompulsoryEducation => &self.compulsory_education,
            ChecklistItem::BasicMedical => &self.basic_medical,
            ChecklistItem::HousingSafety => &self.housing_safety,
            ChecklistItem::DrinkingWater => &self.drinking_water,
        }
    }

    /// The entry of one item, for editing.
    pub fn entry_mut(&mut self, item: ChecklistItem) -> &mut ChecklistEntry {
        match item {
            ChecklistItem::Food => &mut self.food,
            ChecklistItem::Clothing => &mut self.clothing,
            ChecklistItem::CompulsoryEducation => &mut self.compulsory_education,
            ChecklistItem::BasicMedical => &mut self.basic_medical,
            ChecklistItem::HousingSafety => &mut self.housing_safety,
            ChecklistItem::DrinkingWater => &mut self.drinking_water,
        }
    }
}

/// The six checklist items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChecklistItem {
    Food,
    Clothing,
    CompulsoryEducation,
    BasicMedical,
    HousingSafety,
    DrinkingWater,
}

impl ChecklistItem {
    /// The field name used in [`crate::validation::FieldPath`]s.
    pub fn field_name(self) -> &'static str {
        match self {
            ChecklistItem::Food => "food",
            ChecklistItem::Clothing => "clothing",
            ChecklistItem::CompulsoryEducation => "compulsory_education",
            ChecklistItem::BasicMedical => "basic_medical",
            ChecklistItem::HousingSafety => "housing_safety",
            ChecklistItem::DrinkingWater => "drinking_water",
        }
    }
}

/// One checklist item's state.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ChecklistEntry {
    pub status: CheckStatus,
    /// What was seen or asked (free text).
    pub note: String,
    pub evidence: Vec<EvidenceId>,
}

/// Pass / fail / not checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    #[default]
    NotChecked,
    Pass,
    Fail,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_and_entry_mut_reach_the_same_item() {
        let mut checklist = Checklist::default();
        for (index, item) in ChecklistItem::ALL.iter().enumerate() {
            checklist.entry_mut(*item).note = index.to_string();
        }
        for (item, entry) in checklist.entries() {
            assert_eq!(checklist.entry(item), entry);
        }
        assert_eq!(checklist.entry(ChecklistItem::DrinkingWater).note, "5");
        assert_eq!(checklist.drinking_water.note, "5");
    }
}
