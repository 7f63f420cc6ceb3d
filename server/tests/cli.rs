//! The binary's start-up failures: one clear line on stderr and a non-zero exit,
//! never a panic, and never a password.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed setup should panic

use std::process::{Command, Output};

fn server(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    command
        .args(args)
        .env_remove("DATABASE_URL")
        .env("ACADEMY_LOG", "error");
    for (key, value) in envs {
        command.env(key, value);
    }
    command.output().unwrap()
}

fn assert_one_clear_line(output: &Output, expected: &str) {
    assert!(!output.status.success(), "should have failed");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<_> = stderr
        .lines()
        .filter(|line| !line.trim().is_empty())
        .collect();
    assert_eq!(lines.len(), 1, "exactly one line expected, got: {stderr}");
    assert!(lines[0].starts_with("error: "), "{stderr}");
    assert!(
        lines[0].contains(expected),
        "expected `{expected}` in: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn an_unreachable_database_fails_with_one_redacted_line() {
    let dir = tempfile::tempdir().unwrap();
    let output = server(
        &["--data-dir", dir.path().to_str().unwrap(), "migrate"],
        &[(
            "DATABASE_URL",
            "postgres://academy:hunter2@127.0.0.1:1/academy",
        )],
    );
    assert_one_clear_line(
        &output,
        "cannot open the database postgres://academy:***@127.0.0.1:1/academy",
    );
    assert!(!String::from_utf8_lossy(&output.stderr).contains("hunter2"));
}

#[test]
fn an_unsupported_database_url_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let output = server(
        &["--data-dir", dir.path().to_str().unwrap(), "migrate"],
        &[("DATABASE_URL", "mysql://root:pw@localhost/x")],
    );
    assert_one_clear_line(
        &output,
        "DATABASE_URL must start with sqlite: or postgres://",
    );
}

#[test]
fn an_unusable_data_dir_fails_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    // A directory cannot be made below a regular file, whoever runs the test.
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, b"x").unwrap();
    let data_dir = file.join("data");
    let output = server(&["--data-dir", data_dir.to_str().unwrap(), "migrate"], &[]);
    assert_one_clear_line(&output, "the data directory");
}

#[test]
fn a_port_in_use_fails_with_one_line() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let output = server(
        &[
            "--data-dir",
            dir.path().to_str().unwrap(),
            "--listen",
            &addr,
            "serve",
        ],
        &[],
    );
    assert_one_clear_line(&output, &format!("cannot listen on {addr}"));
    // Nothing was written before the failure.
    assert!(!dir.path().join("academy.db").exists());
}

#[test]
fn demo_loads_once_and_prints_the_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().to_str().unwrap();
    let first = server(&["--data-dir", data_dir, "demo"], &[]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(stdout.contains("demo data loaded"), "{stdout}");
    assert!(
        stdout.contains("learner001") && stdout.contains("Academy2026"),
        "{stdout}"
    );
    let second = server(&["--data-dir", data_dir, "demo"], &[]);
    assert!(String::from_utf8_lossy(&second.stdout).contains("already loaded"));
}
