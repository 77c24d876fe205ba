//! Bad input at the command line (issue 13, finding 11 and the note on random bytes): every
//! command that reads a file reads within a limit, says so, and exits 2; input that is not
//! text is not imported; a database that refuses the connection is named at once.

use super::*;

fn err_of(c: &mut Command) -> (Option<i32>, String) {
    let out = c.output().expect("runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn endless_input_stops_at_the_limit_with_a_message() {
    let runs: [&[&str]; 5] = [
        &["check", "/dev/zero"],
        &["fmt", "/dev/zero"],
        &["show", "/dev/zero"],
        &["import", "/dev/zero"],
        &[
            "import-progress",
            "/dev/zero",
            "--database-url",
            "/nonexistent/never.db",
        ],
    ];
    for args in runs {
        let (code, err) = err_of(leadmap().args(args).env("LEADMAP_MAX_INPUT", "4M"));
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(
            err.contains("/dev/zero is larger than the input limit of 4 MiB")
                && err.contains("LEADMAP_MAX_INPUT"),
            "{args:?}: {err}"
        );
    }
    // Standard input too, and `render --progress`.
    let (code, err) = err_of(
        leadmap()
            .args(["import", "-"])
            .env("LEADMAP_MAX_INPUT", "1K")
            .write_stdin(vec![b'a'; 4096]),
    );
    assert_eq!(code, Some(2));
    assert!(
        err.contains("standard input is larger than the input limit of 1 KiB"),
        "{err}"
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m.svg");
    let (code, err) = err_of(
        leadmap()
            .args([
                "render",
                "engineering-leadership",
                "--progress",
                "/dev/zero",
                "-o",
            ])
            .arg(&out)
            .env("LEADMAP_MAX_INPUT", "1M"),
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("larger than the input limit"), "{err}");
    let (code, err) = err_of(
        leadmap()
            .args(["check", "/dev/null"])
            .env("LEADMAP_MAX_INPUT", "lots"),
    );
    assert_eq!(code, Some(2));
    assert!(
        err.contains("LEADMAP_MAX_INPUT=\"lots\" is not a size"),
        "{err}"
    );
}

#[test]
fn random_bytes_are_not_imported() {
    let dir = tempfile::tempdir().unwrap();
    let noise = dir.path().join("noise.bin");
    let bytes: Vec<u8> = (0..200_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8)
        .collect();
    std::fs::write(&noise, bytes).unwrap();
    let out = dir.path().join("out.md");
    let (code, err) = err_of(leadmap().arg("import").arg(&noise).arg("-o").arg(&out));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("does not look like text"), "{err}");
    assert!(!out.exists(), "nothing written");
}

#[test]
fn a_refused_postgresql_connection_says_so_at_once() {
    // Port 9 (discard) has no PostgreSQL on this machine: the connection is refused.
    let (code, err) = err_of(leadmap().args([
        "user",
        "list",
        "--database-url",
        "postgres://postgres@127.0.0.1:9/leadmap",
    ]));
    assert_eq!(code, Some(2));
    assert!(err.to_lowercase().contains("refused"), "{err}");
    assert!(!err.contains("timed out"), "{err}");
}
