//! What the evaluation examples (`real-eval`, `runtime-eval`) share: the
//! kubeready binary they run and one audit of a tree as JSON.

use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The binary beside the example (`target/<profile>/kubeready`), or
/// `KUBEREADY_BIN`.
pub fn binary() -> Result<PathBuf, String> {
    if let Some(bin) = std::env::var_os("KUBEREADY_BIN") {
        return Ok(PathBuf::from(bin));
    }
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .ok_or("cannot locate the target folder")?;
    let bin = dir.join(format!("kubeready{}", std::env::consts::EXE_SUFFIX));
    if bin.is_file() {
        Ok(bin)
    } else {
        Err(format!(
            "{} not found: build kubeready with the same profile first (or set KUBEREADY_BIN)",
            bin.display()
        ))
    }
}

/// `kubeready audit TREE --format json --fail-on never`, read as `T`.
pub fn audit<T: DeserializeOwned>(bin: &Path, tree: &Path) -> Result<T, String> {
    let out = Command::new(bin)
        .arg("audit")
        .arg(tree)
        .args(["--format", "json", "--fail-on", "never"])
        .output()
        .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
    if !out.status.success() {
        return Err(format!(
            "exit {}: {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("bad JSON: {e}"))
}
