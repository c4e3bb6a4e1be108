use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};

use super::SourceState;

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR505",
    name: "copy-source-built-outside",
    severity: Severity::Info,
    enabled_by_default: true,
    hardening: false,
    summary: "A `COPY`/`ADD` source is a build output that is not in the repository",
    what: "Reports a `COPY` or `ADD` source that is not in the build context but looks like a build output or generated code (`target/`, `dist/`, `build/`, `out/`, `bin/`, `proto/`, `gen/`, `*.jar`, `*.war`...). Such files are usually git-ignored and produced by a step before `docker build`, so kubeready cannot tell whether they will exist; it reports them as advice.",
    why: "The image then depends on a build that happens outside Docker: `docker build` on a fresh clone fails until someone runs `mvn package` or `npm run build` first, and the artefact's toolchain is whatever the build machine has. A multi-stage build that compiles inside the Dockerfile makes the image reproducible from the sources alone.",
    bad: "# Dockerfile\nFROM eclipse-temurin:21-jre\nCOPY target/app.jar /app.jar\n",
    good: "# Dockerfile\nFROM maven:3.9-eclipse-temurin-21 AS build\nCOPY . /src\nRUN mvn -f /src/pom.xml -q package\nFROM eclipse-temurin:21-jre\nCOPY --from=build /src/target/app.jar /app.jar\n",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        let judged = cx.copy_judgement();
        for (b, src, state) in judged.iter() {
            if !matches!(state, SourceState::Generated) {
                continue;
            }
            out.emit(
                Location::new(&b.df.path, src.ins.line),
                format!(
                    "{} source `{}` is not in {} (it may be git-ignored); it must be built before `docker build`: consider building it in an earlier stage",
                    src.ins.keyword.as_str(),
                    src.written,
                    b.describe()
                ),
                format!("{} {} (context {})", src.ins.keyword.as_str(), src.written, super::show_ctx(&b.context)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_prebuilt_artifact() {
        let f = findings_of(
            "KR505",
            &[
                (
                    "Dockerfile",
                    "FROM eclipse-temurin:21-jre\nCOPY target/*.jar /app.jar\nCOPY dist /srv\n",
                ),
                ("pom.xml", "<project/>\n"),
            ],
        );
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(f[0].location.line, 2);
        assert_eq!(f[1].location.line, 3);
    }

    #[test]
    fn clean_when_built_in_a_stage_or_present() {
        let f = findings_of(
            "KR505",
            &[
                (
                    "Dockerfile",
                    "FROM maven:3.9 AS build\nCOPY pom.xml .\nRUN mvn package\nFROM eclipse-temurin:21-jre\nCOPY --from=build /target/app.jar /app.jar\nCOPY bin/entrypoint.sh /\n",
                ),
                ("pom.xml", "<project/>\n"),
                ("bin/entrypoint.sh", "#!/bin/sh\n"),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
