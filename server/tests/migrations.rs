//! The two engines' migrations are kept in step: the same numbers and names in `migrations/` (SQLite) and
//! `migrations-postgres/`, so a database on either engine has the same schema version after an upgrade.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

fn names(folder: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let mut names: Vec<String> = std::fs::read_dir(&path)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".sql"))
        .collect();
    names.sort();
    names
}

#[test]
fn both_engines_have_the_same_migrations() {
    let sqlite = names("migrations");
    let postgres = names("migrations-postgres");
    assert!(!sqlite.is_empty());
    assert_eq!(
        sqlite, postgres,
        "every migration needs its twin with the same number and name in the other folder"
    );
}

#[test]
fn migration_numbers_are_unique() {
    let mut numbers: Vec<String> = names("migrations")
        .iter()
        .map(|name| name.split('_').next().unwrap().to_owned())
        .collect();
    let count = numbers.len();
    numbers.dedup();
    assert_eq!(numbers.len(), count, "two migrations share a number");
}
