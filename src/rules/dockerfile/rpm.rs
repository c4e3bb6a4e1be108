//! Shared logic of the yum/dnf/zypper rules.

use super::support::{dockerfiles, emit, has_cache_mount, Cmd, Shell};
use crate::parse::dockerfile::{Args, Keyword};
use crate::rules::{Context, Sink};
use std::collections::HashSet;

pub const RPM_VALUED: &[&str] = &[
    "c",
    "config",
    "installroot",
    "releasever",
    "setopt",
    "repo",
    "repoid",
    "enablerepo",
    "disablerepo",
    "x",
    "exclude",
    "d",
    "debuglevel",
    "e",
    "errorlevel",
    "downloaddir",
    "destdir",
    "forcearch",
    "R",
    "randomwait",
];

/// The yes flag rule shape: `tool sub` without any of `yes`.
pub fn missing_yes(
    cx: &Context<'_>,
    out: &mut Sink<'_>,
    tools: &[&str],
    subs: &[&str],
    yes: &[&str],
    message: &str,
) {
    super::support::each_run(cx, out, true, |_, _, sh| {
        sh.any(|c| c.is_with(tools, subs) && !c.has_any_flag(yes))
            .then(|| message.to_string())
    });
}

/// The clean-after-install rule shape: an install with no later clean in
/// the same RUN (and no cache mount over `cache`).
pub fn missing_clean(
    cx: &Context<'_>,
    out: &mut Sink<'_>,
    install: &dyn Fn(&Cmd) -> bool,
    clean: &dyn Fn(&Cmd) -> bool,
    caches: &[&str],
    message: &str,
) {
    super::support::each_run(cx, out, true, |_, inst, sh| {
        if caches.iter().any(|c| has_cache_mount(inst.ins, c)) {
            return None;
        }
        let first_install = sh.position(install)?;
        let cleaned = sh.cmds.iter().skip(first_install + 1).any(clean);
        (!cleaned).then(|| message.to_string())
    });
}

/// `rm -rf <path...>` with a path starting with `prefix`.
pub fn rm_rf(c: &Cmd, prefix: &str) -> bool {
    c.is("rm")
        && c.has_any_flag(&["r", "R", "recursive"])
        && c.args().iter().any(|a| a.starts_with(prefix))
}

/// Whether `name-version` carries a version (hadolint's rule for yum/dnf).
pub fn rpm_version_fixed(package: &str, vars: &HashSet<String>) -> bool {
    // A local `.rpm` file names its version (hadolint checks the dash
    // first and misses `./pkg.rpm`).
    if package.ends_with(".rpm") {
        return true;
    }
    let parts: Vec<&str> = package.split('-').collect();
    if parts.len() <= 1 {
        return false;
    }
    if package.contains('$') {
        return vars
            .iter()
            .any(|v| package.contains(&format!("${{{v}}}")) || package.contains(&format!("${v}")));
    }
    let rest = &parts[1..];
    rest.iter().all(|p| {
        p.chars()
            .all(|c| c.is_ascii_alphanumeric() || ".~^_:+".contains(c))
    }) && rest
        .iter()
        .any(|p| p.starts_with(|c: char| c.is_ascii_digit()))
}

/// The unpinned-package rule shape for yum and dnf: reports packages of
/// `tools install` (not `module`/`group`) without a version, and modules
/// of `tools module install` without a `:stream`.
pub fn unpinned(cx: &Context<'_>, out: &mut Sink<'_>, tools: &[&str], example: &str) {
    for df in dockerfiles(cx) {
        let mut vars: HashSet<String> = HashSet::new();
        for inst in df.insts() {
            match (inst.keyword(), &inst.ins.args) {
                (Keyword::Arg | Keyword::Env, Args::KeyValues(kvs)) => {
                    vars.extend(kvs.iter().map(|k| k.key.clone()));
                }
                (Keyword::Run, _) => {
                    let Some(sh) = df.shell(inst) else {
                        continue;
                    };
                    let bad = unpinned_in(sh, tools, &vars);
                    if !bad.is_empty() {
                        emit(
                            out,
                            df,
                            inst,
                            format!(
                                "specify versions (`{example}`); unpinned: {}",
                                bad.join(", ")
                            ),
                        );
                    }
                }
                _ => {}
            }
        }
    }
}

fn unpinned_in(sh: &Shell, tools: &[&str], vars: &HashSet<String>) -> Vec<String> {
    let mut bad = Vec::new();
    for c in &sh.cmds {
        if !tools.contains(&c.name()) {
            continue;
        }
        let pos = c.positional(RPM_VALUED);
        let module = pos.first() == Some(&"module");
        let group = matches!(pos.first(), Some(&("group" | "groupinstall")));
        let install_at = pos.iter().position(|p| *p == "install");
        let Some(i) = install_at else { continue };
        if group || (i > 0 && !module) {
            continue;
        }
        for p in pos.iter().skip(i + 1) {
            let ok = if module {
                p.contains(':')
            } else {
                rpm_version_fixed(p, vars)
            };
            if !ok {
                bad.push(p.to_string());
            }
        }
    }
    bad
}
