use super::*;

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

fn only(df: &Dockerfile) -> &Instruction {
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    df.instructions.last().expect("an instruction")
}

fn flag(name: &str, value: Option<&str>) -> Flag {
    Flag {
        name: name.into(),
        value: value.map(str::to_string),
    }
}

#[test]
fn heredoc_single() {
    let df = parse("RUN <<-A <<B\n\tx\nA\ny\nB\n");
    assert_eq!(
        df.instructions[0].command_text(),
        Some("<<-A <<B\nx\nA\ny\nB".into())
    );
    let df = parse("RUN <<-A\n\tx\n\tA\n");
    assert_eq!(df.instructions[0].command_text(), Some("x\n".into()));
    let df = parse("FROM alpine\nRUN <<EOF\napt-get update\necho $HOME\nEOF\nUSER x\n");
    assert!(df.errors.is_empty());
    let run = &df.instructions[1];
    assert_eq!(run.keyword, Keyword::Run);
    assert_eq!((run.line, run.end_line), (2, 5));
    assert_eq!(run.args, Args::Shell("<<EOF".into()));
    assert_eq!(
        run.heredocs,
        vec![Heredoc {
            name: "EOF".into(),
            content: "apt-get update\necho $HOME\n".into(),
            expand: true,
            chomp_tabs: false,
            line: 3,
            fd: 0,
        }]
    );
    assert_eq!(
        run.command_text().as_deref(),
        Some("apt-get update\necho $HOME\n")
    );
    assert_eq!(df.instructions[2].line, 6);
}

#[test]
fn heredoc_multiple_copy_and_fd() {
    let df = parse("COPY <<FILE1 <<FILE2 /dest\ncontent 1\nFILE1\ncontent 2\nFILE2\nRUN 3<<X cat /dev/fd/3\nx\nX\n");
    assert!(df.errors.is_empty());
    let copy = &df.instructions[0];
    assert_eq!(copy.args, Args::Words(s(&["<<FILE1", "<<FILE2", "/dest"])));
    let names: Vec<_> = copy.heredocs.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(names, ["FILE1", "FILE2"]);
    assert_eq!(copy.heredocs[0].content, "content 1\n");
    assert_eq!(copy.heredocs[1].content, "content 2\n");
    assert_eq!(copy.heredocs[1].line, 4);
    assert_eq!(copy.end_line, 5);
    let run = &df.instructions[1];
    assert_eq!(run.line, 6);
    assert_eq!(run.heredocs[0].fd, 3);
    // A command that feeds a heredoc keeps the command first.
    assert_eq!(
        run.command_text().as_deref(),
        Some("3<<X cat /dev/fd/3\nx\nX")
    );
    // Terminators are compared exactly: X and Y as content lines.
    let df = parse("COPY <<X <<Y /dest\nY\nX\nX\nY\n");
    let h = &df.instructions[0].heredocs;
    assert_eq!(
        (h[0].content.as_str(), h[1].content.as_str()),
        ("Y\n", "X\n")
    );
}

#[test]
fn heredoc_chomp_and_quoted() {
    let df = parse("RUN <<-EOT\n\tbaz\n\tquux\n\tEOT\nRUN <<-'NOEXPAND'\n\tdon't $NAME\nNOEXPAND\nRUN <<\"Q\"\nq\nQ\nRUN <<eo'f'\nx\neof\n");
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    let h = &df.instructions[0].heredocs[0];
    assert!(h.chomp_tabs && h.expand);
    assert_eq!(h.content, "\tbaz\n\tquux\n");
    assert_eq!(h.body(), "baz\nquux\n");
    let h = &df.instructions[1].heredocs[0];
    assert!(h.chomp_tabs && !h.expand);
    assert_eq!(h.name, "NOEXPAND");
    let h = &df.instructions[2].heredocs[0];
    assert!(!h.expand && h.name == "Q");
    let h = &df.instructions[3].heredocs[0];
    assert!(!h.expand && h.name == "eof");
    assert_eq!(df.instructions.len(), 4);
}

#[test]
fn heredoc_only_for_run_copy_add_and_not_json() {
    let df = parse("FROM a\nUSER <<INVALID\nINVALID\nRUN [\"<<EOF\"]\nRUN \"<<NOHEREDOC\"\nADD <<A /a\nx\nA\nONBUILD RUN <<B\nb\nB\n");
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    let k: Vec<_> = df.instructions.iter().map(|i| i.keyword.clone()).collect();
    assert_eq!(
        k,
        [
            Keyword::From,
            Keyword::User,
            Keyword::Other("INVALID".into()),
            Keyword::Run,
            Keyword::Run,
            Keyword::Add,
            Keyword::Onbuild,
        ]
    );
    assert!(df.instructions[1].heredocs.is_empty());
    assert!(df.instructions[3].heredocs.is_empty());
    assert!(df.instructions[4].heredocs.is_empty());
    assert_eq!(df.instructions[5].heredocs[0].content, "x\n");
    let onbuild = &df.instructions[6];
    assert_eq!(onbuild.heredocs[0].content, "b\n");
    assert_eq!(onbuild.end_line, 11);
    match &onbuild.args {
        Args::Instruction(sub) => assert_eq!(sub.heredocs.len(), 1),
        other => panic!("{other:?}"),
    }
}

#[test]
fn heredoc_unterminated_is_error() {
    let df = parse("FROM a\nRUN <<EOF\necho hi\n");
    assert_eq!(df.errors.len(), 1);
    assert_eq!(df.errors[0].message, "unterminated heredoc");
    assert_eq!(df.errors[0].line, 2);
    assert_eq!(df.instructions[1].heredocs[0].content, "echo hi\n");
}

#[test]
fn escape_directive_backtick() {
    let df = parse("# escape=`\n\nFROM windows\nRUN dir `\n  c:\\\nCOPY a\\b c:\\dest\\\n");
    assert!(df.errors.is_empty());
    assert_eq!(df.escape, '`');
    assert_eq!(
        df.directives,
        vec![Directive {
            name: "escape".into(),
            value: "`".into(),
            line: 1
        }]
    );
    assert!(df.comments.is_empty());
    assert_eq!(df.instructions[1].args, Args::Shell("dir   c:\\".into()));
    assert_eq!(df.instructions[2].line, 6);
    assert_eq!(
        df.instructions[2].args,
        Args::Words(s(&["a\\b", "c:\\dest\\"]))
    );
    let run = parse("# escape=`\nRUN dir c:\\foo \"x y\"\n");
    let i = only(&run);
    assert_eq!(
        i.words_with_escape(run.escape),
        s(&["dir", "c:\\foo", "x y"])
    );
    assert_eq!(i.words(), s(&["dir", "c:foo", "x y"]));
}

#[test]
fn directives_syntax_check_and_order() {
    let df = parse("# syntax=docker/dockerfile:1.7\n#check=skip=all\n  # ESCAPE = \\\nFROM a\n");
    let d: Vec<_> = df
        .directives
        .iter()
        .map(|d| (d.name.as_str(), d.value.as_str(), d.line))
        .collect();
    assert_eq!(
        d,
        [
            ("syntax", "docker/dockerfile:1.7", 1),
            ("check", "skip=all", 2),
            ("escape", "\\", 3)
        ]
    );
    // Duplicates are rejected; an invalid escape value too.
    assert!(!parse("# escape=\\\n# escape=`\nFROM a\n").errors.is_empty());
    assert!(!parse("# escape=x\nFROM a\n").errors.is_empty());
}

#[test]
fn escape_after_comment_or_blank_is_not_a_directive() {
    for src in [
        "# hello\n# escape=`\nFROM a\nENV X `\n\\go\n",
        "\n# escape=`\nFROM a\nENV X `\n\\go\n",
        "# unknown=1\n# escape=`\nFROM a\nENV X `\n\\go\n",
    ] {
        let df = parse(src);
        assert!(df.directives.is_empty(), "{src:?}");
        assert_eq!(df.escape, '\\');
        // Without the backtick directive the backtick is literal: no continuation.
        assert_eq!(df.instructions.len(), 3, "{src:?}");
        assert!(df.comments.iter().any(|c| c.text == "escape=`"));
    }
    let df = parse("FROM a\n# escape=`\nRUN x\n");
    assert!(df.directives.is_empty());
    assert_eq!(df.instructions[1].comments_before[0].text, "escape=`");
}

#[test]
fn blank_and_comment_lines_inside_continuations() {
    let src = "FROM a\nRUN echo hello \\\n# a comment\n\n  # indented comment\n\nworld \\\n\n  again\nUSER u\n";
    let df = parse(src);
    assert!(df.errors.is_empty());
    let run = &df.instructions[1];
    assert_eq!(run.args, Args::Shell("echo hello world   again".into()));
    assert_eq!((run.line, run.end_line), (2, 9));
    assert_eq!(&*run.original, "RUN echo hello world   again");
    assert_eq!(df.instructions[2].line, 10);
    let lines: Vec<_> = df
        .comments
        .iter()
        .map(|c| (c.line, c.text.as_str()))
        .collect();
    assert_eq!(lines, [(3, "a comment"), (5, "indented comment")]);
    assert_eq!(df.warnings.len(), 1);
    assert!(df.instructions[2].comments_before.is_empty());
}

#[test]
fn continuation_edge_cases() {
    // Escaped escape at end of line is not a continuation.
    let df = parse("ENV C trailing\\\\\nENV D next\n");
    assert_eq!(df.instructions.len(), 2);
    // Trailing whitespace after the escape still continues.
    let df = parse("RUN a \\  \t\nb\n");
    assert_eq!(only(&df).args, Args::Shell("a b".into()));
    // Trailing escape at EOF.
    let df = parse("FROM a\nRUN something \\");
    assert_eq!(only(&df).args, Args::Shell("something".into()));
    assert_eq!(only(&df).end_line, 2);
    // A lone escape line joins nothing.
    let df = parse("RUN hello\\\n\\\nworld\n");
    assert_eq!(only(&df).args, Args::Shell("helloworld".into()));
}

#[test]
fn json_and_shell_forms() {
    let df = parse(concat!(
        "CMD [\"a\", \"b\"]\n",
        "CMD []\n",
        "ENTRYPOINT [ \"/bin/sh\", \"-c\" ]\n",
        "CMD ['single', 'quotes']\n",
        "CMD [\"unterminated\"\n",
        "CMD '[\"in\", \"string\"]'\n",
        "SHELL [\"powershell\", \"-Command\"]\n",
        "RUN echo hi\n",
        "COPY [\"a b\", \"/c\"]\n",
        "VOLUME [\"/x\", \"/y\"]\n",
        "VOLUME /a /b\n",
    ));
    assert!(df.errors.is_empty());
    let a: Vec<_> = df.instructions.iter().map(|i| i.args.clone()).collect();
    assert_eq!(a[0], Args::Json(s(&["a", "b"])));
    assert_eq!(a[1], Args::Json(vec![]));
    assert_eq!(a[2], Args::Json(s(&["/bin/sh", "-c"])));
    assert_eq!(a[3], Args::Shell("['single', 'quotes']".into()));
    assert_eq!(a[4], Args::Shell("[\"unterminated\"".into()));
    assert_eq!(a[5], Args::Shell("'[\"in\", \"string\"]'".into()));
    assert_eq!(a[6], Args::Json(s(&["powershell", "-Command"])));
    assert_eq!(a[7], Args::Shell("echo hi".into()));
    assert_eq!(a[8], Args::Json(s(&["a b", "/c"])));
    assert_eq!(a[9], Args::Json(s(&["/x", "/y"])));
    assert_eq!(a[10], Args::Words(s(&["/a", "/b"])));
    assert_eq!(df.instructions[0].command_text().as_deref(), Some("a b"));
    assert_eq!(df.instructions[0].words(), s(&["a", "b"]));
    assert_eq!(df.instructions[7].words(), s(&["echo", "hi"]));
    // Nested (non-string) JSON is a hard error in BuildKit.
    let df = parse("CMD [ \"echo\", [ \"nested json\" ] ]\n");
    assert_eq!(df.errors.len(), 1);
    let df = parse("COPY [\"a\", 1]\n");
    assert_eq!(df.errors.len(), 1);
    // Trailing text makes it invalid JSON, hence plain words.
    let df = parse("COPY [\"a\", 1] /x\n");
    assert!(df.errors.is_empty());
    assert_eq!(
        df.instructions[0].args,
        Args::Words(s(&["[\"a\",", "1]", "/x"]))
    );
}

#[test]
fn every_buildkit_flag() {
    let df = parse(concat!(
        "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n",
        "RUN --mount=type=cache,target=/root/.cache --network=none --security=insecure go build\n",
        "COPY --from=build --chmod=0755 --chown=app:app --link --parents --exclude=*.md a /b\n",
        "ADD --keep-git-dir=true --checksum=sha256:abc --link https://x/y.git /src\n",
        "HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --start-interval=1s --retries=3 CMD curl -f http://localhost/\n",
        "COPY --chown=\"a b\" -- --weird /dst\n",
    ));
    assert!(df.errors.is_empty());
    let f = |i: usize| df.instructions[i].flags.clone();
    assert_eq!(f(0), vec![flag("platform", Some("$BUILDPLATFORM"))]);
    assert_eq!(
        f(1),
        vec![
            flag("mount", Some("type=cache,target=/root/.cache")),
            flag("network", Some("none")),
            flag("security", Some("insecure")),
        ]
    );
    assert_eq!(df.instructions[1].args, Args::Shell("go build".into()));
    assert_eq!(
        f(2),
        vec![
            flag("from", Some("build")),
            flag("chmod", Some("0755")),
            flag("chown", Some("app:app")),
            flag("link", None),
            flag("parents", None),
            flag("exclude", Some("*.md")),
        ]
    );
    assert_eq!(df.instructions[2].args, Args::Words(s(&["a", "/b"])));
    assert_eq!(
        f(3),
        vec![
            flag("keep-git-dir", Some("true")),
            flag("checksum", Some("sha256:abc")),
            flag("link", None),
        ]
    );
    let names: Vec<_> = f(4).into_iter().map(|f| f.name).collect();
    assert_eq!(
        names,
        [
            "interval",
            "timeout",
            "start-period",
            "start-interval",
            "retries"
        ]
    );
    assert_eq!(f(5), vec![flag("chown", Some("a b"))]);
    assert_eq!(
        df.instructions[5].args,
        Args::Words(s(&["--weird", "/dst"]))
    );
}

#[test]
fn env_legacy_and_quotes() {
    let df = parse(concat!(
        "ENV name value with spaces\n",
        "ENV a=1 b=\"two words\" c='x y' d=e\\ f\n",
        "ENV PATH=\"/usr/local/bin:$PATH\"\n",
        "LABEL maintainer James \"j@x.com\"\n",
        "LABEL \"com.example.vendor\"=\"ACME\" version=1.0\n",
        "ENV\n",
    ));
    assert!(df.errors.is_empty());
    let kv = |i: usize| match &df.instructions[i].args {
        Args::KeyValues(v) => v.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        kv(0),
        vec![KeyValue {
            key: "name".into(),
            value: Some("value with spaces".into()),
            raw_value: Some("value with spaces".into()),
            legacy: true,
        }]
    );
    let v: Vec<_> = kv(1)
        .into_iter()
        .map(|k| (k.key, k.value, k.raw_value, k.legacy))
        .collect();
    assert_eq!(
        v,
        vec![
            ("a".into(), Some("1".into()), Some("1".into()), false),
            (
                "b".into(),
                Some("two words".into()),
                Some("\"two words\"".into()),
                false
            ),
            ("c".into(), Some("x y".into()), Some("'x y'".into()), false),
            ("d".into(), Some("e f".into()), Some("e\\ f".into()), false),
        ]
    );
    assert_eq!(kv(2)[0].value.as_deref(), Some("/usr/local/bin:$PATH"));
    assert_eq!(kv(3)[0].key, "maintainer");
    assert_eq!(kv(3)[0].value.as_deref(), Some("James j@x.com"));
    assert_eq!(kv(4)[0].key, "\"com.example.vendor\"");
    assert_eq!(kv(4)[1].value.as_deref(), Some("1.0"));
    assert!(kv(5).is_empty());
    // ENV with a name only, and a pair list with a bare word, are errors.
    assert_eq!(
        parse("FROM a\nENV PATH\n").errors[0].message,
        "ENV must have two arguments"
    );
    assert!(parse("ENV a=1 b\n").errors[0]
        .message
        .contains("can't find = in \"b\""));
}

#[test]
fn arg_several_per_line_and_global_args() {
    let df = parse("ARG A B=2 C=\"x y\" D=\nARG E=${A:-z}\nFROM img:${B}\nARG F\n");
    assert!(df.errors.is_empty());
    let g = df.global_args();
    let g: Vec<_> = g
        .iter()
        .map(|(kv, line)| (kv.key.as_str(), kv.value.as_deref(), *line))
        .collect();
    assert_eq!(
        g,
        [
            ("A", None, 1),
            ("B", Some("2"), 1),
            ("C", Some("x y"), 1),
            ("D", Some(""), 1),
            ("E", Some("${A:-z}"), 2),
        ]
    );
    let lookup = |n: &str| {
        df.global_args()
            .into_iter()
            .find(|(kv, _)| kv.key == n)
            .and_then(|(kv, _)| kv.value)
    };
    let base = df.stages()[0].base.clone();
    assert_eq!(expand_args(&base, &lookup), "img:2");
}

#[test]
fn onbuild_nested() {
    let df = parse("ONBUILD RUN [\"echo\", \"test\"]\nonbuild --x ADD . /app\nONBUILD\n");
    assert!(df.errors.is_empty());
    match &df.instructions[0].args {
        Args::Instruction(sub) => {
            assert_eq!(sub.keyword, Keyword::Run);
            assert_eq!(sub.args, Args::Json(s(&["echo", "test"])));
            assert_eq!(sub.line, 1);
        }
        other => panic!("{other:?}"),
    }
    let i = &df.instructions[1];
    assert_eq!(i.keyword, Keyword::Onbuild);
    assert_eq!(i.flags, vec![flag("x", None)]);
    match &i.args {
        Args::Instruction(sub) => assert_eq!(sub.args, Args::Words(s(&[".", "/app"]))),
        other => panic!("{other:?}"),
    }
    assert_eq!(df.instructions[2].args, Args::Shell(String::new()));
    // Deep nesting is bounded, not a stack overflow.
    let deep = format!("{}RUN x\n", "ONBUILD ".repeat(10_000));
    let df = parse(&deep);
    assert_eq!(df.instructions.len(), 1);
}

#[test]
fn healthcheck_none_and_cmd() {
    let df = parse(concat!(
        "HEALTHCHECK NONE\n",
        "HEALTHCHECK --interval=5s --timeout=3s \\\n  CMD /app/check.sh --quiet\n",
        "HEALTHCHECK --retries=2 CMD [\"curl\", \"-f\", \"http://x/\"]\n",
        "HEALTHCHECK\n",
        "HEALTHCHECK CONNECT TCP 7000\n",
    ));
    assert!(df.errors.is_empty());
    let i = &df.instructions;
    assert_eq!(i[0].args, Args::Healthcheck(None));
    assert_eq!(i[1].line, 2);
    assert_eq!(i[1].end_line, 3);
    assert_eq!(
        i[1].flags,
        vec![flag("interval", Some("5s")), flag("timeout", Some("3s"))]
    );
    match &i[1].args {
        Args::Healthcheck(Some(c)) => {
            assert_eq!(c.keyword, Keyword::Cmd);
            assert_eq!(c.args, Args::Shell("/app/check.sh --quiet".into()));
            assert_eq!(c.command_text().as_deref(), Some("/app/check.sh --quiet"));
        }
        other => panic!("{other:?}"),
    }
    match &i[2].args {
        Args::Healthcheck(Some(c)) => {
            assert_eq!(c.args, Args::Json(s(&["curl", "-f", "http://x/"])))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(i[2].words(), s(&["curl", "-f", "http://x/"]));
    assert_eq!(i[3].args, Args::Shell(String::new()));
    match &i[4].args {
        Args::Healthcheck(Some(c)) => {
            assert_eq!(c.keyword, Keyword::Other("CONNECT".into()));
            assert_eq!(c.args, Args::Shell("TCP 7000".into()));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn other_instructions_shapes() {
    let df = parse(concat!(
        "FROM  ubuntu:22.04\n",
        "MAINTAINER Jane <j@x>\n",
        "EXPOSE 80/tcp  443\n",
        "USER app:app\n",
        "WORKDIR /my app\n",
        "STOPSIGNAL SIGTERM\n",
        "FROBNICATE --x a b\n",
        "cmd echo lower\n",
    ));
    assert!(df.errors.is_empty());
    let a: Vec<_> = df.instructions.iter().map(|i| i.args.clone()).collect();
    assert_eq!(a[0], Args::Words(s(&["ubuntu:22.04"])));
    assert_eq!(a[1], Args::Shell("Jane <j@x>".into()));
    assert_eq!(a[2], Args::Words(s(&["80/tcp", "443"])));
    assert_eq!(a[3], Args::Words(s(&["app:app"])));
    assert_eq!(a[4], Args::Words(s(&["/my app"])));
    assert_eq!(a[5], Args::Words(s(&["SIGTERM"])));
    assert_eq!(
        df.instructions[6].keyword,
        Keyword::Other("FROBNICATE".into())
    );
    assert_eq!(df.instructions[6].flags, vec![flag("x", None)]);
    assert_eq!(a[6], Args::Shell("a b".into()));
    assert_eq!(df.instructions[7].keyword, Keyword::Cmd);
    assert_eq!(df.instructions[7].keyword.as_str(), "CMD");
}

#[test]
fn line_numbers_of_every_instruction() {
    let src = "# c1\n\nFROM a AS b\n\nRUN x \\\n  y\n# c2\nCOPY <<E /e\nbody\nE\n\n\nCMD z\n";
    let df = parse(src);
    let l: Vec<_> = df
        .instructions
        .iter()
        .map(|i| (i.keyword.as_str().to_string(), i.line, i.end_line))
        .collect();
    assert_eq!(
        l,
        [
            ("FROM".to_string(), 3, 3),
            ("RUN".to_string(), 5, 6),
            ("COPY".to_string(), 8, 10),
            ("CMD".to_string(), 13, 13),
        ]
    );
    assert_eq!(df.instructions[0].comments_before[0].text, "c1");
    assert_eq!(df.instructions[2].comments_before[0].line, 7);
    assert!(df.instructions[3].comments_before.is_empty());
}

#[test]
fn crlf_lone_cr_and_bom() {
    let df = parse("\u{feff}# escape=`\r\nFROM a\r\nRUN x `\r\n  y\r\nCOPY <<E /e\r\nl1\r\nE\r\n");
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    assert_eq!(df.escape, '`');
    assert_eq!(df.instructions[1].args, Args::Shell("x   y".into()));
    assert_eq!(df.instructions[2].heredocs[0].content, "l1\n");
    assert_eq!(df.instructions[2].line, 5);
    let df = parse("FROM a\rRUN b\rCMD c");
    assert_eq!(df.instructions.len(), 3);
    assert_eq!(df.instructions[2].line, 3);
    let df = parse("\u{feff}FROM a\n");
    assert_eq!(only(&df).args, Args::Words(s(&["a"])));
}

#[test]
fn empty_and_comment_only_files_are_errors() {
    for src in ["", "\n\n", "# just\n# comments\n", "   \n\t\n"] {
        let df = parse(src);
        assert_eq!(df.errors.len(), 1, "{src:?}");
        assert_eq!(df.errors[0].message, "file with no instructions");
        assert!(df.instructions.is_empty());
    }
}

#[test]
fn binary_garbage_never_panics() {
    let mut seed = 0x1234_5678_9abc_def0u64;
    let alphabet: Vec<char> = "\\`'\"$<>{}[]#=-: \t\r\n\u{0}\u{feff}\u{85}\u{a0}é😀aZ9,"
        .chars()
        .collect();
    for round in 0..300 {
        let len = (round * 7) % 400;
        let mut text = String::new();
        for _ in 0..len {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let idx = (seed as usize) % (alphabet.len() + 8);
            match alphabet.get(idx) {
                Some(c) => text.push(*c),
                None => text.push_str(
                    [
                        "RUN ",
                        "ENV ",
                        "<<EOF",
                        "ONBUILD ",
                        "HEALTHCHECK ",
                        "COPY ",
                        "--",
                        "${",
                    ][idx - alphabet.len()],
                ),
            }
        }
        let df = parse(&text);
        let _ = df.stages();
        let _ = df.global_args();
        for i in &df.instructions {
            let _ = i.words();
            let _ = i.command_text();
            let _ = expand_args(&i.original, &|_| Some("v".into()));
        }
    }
    let bytes: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
    let lossy = String::from_utf8_lossy(&bytes);
    let _ = parse(&lossy);
}

#[test]
fn huge_continuations_complete() {
    let mut src = String::from("FROM a\nRUN echo start \\\n");
    for i in 0..100_000 {
        src.push_str(&format!("  && echo {i} \\\n"));
        if i % 10_000 == 0 {
            src.push_str("# comment inside\n");
        }
    }
    src.push_str("  && done\n");
    let df = parse(&src);
    assert!(df.errors.is_empty());
    assert_eq!(df.instructions.len(), 2);
    let Args::Shell(cmd) = &df.instructions[1].args else {
        panic!("shell form expected")
    };
    assert!(cmd.ends_with("&& done"));
    assert!(cmd.contains("echo 99999"));
    // Also many instructions and very long single lines.
    let many = "ENV A=1 B=\"2 3\" C=4\n".repeat(50_000);
    assert_eq!(parse(&many).instructions.len(), 50_000);
    let long = format!("RUN {}\n", "x".repeat(1_000_000));
    assert_eq!(parse(&long).instructions.len(), 1);
    let json = format!("CMD [{}\"end\"]\n", "\"a\", ".repeat(100_000));
    assert!(matches!(&parse(&json).instructions[0].args, Args::Json(v) if v.len() == 100_001));
}

#[test]
fn stages_with_names_and_platforms() {
    let df = parse(concat!(
        "ARG BASE=alpine\n",
        "FROM --platform=$BUILDPLATFORM golang:1.22 AS Build\n",
        "RUN go build\n",
        "FROM ${BASE}\n",
        "COPY --from=build /out /out\n",
        "CMD [\"/out\"]\n",
        "FROM scratch as final\n",
    ));
    let st = df.stages();
    assert_eq!(st.len(), 3);
    assert_eq!(
        st[0],
        Stage {
            index: 0,
            name: Some("build".into()),
            base: "golang:1.22".into(),
            platform: Some("$BUILDPLATFORM".into()),
            line: 2,
            instructions: 1..3,
        }
    );
    assert_eq!(st[1].name, None);
    assert_eq!(st[1].base, "${BASE}");
    assert_eq!(st[1].instructions, 3..6);
    assert_eq!(st[2].name.as_deref(), Some("final"));
    assert_eq!(st[2].instructions, 6..7);
    assert!(parse("ARG X\n").stages().is_empty());
}

#[test]
fn thin_lists_are_one_pointer_and_compare_as_lists() {
    assert_eq!(
        std::mem::size_of::<ThinList<Flag>>(),
        std::mem::size_of::<usize>()
    );
    // Parsed Dockerfiles live for the whole audit: keep an instruction small.
    assert!(std::mem::size_of::<Instruction>() <= 112);
    let mut l: ThinList<u32> = ThinList::new();
    assert!(l.is_empty());
    assert_eq!(l, ThinList::from(Vec::new()));
    l.push(1);
    l.push(2);
    assert_eq!(l, vec![1, 2]);
    assert_eq!(l.iter().sum::<u32>(), 3);
    assert_eq!(format!("{l:?}"), "[1, 2]");
    assert_eq!(l.into_iter().collect::<Vec<_>>(), vec![1, 2]);
}
