//! Share links: a read-only view of a person's progress on one roadmap at `/s/{token}`, and
//! its badge. The token is shown once; the store keeps its SHA-256 only.

use std::fmt::Write as _;

use leadmap_store::{NewShare, Share, Store, User};
use serde::Serialize;

use crate::Error;
use crate::catalog::{Entry, escape_html};
use crate::progress::{Invalid, short_text};
use crate::secrets::{random_hex, secret_hash};
use crate::time::rfc3339;

/// The longest label and shown name, in characters.
pub const TEXT_MAX: usize = 100;
/// The longest expiry, in days.
pub const MAX_DAYS: u32 = 3_650;

/// A new link and its token (shown once).
#[derive(Debug, Clone)]
pub struct Created {
    pub share: Share,
    pub token: String,
}

/// The path of a link.
pub fn path(token: &str) -> String {
    format!("/s/{token}")
}

/// Creates a link to `user`'s progress on `entry`. Empty `label`: the roadmap's title; empty
/// `shown_name`: the person's shown name.
#[allow(clippy::too_many_arguments)]
pub async fn create(
    store: &dyn Store,
    user: &User,
    entry: &Entry,
    label: &str,
    shown_name: &str,
    days: Option<u32>,
    show_notes: bool,
    now: i64,
) -> Result<Created, Error> {
    // Both are optional: one with nothing visible in it (spaces, control characters) is absent.
    let blank = |s: &str| s.chars().all(|c| c.is_whitespace() || c.is_control());
    let label = if blank(label) {
        entry.title()
    } else {
        short_text(label, "a link's label", TEXT_MAX)?
    };
    let shown_name = if blank(shown_name) {
        user.shown_name().to_owned()
    } else {
        short_text(shown_name, "the name shown", TEXT_MAX)?
    };
    let expires_at = match days {
        None => None,
        Some(d) if (1..=MAX_DAYS).contains(&d) => Some(now + i64::from(d) * 86_400_000),
        Some(_) => {
            return Err(Invalid::TooLong {
                what: "an expiry in days (1 to 3650)",
                max: MAX_DAYS as usize,
            }
            .into());
        }
    };
    let token = random_hex(16);
    let hash = secret_hash(&token);
    let share = store
        .create_share(
            user.id,
            &NewShare {
                roadmap: &entry.id,
                token_hash: &hash,
                label: &label,
                shown_name: &shown_name,
                show_notes,
                expires_at,
            },
            now,
        )
        .await?;
    Ok(Created { share, token })
}

/// The link a token names (a token of the wrong shape is none, without a query).
pub async fn find(store: &dyn Store, token: &str, now: i64) -> Result<Option<Share>, Error> {
    if token.len() != 32 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    Ok(store.share_by_token(&secret_hash(token), now).await?)
}

/// A link as the API lists it.
#[derive(Debug, Clone, Serialize)]
pub struct ShareItem {
    pub id: i64,
    pub roadmap: String,
    pub label: String,
    pub shown_name: String,
    pub show_notes: bool,
    pub created_at: String,
    pub expires_at: Option<String>,
    /// Only in the answer to a creation: the link's path (`/s/…`), shown once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

impl From<&Share> for ShareItem {
    fn from(s: &Share) -> ShareItem {
        ShareItem {
            id: s.id,
            roadmap: s.roadmap.clone(),
            label: s.label.clone(),
            shown_name: s.shown_name.clone(),
            show_notes: s.show_notes,
            created_at: rfc3339(s.created_at),
            expires_at: s.expires_at.map(rfc3339),
            path: None,
        }
    }
}

/// The badge: the roadmap's name and the percent done, light and dark (the SVG follows
/// `prefers-color-scheme` itself), text measured with the shipped font.
pub fn badge(title: &str, percent: u32) -> String {
    const SIZE: f32 = 11.0;
    const PAD: f32 = 6.0;
    let value = format!("{percent} %");
    let lw = (leadmap_render::text::width(title, SIZE, false) + 2.0 * PAD).ceil();
    let vw = (leadmap_render::text::width(&value, SIZE, true) + 2.0 * PAD).ceil();
    let w = lw + vw;
    let t = escape_html(title);
    let mut s = String::with_capacity(600);
    let _ = write!(
        s,
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="20" viewBox="0 0 {w} 20" role="img" aria-label="{t}: {p} % done">"#,
            r#"<title>{t}: {p} % done</title><style>.l{{fill:#e5e7eb}}.v{{fill:#15803d}}.a{{fill:#111827}}.b{{fill:#fff}}"#,
            r#"@media (prefers-color-scheme:dark){{.l{{fill:#1e293b}}.v{{fill:#4ade80}}.a{{fill:#e5e7eb}}.b{{fill:#0b1220}}}}</style>"#,
            r#"<rect class="l" width="{lw}" height="20" rx="3"/><rect class="v" x="{lw}" width="{vw}" height="20" rx="3"/>"#,
            r#"<g font-family="DejaVu Sans,Verdana,sans-serif" font-size="11"><text class="a" x="{px}" y="14">{t}</text>"#,
            r#"<text class="b" x="{vx}" y="14" font-weight="bold">{v}</text></g></svg>"#
        ),
        w = w,
        t = t,
        p = percent,
        lw = lw,
        vw = vw,
        px = PAD,
        vx = lw + PAD,
        v = value,
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_badge_is_small_and_names_its_roadmap() {
        let b = badge("The Engineering Leadership Roadmap", 42);
        assert!(b.len() < 900, "{} bytes", b.len());
        assert!(b.contains("The Engineering Leadership Roadmap: 42 % done"));
        assert!(b.contains("prefers-color-scheme:dark"));
        assert!(
            badge("<script>", 0).contains("&lt;script&gt;")
                || badge("<script>", 0).contains("&#60;script&#62;")
        );
    }
}
