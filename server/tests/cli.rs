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
