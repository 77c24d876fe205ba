//! `serve`'s configuration: flags, environment variables and a file, `leadmap.toml` (path by
//! `--config`/`LEADMAP_CONFIG`, else the data directory's), merged with figment. Precedence:
//! flags > environment > file > defaults. Flags and environment variables are clap's (one
//! definition gives both, and clap prefers the flag); the file's keys are the flags' names.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use figment::Figment;
use figment::providers::{Format as _, Serialized, Toml};
use serde::{Deserialize, Serialize};

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One readable line per event.
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

/// `serve`'s flags. Every one may also be set in the environment and in the file; none has a
/// default here (an absent flag leaves the lower layers' value).
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The configuration file (default: leadmap.toml in the data directory, when it exists).
    #[arg(long, env = "LEADMAP_CONFIG")]
    pub config: Option<PathBuf>,
    /// Address to listen on (port 0 picks a free port) [default: 127.0.0.1:8080].
    #[arg(long, env = "LEADMAP_ADDR")]
    addr: Option<String>,
    /// Mark cookies Secure and send HSTS (set when a TLS proxy is in front).
    #[arg(
        long,
        env = "LEADMAP_SECURE_COOKIES",
        num_args = 0..=1,
        default_missing_value = "true",
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    secure_cookies: Option<bool>,
    /// The URL people reach Leadmap at (https://leadmap.example.com), when a proxy in front
    /// rewrites the Host header: form posts must then come from this origin.
    #[arg(long, env = "LEADMAP_PUBLIC_URL")]
    public_url: Option<String>,
    /// A reverse proxy whose X-Forwarded-For header names the client (repeat for several);
    /// the sign-in throttle counts that address instead of the proxy's.
    #[arg(
        long = "trusted-proxy",
        env = "LEADMAP_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    trusted_proxies: Vec<IpAddr>,
    /// Serve under this path prefix (/leadmap) behind a reverse proxy that passes the path
    /// unchanged: every link, redirect and script URL carries it [default: none, the root].
    #[arg(long, env = "LEADMAP_BASE_PATH")]
    base_path: Option<String>,
    /// Log format [default: text].
    #[arg(long, env = "LEADMAP_LOG_FORMAT", value_enum)]
    log_format: Option<LogFormat>,
    /// Serve Prometheus metrics at http://HOST:PORT/metrics, a listener of its own (off when
    /// absent; keep it off the public network).
    #[arg(long, env = "LEADMAP_METRICS_ADDR")]
    metrics_addr: Option<String>,
    /// Back the SQLite database up this often ("6h", "30m", "1d"); off when absent.
    #[arg(long, env = "LEADMAP_BACKUP_EVERY", value_parser = check_interval)]
    backup_every: Option<String>,
    /// How many scheduled backups to keep (the oldest go first) [default: 14].
    #[arg(long, env = "LEADMAP_BACKUP_KEEP")]
    backup_keep: Option<usize>,
    /// Where scheduled backups go [default: backups/ beside the database file].
    #[arg(long, env = "LEADMAP_BACKUP_DIR")]
    backup_dir: Option<PathBuf>,
    /// Publish every roadmap file (*.md) in this folder at start and again whenever one
    /// changes; a file that fails `leadmap check` is logged and its previous version stays
    /// served. Off when absent.
    #[arg(long, env = "LEADMAP_ROADMAPS")]
    roadmaps: Option<PathBuf>,
    /// Every page needs an account: visitors without one do not see the public roadmaps
    /// (the bundled ones included) [default: false].
    #[arg(
        long,
        env = "LEADMAP_PRIVATE",
        num_args = 0..=1,
        default_missing_value = "true",
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    private: Option<bool>,
    /// Anyone who reaches the server may create an account at /signup (off: people join by
    /// an invite link, or an admin creates their account).
    #[arg(
        long,
        env = "LEADMAP_OPEN_SIGNUP",
        num_args = 0..=1,
        default_missing_value = "true",
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    open_signup: Option<bool>,
    /// The largest roadmap a publish may send, in bytes [default: 8388608, 8 MiB].
    #[arg(long, env = "LEADMAP_MAX_ROADMAP_BYTES")]
    max_roadmap_bytes: Option<usize>,
    /// The most topics a published roadmap may have [default: 20000].
    #[arg(long, env = "LEADMAP_MAX_ROADMAP_TOPICS")]
    max_roadmap_topics: Option<usize>,
    #[command(flatten)]
    pub db: crate::app::Db,
}

fn check_interval(s: &str) -> Result<String, leadmap_app::backup::BadInterval> {
    leadmap_app::backup::parse_interval(s).map(|_| s.to_owned())
}

/// The configuration `serve` runs with, every layer merged. Also the file's shape: each key is
/// a flag's name (`backup-every = "6h"`); a key the program does not know is an error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ServeConfig {
    pub addr: String,
    /// `None`: leadmap.db in the data directory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    pub secure_cookies: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_url: Option<String>,
    pub trusted_proxies: Vec<IpAddr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_path: Option<String>,
    pub log_format: LogFormat,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metrics_addr: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backup_every: Option<String>,
    pub backup_keep: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backup_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roadmaps: Option<PathBuf>,
    pub max_roadmap_bytes: usize,
    pub max_roadmap_topics: usize,
    pub private: bool,
    pub open_signup: bool,
}

impl Default for ServeConfig {
    fn default() -> ServeConfig {
        ServeConfig {
            addr: "127.0.0.1:8080".into(),
            database_url: None,
            secure_cookies: false,
            public_url: None,
            trusted_proxies: Vec::new(),
            base_path: None,
            log_format: LogFormat::Text,
            metrics_addr: None,
            backup_every: None,
            backup_keep: 14,
            backup_dir: None,
            roadmaps: None,
            max_roadmap_bytes: leadmap_app::publish::Limits::default().max_bytes,
            max_roadmap_topics: leadmap_app::publish::Limits::default().max_topics,
            private: false,
            open_signup: false,
        }
    }
}

/// What flags and environment variables set (each `None` or empty when neither did).
#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct Overrides<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    addr: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    database_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    secure_cookies: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    public_url: Option<&'a str>,
    #[serde(skip_serializing_if = "<[IpAddr]>::is_empty")]
    trusted_proxies: &'a [IpAddr],
    #[serde(skip_serializing_if = "Option::is_none")]
    base_path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    log_format: Option<LogFormat>,
    #[serde(skip_serializing_if = "Option::is_none")]
    metrics_addr: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    backup_every: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    backup_keep: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    backup_dir: Option<&'a Path>,
    #[serde(skip_serializing_if = "Option::is_none")]
    roadmaps: Option<&'a Path>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_roadmap_bytes: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_roadmap_topics: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    private: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    open_signup: Option<bool>,
}

/// The merged configuration and where its file was (or would have been).
#[derive(Debug)]
pub struct Resolved {
    pub config: ServeConfig,
    /// The file read, if one was.
    pub file: Option<PathBuf>,
    /// Where the file was looked for when none was read.
    pub looked_at: Option<PathBuf>,
    pub backup_every: Option<Duration>,
}

impl ServeArgs {
    /// Merges defaults, the file, the environment and the flags.
    pub fn resolve(&self) -> Result<Resolved> {
        let (file, looked_at) = match &self.config {
            Some(p) if p.is_file() => (Some(p.clone()), None),
            Some(p) => bail!("no configuration file at {}", p.display()),
            None => match crate::app::data_dir() {
                Ok(d) => {
                    let p = d.join("leadmap.toml");
                    if p.is_file() {
                        (Some(p), None)
                    } else {
                        (None, Some(p))
                    }
                }
                Err(_) => (None, None),
            },
        };
        let mut figment = Figment::from(Serialized::defaults(ServeConfig::default()));
        if let Some(f) = &file {
            figment = figment.merge(Toml::file_exact(f));
        }
        let overrides = Overrides {
            addr: self.addr.as_deref(),
            database_url: self.db.database_url.as_deref(),
            secure_cookies: self.secure_cookies,
            public_url: self.public_url.as_deref(),
            trusted_proxies: &self.trusted_proxies,
            base_path: self.base_path.as_deref(),
            log_format: self.log_format,
            metrics_addr: self.metrics_addr.as_deref(),
            backup_every: self.backup_every.as_deref(),
            backup_keep: self.backup_keep,
            backup_dir: self.backup_dir.as_deref(),
            roadmaps: self.roadmaps.as_deref(),
            max_roadmap_bytes: self.max_roadmap_bytes,
            max_roadmap_topics: self.max_roadmap_topics,
            private: self.private,
            open_signup: self.open_signup,
        };
        let config: ServeConfig = figment
            .merge(Serialized::defaults(overrides))
            .extract()
            .map_err(|e| anyhow::anyhow!("{e}"))
            .with_context(|| match &file {
                Some(f) => format!("bad configuration (file {})", f.display()),
                None => "bad configuration".into(),
            })?;
        let backup_every = config
            .backup_every
            .as_deref()
            .map(leadmap_app::backup::parse_interval)
            .transpose()
            .context("backup-every")?;
        if backup_every.is_some() && config.backup_keep == 0 {
            bail!("backup-keep must be at least 1");
        }
        Ok(Resolved {
            config,
            file,
            looked_at,
            backup_every,
        })
    }
}

impl Resolved {
    /// The configuration as TOML, the database password replaced by `***`, with where it came
    /// from in comments; the database URL says where the default one is.
    pub fn show(&self) -> Result<String> {
        let mut c = self.config.clone();
        let db = crate::app::Db::with_url(c.database_url.clone()).url()?;
        c.database_url = Some(crate::app::redact(&db));
        let mut out = String::from(
            "# The configuration `leadmap serve` runs with: flags > environment > file > defaults.\n",
        );
        match (&self.file, &self.looked_at) {
            (Some(f), _) => out.push_str(&format!("# File: {}\n", f.display())),
            (None, Some(p)) => {
                out.push_str(&format!("# File: none ({} does not exist)\n", p.display()))
            }
            (None, None) => out.push_str("# File: none\n"),
        }
        out.push_str(&toml::to_string(&c).context("cannot write the configuration as TOML")?);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_file_format_round_trips_and_refuses_unknown_keys() {
        let c = ServeConfig {
            database_url: Some("postgres://u:p@h/db".into()),
            backup_every: Some("6h".into()),
            trusted_proxies: vec!["10.0.0.5".parse().unwrap()],
            ..ServeConfig::default()
        };
        let text = toml::to_string(&c).unwrap();
        assert!(text.contains("backup-every = \"6h\""), "{text}");
        let back: ServeConfig = toml::from_str(&text).unwrap();
        assert_eq!(back, c);
        let typo: Result<ServeConfig, _> =
            Figment::from(Serialized::defaults(ServeConfig::default()))
                .merge(Toml::string("adr = \"0.0.0.0:80\""))
                .extract();
        assert!(typo.unwrap_err().to_string().contains("adr"));
    }
}
