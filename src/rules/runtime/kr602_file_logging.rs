use super::{compose_services, services, signals, workloads};
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
    what: "Reports file log destinations in a detected service's own code and production config: logback/log4j file appenders, Spring `logging.file.*`, Python `FileHandler`/`RotatingFileHandler`/`basicConfig(filename=)`, winston `transports.File`, pino file destinations, log4js file appenders, Serilog `WriteTo.File`, NLog/log4net file targets, Rails `config.logger` to a file in `production.rb`, Monolog stream handlers to a path, Laravel's default log channel when it is (or stacks) `single` or `daily` and no Compose service running the service sets `LOG_CHANNEL` (or reads an env file; a Kubernetes workload may set it through `envFrom`, so none is judged), Elixir `LoggerFileBackend`, Go log files. Tests, examples and development config are not read.",
    why: "A container's logs are what it writes to stdout and stderr: `docker logs`, `kubectl logs` and every log collector read those. Log files inside the container are lost when it is replaced, fill its writable layer (or an `emptyDir`) until the node evicts the pod, and are invisible to the platform.",
    bad: "# settings.py\nLOGGING = {\"handlers\": {\"file\": {\"class\": \"logging.FileHandler\", \"filename\": \"app.log\"}}}\n",
    good: "# settings.py\nLOGGING = {\"handlers\": {\"console\": {\"class\": \"logging.StreamHandler\"}}}\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for (i, svc) in services(cx) {
        for s in signals(cx, svc) {
            if let SignalKind::FileLoggingByDefault { via, env } = &s.kind {
                if !env_may_be_set(cx, i, env) {
                    out.emit(
                        Location::new(&s.file, s.line),
                        format!(
                            "service `{}` logs to a file unless `{env}` is set ({via}), and nothing that runs it sets `{env}`: in a container the file is lost with it and no log collector sees it; set `{env}=stderr` or change the default",
                            svc.name
                        ),
                        s.excerpt.clone(),
                    );
                }
            }
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

/// Whether a place that runs the service may set `env`: a Compose
/// service setting it or reading an env file, or any Kubernetes workload
/// (its `envFrom` and ConfigMaps are not followed, so it may).
fn env_may_be_set(cx: &Context<'_>, service: usize, env: &str) -> bool {
    !workloads(cx, service).is_empty()
        || compose_services(cx, service)
            .iter()
            .any(|c| !c.env_files.is_empty() || c.environment.iter().any(|e| e.key == env))
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

    const LARAVEL_LOGGING: &str = "<?php\n\nreturn [\n    'default' => env('LOG_CHANNEL', 'stack'),\n    'channels' => [\n        'stack' => [\n            'driver' => 'stack',\n            'channels' => explode(',', env('LOG_STACK', 'single')),\n        ],\n        'single' => [\n            'driver' => 'single',\n            'path' => storage_path('logs/laravel.log'),\n        ],\n    ],\n];\n";

    fn laravel(logging: &str, compose: &str) -> Vec<crate::finding::Finding> {
        findings_of(
            "KR602",
            &[
                (
                    "composer.json",
                    r#"{"name":"acme/shop","require":{"laravel/framework":"^11.0"}}"#,
                ),
                ("artisan", "#!/usr/bin/env php\n"),
                ("public/index.php", "<?php\n"),
                ("config/logging.php", logging),
                ("Dockerfile", "FROM php:8.3-apache\nCOPY . /var/www/html\n"),
                ("compose.yaml", compose),
            ],
        )
    }

    #[test]
    fn flags_laravels_file_channel_unless_the_runner_sets_log_channel() {
        let f = laravel(LARAVEL_LOGGING, "services:\n  app:\n    build: .\n");
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            (f[0].location.file.as_str(), f[0].location.line),
            ("config/logging.php", 4)
        );
        assert!(f[0].message.contains("`stack` stacks `single`"), "{f:?}");
        // Compose sets LOG_CHANNEL, or the default is stderr: clean.
        let set = "services:\n  app:\n    build: .\n    environment:\n      LOG_CHANNEL: stderr\n";
        assert!(laravel(LARAVEL_LOGGING, set).is_empty());
        let stderr = LARAVEL_LOGGING.replace(
            "env('LOG_CHANNEL', 'stack')",
            "env('LOG_CHANNEL', 'stderr')",
        );
        assert!(laravel(&stderr, "services:\n  app:\n    build: .\n").is_empty());
    }
}
