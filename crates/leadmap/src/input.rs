//! Reading what a command is given, within a limit: a file, or standard input for `-`.
//! Endless input (`/dev/zero`, a runaway pipe) stops at the limit with a clear message instead
//! of filling the memory.

use std::io::Read;
use std::path::Path;

use anyhow::{Context, Result, bail};

/// The most one input may hold unless `LEADMAP_MAX_INPUT` says otherwise: 64 MiB, several
/// times the largest roadmap the benchmarks render (100,000 topics, about 10 MiB).
pub const DEFAULT_LIMIT: u64 = 64 << 20;

/// The limit in force: `LEADMAP_MAX_INPUT` (bytes, or a number with K, M or G), else
/// [`DEFAULT_LIMIT`].
pub fn limit() -> Result<u64> {
    let Some(v) = std::env::var_os("LEADMAP_MAX_INPUT") else {
        return Ok(DEFAULT_LIMIT);
    };
    let v = v.to_string_lossy();
    let t = v.trim();
    let (num, shift) = match t.char_indices().last() {
        Some((i, 'k' | 'K')) => (&t[..i], 10),
        Some((i, 'm' | 'M')) => (&t[..i], 20),
        Some((i, 'g' | 'G')) => (&t[..i], 30),
        _ => (t, 0),
    };
    num.trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(1 << shift))
        .with_context(|| {
            format!("LEADMAP_MAX_INPUT={v:?} is not a size (bytes, or a number with K, M or G)")
        })
}

fn human(n: u64) -> String {
    match n {
        n if n >= 1 << 30 && n % (1 << 30) == 0 => format!("{} GiB", n >> 30),
        n if n >= 1 << 20 && n % (1 << 20) == 0 => format!("{} MiB", n >> 20),
        n if n >= 1 << 10 && n % (1 << 10) == 0 => format!("{} KiB", n >> 10),
        n => format!("{n} bytes"),
    }
}

/// Reads `from` (standard input for `-`) whole, refusing more than [`limit`] bytes.
pub fn read(from: &str) -> Result<Vec<u8>> {
    let limit = limit()?;
    let (name, reader): (&str, Box<dyn Read>) = if from == "-" {
        ("standard input", Box::new(std::io::stdin().lock()))
    } else {
        let f = std::fs::File::open(from).with_context(|| format!("cannot read {from}"))?;
        (from, Box::new(f))
    };
    let mut bytes = Vec::new();
    reader
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {name}"))?;
    if bytes.len() as u64 > limit {
        bail!(
            "{name} is larger than the input limit of {}: is it the right file? \
             (set LEADMAP_MAX_INPUT to raise the limit, e.g. LEADMAP_MAX_INPUT=512M)",
            human(limit)
        );
    }
    Ok(bytes)
}

/// [`read`] for a path.
pub fn read_path(path: &Path) -> Result<Vec<u8>> {
    read(&path.to_string_lossy())
}

/// Refuses input that is mostly not text (random bytes, an image, an archive): of its first
/// 64 KiB, more than one byte in ten is not part of UTF-8 text or is a control character
/// other than tab, newline and carriage return.
pub fn ensure_text(name: &str, bytes: &[u8]) -> Result<()> {
    let head = &bytes[..bytes.len().min(64 << 10)];
    if head.is_empty() {
        return Ok(());
    }
    let text = String::from_utf8_lossy(head);
    let bad = text
        .chars()
        .filter(|&c| {
            c == char::REPLACEMENT_CHARACTER || (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        })
        .count();
    let total = text.chars().count().max(1);
    if bad * 10 > total {
        bail!(
            "{name} does not look like text ({} % of its first characters are not): \
             is it the right file?",
            bad * 100 / total
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_not_text() {
        assert!(ensure_text("a", "# Map\n\n- topic — ünïcode ✓\n".as_bytes()).is_ok());
        let noise: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        let e = ensure_text("noise.bin", &noise).unwrap_err().to_string();
        assert!(e.contains("does not look like text"), "{e}");
        assert_eq!(human(64 << 20), "64 MiB");
    }
}
