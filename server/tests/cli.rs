//! `tavla user add`: the first-setup path for accounts, run as the real binary.

use std::process::Command;

fn user_add(data: &std::path::Path, username: &str, password: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tavla"))
        .arg("--data")
        .arg(data)
        .args(["user", "add", "--username", username, "--display-name", "Anna Andersson", "--role", "staff"])
        .env("TAVLA_NEW_PASSWORD", password)
        .output()
        .expect("tavla runs")
}

#[test]
fn adds_an_account_that_follows_the_rules_once() {
    let data = tempfile::tempdir().unwrap();
    let ok = user_add(data.path(), "anna", "en lång fras om bygdegårdar");
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("«anna»"));
    for (username, password, words) in [
        ("anna", "en lång fras om bygdegårdar", "taken"),
        ("bosse", "kort", "at least 10"),
        ("Bo Bosson", "en lång fras om bygdegårdar", "user name"),
    ] {
        let out = user_add(data.path(), username, password);
        assert!(!out.status.success(), "{username} was accepted");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(words), "«{words}» in «{err}»");
    }
}

fn tavla(data: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tavla")).arg("--data").arg(data).args(args).output().expect("tavla runs")
}

#[test]
fn a_backup_restores_into_a_new_directory_with_the_same_records_and_accounts() {
    use tavla_server::store::{SledStore, Store};
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    assert!(user_add(&data, "anna", "en lång fras om bygdegårdar").status.success());
    let file = dir.path().join("tavla.backup");
    let out = tavla(&data, &["backup", "--out", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Säkerhetskopian"));
    // Never over an existing file.
    let again = tavla(&data, &["backup", "--out", file.to_str().unwrap()]);
    assert!(!again.status.success() && String::from_utf8_lossy(&again.stderr).contains("cannot create"));

    // As the issue writes it: the data directory after the command.
    let restored = dir.path().join("restored");
    let out = Command::new(env!("CARGO_BIN_EXE_tavla"))
        .args(["restore", "--data", restored.to_str().unwrap(), file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // Not into a directory that holds data.
    let twice = tavla(&restored, &["restore", file.to_str().unwrap()]);
    assert!(!twice.status.success() && String::from_utf8_lossy(&twice.stderr).contains("not empty"));
    let not_one = dir.path().join("not-a-backup");
    std::fs::write(&not_one, "hej").unwrap();
    let wrong = tavla(&dir.path().join("x"), &["restore", not_one.to_str().unwrap()]);
    assert!(!wrong.status.success() && String::from_utf8_lossy(&wrong.stderr).contains("not a Tavla backup"));

    let (a, b) = (SledStore::open(&data, 1 << 20).unwrap(), SledStore::open(&restored, 1 << 20).unwrap());
    assert_eq!(a.pull(0, 10_000).unwrap(), b.pull(0, 10_000).unwrap());
    let names = |s: &SledStore| s.users().unwrap().into_iter().map(|u| u.username).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b));
    assert_eq!(names(&b), ["anna"]);
}
