//! Every labelled value list is complete, unique and labelled in both languages.

use super::*;

/// Asserts that `ALL` lists exactly these variants in this order; the match is exhaustive, so a variant added to
/// the enum and left out here (or out of `labels!`) does not compile.
macro_rules! every_variant {
    ($ty:ident: $($variant:ident),+ $(,)?) => {{
        fn listed(value: $ty) {
            match value { $($ty::$variant)|+ => {} }
        }
        $ty::ALL.iter().copied().for_each(listed);
        assert_eq!($ty::ALL, &[$($ty::$variant),+], stringify!($ty));
    }};
}

#[test]
fn all_lists_every_variant_of_the_enum() {
    every_variant!(Sex: Male, Female);
    every_variant!(CheckStatus: Pass, Fail, NotChecked);
    every_variant!(ChecklistItem: Food, Clothing, CompulsoryEducation, BasicMedical, HousingSafety, DrinkingWater);
    every_variant!(HealthCondition: Healthy, ChronicDisease, SeriousIllness, Disability);
    every_variant!(LabourAbility: Ordinary, Skilled, Weak, Lost, NoLabour);
    every_variant!(PoliticalStatus: CpcMember, CpcProbationaryMember, CylMember, Masses);
    every_variant!(AwayReason: MigrantWork, Studying, MedicalTreatment, Other);
    every_variant!(WorkLocation: NotWorking, WithinTownship, WithinCounty, WithinProvince, OutsideProvince, Other);
    every_variant!(
        EducationLevel: Illiterate, Primary, JuniorHigh, SeniorHigh, JuniorCollege, BachelorOrAbove
    );
    every_variant!(
        ExclusionReason: Imprisoned, CompulsoryRehabilitation, Missing, Conscript, ClergyLivingApart,
        DeceasedOrMovedOut, Other
    );
    every_variant!(
        Relation: Head, Spouse, Son, Daughter, DaughterInLaw, SonInLaw, Grandson, Granddaughter, DaughtersSon,
        DaughtersDaughter, Father, Mother, WifesFather, WifesMother, HusbandsFather, HusbandsMother,
        Grandfather, Grandmother, MaternalGrandfather, MaternalGrandmother, Sibling, GreatGrandson,
        GreatGranddaughter, Nephew, Niece, SistersInLaw, Uncle, Other
    );
}

/// Every generated list: no value twice, and every value labelled in both languages.
#[test]
fn every_generated_list_is_distinct_and_labelled() {
    fn check<T: Labelled + PartialEq + std::fmt::Debug>(all: &[T]) {
        assert!(!all.is_empty());
        for (index, value) in all.iter().enumerate() {
            assert!(!all[..index].contains(value), "{value:?} twice");
            assert!(!value.label(Locale::ZhCn).is_empty() && !value.label(Locale::En).is_empty());
        }
    }
    check(Locale::ALL);
    check(Sex::ALL);
    check(PovertyAttribute::ALL);
    check(IdentificationStandard::ALL);
    check(PovertyStatus::ALL);
    check(MonitoringCategory::ALL);
    check(HousingStructure::ALL);
    check(DangerGrade::ALL);
    check(SafeHousingWay::ALL);
    check(RoadType::ALL);
    check(FuelType::ALL);
    check(UnitLevel::ALL);
    check(PovertyCause::ALL);
    check(ChecklistItem::ALL);
    check(CheckStatus::ALL);
    check(SuddenEventKind::ALL);
    check(Relation::ALL);
    check(PoliticalStatus::ALL);
    check(EducationLevel::ALL);
    check(SchoolStage::ALL);
    check(HealthCondition::ALL);
    check(LabourAbility::ALL);
    check(WorkLocation::ALL);
    check(AwayReason::ALL);
    check(ExclusionReason::ALL);
    check(MeasureCategory::ALL);
    check(MeasureStatus::ALL);
    check(ConfirmationMethod::ALL);
    check(VisitPurpose::ALL);
    check(EvidenceKind::ALL);
    check(GpsSource::ALL);
    check(AttendanceStatus::ALL);
    check(AbsenceReason::ALL);
    check(IncomeCategory::ALL);
    check(ExclusionGround::ALL);
    check(StandardSeries::ALL);
    check(AssistanceKind::ALL);
    check(IdNumberKind::ALL);
    check(Severity::ALL);
    check(RiskColour::ALL);
}

#[test]
fn every_ethnicity_code_and_every_line_kind_has_both_labels() {
    assert_eq!(Ethnicity::all().count(), 58);
    for ethnicity in Ethnicity::all() {
        assert_ne!(ethnicity.label(Locale::ZhCn), "未知");
    }
    assert_eq!(Ethnicity::LI.label(Locale::ZhCn), "黎族");
    for kind in IncomeLineKind::ALL {
        assert!(!kind.label(Locale::ZhCn).is_empty() && !kind.label(Locale::En).is_empty());
    }
    assert_eq!(DangerGrade::D.label(Locale::ZhCn), "D级(整幢危房)");
    assert_eq!(Relation::Son.label(Locale::En), "Son");
}
