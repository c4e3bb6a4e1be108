//! Which config an audit reads, and its paths made relative to the
//! audited folder.

use super::{discover, load_file, Config};
use std::path::Path;

/// The config of an audit of `root`: `--config FILE` (`explicit`), else
/// the one [`discover`] finds, else defaults. Every command that audits
/// (`audit`, `graph`, `fix`, each repository of `fleet`) reads it here.
pub fn load_for(root: &Path, explicit: Option<&Path>) -> Result<Config, String> {
    let path = match explicit {
        Some(p) => Some(p.to_path_buf()),
        None => discover(root),
    };
    let Some(p) = path else {
        return Ok(Config::default());
    };
    let mut config = load_file(&p).map_err(|e| e.to_string())?;
    if explicit.is_none() {
        // Found above the audited folder: its paths are written from its
        // own folder.
        let folder = if root.is_dir() {
            root.to_path_buf()
        } else {
            root.parent().map(Path::to_path_buf).unwrap_or_default()
        };
        let dirs = (
            std::fs::canonicalize(&folder),
            p.parent().map(std::fs::canonicalize),
        );
        if let (Ok(folder), Some(Ok(config_dir))) = dirs {
            if let Ok(rel) = folder.strip_prefix(&config_dir) {
                let prefix: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                config.rebase(&prefix.join("/"))?;
            }
        }
    }
    Ok(config)
}
