//! Where `diff` reads a policy version from: a file, standard input, or `REV:path` through git.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

use crate::cmd::input;

/// One side of the diff as the user named it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Stdin,
    File(String),
    /// `REV:path`: the file `path` at revision `rev`, read with `git show`.
    Git {
        rev: String,
        path: String,
    },
}

impl Source {
    /// `-` is standard input; a path that exists on disk wins over `REV:path`.
    pub fn parse(arg: &str) -> Result<Source> {
        if arg == "-" {
            return Ok(Source::Stdin);
        }
        if Path::new(arg).exists() {
            return Ok(Source::File(arg.to_string()));
        }
        let Some((rev, path)) = arg.split_once(':') else {
            return Ok(Source::File(arg.to_string()));
        };
        if rev.starts_with('-') {
            bail!("revision `{rev}` starts with `-`; a revision cannot be an option");
        }
        if path.is_empty() {
            bail!("`{arg}`: name the file after the colon, e.g. `origin/main:policies/prod.yaml`");
        }
        Ok(Source::Git { rev: rev.to_string(), path: path.to_string() })
    }

    /// How messages and `at` positions name this version.
    pub fn shown(&self) -> String {
        match self {
            Source::Stdin => "<stdin>".to_string(),
            Source::File(path) => path.clone(),
            Source::Git { rev, path } => format!("{rev}:{path}"),
        }
    }

    /// The file path inside the repository, for annotations; `None` for standard input.
    pub fn repo_path(&self) -> Option<&str> {
        match self {
            Source::Stdin => None,
            Source::File(path) | Source::Git { path, .. } => Some(path),
        }
    }

    pub fn read(&self, limit: u64) -> Result<String> {
        match self {
            Source::Stdin => input::read_text("-", limit),
            Source::File(path) => input::read_text(path, limit),
            Source::Git { rev, path } => git_show(rev, path, limit),
        }
    }
}

/// `git show REV:path` without a shell. `--end-of-options` keeps git from reading the
/// revision as an option even if one slipped past [`Source::parse`].
fn git_show(rev: &str, path: &str, limit: u64) -> Result<String> {
    let spec = format!("{rev}:{path}");
    let shown = &spec;
    let mut child = Command::new("git")
        .args(["--no-pager", "show", "--no-textconv", "--end-of-options", &spec])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("cannot run `git` to read a `REV:path` argument; is git installed and on PATH?")?;
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.by_ref().take(64 * 1024).read_to_string(&mut text);
        text
    });
    let stdout = child.stdout.take().expect("stdout is piped");
    let read = input::read_limited(stdout, limit);
    if read.is_err() {
        let _ = child.kill();
    }
    let status = child.wait().context("git did not finish")?;
    let errors = errors.join().unwrap_or_default();
    let bytes = read.with_context(|| format!("cannot read `{shown}` from git"))?;
    if !status.success() {
        bail!("git cannot show `{shown}`: {}", errors.trim());
    }
    input::into_text(&spec, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_form() {
        assert_eq!(Source::parse("-").unwrap(), Source::Stdin);
        assert_eq!(
            Source::parse("origin/main:policies/prod.yaml").unwrap(),
            Source::Git { rev: "origin/main".into(), path: "policies/prod.yaml".into() }
        );
        assert_eq!(Source::parse("no-such-file.yaml").unwrap(), Source::File("no-such-file.yaml".into()));
        assert_eq!(Source::parse("Cargo.toml").unwrap(), Source::File("Cargo.toml".into()));
    }

    #[test]
    fn refuses_revisions_that_look_like_options() {
        assert!(Source::parse("--output=/tmp/x:p.yaml").is_err());
        assert!(Source::parse("-p:x.yaml").is_err());
    }
}
