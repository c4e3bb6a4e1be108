use super::support::{declare_rule, each_run};
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3062",
    name: "go-unpinned",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "Pin versions in go install",
    what: "Reports `go install`, `go get` or `go run` of a remote package without `@version`, or with `@latest`/`@none`. Local paths (`.`, `./cmd/x`) are fine; for `go run`, only the package (not its arguments) is judged.",
    why: "Without a version Go resolves the newest release at build time; builds drift and tools change behaviour unannounced.",
    bad: "FROM golang:1.22\nRUN go install github.com/go-delve/delve/cmd/dlv@latest\n",
    good: "FROM golang:1.22\nRUN go install github.com/go-delve/delve/cmd/dlv@v1.23.0\n",
};

declare_rule!();

fn pinned(p: &str) -> bool {
    if p == "." || p.starts_with('.') || p.starts_with('/') || p.contains('$') {
        return true;
    }
    p.contains('@') && !p.ends_with("@latest") && !p.ends_with("@none")
}

const GO_VALUED: &[&str] = &[
    "o", "C", "p", "tags", "ldflags", "gcflags", "asmflags", "mod", "modfile", "pkgdir", "exec",
    "toolexec", "overlay", "pgo",
];

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    each_run(cx, out, true, |_, _, sh| {
        let mut bad = Vec::new();
        for c in sh.cmds.iter().filter(|c| c.is("go")) {
            let pos = c.positional(GO_VALUED);
            let pkgs: Vec<&str> = match pos.first() {
                Some(&("install" | "get")) => pos
                    .iter()
                    .skip(1)
                    .filter(|p| **p != "tool")
                    .copied()
                    .collect(),
                Some(&"run") => pos.get(1).copied().into_iter().collect(),
                _ => continue,
            };
            bad.extend(
                pkgs.into_iter()
                    .filter(|p| !pinned(p) && !p.ends_with(".go"))
                    .map(str::to_string),
            );
        }
        (!bad.is_empty()).then(|| {
            format!(
                "pin versions in `go install` (`<package>@<version>`); unpinned: {}",
                bad.join(", ")
            )
        })
    });
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_unpinned_or_latest() {
        assert_eq!(
            lines(
                "DL3062",
                "FROM golang:1\nRUN go install github.com/a/b@latest\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines("DL3062", "FROM golang:1\nRUN go get github.com/a/b\n"),
            vec![2]
        );
    }

    #[test]
    fn clean_on_versions_and_local_paths() {
        assert!(lines("DL3062", "FROM golang:1\nRUN go install github.com/a/b@v1.2.3 && go install ./cmd/x && go run main.go arg && go build -o /app .\n").is_empty());
    }
}
