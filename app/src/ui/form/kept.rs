//! Findings for text kept in the draft because it does not parse yet (`HouseholdDraft::keep_raw`): each blocks
//! submitting and names what is wrong, and a choice a new member has not made yet says what is missing. What the text
//! was meant to be is recorded with it by the input that kept it ([`FieldValue`]), never guessed from its path.

use time::{Date, OffsetDateTime};
use zoufang_domain::model::{Relation, Sex, WorkMonths};
use zoufang_domain::money::{Centi, Fen};
use zoufang_domain::validation::{FieldPath, Finding, RuleCode, Severity, validate_money_field};

use super::{parse_date, parse_date_time, parse_months, parse_year};
use crate::draft::{HouseholdDraft, KeptKind};
use crate::i18n::{Locale, td_string};

/// The value type of a field whose text is kept while it does not parse: the input reads the kind off its binding's
/// type (`Binding<Option<Fen>>` keeps money, `Binding<WorkMonths>` months), so the message for kept text always names
/// the mistake that field can have.
pub trait FieldValue {
    const KIND: KeptKind;
}

macro_rules! field_values {
    ($($value:ty => $kind:ident),+ $(,)?) => {
        $(impl FieldValue for $value {
            const KIND: KeptKind = KeptKind::$kind;
        })+
    };
}

field_values! {
    Option<Fen> => Money,
    Centi => Quantity,
    WorkMonths => Months,
    Option<i32> => Year,
    Option<Date> => Date,
    OffsetDateTime => DateTime,
    Option<Relation> => Relation,
    Option<Sex> => Sex,
}

fn field_finding(code: &'static str, path: &str, zh: String, en: String) -> Finding {
    Finding {
        code: RuleCode::new(code),
        severity: Severity::Error,
        path: FieldPath::root().field(path),
        message_zh: zh,
        message_en: en,
    }
}

/// The finding for one kept text of this kind, or `None` if it parses now. Text kept by an older app, which did
/// not record the kind (`kind` is `None`), gets a general message; it still blocks submitting until corrected.
pub fn raw_input_finding(path: &str, text: &str, kind: Option<KeptKind>) -> Option<Finding> {
    let chinese = Locale::zh_CN;
    let english = Locale::en;
    let (code, zh, en) = match kind {
        Some(KeptKind::Pending) => return None,
        Some(KeptKind::Money) => {
            return validate_money_field(text, FieldPath::root().field(path)).err();
        }
        Some(KeptKind::Quantity) if Centi::parse(text).is_ok() => return None,
        Some(KeptKind::Months) if parse_months(text).is_some() => return None,
        Some(KeptKind::Year) if parse_year(text).is_some() => return None,
        Some(KeptKind::Date) if parse_date(text).is_some() => return None,
        Some(KeptKind::DateTime) if parse_date_time(text).is_some() => return None,
        Some(KeptKind::Quantity) => (
            "FIELD-QUANTITY-INVALID",
            td_string!(chinese, forms.error.quantity),
            td_string!(english, forms.error.quantity),
        ),
        Some(KeptKind::Months) => (
            "FIELD-MONTHS-INVALID",
            td_string!(chinese, forms.error.months),
            td_string!(english, forms.error.months),
        ),
        Some(KeptKind::Year) => (
            "FIELD-YEAR-INVALID",
            td_string!(chinese, forms.error.year),
            td_string!(english, forms.error.year),
        ),
        Some(KeptKind::Date) => (
            "FIELD-DATE-INVALID",
            td_string!(chinese, forms.error.date),
            td_string!(english, forms.error.date),
        ),
        Some(KeptKind::DateTime) => (
            "FIELD-DATE-INVALID",
            td_string!(chinese, forms.error.date_time),
            td_string!(english, forms.error.date_time),
        ),
        Some(KeptKind::Relation) => (
            "FIELD-NOT-CHOSEN",
            td_string!(chinese, forms.error.relation_unchosen),
            td_string!(english, forms.error.relation_unchosen),
        ),
        Some(KeptKind::Sex) => (
            "FIELD-NOT-CHOSEN",
            td_string!(chinese, forms.error.sex_unchosen),
            td_string!(english, forms.error.sex_unchosen),
        ),
        None => (
            "FIELD-TEXT-INVALID",
            td_string!(chinese, forms.error.kept_text),
            td_string!(english, forms.error.kept_text),
        ),
    };
    Some(field_finding(code, path, zh.to_string(), en.to_string()))
}

/// The findings for every kept text of the draft.
pub fn raw_input_findings(draft: &HouseholdDraft) -> Vec<Finding> {
    draft
        .raw_inputs
        .iter()
        .filter_map(|(path, text)| {
            raw_input_finding(path, text, draft.raw_kinds.get(path).copied())
        })
        .collect()
}
