use super::support::{declare_rule, dockerfiles, emit, Shell};
use crate::finding::Severity;
use crate::parse::dockerfile::Keyword;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3059",
    name: "consecutive-runs",
    severity: Severity::Info,
    enabled_by_default: true,
    hardening: false,
    summary: "Consider merging consecutive RUN instructions",
    what: "Reports a `RUN` that directly follows another `RUN` (comments between them do not count) with the same flags, when each runs a single command. A RUN that chains commands (`&&`, `;`, `|`, `$(...)`) and RUNs with different `--mount` flags are deliberate splits and are not reported.",
    why: "Each RUN makes a layer; merging short consecutive steps keeps the image smaller and lets cleanups (cache removal) happen in the same layer as the install.",
    bad: "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n",
    good: "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n",
};

declare_rule!();

/// How many commands a RUN chains, counted as hadolint does: the script's
/// own commands plus one per command substitution (`$(...)`, backticks);
/// the script inside `sh -c '...'` is that one `sh` command.
fn chained(sh: &Shell) -> usize {
    sh.cmds
        .iter()
        .filter(|c| !c.nested)
        .map(|c| {
            let subst = c.words.iter().any(|w| w.contains("$(") || w.contains('`'));
            1 + usize::from(subst)
        })
        .sum()
}

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        let mut prev: Option<(Vec<String>, usize)> = None;
        for inst in df.top() {
            if *inst.keyword() != Keyword::Run {
                prev = None;
                continue;
            }
            let flags: Vec<String> = inst
                .ins
                .flags
                .iter()
                .map(|f| format!("{}={}", f.name, f.value.clone().unwrap_or_default()))
                .collect();
            let count = df.shell(&inst).map(chained).unwrap_or(1);
            if let Some((pf, pc)) = &prev {
                // As hadolint: a RUN chaining two or more commands was
                // split on purpose.
                if *pf == flags && count <= 1 && *pc <= 1 {
                    emit(
                        out,
                        df,
                        &inst,
                        "consecutive `RUN` instructions; consider merging them",
                    );
                }
            }
            prev = Some((flags, count));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_consecutive_short_runs() {
        assert_eq!(
            lines("DL3059", "FROM d:1\nRUN a\n# comment\nRUN b\n"),
            vec![4]
        );
    }

    #[test]
    fn clean_when_either_run_chains_commands() {
        // hadolint's own cases; BuildKit testfiles/influxdb/Dockerfile:3-4.
        for df in [
            "FROM d:1\nRUN foo && bar\nRUN foobar\n",
            "FROM d:1\nRUN foo; bar\nRUN foobar\n",
            "FROM d:1\nRUN foobar\nRUN foo && bar\n",
            "FROM d:1\nRUN a | b\nRUN c\n",
            "FROM d:1\nRUN apt-get update && apt-get install -y wget\nRUN wget http://x/y.deb\n",
        ] {
            assert!(lines("DL3059", df).is_empty(), "{df}");
        }
        assert_eq!(
            lines("DL3059", "FROM d:1\nRUN foo && bar\nRUN foo\nRUN bar\n"),
            vec![4]
        );
        // `$(...)` chains a second command; `sh -c '...'` is one command
        // (BuildKit testfiles/lk4d4-the-edge-case-generator:19-21).
        assert!(lines("DL3059", "FROM d:1\nRUN a \"$(b)\"\nRUN c\n").is_empty());
        assert_eq!(
            lines(
                "DL3059",
                "FROM d:1\nRUN sh -c 'echo x > /tmp/p'\nRUN mkdir -p /t\n"
            ),
            vec![3]
        );
    }

    #[test]
    fn clean_when_separated_long_or_different_mounts() {
        let df = "FROM d:1\nRUN a\nWORKDIR /x\nRUN b\nRUN --mount=type=cache,target=/c c\nRUN d && e && f\n";
        assert!(lines("DL3059", df).is_empty());
    }
}
