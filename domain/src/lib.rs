//! Zoufang's domain: the household record, the 一户一策 plan, income accounting, validation and risk.
//!
//! Pure Rust with no I/O, no clock and no randomness: callers pass time and ids in.
//!
//! Code map:
//! - [`money`]: `Fen` (integer 分) and `Centi` quantities, parsed from what people type.
//! - [`text`]: full-width digits and letters typed on a Chinese keyboard, folded to ASCII before parsing.
//! - [`id_number`]: 居民身份证 / 残疾人证 numbers (GB 11643 MOD 11-2).
//! - [`model`]: household, members, causes, checklist, plan, visit log, evidence, night school.
//! - [`income`]: the income sheet and its explained report.
//! - [`policy`]: policy tables as data (`data/policy-tables.json`), looked up by region and year.
//! - [`validation`]: the rules of domain.md §8 with stable codes.
//! - [`night_school`]: 电视夜校 参学率, 人次 and follow-ups, with the rules as data.
//! - [`risk`]: the 红黄绿 classification as a configurable rule set.
//! - [`locale`]: the UI language and the `Labelled` trait (a leaf: imports nothing else of the domain).
//! - [`labels`]: zh-CN and English labels for every closed value list.
//! - [`household_visit`]: a household visit as submitted (validated here, carried by [`protocol`]).
//! - [`protocol`]: the types that cross the network.
//! - [`review_diff`]: what changed since the approved version, part by part, as a review shows it.
//! - [`sample`]: a deterministic valid household for tests, benchmarks and demos.

pub mod household_visit;
pub mod id_number;
pub mod income;
pub mod labels;
pub mod listing;
pub mod locale;
pub mod model;
pub mod money;
pub mod night_school;
pub mod night_school_division;
pub mod night_school_fold;
pub mod policy;
pub mod protocol;
pub mod review_diff;
pub mod risk;
pub mod sample;
pub mod text;
pub mod validation;
pub mod village;
