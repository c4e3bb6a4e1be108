use super::{services, signals};
use crate::finding::{Location, Severity};
use crate::parse::runtime::SignalKind;
use crate::rules::dockerfile::support::declare_rule;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "KR602",
    name: "logs-to-file",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A service writes its logs to files instead of stdout/stderr",
    what: "Reports file log destinations in a detected service's own code and production config: logback/log4j file appenders, Spring `logging.file.*`, Python `FileHandler`/`RotatingFileHandler`/`basicConfig(filename=)`, winston `transports.File`, pino file destinations, log4js file appenders, Serilog `WriteTo.File`, NLog/log4net file targets, Rails `config.logger` to a file in `production.rb`, Monolog stream handlers to a path, Elixir `LoggerFileBackend`, Go log files. Tests, examples and development config are not read.",
    why: "A container's logs are what it writes to stdout and stderr: `docker logs`, `kubectl logs` and every log collector read those. Log files inside the container are lost when it is replaced, fill its writable layer (or an `emptyDir`) until the node evicts the pod, and are invisible to the platform.",
    bad: "# settings.py\nLOGGING = {\"handlers\": {\"file\": {\"class\": \"logging.FileHandler\", \"filename\": \"app.log\"}}}\n",
    good: "# settings.py\nLOGGING = {\"handlers\": {\"console\": {\"class\": \"logging.StreamHandler\"}}}\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for (_, svc) in services(cx) {
        for s in signals(cx, svc) {
            if let SignalKind::FileLogging { via } = &s.kind {
                out.emit(
                    Location::new(&s.file, s.line),
                    format!(
                        "service `{}` logs to a file ({via}): in a container the file is lost with it and no log collector sees it; log to stdout/stderr (a console appender/handler)",
                        svc.name
                    ),
                    s.excerpt.clone(),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_file_handlers_and_appenders() {
        let f = findings_of(
            "KR602",
            &[
                ("requirements.txt", "flask\n"),
                ("app.py", "from flask import Flask\nimport logging\napp = Flask(__name__)\nh = logging.handlers.RotatingFileHandler('app.log')\n"),
                ("api/pom.xml", "<project><artifactId>api</artifactId><build><plugins><plugin><groupId>org.springframework.boot</groupId><artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build></project>"),
                ("api/src/main/resources/logback.xml", "<configuration>\n  <appender name=\"F\" class=\"ch.qos.logback.core.rolling.RollingFileAppender\"/>\n</configuration>\n"),
            ],
        );
        assert_eq!(f.len(), 2, "{f:?}");
        assert!(f
            .iter()
            .any(|f| f.location.file == "app.py" && f.location.line == 4));
        assert!(f
            .iter()
            .any(|f| f.location.file.ends_with("logback.xml") && f.location.line == 2));
    }

    #[test]
    fn clean_with_console_logging_or_in_tests() {
        let f = findings_of(
            "KR602",
            &[
                ("requirements.txt", "flask\n"),
                ("app.py", "from flask import Flask\nimport logging\napp = Flask(__name__)\nh = logging.StreamHandler()\n"),
                ("tests/test_app.py", "h = logging.FileHandler('x.log')\n"),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
