//! Repairs text whose UTF-8 bytes were decoded with a Greek code page and written back
//! (Windows-1253 below 0xA0, ISO-8859-7 above, Windows-1252 for what 1253 leaves undefined),
//! with the bytes no code page defines dropped on the way: `πŸ’―` is `💯`, `β€”` is `—`,
//! `οΈ` is a U+FE0F that lost its last byte.
//!
//! Each run of characters that code pages produce is mapped back to candidate bytes and
//! decoded as UTF-8 again; dropped bytes are tried where a sequence comes up short. Among
//! the readings, the one that yields emoji and punctuation with the fewest guesses wins.

use std::collections::HashMap;
use std::sync::OnceLock;

use encoding_rs::{Encoding, ISO_8859_7, WINDOWS_1252, WINDOWS_1253};

/// What happened to one run of mis-decoded text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fix {
    /// Byte offset in the line, the mis-decoded text, what it was repaired to.
    Repaired { at: usize, from: String, to: String },
    /// The repair chose `chose` where `over` was as likely from the bytes alone.
    Ambiguous {
        at: usize,
        chose: String,
        over: Vec<String>,
    },
    /// Byte offset, the text that could not be repaired and was dropped.
    Dropped { at: usize, from: String },
}

/// The longest run read at once.
const MAX_RUN: usize = 32;

struct Tables {
    /// Character → the bytes it may stand for.
    back: HashMap<char, Vec<u8>>,
    /// Continuation bytes that no code page in the chain defines (dropped on the way).
    dropped: Vec<u8>,
}

fn decode_byte(enc: &'static Encoding, b: u8) -> Option<char> {
    let buf = [b];
    let (s, _, had_errors) = enc.decode(&buf);
    let c = s.chars().next()?;
    if had_errors || ('\u{80}'..='\u{9f}').contains(&c) || c == '\u{fffd}' {
        None
    } else {
        Some(c)
    }
}

fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(|| {
        let mut back: HashMap<char, Vec<u8>> = HashMap::new();
        let mut dropped = Vec::new();
        for b in 0x80u8..=0xFF {
            let mut any = false;
            for enc in [WINDOWS_1253, ISO_8859_7, WINDOWS_1252] {
                if let Some(c) = decode_byte(enc, b) {
                    let v = back.entry(c).or_default();
                    if !v.contains(&b) {
                        v.push(b);
                    }
                    any = true;
                }
            }
            let greek = if b < 0xA0 {
                decode_byte(WINDOWS_1253, b)
            } else {
                decode_byte(ISO_8859_7, b)
            };
            if (greek.is_none() || !any) && b <= 0xBF {
                dropped.push(b);
            }
        }
        // Bytes that 1253 and 1252 both leave undefined are the ones that vanished.
        dropped.retain(|b| decode_byte(WINDOWS_1252, *b).is_none() || *b >= 0xA0);
        Tables { back, dropped }
    })
}

/// Could `c` be a code-page reading of a UTF-8 byte?
fn is_candidate(c: char) -> bool {
    !c.is_ascii() && tables().back.contains_key(&c)
}

/// How welcome a repaired character is: emoji and their joiners most, then punctuation.
fn score(c: char) -> i32 {
    let u = c as u32;
    match u {
        0xFE0F | 0x200D | 0x20E3 => 14,
        0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF | 0x2300..=0x23FF => {
            if crate::emoji::is_emoji(&c.to_string()) {
                12
            } else {
                4
            }
        }
        0x2000..=0x206F => 10,
        0x2100..=0x214F | 0x2190..=0x21FF => 8,
        0xA0..=0x17F => 6,
        0xE000..=0xF8FF | 0xFFF0..=0xFFFF => -20,
        _ if c.is_control() => -20,
        _ => 3,
    }
}

/// Emoji common in documents: where two readings are both emoji, these win.
const COMMON: &str = "🚀💡🏃🤝✅🔥👍🎉📈📊💯⭐🎯📌📝📚🔒🔑⚙🛠🧠💬👥🌐🌍💼💸🔄📆🧪🚚💻📱🔐💲🎓📖";

/// The emoji the bundled roadmaps use (each character of their leading emoji, joiners and
/// variation selectors left out; a test keeps the list in step with `roadmaps/*.md`). Where
/// the bytes allow two emoji, an import makes the choice the bundled roadmaps made: an
/// outline of a bundled roadmap comes back with its own emoji.
pub const BUNDLED: &str = "™⏳☑♂♟♾⚖⚙⛰✈✉✌✏✒❤⭐🌍🌐🌱🌴🎀🎓🎢🎯🏃🏡🏧🏫👥👨👫💗💡💪💬💯💰💲💸💻💼📄📆📈📊📓📔📖📜📞📰📱🔃🔄🔐🔑🔙🔧🕛🖼🗞🗣🙂🙇🚀🚚🚪🚺🛠🛡🛤🤗🤙🤝🥊🥷🦺🧑🧠🧪🧯🧰🧿🩹🪜🪴";

/// Whether `s` is made of emoji the bundled roadmaps use.
pub fn bundled_choice(s: &str) -> bool {
    let mut chars = s
        .chars()
        .filter(|c| !matches!(c, '\u{fe0f}' | '\u{200d}'))
        .peekable();
    chars.peek().is_some() && chars.all(|c| BUNDLED.contains(c))
}

/// Small preferences between equally valid readings: a common emoji, then the byte that
/// ISO-8859-7 (the code page for 0xA0 and up) gives.
fn tie_break(c: char, bytes: &[u8]) -> i32 {
    let common = if COMMON.contains(c) { 2 } else { 0 };
    let iso = bytes
        .iter()
        .filter(|b| matches!(b, 0xA1 | 0xA2 | 0xA4))
        .count() as i32;
    common + iso
}

/// Does the run go on with a U+FE0F (as `οΈ`, its last byte dropped, or as itself)?
fn followed_by_fe0f(chars: &[char], pos: usize) -> bool {
    matches!(chars.get(pos..pos + 2), Some(['ο', 'Έ'])) || chars.get(pos) == Some(&'\u{fe0f}')
}

/// The bytes where the code pages disagree: Windows-1253 and ISO-8859-7 give the same
/// character for each pair (`€`, `‘`, `’`).
const SWAPS: [(u8, u8); 3] = [(0x80, 0xA4), (0x91, 0xA1), (0x92, 0xA2)];

/// A reading of a run: its score, the repaired text, the characters that had to be dropped.
type Reading = (i32, String, String);

/// How many readings of each suffix are kept: enough for the few ambiguous bytes a run has.
const KEEP: usize = 48;

/// The best readings of `chars[i..]`, memoised over `i`. A character no reading explains is
/// dropped, at a cost, so that no mojibake survives.
fn readings(chars: &[char], i: usize, memo: &mut HashMap<usize, Vec<Reading>>) -> Vec<Reading> {
    if i == chars.len() {
        return vec![(0, String::new(), String::new())];
    }
    if let Some(m) = memo.get(&i) {
        return m.clone();
    }
    let t = tables();
    let mut out: Vec<Reading> = readings(chars, i + 1, memo)
        .into_iter()
        .map(|(s, text, dropped)| (s - 15, text, format!("{}{dropped}", chars[i])))
        .collect();
    let leads = t.back.get(&chars[i]).cloned().unwrap_or_default();
    for lead in leads {
        let need = match lead {
            0xC2..=0xDF => 1,
            0xE0..=0xEF => 2,
            0xF0..=0xF4 => 3,
            _ => continue,
        };
        // Fill `need` continuation bytes from the next chars, or with one dropped byte.
        let mut partial: Vec<(Vec<u8>, usize, i32)> = vec![(vec![lead], i + 1, 0)];
        for _ in 0..need {
            let mut next = Vec::new();
            for (bytes, pos, guesses) in &partial {
                if let Some(c) = chars.get(*pos)
                    && let Some(cands) = t.back.get(c)
                {
                    for b in cands.iter().filter(|b| (0x80..=0xBF).contains(*b)) {
                        let mut nb = bytes.clone();
                        nb.push(*b);
                        next.push((nb, pos + 1, *guesses));
                    }
                }
                if *guesses == 0 {
                    for b in &t.dropped {
                        let mut nb = bytes.clone();
                        nb.push(*b);
                        next.push((nb, *pos, guesses + 1));
                    }
                }
            }
            partial = next;
        }
        for (bytes, pos, guesses) in partial {
            let Ok(s) = std::str::from_utf8(&bytes) else {
                continue;
            };
            let Some(c) = s.chars().next() else { continue };
            let mut here = score(c) - 4 * guesses + tie_break(c, &bytes);
            if followed_by_fe0f(chars, pos) && crate::emoji::is_emoji(&c.to_string()) {
                // An emoji that takes a variation selector is the likelier reading.
                here += if emojis::get(&format!("{c}\u{fe0f}")).is_some() {
                    3
                } else {
                    -3
                };
            }
            for (rest_score, rest, dropped) in readings(chars, pos, memo) {
                out.push((here + rest_score, format!("{c}{rest}"), dropped));
            }
        }
    }
    out.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    out.dedup_by(|a, b| a.1 == b.1);
    out.truncate(KEEP);
    memo.insert(i, out.clone());
    out
}

/// Rewards text made of whole emoji: each char inside an emoji (ZWJ sequences included)
/// counts, each separate emoji costs, so `🧑‍🤝‍🧑` beats `🧡` `‍🤝` `‍🧡`.
fn emoji_fit(s: &str) -> i32 {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let (mut i, mut fit) = (0, 0);
    while i < chars.len() {
        let start = chars[i].0;
        let longest = (1..=12.min(chars.len() - i)).rev().find(|n| {
            let end = chars.get(i + n).map_or(s.len(), |(o, _)| *o);
            emojis::get(&s[start..end]).is_some()
        });
        match longest {
            Some(n) => {
                fit += 6 * n as i32 - 4;
                i += n;
            }
            None => i += 1,
        }
    }
    fit
}

/// The best whole reading of a run, and the runner-up when it is nearly as good.
fn read_run(run: &[char]) -> (Reading, Option<String>) {
    let mut memo = HashMap::new();
    let mut all: Vec<(i32, Reading)> = readings(run, 0, &mut memo)
        .into_iter()
        .map(|r| (r.0 + emoji_fit(&r.1), r))
        .collect();
    all.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.1.cmp(&b.1.1)));
    let mut it = all.into_iter();
    let Some((top, best)) = it.next() else {
        return ((0, String::new(), run.iter().collect()), None);
    };
    let close = it
        .find(|(_, r)| r.2 == best.2 && r.1 != best.1)
        .filter(|(s, _)| top - s <= 3)
        .map(|(_, r)| r.1);
    (best, close)
}

/// Repairs one line. Returns the new text and what was done, run by run.
pub fn repair(line: &str) -> (String, Vec<Fix>) {
    let mut out = String::with_capacity(line.len());
    let mut fixes = Vec::new();
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        if !is_candidate(c) {
            out.push(c);
            i += 1;
            continue;
        }
        // Runs are read in chunks, which bounds the (memoised, recursive) search.
        let mut j = i;
        while j < chars.len() && j - i < MAX_RUN && is_candidate(chars[j].1) {
            j += 1;
        }
        let run: Vec<char> = chars[i..j].iter().map(|(_, c)| *c).collect();
        let from: String = run.iter().collect();
        let has = |c: &char, lo: u8, hi: u8| {
            tables()
                .back
                .get(c)
                .is_some_and(|bs| bs.iter().any(|b| (lo..=hi).contains(b)))
        };
        // A UTF-8 sequence read wrongly starts with a lead byte and goes on with a
        // continuation byte; real Latin-1 or Greek text almost never does.
        let looks_encoded = run.len() >= 2 && has(&run[0], 0xC2, 0xF4) && has(&run[1], 0x80, 0xBF);
        if !looks_encoded {
            // Plain Latin-1 or Greek text (café, Ωmega): leave it.
            out.push_str(&from);
            i = j;
            continue;
        }
        let ((_, mut to, dropped), mut runner_up) = read_run(&run);
        // Two readings the bytes allow alike: the bundled roadmaps' choice wins.
        if let Some(other) = runner_up.as_mut()
            && bundled_choice(other)
            && !bundled_choice(&to)
        {
            std::mem::swap(&mut to, other);
        }
        if !dropped.is_empty() {
            fixes.push(Fix::Dropped { at, from: dropped });
        }
        if !to.is_empty() {
            if let Some(other) = runner_up {
                fixes.push(Fix::Ambiguous {
                    at,
                    chose: to.clone(),
                    over: vec![other],
                });
            }
            out.push_str(&to);
            fixes.push(Fix::Repaired { at, from, to });
        }
        i = j;
    }
    (out, fixes)
}

/// The emoji whose bytes differ from `c`'s only where the code pages disagree: a
/// continuation byte 0x80/0x91/0x92 that was 0xA4/0xA1/0xA2 (ISO-8859-7 `€‘’` re-encoded by
/// Windows-1253).
fn swapped_emoji(c: char) -> Option<String> {
    let mut buf = [0u8; 4];
    let bytes = c.encode_utf8(&mut buf).as_bytes().to_vec();
    for pos in 1..bytes.len() {
        for (from, to) in SWAPS {
            if bytes[pos] == from {
                let mut nb = bytes.clone();
                nb[pos] = to;
                if let Ok(t) = std::str::from_utf8(&nb)
                    && crate::emoji::is_emoji(t)
                {
                    return Some(t.to_owned());
                }
            }
        }
    }
    None
}

/// A leading symbol that is a valid character but not an emoji, and whose bytes point to
/// one (`❀️` for `❤️`, `🀝` for `🤝`, `ℒ️` for `™️`). Returns the repaired leading symbol and
/// how many bytes of `s` it replaces.
pub fn fix_leading_symbol(s: &str) -> Option<(String, usize)> {
    let c = s.chars().next()?;
    if c.is_ascii() || crate::emoji::is_emoji(&c.to_string()) {
        return None;
    }
    let after = s[c.len_utf8()..].chars().next();
    if c.is_alphanumeric() && after != Some('\u{fe0f}') {
        return None;
    }
    swapped_emoji(c).map(|e| (e, c.len_utf8()))
}

/// A leading emoji that another emoji could have been mis-decoded into (`🏑` for `🏡`):
/// both are valid, so nothing is changed, but the caller warns.
pub fn maybe_misread(s: &str) -> Option<String> {
    let c = s.chars().next()?;
    if c.is_ascii() || !crate::emoji::is_emoji(&c.to_string()) {
        return None;
    }
    swapped_emoji(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(s: &str) -> String {
        repair(s).0
    }

    #[test]
    fn repairs_the_seed_patterns() {
        assert_eq!(fixed("πŸ’― Define Core Values"), "💯 Define Core Values");
        assert_eq!(fixed("transitionsβ€”from"), "transitions—from");
        assert_eq!(fixed("πŸ—£οΈ Communication"), "🗣\u{fe0f} Communication");
        assert_eq!(
            fixed("πŸ§‘β€πŸ€β€πŸ§‘ Talent Management"),
            "🧑\u{200d}🤝\u{200d}🧑 Talent Management"
        );
        assert_eq!(
            fixed("πŸ§ͺΒ\u{a0}Review Processes"),
            "🧪\u{a0}Review Processes"
        );
        assert_eq!(fixed("β™ŸοΈ Foster"), "♟\u{fe0f} Foster");
        assert_eq!(
            fixed("πŸ‘¨β€βœˆοΈ Planning"),
            "👨\u{200d}✈\u{fe0f} Planning"
        );
        assert_eq!(fixed("β€οΈβ€πŸ©Ή Support"), "❤\u{fe0f}\u{200d}🩹 Support");
        // Where the bytes allow two emoji, the common one, or the one that takes U+FE0F.
        assert_eq!(fixed("πŸ’‘ Creativity"), "💡 Creativity");
        assert_eq!(fixed("πŸš€ Product"), "🚀 Product");
        assert_eq!(fixed("πŸ›€οΈ Roadmaps"), "🛤\u{fe0f} Roadmaps");
        let (_, fixes) = repair("πŸŽ€ Onboarding");
        assert!(fixes.iter().any(|f| matches!(f, Fix::Ambiguous { .. })));
    }

    #[test]
    fn leaves_real_text_alone() {
        assert_eq!(fixed("café crème"), "café crème");
        assert_eq!(fixed("Ωmega and αβγ"), "Ωmega and αβγ");
        assert_eq!(fixed("💯 Already fine"), "💯 Already fine");
        assert_eq!(fixed("“quoted” – dash"), "“quoted” – dash");
    }

    #[test]
    fn drops_what_cannot_be_repaired() {
        // A lead byte and a continuation byte, then a character that fits no sequence.
        let (text, fixes) = repair("πŸ Lost");
        assert_eq!(text, " Lost");
        assert!(matches!(&fixes[0], Fix::Dropped { from, .. } if from == "πŸ"));
    }

    #[test]
    fn fixes_symbols_misread_as_other_symbols() {
        assert_eq!(
            fix_leading_symbol("❀️ Leadership"),
            Some(("❤".to_owned(), 3))
        );
        assert_eq!(
            fix_leading_symbol("🀝 Adaptability"),
            Some(("🤝".to_owned(), 4))
        );
        assert_eq!(fix_leading_symbol("ℒ️ Cultivate"), Some(("™".to_owned(), 3)));
        assert_eq!(fix_leading_symbol("⭐ Influence"), None);
        assert_eq!(fix_leading_symbol("Émile"), None);
        assert_eq!(maybe_misread("🏑 Remote").as_deref(), Some("🏡"));
        assert_eq!(maybe_misread("🏡 Remote"), None);
    }
}
