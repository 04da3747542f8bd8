//! Benchmark: validate + income + risk for a 20-member household with a 50-measure plan, timed with `Instant`.
//!
//! Run with `cargo bench -p zoufang-domain --bench household`. Prints the median and p95 per iteration in µs.
//! Only this binary reads the clock; the library never does.

use std::hint::black_box;
use std::time::Instant;

use zoufang_domain::income::compute_income;
use zoufang_domain::policy::PolicyTables;
use zoufang_domain::risk::{RiskInputs, RiskRuleSet, assess_risk};
use zoufang_domain::sample;
use zoufang_domain::validation::{ValidationConfig, ValidationContext, validate_household};

const WARM_UP: usize = 200;
const SAMPLES: usize = 2_000;

fn main() {
    let Ok(policy) = PolicyTables::builtin() else {
        eprintln!("the built-in policy tables do not load");
        std::process::exit(1);
    };
    let config = ValidationConfig::default();
    let rules = RiskRuleSet::default();
    let (household, plan, sheet) = sample::large_household(20, 50);
    let context = ValidationContext {
        today: sample::TODAY,
        policy: &policy,
        config: &config,
    };

    let run = || {
        let report = validate_household(&household, Some(&plan), Some(&sheet), &context);
        let income = compute_income(&sheet, &household, &policy).ok();
        let inputs = RiskInputs {
            household: &household,
            plan: Some(&plan),
            income: income.as_ref(),
            previous_per_capita: None,
            today: sample::TODAY,
        };
        let risk = assess_risk(&inputs, &rules);
        (
            report
                .findings
                .iter()
                .map(|finding| finding.code.to_string())
                .collect::<Vec<_>>(),
            income.map(|income| income.per_capita),
            risk.colour,
            risk.triggered
                .iter()
                .map(|rule| rule.code.clone())
                .collect::<Vec<_>>(),
        )
    };

    for _ in 0..WARM_UP {
        black_box(run());
    }
    let mut micros: Vec<f64> = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        let start = Instant::now();
        black_box(run());
        micros.push(start.elapsed().as_secs_f64() * 1e6);
    }
    micros.sort_by(f64::total_cmp);
    let median = micros[SAMPLES / 2];
    let p95 = micros[SAMPLES * 95 / 100];
    let (findings, per_capita, colour, triggered) = run();
    println!(
        "validate + income + risk, 20 members, 50 measures, {} income lines: median {median:.1} µs, p95 {p95:.1} µs \
         over {SAMPLES} iterations (findings: {findings:?}, per capita: {per_capita:?}, colour: {colour:?} from {triggered:?})",
        sheet.lines.len()
    );
}
