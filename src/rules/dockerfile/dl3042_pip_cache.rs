use super::dl3013_pip_unpinned::pip_install;
use super::support::{declare_rule, dockerfiles, emit, has_cache_mount};
use crate::finding::Severity;
use crate::parse::dockerfile::{Args, Keyword};
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3042",
    name: "pip-cache",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "Use `pip install --no-cache-dir`",
    what: "Reports a `pip install` without `--no-cache-dir`, unless `PIP_NO_CACHE_DIR` is set to a true value (by ENV in the stage or a stage it builds on, or on the command), or a cache mount covers `.cache/pip`. `pipx` and `pipenv` are not judged.",
    why: "pip keeps every downloaded wheel in `~/.cache/pip`, which then ships in the layer and can double the size of a Python image.",
    bad: "FROM python:3.12-slim\nRUN pip install flask==3.0.3\n",
    good: "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3\n",
};

declare_rule!();

fn truthy(v: &str) -> bool {
    matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "on" | "yes")
}

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        let mut no_cache = vec![false; df.stages.len()];
        for inst in df.insts() {
            let s = inst.stage.unwrap_or(0);
            match (inst.keyword(), &inst.ins.args) {
                (Keyword::From, _) if !inst.onbuild => {
                    let inherited = df
                        .stages
                        .get(s)
                        .and_then(|st| st.parent)
                        .and_then(|p| no_cache.get(p).copied())
                        .unwrap_or(false);
                    if let Some(n) = no_cache.get_mut(s) {
                        *n = inherited;
                    }
                }
                (Keyword::Env, Args::KeyValues(kvs)) => {
                    if let Some(kv) = kvs.iter().rev().find(|k| k.key == "PIP_NO_CACHE_DIR") {
                        if let Some(n) = no_cache.get_mut(s) {
                            *n = kv.value.as_deref().is_some_and(truthy);
                        }
                    }
                }
                (Keyword::Run, _) => {
                    if no_cache.get(s).copied().unwrap_or(false)
                        || has_cache_mount(inst.ins, ".cache/pip")
                    {
                        continue;
                    }
                    let Some(sh) = df.shell(inst) else {
                        continue;
                    };
                    let bad = sh.any(|c| {
                        pip_install(c)
                            .is_some_and(|rest| !rest.iter().any(|a| a == "--no-cache-dir"))
                            && !c
                                .env
                                .iter()
                                .any(|(k, v)| k == "PIP_NO_CACHE_DIR" && truthy(v))
                    }) && !sh.any(|c| {
                        c.is("export")
                            && c.args()
                                .iter()
                                .any(|a| a.strip_prefix("PIP_NO_CACHE_DIR=").is_some_and(truthy))
                    });
                    if bad {
                        emit(
                            out,
                            df,
                            inst,
                            "`pip install` without `--no-cache-dir` keeps pip's cache in the layer",
                        );
                    }
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_pip_cache() {
        assert_eq!(
            lines("DL3042", "FROM python:3\nRUN pip install flask==3\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                "DL3042",
                "FROM python:3\nENV PIP_NO_CACHE_DIR=0\nRUN python -m pip install -r r.txt\n"
            ),
            vec![3]
        );
    }

    #[test]
    fn clean_with_flag_env_or_mount() {
        let df = "FROM python:3 AS base\nENV PIP_NO_CACHE_DIR=1\nRUN pip install x==1\nFROM base\nRUN pip install y==1\nFROM python:3\nRUN pip install --no-cache-dir x==1\nRUN --mount=type=cache,target=/root/.cache/pip pip install z==1\nRUN pipx install black\nRUN PIP_NO_CACHE_DIR=1 pip install a==1\nRUN export PIP_NO_CACHE_DIR=true && pip install b==1\n";
        assert!(lines("DL3042", df).is_empty());
    }
}
