//! A browser's User-Agent header in words a person recognises: "Chrome on Linux".

/// The browser and the system a User-Agent names (`Firefox on Windows`), or a short form of
/// it when it names neither (a script: `curl/8.5`).
pub fn describe(ua: &str) -> String {
    let ua = ua.trim();
    if ua.is_empty() {
        return "Unknown browser".to_owned();
    }
    // Order matters: Edge and Opera say Chrome too, Chrome says Safari, Android says Linux.
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chromium/", "Chromium"),
        ("Chrome/", "Chrome"),
        ("CriOS/", "Chrome"),
        ("Safari/", "Safari"),
    ]
    .into_iter()
    .find(|(mark, _)| ua.contains(mark))
    .map(|(_, name)| name);
    let system = [
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("Macintosh", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .into_iter()
    .find(|(mark, _)| ua.contains(mark))
    .map(|(_, name)| name);
    match (browser, system) {
        (Some(b), Some(s)) => format!("{b} on {s}"),
        (Some(b), None) => b.to_owned(),
        (None, Some(s)) => format!("A browser on {s}"),
        // A program: its first word, cut short, without control characters.
        (None, None) => {
            let word: String = ua
                .split_whitespace()
                .next()
                .unwrap_or(ua)
                .chars()
                .filter(|c| !c.is_control())
                .take(40)
                .collect();
            if word.is_empty() {
                "Unknown browser".to_owned()
            } else {
                word
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::describe;

    #[test]
    fn names_the_browser_and_the_system() {
        let cases = [
            (
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
                "Chrome on Linux",
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
                "Firefox on Windows",
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
                "Safari on iOS",
            ),
            (
                "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
                "Chrome on Android",
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
                "Edge on Windows",
            ),
            ("curl/8.5.0", "curl/8.5.0"),
            ("", "Unknown browser"),
            ("bot\u{7}/1 (x)", "bot/1"),
            ("\u{1}\u{2}", "Unknown browser"),
        ];
        for (ua, want) in cases {
            assert_eq!(describe(ua), want, "{ua}");
        }
    }
}
