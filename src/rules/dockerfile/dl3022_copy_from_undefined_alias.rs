use super::support::{declare_rule, dockerfiles, emit, expand, flag};
use crate::finding::Severity;
use crate::parse::dockerfile::Keyword;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3022",
    name: "copy-from-undefined-alias",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "COPY --from should name an earlier stage",
    what: "Reports a `COPY --from=X` where X is neither a stage defined earlier (by name or index) nor an image reference (a value with `:`, `/` or `@`). ARG defaults are resolved first.",
    why: "A `--from` that names no earlier stage is pulled as an image called X from Docker Hub, which is almost always a typo or a stage defined later.",
    bad: "FROM golang:1.22 AS build\nRUN go build -o /app\nFROM alpine:3.20\nCOPY --from=biuld /app /app\n",
    good: "FROM golang:1.22 AS build\nRUN go build -o /app\nFROM alpine:3.20\nCOPY --from=build /app /app\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        for inst in df.insts() {
            if *inst.keyword() != Keyword::Copy {
                continue;
            }
            let Some(from) = flag(inst.ins, "from") else {
                continue;
            };
            let from = expand(from, &df.vars_at(inst.index));
            if from.is_empty()
                || from.contains(':')
                || from.contains('/')
                || from.contains('@')
                || from.contains('$')
            {
                continue;
            }
            if inst.onbuild || df.is_earlier_stage(&from, inst.index) {
                continue;
            }
            emit(out, df, inst, format!("`--from={from}` names no earlier stage; Docker would pull an image called `{from}`"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_unknown_stage() {
        assert_eq!(
            lines(
                "DL3022",
                "FROM a:1 AS build\nFROM b:1\nCOPY --from=biuld /x /x\n"
            ),
            vec![3]
        );
        assert_eq!(
            lines(
                "DL3022",
                "FROM a:1\nCOPY --from=later /x /x\nFROM b:1 AS later\n"
            ),
            vec![2]
        );
    }

    #[test]
    fn clean_on_stage_index_and_image() {
        let df = "ARG S=build\nFROM a:1 AS Build\nFROM b:1\nCOPY --from=build /x /x\nCOPY --from=0 /x /x\nCOPY --from=nginx:1 /x /x\nCOPY --from=${S} /x /x\n";
        assert!(lines("DL3022", df).is_empty());
    }
}
