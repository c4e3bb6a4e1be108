//! Go: listen addresses (`ListenAndServe(":8080")`, gin `Run`, echo
//! `Start`, fiber `Listen`, `net.Listen`, `Addr:`), `PORT` lookups with
//! their defaults, log files and SQLite files.

use super::{re, reads_env, Out, SignalKind, StateKind};

pub fn scan(_rel: &str, out: &mut Out<'_>) {
    let text = out.text;
    // Each pattern below needs one of these words; a file with none of
    // them (most of a service's files) has nothing to find, and a line is
    // only matched against the patterns whose words the file has.
    let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
    let listen_words = has(&["ListenAndServe", ".Run", ".Start", ".Listen"]);
    let addr_word = text.contains("Addr");
    let log_words = has(&["os.OpenFile", "os.Create", "lumberjack.Logger{"]);
    let sqlite_words = has(&["sql.Open(", "sqlite.Open("]);
    if !(listen_words || addr_word || log_words || sqlite_words) {
        return;
    }
    let lines: Vec<(u32, &str)> = out.lines().collect();
    let mut listens = false;
    for &(n, l) in &lines {
        let addr = listen_words
            .then(|| re!(r#"(?:ListenAndServe(?:TLS)?|\.Run|\.Start|\.Listen|net\.Listen)\(\s*(?:"tcp[46]?"\s*,\s*)?"([\w.\-\[\]:]*:\d{2,5})""#))
            .flatten()
            .and_then(|r| r.captures(l))
            .or_else(|| {
                addr_word
                    .then(|| re!(r#"\bAddr\s*:\s*"([\w.\-\[\]:]*:\d{2,5})""#))
                    .flatten()
                    .and_then(|r| r.captures(l))
            })
            .and_then(|c| c.get(1))
            .map(|m| m.as_str().to_string());
        if let Some(a) = addr {
            listens = true;
            if super::is_loopback(&a) {
                out.push(n, SignalKind::LoopbackBind { host: a.clone() });
            }
            if let Some(p) = a.rsplit(':').next().and_then(super::port_of) {
                out.push(
                    n,
                    SignalKind::ListenPort {
                        port: Some(p),
                        env: None,
                    },
                );
            }
        } else if listen_words
            && re!(r"ListenAndServe(?:TLS)?\(|\.Run\(|\.Start\(|net\.Listen\(")
                .is_some_and(|r| r.is_match(l))
        {
            listens = true;
        }
        if log_words
            && (re!(r#"os\.(?:OpenFile|Create)\(\s*"[^"]*\.log""#).is_some_and(|r| r.is_match(l))
                || l.contains("lumberjack.Logger{"))
        {
            out.push(
                n,
                SignalKind::FileLogging {
                    via: "a log file".into(),
                },
            );
        }
        if !sqlite_words || reads_env(l) {
            continue;
        }
        if let Some(c) = re!(r#"(?:sql\.Open\(\s*"sqlite3?"\s*,|sqlite\.Open\()\s*"([^"]+)""#)
            .and_then(|r| r.captures(l))
        {
            let path = c.get(1).map(|m| m.as_str().to_string()).unwrap_or_default();
            if !path.contains(":memory:") && !path.starts_with("file::memory") {
                out.push(
                    n,
                    SignalKind::LocalState {
                        what: StateKind::Sqlite,
                        path,
                    },
                );
            }
        }
    }
    if !listens {
        return;
    }
    // `port := os.Getenv("PORT")` and a default a few lines on.
    for (i, &(n, l)) in lines.iter().enumerate() {
        let Some(env) = re!(r#"os\.(?:Getenv|LookupEnv)\(\s*"(\w*PORT)"\s*\)"#)
            .and_then(|r| r.captures(l))
            .and_then(|c| c.get(1))
            .map(|m| m.as_str().to_string())
        else {
            continue;
        };
        let default = lines.iter().skip(i).take(6).find_map(|(_, l)| {
            re!(r#"=\s*":?(\d{2,5})""#)
                .and_then(|r| r.captures(l))
                .and_then(|c| c.get(1))
                .and_then(|m| m.as_str().parse::<u16>().ok())
        });
        out.push(
            n,
            SignalKind::ListenPort {
                port: default,
                env: Some(env),
            },
        );
    }
    let _ = text;
}
