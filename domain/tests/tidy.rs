//! Tidy: the rules of ARCHITECTURE.md a script can check, over every `.rs` file in `app/src`, `domain/src` and
//! `server/src` (rules 1 and 2 also over the tests and examples). It lives with the domain's tests so that plain
//! `cargo test` (and `cargo test --workspace`) runs it.
//!
//! 1. Every file opens with a `//!` sentence saying what it is for.
//! 2. No file is longer than [`MAX_LINES`], except the ones in [`OVERSIZE_ALLOWED`], which are being split; a listed
//!    file that is short enough (or gone) must leave the list, so it only shrinks.
//! 3. `domain` has no I/O and no clock: no `std::fs`, `std::net`, `std::env`, `SystemTime`, `Instant::now`,
//!    `OffsetDateTime::now_*`.
//! 4. In `app/src` only `storage/` touches IndexedDB, and only `api.rs` makes HTTP requests.
//! 5. `app/src/sync/` has no DOM or view code.
//! 6. The top-level modules of `domain/src` do not import each other in a cycle (`crate::…` paths outside tests).
//! 7. The app's UI layers import downwards only (`pages → sections → ui`, components beside sections): `ui/`,
//!    `sections/` and `components/` never name `crate::storage`, `crate::api` or `crate::sync` (only pages and sync
//!    call storage and api), nor a layer above them.
//!
//! Comment lines and `#[cfg(test)]` items are not looked at for rules 3–7.

mod tidy_rules;

use tidy_rules::*;

#[test]
fn the_workspace_is_tidy() {
    let files = source_files();
    assert!(
        files.len() > 50,
        "found only {} source files: is the workspace root right?",
        files.len()
    );
    let mut findings = check(&files, OVERSIZE_ALLOWED);
    let tests = test_files();
    assert!(
        tests.len() > 20,
        "found only {} test files: is the workspace root right?",
        tests.len()
    );
    check_openings_and_lengths(&tests, &[], &mut findings);
    assert!(
        findings.is_empty(),
        "tidy rules broken (see domain/tests/tidy.rs):\n{}",
        findings.join("\n")
    );
}

// Each rule, shown to fail on a small made-up tree.

fn findings_for(files: &[SourceFile]) -> Vec<String> {
    check(files, &[])
}

fn assert_one_finding(files: &[SourceFile], expected: &[&str]) {
    let findings = findings_for(files);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    for fragment in expected {
        assert!(findings[0].contains(fragment), "{findings:#?}");
    }
}

#[test]
fn a_file_without_an_opening_doc_line_is_named() {
    assert_one_finding(
        &[SourceFile::new(
            "server/src/x.rs",
            "// plain comment\nfn x() {}\n",
        )],
        &["server/src/x.rs:1", "`//!`"],
    );
    assert!(findings_for(&[SourceFile::new("server/src/x.rs", "//! X.\nfn x() {}\n")]).is_empty());
}

#[test]
fn a_file_over_600_lines_fails_unless_listed_and_a_listed_short_file_must_leave_the_list() {
    let long = format!("//! Long.\n{}", "fn x() {}\n".repeat(600));
    let exactly = format!("//! Exactly at the limit.\n{}", "fn x() {}\n".repeat(599));
    assert_one_finding(
        &[SourceFile::new("app/src/long.rs", &long)],
        &["app/src/long.rs", "601 lines"],
    );
    assert!(findings_for(&[SourceFile::new("app/src/limit.rs", &exactly)]).is_empty());
    let listed = [SourceFile::new("app/src/long.rs", &long)];
    assert!(check(&listed, &["app/src/long.rs"]).is_empty());
    let split = [SourceFile::new("app/src/long.rs", &exactly)];
    let findings = check(&split, &["app/src/long.rs"]);
    assert!(
        findings.len() == 1 && findings[0].contains("remove it from the list"),
        "{findings:#?}"
    );
}

#[test]
fn the_domain_reading_files_or_the_clock_is_named() {
    for (line, name) in [
        ("use std::fs;", "std::fs"),
        (
            "let now = time::OffsetDateTime::now_utc();",
            "OffsetDateTime::now",
        ),
        ("let started = std::time::Instant::now();", "Instant::now"),
        ("use std::time::SystemTime;", "SystemTime"),
        (
            "let socket = std::net::TcpStream::connect(address);",
            "std::net",
        ),
    ] {
        let text = format!("//! X.\nfn x() {{\n    {line}\n}}\n");
        assert_one_finding(
            &[SourceFile::new("domain/src/x.rs", &text)],
            &["domain/src/x.rs:3", name, "no I/O and no clock"],
        );
    }
    // Comments, tests and other crates may.
    let fine =
        "//! X.\n// std::fs is not used here\n#[cfg(test)]\nmod tests {\n    use std::fs;\n}\n";
    assert!(findings_for(&[SourceFile::new("domain/src/x.rs", fine)]).is_empty());
    assert!(
        findings_for(&[SourceFile::new("server/src/x.rs", "//! X.\nuse std::fs;\n")]).is_empty()
    );
}

#[test]
fn indexed_db_outside_storage_and_http_outside_api_are_named() {
    let idb = "//! X.\nuse indexed_db_futures::database::Database;\n";
    assert_one_finding(
        &[SourceFile::new("app/src/pages/x.rs", idb)],
        &[
            "app/src/pages/x.rs:2",
            "only app/src/storage touches IndexedDB",
        ],
    );
    assert!(findings_for(&[SourceFile::new("app/src/storage/x.rs", idb)]).is_empty());
    let http = "//! X.\nuse gloo_net::http::Request;\n";
    assert_one_finding(
        &[SourceFile::new("app/src/sync/x.rs", http)],
        &[
            "app/src/sync/x.rs:2",
            "only app/src/api.rs makes HTTP requests",
        ],
    );
    assert!(findings_for(&[SourceFile::new("app/src/api.rs", http)]).is_empty());
}

#[test]
fn a_section_or_the_toolkit_naming_storage_api_or_a_layer_above_is_named() {
    for (path, line) in [
        (
            "app/src/sections/x.rs",
            "use crate::storage::photos::PhotoRecord;",
        ),
        (
            "app/src/sections/x.rs",
            "let answer = crate::api::me(&token).await;",
        ),
        (
            "app/src/sections/x.rs",
            "use crate::pages::household::HouseholdScreen;",
        ),
        (
            "app/src/ui/form/x.rs",
            "use crate::sections::members::member_field;",
        ),
        ("app/src/components/x.rs", "use crate::storage::AppStore;"),
    ] {
        let text = format!("//! X.\n{line}\n");
        assert_one_finding(
            &[SourceFile::new(path, &text)],
            &[&format!("{path}:2"), "import downwards only"],
        );
    }
    // Pages may call storage; sections may use the toolkit, the draft and the domain; a doc comment is not an import.
    let page = "//! X.\nuse crate::storage::records;\n";
    assert!(findings_for(&[SourceFile::new("app/src/pages/x.rs", page)]).is_empty());
    let section = "//! X.\n/// The page reads `crate::storage::photos` for us.\nuse crate::ui::form::*;\nuse crate::draft::HouseholdDraft;\n";
    assert!(findings_for(&[SourceFile::new("app/src/sections/x.rs", section)]).is_empty());
}

#[test]
fn view_or_dom_code_in_the_sync_driver_is_named() {
    for line in [
        "let document = web_sys::window().and_then(|window| window.document());",
        "view! { <p>\"x\"</p> }",
        "fn x() -> impl IntoView {}",
    ] {
        let text = format!("//! X.\n{line}\n");
        assert_one_finding(
            &[SourceFile::new("app/src/sync/x.rs", &text)],
            &["app/src/sync/x.rs:2", "never touches the DOM"],
        );
    }
    // Reactive signals are not view code.
    let signals = "//! X.\nuse leptos::prelude::*;\nlet state = RwSignal::new(0);\n";
    assert!(findings_for(&[SourceFile::new("app/src/sync/x.rs", signals)]).is_empty());
}

#[test]
fn a_module_cycle_in_the_domain_is_named_with_where_each_import_is() {
    let files = [
        SourceFile::new("domain/src/lib.rs", "//! Root.\npub mod a;\npub mod b;\n"),
        SourceFile::new("domain/src/a.rs", "//! A.\nuse crate::b::B;\n"),
        SourceFile::new("domain/src/b/mod.rs", "//! B.\nmod c;\n"),
        SourceFile::new(
            "domain/src/b/c.rs",
            "//! C.\nuse super::super::a::A;\nuse super::D;\n",
        ),
    ];
    assert_one_finding(
        &files,
        &[
            "cycle",
            "a → b (domain/src/a.rs:2)",
            "b → a (domain/src/b/c.rs:2)",
        ],
    );
    // Grouped imports count; imports in tests and comments do not.
    let grouped = [
        SourceFile::new(
            "domain/src/a.rs",
            "//! A.\nuse crate::{b::B, money::Fen};\n",
        ),
        SourceFile::new(
            "domain/src/b.rs",
            "//! B.\n/// See [`crate::a`].\nfn b() {}\n",
        ),
    ];
    assert!(findings_for(&grouped).is_empty());
    let grouped_cycle = [
        SourceFile::new(
            "domain/src/a.rs",
            "//! A.\nuse crate::{b::B, money::Fen};\n",
        ),
        SourceFile::new(
            "domain/src/b.rs",
            "//! B.\nfn b() -> crate::a::A { todo!() }\n",
        ),
    ];
    assert_one_finding(&grouped_cycle, &["a → b", "b → a"]);
    let in_tests = [
        SourceFile::new("domain/src/a.rs", "//! A.\nuse crate::b::B;\n"),
        SourceFile::new(
            "domain/src/b.rs",
            "//! B.\n#[cfg(test)]\nmod tests {\n    use crate::a::A;\n}\n",
        ),
    ];
    assert!(findings_for(&in_tests).is_empty());
}
