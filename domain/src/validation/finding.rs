//! What a validation run returns: [`Finding`]s with a stable [`RuleCode`], a [`Severity`], the [`FieldPath`] of the
//! field they are about and a zh-CN and English sentence, gathered in a [`ValidationReport`].

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::rules::RuleInfo;
use crate::locale::{Labelled, Locale};

/// Error blocks submitting; warning needs a written reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// A stable rule code such as `HH-CAUSE-ILLNESS`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RuleCode(Cow<'static, str>);

impl RuleCode {
    pub const fn new(code: &'static str) -> RuleCode {
        RuleCode(Cow::Borrowed(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RuleCode {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

/// The path of the field a finding is about: `members[2].id_number`, `checklist.housing_safety`, `` (whole record).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FieldPath(String);

impl FieldPath {
    pub fn root() -> FieldPath {
        FieldPath(String::new())
    }

    pub fn field(&self, name: &str) -> FieldPath {
        if self.0.is_empty() {
            FieldPath(name.to_string())
        } else {
            FieldPath(format!("{}.{name}", self.0))
        }
    }

    pub fn index(&self, index: usize) -> FieldPath {
        FieldPath(format!("{}[{index}]", self.0))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A path already written out as text (`members[2].name`).
    pub(super) fn from_text(text: String) -> FieldPath {
        FieldPath(text)
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub code: RuleCode,
    pub severity: Severity,
    pub path: FieldPath,
    pub message_zh: String,
    pub message_en: String,
}

impl Finding {
    pub fn message(&self, locale: Locale) -> &str {
        match locale {
            Locale::ZhCn => &self.message_zh,
            Locale::En => &self.message_en,
        }
    }
}

/// All findings of one validation run.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ValidationReport {
    pub findings: Vec<Finding>,
}

impl ValidationReport {
    /// True when nothing blocks submitting.
    pub fn can_submit(&self) -> bool {
        !self
            .findings
            .iter()
            .any(|finding| finding.severity == Severity::Error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|finding| finding.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|finding| finding.severity == Severity::Warning)
    }

    pub fn has(&self, code: &str) -> bool {
        self.findings
            .iter()
            .any(|finding| finding.code.as_str() == code)
    }

    /// Findings about one field (for showing next to it).
    pub fn at<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings
            .iter()
            .filter(move |finding| finding.path.as_str() == path)
    }
}

pub(super) fn finding(
    rule: RuleInfo,
    path: FieldPath,
    message_zh: String,
    message_en: String,
) -> Finding {
    Finding {
        code: RuleCode::new(rule.code),
        severity: rule.severity,
        path,
        message_zh,
        message_en,
    }
}

pub(super) fn zh<T: Labelled>(value: T) -> &'static str {
    value.label(Locale::ZhCn)
}

pub(super) fn en<T: Labelled>(value: T) -> &'static str {
    value.label(Locale::En)
}
