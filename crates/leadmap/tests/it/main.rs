//! The `leadmap` binary as a user runs it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;

mod app;
mod assess;
mod content;
mod diff;
mod docs;
mod limits;
mod ops;
mod publishing;
mod teams;

fn leadmap() -> Command {
    let mut c = Command::cargo_bin("leadmap").expect("the binary");
    c.env("NO_COLOR", "1");
    c
}

fn stdout(c: &mut Command) -> String {
    let out = c.output().expect("runs");
    String::from_utf8(out.stdout).expect("utf-8")
}

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../leadmap-core/tests/fixtures")
        .join(name)
}

#[test]
fn list_shows_the_bundled_roadmaps() {
    let out = stdout(leadmap().arg("list"));
    assert!(out.contains("engineering-leadership"), "{out}");
    assert!(out.contains("engineering-manager"), "{out}");
    let json: serde_json::Value =
        serde_json::from_str(&stdout(leadmap().args(["list", "--json"]))).unwrap();
    assert_eq!(json[0]["id"], "engineering-leadership");
    assert_eq!(json[0]["areas"], 24);
    assert_eq!(json[0]["topics"], 112);
}

#[test]
fn show_prints_a_tree() {
    let out = stdout(leadmap().args(["show", "engineering-leadership"]));
    assert!(
        out.starts_with("The Engineering Leadership Roadmap\n24 areas · 112 topics\n"),
        "{out}"
    );
    assert!(out.contains("├─ ✏️ Fundamentals  #fundamentals"), "{out}");
    assert!(
        out.contains("│  │  ├─ 💯 Define Core Values  #define-core-values"),
        "{out}"
    );
}

#[test]
fn show_json_gives_every_node_id_title_kind_children() {
    let out = stdout(leadmap().args(["show", "engineering-manager", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["id"], "engineering-manager");
    assert_eq!(v["counts"]["areas"], 9);
    let mut stack: Vec<&serde_json::Value> = v["children"].as_array().unwrap().iter().collect();
    let mut seen = 0;
    while let Some(n) = stack.pop() {
        for key in ["id", "title", "kind", "children"] {
            assert!(n.get(key).is_some(), "{key} missing in {n}");
        }
        seen += 1;
        stack.extend(n["children"].as_array().unwrap());
    }
    assert_eq!(seen, 1 + 2 + 3 + 9 + 25 + 128);
}

#[test]
fn check_exit_codes_and_messages() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.md");
    std::fs::write(
        &good,
        "# Good\n\n## Area\n\n- Topic\n\n  Related: engineering-manager:one-on-one-meetings\n",
    )
    .unwrap();
    leadmap().arg("check").arg(&good).assert().code(0);

    let bad = dir.path().join("bad.md");
    std::fs::write(&bad, "# Bad\n\n- early\n\n## Area\n\n- A {#x}\n- B {#x}\n\n  Related: engineering-manager:nope\n").unwrap();
    let out = leadmap().arg("check").arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    let name = bad.display().to_string();
    assert!(
        err.contains(&format!("{name}:3:1: error: a list item before any area")),
        "{err}"
    );
    assert!(
        err.contains(&format!("{name}:8:3: error: duplicate id `x`")),
        "{err}"
    );
    assert!(err.contains("error: related topic `engineering-manager:nope` does not exist in `engineering-manager`"), "{err}");
    assert!(err.contains("= hint:"), "{err}");
    assert!(
        err.contains("checked 1 file: 3 errors, 0 warnings"),
        "{err}"
    );

    // Usage errors: no file, a missing file.
    leadmap().arg("check").assert().code(2);
    leadmap()
        .args(["check", "no-such-file.md"])
        .assert()
        .code(2);
    // Bundled roadmaps can be checked by id.
    leadmap()
        .args(["check", "engineering-leadership", "engineering-manager"])
        .assert()
        .code(0);
}

#[test]
fn import_the_seed_outline_then_check_it() {
    let dir = tempfile::tempdir().unwrap();
    let out_md = dir.path().join("leadership.md");
    let out = leadmap()
        .arg("import")
        .arg(fixture("leadership-outline.txt"))
        .arg("-o")
        .arg(&out_md)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("Imported 24 areas, 112 topics into"), "{err}");
    assert!(err.contains("warning: repaired mis-decoded text"), "{err}");
    // Many warnings are summed up: the first few, then a count of each kind.
    assert!(err.lines().count() < 40, "{err}");
    assert!(err.contains("--verbose prints each one"), "{err}");
    assert!(
        err.contains("× repaired mis-decoded text `…` to `…`"),
        "{err}"
    );
    let md = std::fs::read_to_string(&out_md).unwrap();
    assert!(
        md.starts_with("---\nid: leadership\n---\n\n# The Engineering Leadership Roadmap\n"),
        "{md}"
    );
    assert!(md.contains("## ✏️ Fundamentals {#fundamentals}"), "{md}");
    leadmap().arg("check").arg(&out_md).assert().code(0);
}

#[test]
fn import_a_roadmapsh_export_to_stdout() {
    let out = stdout(leadmap().arg("import").arg(fixture("roadmapsh-spine.json")));
    assert!(out.contains("## Internet {#A}"), "{out}");
    let forced = leadmap()
        .args(["import", "--from", "roadmapsh"])
        .arg(fixture("leadership-outline.txt"))
        .output()
        .unwrap();
    assert_eq!(forced.status.code(), Some(1));
    assert!(
        String::from_utf8(forced.stderr)
            .unwrap()
            .contains("error: not valid JSON")
    );
}

#[test]
fn fmt_freezes_ids() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("r.md");
    std::fs::write(&f, "# R\n\n## Area\n\n- Topic\n").unwrap();
    leadmap().args(["fmt", "--write"]).arg(&f).assert().code(0);
    let md = std::fs::read_to_string(&f).unwrap();
    assert_eq!(
        md,
        "---\nid: r\n---\n\n# R\n\n## Area {#area}\n\n- Topic {#topic}\n"
    );
}

#[test]
fn a_large_import_draws_no_progress_bar_when_piped() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.txt");
    let mut text = String::from("Big Outline\n\n");
    for a in 0..4_000 {
        text.push_str(&format!("Area {a}\n"));
        for t in 0..8 {
            text.push_str(&format!(
                "  {t}. Topic {a}.{t} with a title long enough to weigh\n"
            ));
        }
        text.push('\n');
    }
    std::fs::write(&big, &text).unwrap();
    let out = leadmap()
        .arg("import")
        .arg(&big)
        .arg("-o")
        .arg(dir.path().join("big.md"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(!err.contains("importing"), "{err}");
    assert!(err.contains("Imported 4000 areas, 32000 topics"), "{err}");
}

/// An input past `LARGE_INPUT` switches the binary's allocator to mimalloc halfway through
/// the command; blocks made before the switch are freed after it.
#[test]
fn a_large_roadmap_renders_and_checks_after_the_allocator_switch() {
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("big.md");
    let out = leadmap().args(["synthetic", "3000"]).output().unwrap();
    assert!(out.status.success());
    assert!(out.stdout.len() > 200 * 1024, "{} bytes", out.stdout.len());
    std::fs::write(&md, &out.stdout).unwrap();
    let svg = dir.path().join("big.svg");
    leadmap()
        .arg("render")
        .arg(&md)
        .arg("-o")
        .arg(&svg)
        .assert()
        .code(0);
    let svg = std::fs::read_to_string(&svg).unwrap();
    assert_eq!(svg.matches("data-kind=\"topic\"").count(), 3000);
    assert!(svg.ends_with("</svg>"));
    leadmap().arg("check").arg(&md).assert().code(0);
}

#[test]
fn rendering_over_an_older_longer_file_leaves_just_the_new_map() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("map.svg");
    std::fs::write(&out, "x".repeat(2_000_000)).unwrap();
    leadmap()
        .args(["render", "engineering-leadership", "-o"])
        .arg(&out)
        .assert()
        .code(0);
    let fresh = dir.path().join("fresh.svg");
    leadmap()
        .args(["render", "engineering-leadership", "-o"])
        .arg(&fresh)
        .assert()
        .code(0);
    let (over, new) = (std::fs::read(&out).unwrap(), std::fs::read(&fresh).unwrap());
    assert!(new.len() < 2_000_000 && new.ends_with(b"</svg>"));
    assert_eq!(over, new, "the old file's tail is cut off");

    // Not a regular file: written as it is (nothing to cut).
    let piped = leadmap()
        .args([
            "render",
            "engineering-leadership",
            "--format",
            "svg",
            "-o",
            "/dev/stdout",
        ])
        .output()
        .unwrap();
    assert!(piped.status.success(), "{piped:?}");
    assert_eq!(piped.stdout, new, "the map on standard output");
}

#[test]
fn render_to_every_format_with_a_persons_progress() {
    let dir = tempfile::tempdir().unwrap();
    let progress = dir.path().join("progress.json");
    std::fs::write(
        &progress,
        r#"{"roadmap":"engineering-leadership","topics":{"define-core-values":{"status":"done"},"creativity":{"status":"learning"},"persistence":{"status":"skipped"}}}"#,
    )
    .unwrap();
    let svg_path = dir.path().join("map.svg");
    leadmap()
        .args(["render", "engineering-leadership", "--progress"])
        .arg(&progress)
        .arg("-o")
        .arg(&svg_path)
        .assert()
        .code(0);
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert_eq!(svg.matches("data-kind=\"topic\"").count(), 112);
    assert!(svg.contains("<g class=\"done\" data-id=\"define-core-values\" data-kind=\"topic\" role=\"button\" tabindex=\"0\" transform=\""), "done topic");
    assert!(svg.contains("class=\"learning\" data-id=\"creativity\""));
    assert!(svg.contains("class=\"skipped\" data-id=\"persistence\""));
    assert!(svg.contains("<title>💯 Define Core Values, done</title>"));

    let png = dir.path().join("map.png");
    leadmap()
        .args([
            "render",
            "engineering-manager",
            "--theme",
            "dark",
            "--width",
            "800",
            "-o",
        ])
        .arg(&png)
        .assert()
        .code(0);
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    // The width asked for: the IHDR chunk holds it.
    assert_eq!(
        u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]),
        800
    );

    // By default a PNG has two pixels per layout unit: sharp on a high-density screen.
    let sharp = dir.path().join("sharp.png");
    leadmap()
        .args(["render", "engineering-leadership", "-o"])
        .arg(&sharp)
        .assert()
        .code(0);
    let bytes = std::fs::read(&sharp).unwrap();
    let width = svg
        .split("viewBox=\"0 0 ")
        .nth(1)
        .and_then(|v| v.split(' ').next())
        .and_then(|w| w.parse::<f64>().ok())
        .unwrap();
    assert_eq!(
        f64::from(u32::from_be_bytes([
            bytes[16], bytes[17], bytes[18], bytes[19]
        ])),
        (width * 2.0).ceil(),
        "the default PNG is twice the diagram's width"
    );

    let pdf = dir.path().join("map.pdf");
    leadmap()
        .args(["render", "engineering-manager", "--page", "a4", "-o"])
        .arg(&pdf)
        .assert()
        .code(0);
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    // Text stays text: the shipped font is embedded.
    assert!(
        bytes.windows(7).any(|w| w == b"DejaVuS"),
        "no embedded font"
    );

    // The default PDF prints: A4 pages, the diagram's width fitted to the paper, down as many
    // pages as it needs; the title in its metadata; the emoji drawn as pictures (when the
    // system has an emoji font, as CI does), the words still text.
    let default = dir.path().join("default.pdf");
    leadmap()
        .args(["render", "engineering-leadership", "-o"])
        .arg(&default)
        .assert()
        .code(0);
    let bytes = std::fs::read(&default).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let pages = text.matches("/Type /Page").count() - text.matches("/Type /Pages").count();
    assert!(pages >= 3, "the default PDF spans A4 pages: {pages}");
    assert_eq!(
        text.matches("/MediaBox [0 0 595.28 841.89]").count(),
        pages,
        "every page is A4"
    );
    assert!(text.contains("/Title (The Engineering Leadership Roadmap)"));
    assert!(bytes.windows(7).any(|w| w == b"DejaVuS"), "text stays text");
    if std::path::Path::new("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf").exists() {
        assert!(
            text.matches("/Subtype /Image").count() >= 20,
            "the emoji are drawn"
        );
    }

    // Across A4 pages at print size: several pages, one shared drawing, text still text.
    let tiled = dir.path().join("tiled.pdf");
    leadmap()
        .args([
            "render",
            "engineering-leadership",
            "--page",
            "a4",
            "--tiles",
            "-o",
        ])
        .arg(&tiled)
        .assert()
        .code(0);
    let bytes = std::fs::read(&tiled).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let pages = text.matches("/Type /Page").count() - text.matches("/Type /Pages").count();
    assert!(pages >= 4, "a large roadmap spans pages: {pages}");
    assert!(text.contains("/MediaBox [0 0 595.28 841.89]"), "A4 pages");
    assert!(
        bytes.windows(7).any(|w| w == b"DejaVuS"),
        "the font is embedded"
    );

    let html = dir.path().join("map.html");
    leadmap()
        .args(["render", "engineering-manager", "-o"])
        .arg(&html)
        .assert()
        .code(0);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<input id=\"q\" type=\"search\""));
    assert!(page.contains("<section id=\"list\" hidden"));
    // A light map follows a system in dark mode; the zoom buttons stay together on a phone.
    assert!(page.contains("@media (prefers-color-scheme:dark){#view text{"));
    assert!(page.contains("<span class=\"tools\" hidden><button id=\"zout\""));
    // Without JavaScript the search and the tools, which need it, stay hidden (the script
    // shows them), and the map scrolls like a page.
    assert!(page.contains("aria-label=\"Search topics\" hidden>"));
    assert!(page.contains("html:not(.js) #view{position:static;overflow:auto"));
    assert!(page.contains("data-open=\"one-on-one-meetings\""));
    // The templates the topics name travel inside the page, to download offline.
    assert!(
        page.contains("\"one-on-one-agenda\":\"---"),
        "templates embedded"
    );
    // Self-contained: no external script, style sheet or font.
    for external in ["<script src", "<link", "@import", "url(http"] {
        assert!(!page.contains(external), "the page loads {external}");
    }

    // No extension and no --format: a usage error.
    leadmap()
        .args(["render", "engineering-manager", "-o"])
        .arg(dir.path().join("map"))
        .assert()
        .code(2);
}

#[test]
fn show_a_topic_and_fetch_its_template() {
    let out = stdout(leadmap().args(["show", "engineering-manager", "one-on-one-meetings"]));
    assert!(
        out.starts_with("One-on-One Meetings  topic #one-on-one-meetings\n"),
        "{out}"
    );
    for section in [
        "How to start",
        "Pitfalls",
        "Resources",
        "Related",
        "Templates",
    ] {
        assert!(out.contains(section), "{section} missing in {out}");
    }
    assert!(
        out.contains("High Output Management — Andrew S. Grove, 1983"),
        "{out}"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(leadmap().args([
        "show",
        "engineering-leadership",
        "define-core-values",
        "--json",
    ])))
    .unwrap();
    assert_eq!(json["id"], "define-core-values");
    assert!(json["summary"].as_str().unwrap().split_whitespace().count() >= 60);
    assert!(json["steps"].as_array().unwrap().len() >= 3);
    leadmap()
        .args(["show", "engineering-manager", "no-such-topic"])
        .assert()
        .code(2);

    let list = stdout(leadmap().arg("template"));
    assert!(list.lines().count() >= 15, "{list}");
    assert!(list.contains("one-on-one-agenda"), "{list}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("agenda.md");
    leadmap()
        .args(["template", "one-on-one-agenda", "-o"])
        .arg(&file)
        .assert()
        .code(0);
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("id: one-on-one-agenda")
    );
    leadmap().args(["template", "nope"]).assert().code(2);
}

/// On a system without an emoji font, PNG and PDF leave the emoji out: `render` says so (and
/// only when the roadmap has emoji and the format draws with fonts).
#[test]
fn render_says_when_no_emoji_font_can_draw_the_emoji() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("no-fonts");
    std::fs::create_dir(&empty).unwrap();
    // A font configuration whose only folder is empty: no system font at all.
    let conf = dir.path().join("fonts.conf");
    std::fs::write(
        &conf,
        format!("<fontconfig><dir>{}</dir></fontconfig>", empty.display()),
    )
    .unwrap();
    let plain = dir.path().join("plain.md");
    std::fs::write(&plain, "# Plain\n\n## Area\n\n- Topic one\n- Topic two\n").unwrap();
    let render = |roadmap: &std::path::Path, out: &str| {
        let out = leadmap()
            .env("FONTCONFIG_FILE", &conf)
            .arg("render")
            .arg(roadmap)
            .arg("-o")
            .arg(dir.path().join(out))
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stderr).unwrap()
    };
    let bundled = std::path::Path::new("engineering-leadership");
    for out in ["map.png", "map.pdf"] {
        let said = render(bundled, out);
        assert!(
            said.contains("warning: no emoji font is installed here")
                && said.contains("fonts-noto-color-emoji"),
            "{out}: {said}"
        );
    }
    // The SVG keeps the emoji as text (the viewer's fonts draw them); a roadmap without emoji
    // loses nothing.
    assert!(!render(bundled, "map.svg").contains("emoji"));
    assert!(!render(&plain, "plain.png").contains("emoji"));
}
