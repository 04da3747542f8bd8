//! The UI language and the [`Labelled`] trait: a leaf module that imports nothing else of the domain.
//!
//! The labels themselves live in [`crate::labels`], next to the macro that writes them. Rules that build sentences
//! (`risk`, `validation`) only need this trait and this type, so they do not import `labels`, which in turn names
//! their types (`RiskColour`, `Severity`): no module cycle.

use serde::{Deserialize, Serialize};

/// UI language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

/// A value with a human label in each locale.
pub trait Labelled {
    fn label(&self, locale: Locale) -> &'static str;
}
