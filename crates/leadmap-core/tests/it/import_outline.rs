//! Plain-text outlines, the Engineering Leadership seed first of all.

use leadmap_core::import::{Format, import};
use leadmap_core::{Kind, Roadmap};

/// The seed outline: the real seed when `LEADMAP_SEED_DIR` names its folder, else our
/// fixture (the seed byte for byte but for its prose paragraphs).
fn seed() -> Vec<u8> {
    match std::env::var_os("LEADMAP_SEED_DIR") {
        Some(dir) => std::fs::read(std::path::Path::new(&dir).join("000_6c1321ce44cf1014.txt"))
            .expect("LEADMAP_SEED_DIR is set but the seed is not in it"),
        None => include_bytes!("../fixtures/leadership-outline.txt").to_vec(),
    }
}

fn imported() -> (Roadmap, Vec<String>) {
    let bytes = seed();
    assert_eq!(Format::detect(&bytes), Format::Outline);
    let out = import(
        &bytes,
        Format::Outline,
        Some("engineering-leadership"),
        &mut |_, _| {},
    );
    let msgs = out.diagnostics.iter().map(|d| d.message.clone()).collect();
    (out.roadmap.expect("a roadmap"), msgs)
}

/// The words of an outline line: what follows the marker and the leading symbols.
fn words(line: &str) -> Option<String> {
    let t = line.trim();
    let t = t
        .split_once(". ")
        .filter(|(n, _)| n.chars().all(|c| c.is_ascii_digit()))
        .map_or(t, |(_, r)| r);
    let start = t.find(|c: char| c.is_ascii_alphanumeric())?;
    Some(t[start..].trim().to_owned())
}

#[test]
fn the_seed_gives_24_areas_and_112_topics_with_the_seeds_words() {
    let (r, _) = imported();
    assert_eq!(r.title.plain(), "The Engineering Leadership Roadmap");
    assert_eq!(r.count(Kind::Area), 24);
    assert_eq!(r.count(Kind::Topic), 112);
    // Every item line of the seed is a topic title, word for word, in order.
    let text = String::from_utf8(seed()).unwrap();
    let expected: Vec<String> = text
        .lines()
        .filter(|l| l.starts_with("  ") && l.trim_start().starts_with(|c: char| c.is_ascii_digit()))
        .filter_map(words)
        .collect();
    let got: Vec<String> = r
        .nodes()
        .filter(|n| n.kind == Kind::Topic)
        .map(|n| n.title.plain())
        .collect();
    assert_eq!(got, expected);
    let areas: Vec<String> = r
        .nodes()
        .filter(|n| n.kind == Kind::Area)
        .map(|n| n.title.plain())
        .collect();
    assert_eq!(areas[0], "Fundamentals");
    assert_eq!(areas[23], "Stakeholder Management");
}

#[test]
fn no_mojibake_is_left_and_emoji_are_real() {
    let (r, msgs) = imported();
    for n in r.nodes() {
        let title = n.title.plain();
        assert!(
            !title
                .chars()
                .any(|c| ('\u{370}'..='\u{3ff}').contains(&c) || "ŸœšŠž€™‘’".contains(c)),
            "mojibake left in {title:?}"
        );
        let emoji = n
            .emoji
            .as_deref()
            .unwrap_or_else(|| panic!("{title} lost its emoji"));
        assert!(
            leadmap_core::emoji::is_emoji(emoji),
            "{emoji:?} on {title} is not an emoji"
        );
    }
    let find = |id: &str| r.find(id).and_then(|n| n.emoji.clone()).unwrap();
    assert_eq!(find("define-core-values"), "💯");
    assert_eq!(find("talent-management"), "🧑\u{200d}🤝\u{200d}🧑");
    assert_eq!(find("leadership-skills"), "❤️");
    assert_eq!(find("adaptability"), "🤝");
    assert_eq!(find("cultivate-tech-branding"), "™️");
    assert_eq!(find("software-maintenance-support"), "❤️\u{200d}🩹");
    // The prose keeps its repaired dash (the seed's and the fixture's both have one).
    assert!(
        r.description.contains("s—from") || r.description.contains("dash — like"),
        "{}",
        r.description
    );
    assert!(!r.description.contains("β€"), "{}", r.description);
    // Both repairs and ambiguities are reported.
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("repaired mis-decoded text `πŸ’―` to `💯`"))
    );
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("repaired mis-decoded symbol `❀` to `❤`"))
    );
    // Where the bytes allow two emoji, the bundled roadmap's choice: 🎀 and 🏡, as it has them.
    assert_eq!(find("facilitate-onboarding"), "🎀");
    assert_eq!(find("define-remote-work-policies"), "🏡");
    assert_eq!(find("promote-remote-friendliness"), "🏡");
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("repaired mis-decoded symbol `🏑` to `🏡`"))
    );
}

/// The list of the bundled roadmaps' emoji that an import prefers holds every emoji they use.
#[test]
fn the_preferred_emoji_are_the_bundled_roadmaps() {
    for md in [
        include_str!("../../../../roadmaps/engineering-leadership.md"),
        include_str!("../../../../roadmaps/engineering-manager.md"),
    ] {
        let r = leadmap_core::parse(md.as_bytes(), "r").roadmap;
        for n in r.nodes() {
            if let Some(e) = &n.emoji {
                assert!(
                    leadmap_core::import::mojibake::bundled_choice(e),
                    "{e:?} of {} is missing from mojibake::BUNDLED",
                    n.id
                );
            }
        }
    }
}

#[test]
fn outlines_as_people_paste_them() {
    let text = "My Roadmap\n\nSome prose about it.\nStill the same paragraph.\n\nFirst Area\n1) One\n2) Two\n   - Two's child\n\n\nSecond Area\n\n• Bullet\n* Star\n- Dash\n\nClosing words.\n";
    let out = import(text.as_bytes(), Format::Outline, None, &mut |_, _| {});
    let r = out.roadmap.unwrap();
    assert_eq!(r.id.as_str(), "my-roadmap");
    assert_eq!(
        r.description,
        "Some prose about it. Still the same paragraph.\n\nClosing words."
    );
    assert_eq!(r.count(Kind::Area), 2);
    assert_eq!(r.count(Kind::Topic), 5);
    assert_eq!(r.count(Kind::Subtopic), 1);
    assert_eq!(
        r.children[0].children[1].children[0].title.plain(),
        "Two's child"
    );
}

#[test]
fn a_lone_carriage_return_ends_a_line() {
    let out = import(
        b"Title\rArea\r  1. Topic\r",
        Format::Outline,
        None,
        &mut |_, _| {},
    );
    let r = out.roadmap.unwrap();
    assert_eq!(r.title.plain(), "Title");
    assert_eq!(r.count(Kind::Area), 1);
    assert_eq!(r.count(Kind::Topic), 1);
    let printed = leadmap_core::print(&r);
    assert_eq!(leadmap_core::parse(printed.as_bytes(), "x").roadmap, r);
}
