use super::support::{copy_paths, declare_rule, dockerfiles, emit, flag, Cmd, Inst};
use crate::finding::Severity;
use crate::parse::dockerfile::Keyword;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "KR104",
    name: "copy-all-before-install",
    severity: Severity::Info,
    enabled_by_default: true,
    hardening: false,
    summary: "`COPY . .` before the dependency install busts the cache",
    what: "Reports a `COPY` of the whole build context (`.` or `./`) that comes, in the same stage, before a dependency install (`npm ci`/`install`, `yarn install`, `pnpm install`, `pip install -r`, `poetry install`, `bundle install`, `go mod download`, `composer install`, `mvn dependency:go-offline`, `dotnet restore`, `cargo fetch`).",
    why: "Any source change invalidates the COPY layer and everything after it, so every build reinstalls all dependencies. Copying the manifests first and installing before copying the sources keeps the install layer cached.",
    bad: "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n",
    good: "FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\n",
};

declare_rule!();

fn installs(c: &Cmd) -> bool {
    let pos: Vec<&str> = c.positional(&[]);
    let first = pos.first().copied().unwrap_or("");
    match c.name() {
        "npm" => matches!(first, "ci" | "install" | "i"),
        "yarn" => first == "install" || pos.is_empty(),
        "pnpm" => matches!(first, "install" | "i"),
        "bundle" => first == "install",
        "poetry" | "composer" | "pipenv" => first == "install",
        "uv" => first == "sync",
        "go" => first == "mod" && pos.get(1) == Some(&"download"),
        "dotnet" => first == "restore",
        "cargo" => first == "fetch",
        "mvn" | "mvnw" => c.args().iter().any(|a| a.starts_with("dependency:")),
        n if n.starts_with("pip") => first == "install" && c.has_any_flag(&["r", "requirement"]),
        _ => false,
    }
}

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        let mut copy_all: Option<Inst<'_>> = None;
        for inst in df.top() {
            match inst.keyword() {
                Keyword::From => copy_all = None,
                Keyword::Copy | Keyword::Add
                    if flag(inst.ins, "from").is_none() && copy_all.is_none() =>
                {
                    let (srcs, _) = copy_paths(inst.ins);
                    if srcs.iter().any(|s| s == "." || s == "./") {
                        copy_all = Some(inst);
                    }
                }
                Keyword::Run => {
                    let Some(c) = copy_all else { continue };
                    if df.shell(&inst).is_some_and(|sh| sh.any(installs)) {
                        emit(out, df, &c, "the whole context is copied before the dependency install; copy the manifests first so the install layer stays cached");
                        copy_all = None;
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
    fn flags_copy_all_then_install() {
        assert_eq!(
            lines(
                "KR104",
                "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n"
            ),
            vec![3]
        );
        assert_eq!(
            lines(
                "KR104",
                "FROM python:3\nCOPY . /app\nRUN pip install -r /app/requirements.txt\n"
            ),
            vec![2]
        );
    }

    #[test]
    fn clean_when_manifests_first() {
        let df = "FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n";
        assert!(lines("KR104", df).is_empty());
    }
}
