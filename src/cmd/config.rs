//! `pim-notify.toml`: found in the current folder or a parent, or named with `--config`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Deserialize;

pub const FILE_NAME: &str = "pim-notify.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The policy used when a command gets no `--policy`, relative to the config file.
    pub policy: Option<PathBuf>,
    /// Largest input file accepted, in bytes.
    pub max_input_size: Option<u64>,
    /// Options of `lint`; read by the lint command.
    pub lint: Option<toml::Table>,
    /// Where the file was found; paths in it are relative to its folder.
    #[serde(skip)]
    pub dir: PathBuf,
}

impl Config {
    /// The config named by `--config`, else the nearest `pim-notify.toml`, else none.
    pub fn discover(explicit: Option<&Path>) -> Result<Config> {
        let path = match explicit {
            Some(p) => Some(p.to_path_buf()),
            None => find_upwards(&std::env::current_dir().unwrap_or_default()),
        };
        match path {
            Some(p) => Config::read(&p),
            None => Ok(Config::default()),
        }
    }

    fn read(path: &Path) -> Result<Config> {
        let text = super::input::read_text(&path.to_string_lossy(), 1024 * 1024)?;
        let mut config: Config =
            toml::from_str(&text).with_context(|| format!("invalid config file `{}`", path.display()))?;
        config.dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Ok(config)
    }

    /// The default policy path, resolved against the config file's folder.
    pub fn policy_path(&self) -> Option<PathBuf> {
        self.policy.as_ref().map(|p| self.dir.join(p))
    }
}

fn find_upwards(start: &Path) -> Option<PathBuf> {
    start.ancestors().map(|dir| dir.join(FILE_NAME)).find(|p| p.is_file())
}
