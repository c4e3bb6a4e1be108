use super::*;
use std::time::{Duration, Instant};

fn pos(n: &Node) -> (u32, u32) {
    (n.line, n.column)
}

fn key_pos(map: &Node, key: &str) -> (u32, u32) {
    pos(&map.entry(key).expect("key present").key)
}

fn keys(n: &Node) -> Vec<&str> {
    n.as_map()
        .expect("a map")
        .iter()
        .map(|e| e.key_str().expect("scalar key"))
        .collect()
}

/// Run `f` on a thread with a 2 MiB stack, like many CI runners' worker threads.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("no panic or stack overflow")
}

#[test]
fn block_positions_of_keys_and_values() {
    let src = "\
# comment
services:
  web:
    image: nginx:1.25
    ports:
      - \"8080:80\"
    command: >
      run
      fast
";
    let doc = load_one(src).unwrap();
    assert_eq!(key_pos(&doc, "services"), (2, 1));
    let services = doc.get("services").unwrap();
    assert_eq!(pos(services), (3, 3));
    assert_eq!(key_pos(services, "web"), (3, 3));
    let web = services.get("web").unwrap();
    assert_eq!(key_pos(web, "image"), (4, 5));
    let image = web.get("image").unwrap();
    assert_eq!(pos(image), (4, 12));
    assert_eq!(image.as_str(), Some("nginx:1.25"));
    let ports = web.get("ports").unwrap();
    assert_eq!(pos(ports), (6, 7));
    let port = &ports.as_seq().unwrap()[0];
    assert_eq!(pos(port), (6, 9));
    let s = port.as_scalar().unwrap();
    assert_eq!(
        (s.text.as_str(), s.style),
        ("8080:80", ScalarStyle::DoubleQuoted)
    );
    let command = web.get("command").unwrap();
    assert_eq!(command.as_scalar().unwrap().style, ScalarStyle::Folded);
    assert_eq!(command.as_str(), Some("run fast\n"));
    assert_eq!(pos(command), (7, 14));
}

#[test]
fn block_scalars_start_at_their_header() {
    let src = "a: |\n  x\nb: >-  # comment | >\n\n\n  y\n- |\n";
    let loaded = load(src, &Limits::default());
    assert!(
        loaded.error.is_some(),
        "a sequence entry after a mapping is an error"
    );
    let src =
        "a: |\n  x\nb: >-  # comment | >\r\n\r\n\r\n  y\nc: |+\nd: !t |\n  z\nl:\n  - |2\n     w\n";
    let doc = load_one(src).unwrap();
    assert_eq!(pos(doc.get("a").unwrap()), (1, 4));
    let b = doc.get("b").unwrap();
    assert_eq!(pos(b), (3, 4));
    assert_eq!(b.as_str(), Some("\n\ny"));
    assert_eq!(pos(doc.get("c").unwrap()), (7, 4));
    assert_eq!(pos(doc.get("d").unwrap()), (8, 4));
    let l = &doc.get("l").unwrap().as_seq().unwrap()[0];
    assert_eq!(pos(l), (11, 5));
    assert_eq!(l.as_str(), Some(" w\n"));
    assert_eq!(load_one("--- |\n  text\n").unwrap().line, 1);
}

#[test]
fn flow_positions_of_keys_and_values() {
    let doc = load_one("top: {b: 1, c: [x, 'y']}\n").unwrap();
    let top = doc.get("top").unwrap();
    assert_eq!(pos(top), (1, 6));
    assert_eq!(key_pos(top, "b"), (1, 7));
    assert_eq!(pos(top.get("b").unwrap()), (1, 10));
    assert_eq!(key_pos(top, "c"), (1, 13));
    let c = top.get("c").unwrap();
    assert_eq!(pos(c), (1, 16));
    let items = c.as_seq().unwrap();
    assert_eq!(pos(&items[0]), (1, 17));
    assert_eq!(pos(&items[1]), (1, 20));
    assert_eq!(
        items[1].as_scalar().unwrap().style,
        ScalarStyle::SingleQuoted
    );
}

#[test]
fn columns_count_characters() {
    let doc = load_one("é: ü\n").unwrap();
    assert_eq!(pos(doc.get("é").unwrap()), (1, 4));
}

#[test]
fn multi_document_stream() {
    let loaded = load("kind: A\n---\nkind: B\n...\n---\n- x\n", &Limits::default());
    assert!(loaded.error.is_none());
    assert_eq!(loaded.documents.len(), 3);
    assert_eq!(loaded.documents[1].get("kind").unwrap().as_str(), Some("B"));
    assert_eq!(pos(&loaded.documents[1]), (3, 1));
    assert!(loaded.documents[2].is_seq());
}

#[test]
fn error_in_second_document_keeps_the_first() {
    let src = "a: 1\n---\nb: 1\n  c: 2\n---\nd: 4\n";
    let started = Instant::now();
    let loaded = load(src, &Limits::default());
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(loaded.documents.len(), 1);
    assert_eq!(loaded.documents[0].get("a").unwrap().as_i64(), Some(1));
    let err = loaded.error.unwrap();
    assert_eq!(err.line, 4, "{err}");
    assert!(err.to_string().starts_with("line 4, column "), "{err}");
    assert!(load_one(src).is_err());
}

#[test]
fn unclosed_flow_in_second_document() {
    let loaded = load("a: 1\n---\nb: [1, 2\n", &Limits::default());
    assert_eq!(loaded.documents.len(), 1);
    let err = loaded.error.unwrap();
    assert!(err.line >= 3, "{err}");
}

#[test]
fn merge_key_single() {
    let src = "\
base: &base
  image: app
  restart: always
web:
  <<: *base
  restart: \"no\"
";
    let doc = load_one(src).unwrap();
    let web = doc.get("web").unwrap();
    assert_eq!(keys(web), ["image", "restart"]);
    assert_eq!(web.get("restart").unwrap().as_str(), Some("no"));
    // The merged value keeps where it was defined.
    let image = web.entry("image").unwrap();
    assert_eq!(pos(&image.key), (2, 3));
    assert_eq!(pos(&image.value), (2, 10));
    assert_eq!(web.entry("restart").unwrap().key.line, 6);
}

#[test]
fn merge_key_list_precedence() {
    let src = "\
a: &a {x: 1, y: 1}
b: &b {y: 2, z: 2, w: 2}
c:
  z: 3
  <<: [*a, *b]
  v: 4
";
    let loaded = load(src, &Limits::default());
    assert!(loaded.error.is_none());
    assert!(loaded.duplicates.is_empty());
    let c = loaded.documents[0].get("c").unwrap();
    assert_eq!(keys(c), ["z", "x", "y", "w", "v"]);
    assert_eq!(c.get("x").unwrap().as_i64(), Some(1));
    assert_eq!(c.get("y").unwrap().as_i64(), Some(1), "earlier merge wins");
    assert_eq!(c.get("z").unwrap().as_i64(), Some(3), "explicit key wins");
    assert_eq!(c.get("w").unwrap().as_i64(), Some(2));
    assert_eq!(c.get("y").unwrap().line, 1);
    assert!(c.get("<<").is_none());
}

#[test]
fn merge_inline_map_and_nested_merge() {
    let src = "\
base: &base {a: 1}
mid: &mid
  <<: *base
  b: 2
top:
  <<: [*mid, {c: 3}]
";
    let doc = load_one(src).unwrap();
    let top = doc.get("top").unwrap();
    assert_eq!(keys(top), ["a", "b", "c"]);
}

#[test]
fn invalid_merge_value_is_kept_as_a_key() {
    let doc = load_one("m:\n  <<: 5\n  a: 1\n").unwrap();
    let m = doc.get("m").unwrap();
    assert_eq!(m.get("<<").unwrap().as_i64(), Some(5));
    // A quoted "<<" is an ordinary key.
    let doc = load_one("base: &b {x: 1}\nm:\n  \"<<\": *b\n").unwrap();
    assert!(doc.get("m").unwrap().get("<<").is_some());
}

#[test]
fn duplicate_keys_keep_last_value() {
    let src = "a: 1\nb: 2\na: 3\nc:\n  d: x\n  d: y\n  d: z\n";
    let loaded = load(src, &Limits::default());
    assert!(loaded.error.is_none());
    let doc = &loaded.documents[0];
    assert_eq!(keys(doc), ["a", "b", "c"]);
    assert_eq!(doc.get("a").unwrap().as_i64(), Some(3));
    assert_eq!(doc.entry("a").unwrap().key.line, 3);
    assert_eq!(doc.get("c").unwrap().get("d").unwrap().as_str(), Some("z"));
    assert_eq!(
        loaded.duplicates,
        vec![
            Duplicate {
                key: "d".into(),
                line: 6,
                first_line: 5
            },
            Duplicate {
                key: "d".into(),
                line: 7,
                first_line: 5
            },
            Duplicate {
                key: "a".into(),
                line: 3,
                first_line: 1
            },
        ]
    );
}

#[test]
fn duplicate_of_merged_key_is_not_reported() {
    let loaded = load("b: &b {x: 1}\nm:\n  <<: *b\n  x: 2\n", &Limits::default());
    assert!(loaded.duplicates.is_empty());
    let m = loaded.documents[0].get("m").unwrap();
    assert_eq!(m.get("x").unwrap().as_i64(), Some(2));
}

#[test]
fn anchors_and_aliases() {
    let src = "x: &v hello\ny: *v\nz: !!str &n 5\nlist: &l\n  - 1\n  - 2\ncopy: *l\n";
    let doc = load_one(src).unwrap();
    let x = doc.get("x").unwrap();
    assert_eq!(x.anchor.as_deref(), Some("v"));
    assert_eq!(pos(x), (1, 4));
    let y = doc.get("y").unwrap();
    assert_eq!(y.as_str(), Some("hello"));
    assert_eq!(y.line, 1, "aliases keep the definition's position");
    let z = doc.get("z").unwrap();
    assert_eq!(z.anchor.as_deref(), Some("n"));
    assert_eq!(z.tag.as_deref(), Some("!!str"));
    assert_eq!(z.as_i64(), None);
    assert_eq!(z.as_str(), Some("5"));
    let l = doc.get("list").unwrap();
    assert_eq!(l.anchor.as_deref(), Some("l"));
    assert_eq!(pos(l), (4, 7));
    assert_eq!(doc.get("copy").unwrap().as_seq().unwrap().len(), 2);
}

#[test]
fn anchor_names_after_non_ascii_text() {
    let doc = load_one("é: &ä ü\nb: *ä\nc: [&x1 1, *x1]\n").unwrap();
    assert_eq!(doc.get("é").unwrap().anchor.as_deref(), Some("ä"));
    assert_eq!(doc.get("b").unwrap().as_str(), Some("ü"));
    let c = doc.get("c").unwrap().as_seq().unwrap();
    assert_eq!(c[0].anchor.as_deref(), Some("x1"));
    assert_eq!(c[1].as_i64(), Some(1));
}

#[test]
fn redefined_anchor_uses_latest() {
    let doc = load_one("a: &x 1\nb: *x\nc: &x 2\nd: *x\n").unwrap();
    assert_eq!(doc.get("b").unwrap().as_i64(), Some(1));
    assert_eq!(doc.get("d").unwrap().as_i64(), Some(2));
}

#[test]
fn recursive_and_cross_document_aliases_are_errors() {
    let loaded = load("a: &a [1, *a]\n", &Limits::default());
    assert!(loaded.error.is_some());
    assert!(loaded.documents.is_empty());
    let loaded = load("a: &a 1\n---\nb: *a\n", &Limits::default());
    assert_eq!(loaded.documents.len(), 1);
    assert_eq!(loaded.error.unwrap().line, 3);
    let loaded = load("b: *nope\n", &Limits::default());
    assert_eq!(loaded.error.unwrap().line, 1);
}

#[test]
fn tags_are_kept() {
    let src = "\
Bucket: !Ref MyBucket
Arn: !GetAtt [Role, Arn]
Sub: !Sub
  - ${x}
  - {x: 1}
Local: !<tag:example.com,2000:thing> v
Empty: !custom
Str: !!str 123
Int: !!int \"42\"
";
    let doc = load_one(src).unwrap();
    let bucket = doc.get("Bucket").unwrap();
    assert_eq!(bucket.tag.as_deref(), Some("!Ref"));
    assert_eq!(bucket.as_str(), Some("MyBucket"));
    assert_eq!(pos(bucket), (1, 9));
    let arn = doc.get("Arn").unwrap();
    assert_eq!(arn.tag.as_deref(), Some("!GetAtt"));
    assert_eq!(arn.as_seq().unwrap().len(), 2);
    assert_eq!(doc.get("Sub").unwrap().tag.as_deref(), Some("!Sub"));
    assert_eq!(
        doc.get("Local").unwrap().tag.as_deref(),
        Some("!<tag:example.com,2000:thing>")
    );
    let empty = doc.get("Empty").unwrap();
    assert!(empty.is_null());
    assert_eq!(empty.tag.as_deref(), Some("!custom"));
    assert_eq!(doc.get("Str").unwrap().as_i64(), None);
    assert_eq!(doc.get("Int").unwrap().as_i64(), Some(42));
}

#[test]
fn typed_accessors_follow_the_core_schema() {
    let src = "\
t: True
f: false
q: \"true\"
y: yes
i: -12
h: 0x1F
o: 0o17
big: 99999999999999999999
fl: 1.5e3
n1: ~
n2: null
n3:
s: '~'
on: x
";
    let doc = load_one(src).unwrap();
    let g = |k: &str| doc.get(k).unwrap();
    assert_eq!(g("t").as_bool(), Some(true));
    assert_eq!(g("f").as_bool(), Some(false));
    assert_eq!(g("q").as_bool(), None);
    assert_eq!(g("q").as_str(), Some("true"));
    assert_eq!(g("y").as_bool(), None, "YAML 1.2: yes is a string");
    assert_eq!(g("i").as_i64(), Some(-12));
    assert_eq!(g("i").as_str(), Some("-12"));
    assert_eq!(g("h").as_i64(), Some(31));
    assert_eq!(g("o").as_i64(), Some(15));
    assert_eq!(g("big").as_i64(), None);
    assert_eq!(g("fl").as_f64(), Some(1500.0));
    assert_eq!(g("i").as_f64(), Some(-12.0));
    for k in ["n1", "n2", "n3"] {
        assert!(g(k).is_null(), "{k}");
        assert_eq!(g(k).as_str(), None);
    }
    assert!(!g("s").is_null());
    assert_eq!(g("s").as_str(), Some("~"));
    assert_eq!(g("on").as_str(), Some("x"), "YAML 1.2: `on` is a plain key");
    assert!(doc.get("missing").is_none());
    assert!(g("t").get("x").is_none());
}

#[test]
fn str_or_seq() {
    let doc = load_one("a: one\nb: [one, two]\nc:\nd: {x: 1}\n").unwrap();
    let texts = |k: &str| -> Vec<&str> {
        doc.get(k)
            .unwrap()
            .str_or_seq()
            .into_iter()
            .filter_map(Node::as_str)
            .collect()
    };
    assert_eq!(texts("a"), ["one"]);
    assert_eq!(texts("b"), ["one", "two"]);
    assert!(texts("c").is_empty());
    assert!(texts("d").is_empty());
}

#[test]
fn null_keys() {
    let doc = load_one("~: a\n? \n: b\n").unwrap_or_else(|e| panic!("{e}"));
    // Both keys are null: a duplicate, the last value wins.
    assert_eq!(doc.get("null").unwrap().as_str(), Some("b"));
    assert_eq!(doc.get("~").unwrap().as_str(), Some("b"));
}

fn billion_laughs() -> String {
    let mut s = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let p = i - 1;
        s.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    s
}

#[test]
fn billion_laughs_is_rejected_quickly() {
    let src = billion_laughs();
    let started = Instant::now();
    let loaded = on_small_stack(move || load(&src, &Limits::default()));
    assert!(started.elapsed() < Duration::from_secs(5));
    let err = loaded.error.expect("budget exceeded");
    assert!(err.message.contains("alias"), "{err}");
    assert!(err.message.contains("1000000"), "{err}");
    assert!(loaded.documents.is_empty());
}

#[test]
fn alias_bomb_of_large_scalars_is_rejected() {
    let big = "x".repeat(1 << 20);
    let mut src = format!("a: &a \"{big}\"\nb: [");
    for _ in 0..200 {
        src.push_str("*a, ");
    }
    src.push_str("]\n");
    let loaded = load(&src, &Limits::default());
    let err = loaded.error.expect("byte budget exceeded");
    assert!(err.message.contains("bytes"), "{err}");
}

#[test]
fn many_aliases_to_medium_anchors_are_fine() {
    // 200 aliases of a 50-node anchor, twice: as plain aliases and as merges.
    let mut src = String::from("x-common: &common\n");
    for i in 0..24 {
        src.push_str(&format!("  k{i}: v{i}\n"));
    }
    src.push_str("services:\n");
    for i in 0..200 {
        src.push_str(&format!(
            "  s{i}:\n    <<: *common\n    image: img{i}\n    copy: *common\n"
        ));
    }
    let loaded = load(&src, &Limits::default());
    assert!(loaded.error.is_none(), "{:?}", loaded.error);
    let services = loaded.documents[0].get("services").unwrap();
    let s7 = services.get("s7").unwrap();
    assert_eq!(s7.get("k3").unwrap().as_str(), Some("v3"));
    assert_eq!(s7.get("image").unwrap().as_str(), Some("img7"));
    assert_eq!(s7.as_map().unwrap().len(), 26);
}

#[test]
fn node_budget_without_aliases() {
    let limits = Limits {
        max_nodes: 10,
        max_depth: 512,
    };
    let loaded = load("[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]", &limits);
    assert!(loaded.error.unwrap().message.contains("node budget"));
    let loaded = load("[1, 2, 3]", &limits);
    assert!(loaded.error.is_none());
}

#[test]
fn deep_flow_nesting_is_rejected_without_overflow() {
    let loaded = on_small_stack(|| {
        let n = 10_000;
        let src = "[".repeat(n) + &"]".repeat(n);
        load(&src, &Limits::default())
    });
    assert!(loaded.documents.is_empty());
    assert!(loaded.error.unwrap().message.contains("nested"));
    let loaded = on_small_stack(|| load(&"{a: ".repeat(10_000), &Limits::default()));
    assert!(loaded.error.is_some());
}

#[test]
fn deep_block_nesting_is_rejected_without_overflow() {
    let loaded = on_small_stack(|| {
        let mut src = String::new();
        for i in 0..10_000 {
            src.push_str(&" ".repeat(i));
            src.push_str("a:\n");
        }
        load(&src, &Limits::default())
    });
    let err = loaded.error.unwrap();
    assert!(err.message.contains("deeper than 512"), "{err}");
    assert_eq!(err.line, 513);

    let loaded = on_small_stack(|| load(&("- ".repeat(10_000) + "x\n"), &Limits::default()));
    assert!(loaded.error.unwrap().message.contains("deeper than 512"));

    let loaded = on_small_stack(|| {
        let mut src = String::new();
        for i in 0..10_000 {
            src.push_str(&" ".repeat(i));
            src.push_str("-\n");
        }
        load(&src, &Limits::default())
    });
    assert!(loaded.error.is_some());
}

#[test]
fn mixed_block_and_flow_nesting_over_the_limit() {
    let mut src = String::new();
    for i in 0..300 {
        src.push_str(&" ".repeat(i));
        src.push_str("a:\n");
    }
    src.push_str(&" ".repeat(300));
    src.push_str(&"[".repeat(250));
    src.push_str(&"]".repeat(250));
    src.push('\n');
    let loaded = on_small_stack(move || load(&src, &Limits::default()));
    assert!(loaded.error.unwrap().message.contains("deeper than 512"));
}

#[test]
fn alias_expansions_count_towards_depth() {
    let limits = Limits {
        max_nodes: 1000,
        max_depth: 4,
    };
    let src = "a: &a [[[1]]]\n";
    assert!(load(src, &limits).error.is_none());
    let src = "a: &a [[[1]]]\nb: [*a]\n";
    let loaded = load(src, &limits);
    assert_eq!(loaded.error.unwrap().line, 2);
}

#[test]
fn deepest_allowed_tree_is_built_cloned_and_dropped_on_a_small_stack() {
    on_small_stack(|| {
        let depth = HARD_MAX_DEPTH;
        let mut src = String::new();
        for i in 0..depth - 1 {
            src.push_str(&" ".repeat(i));
            src.push_str("a:\n");
        }
        src.push_str(&" ".repeat(depth - 1));
        src.push_str("a: &leaf x\n");
        let limits = Limits {
            max_nodes: 1_000_000,
            max_depth: usize::MAX,
        };
        let loaded = load(&src, &limits);
        assert!(loaded.error.is_none(), "{:?}", loaded.error);
        let copy = loaded.documents.clone();
        drop(copy);
        drop(loaded);
        // One more level is refused.
        src.push_str(&" ".repeat(depth));
        src.push_str("b: 1\n");
        let src = src.replace("a: &leaf x", "a:");
        let loaded = load(&src, &limits);
        assert!(loaded.error.is_some());
    });
}

#[test]
fn bom_is_skipped() {
    let doc = load_one("\u{feff}name: app\n").unwrap();
    assert_eq!(key_pos(&doc, "name"), (1, 1));
    assert_eq!(doc.get("name").unwrap().as_str(), Some("app"));
}

#[test]
fn crlf_line_ends() {
    let src = "a: 1\r\nb: |\r\n  x\r\n  y\r\nc: \"q\r\n  r\"\r\n";
    let doc = load_one(src).unwrap();
    assert_eq!(doc.get("a").unwrap().as_i64(), Some(1));
    assert_eq!(key_pos(&doc, "b"), (2, 1));
    assert_eq!(doc.get("b").unwrap().as_str(), Some("x\ny\n"));
    assert_eq!(doc.get("c").unwrap().as_str(), Some("q r"));
    assert_eq!(key_pos(&doc, "c"), (5, 1));
}

#[test]
fn empty_and_comment_only_input() {
    for src in ["", "\n\n", "# just a comment\n", "\u{feff}"] {
        let loaded = load(src, &Limits::default());
        assert!(loaded.error.is_none(), "{src:?}");
        assert!(loaded.documents.is_empty(), "{src:?}");
        assert!(load_one(src).unwrap().is_null());
    }
    let loaded = load("---\n---\n", &Limits::default());
    assert_eq!(loaded.documents.len(), 2);
    assert!(loaded.documents.iter().all(Node::is_null));
}

/// A small deterministic generator (no dependency needed).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

#[test]
fn binary_garbage_never_panics() {
    let mut rng = Lcg(42);
    for _ in 0..300 {
        let len = (rng.next() % 400) as usize;
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let src = String::from_utf8_lossy(&bytes);
        let loaded = load(&src, &Limits::default());
        if let Some(e) = &loaded.error {
            assert!(e.line >= 1 && e.column >= 1);
        }
    }
    // Garbage made of YAML punctuation is nastier.
    let alphabet: Vec<char> = "-?:,[]{}#&*!|>'\"%@` \n\tab<=~0".chars().collect();
    for _ in 0..2000 {
        let len = (rng.next() % 60) as usize;
        let src: String = (0..len)
            .map(|_| alphabet[(rng.next() as usize) % alphabet.len()])
            .collect();
        let _ = load(&src, &Limits::default());
    }
    let loaded = load("\0\u{1}\u{7f}\u{fffd}", &Limits::default());
    assert!(loaded.error.is_some() || loaded.documents.len() <= 1);
}

const COMPOSE: &str = "\
name: shop
x-logging: &default-logging
  driver: json-file
  options:
    max-size: \"10m\"
x-env: &env
  TZ: UTC
  LOG_LEVEL: info

services:
  api:
    build:
      context: ./services/api
      dockerfile: Dockerfile
      args:
        - GO_VERSION=1.22
    image: ghcr.io/acme/api:${TAG:-latest}
    ports:
      - \"8080:8080\"
      - target: 9090
        published: 9090
    environment:
      <<: *env
      DATABASE_URL: postgres://db/shop
      LOG_LEVEL: debug
    depends_on:
      db:
        condition: service_healthy
    logging: *default-logging
    healthcheck:
      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost:8080/health\"]
      interval: 10s
  worker:
    build: ./services/worker
    command: [\"./worker\", \"--queue\", \"default\"]
    environment: *env
    depends_on: [db]
    logging: *default-logging
    profiles: [\"jobs\"]
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: postgres
    volumes:
      - db-data:/var/lib/postgresql/data

volumes:
  db-data: {}
";

#[test]
fn compose_file() {
    let loaded = load(COMPOSE, &Limits::default());
    assert!(loaded.error.is_none(), "{:?}", loaded.error);
    assert!(loaded.duplicates.is_empty());
    let doc = &loaded.documents[0];
    let services = doc.get("services").unwrap();
    assert_eq!(keys(services), ["api", "worker", "db"]);
    assert_eq!(key_pos(services, "worker"), (33, 3));
    let api = services.get("api").unwrap();
    let build = api.get("build").unwrap();
    assert_eq!(
        build.get("context").unwrap().as_str(),
        Some("./services/api")
    );
    assert_eq!(
        api.get("image").unwrap().as_str(),
        Some("ghcr.io/acme/api:${TAG:-latest}")
    );
    let ports = api.get("ports").unwrap().as_seq().unwrap();
    assert_eq!(ports[0].as_str(), Some("8080:8080"));
    assert_eq!(ports[1].get("published").unwrap().as_i64(), Some(9090));
    let env = api.get("environment").unwrap();
    assert_eq!(keys(env), ["TZ", "DATABASE_URL", "LOG_LEVEL"]);
    assert_eq!(env.get("LOG_LEVEL").unwrap().as_str(), Some("debug"));
    assert_eq!(env.get("TZ").unwrap().line, 7);
    let logging = api.get("logging").unwrap();
    assert_eq!(logging.anchor.as_deref(), Some("default-logging"));
    assert_eq!(
        logging
            .get("options")
            .unwrap()
            .get("max-size")
            .unwrap()
            .as_str(),
        Some("10m")
    );
    let worker = services.get("worker").unwrap();
    assert_eq!(
        worker.get("build").unwrap().as_str(),
        Some("./services/worker")
    );
    let deps: Vec<_> = worker
        .get("depends_on")
        .unwrap()
        .str_or_seq()
        .into_iter()
        .filter_map(Node::as_str)
        .collect();
    assert_eq!(deps, ["db"]);
    assert_eq!(
        worker
            .get("environment")
            .unwrap()
            .get("LOG_LEVEL")
            .unwrap()
            .as_str(),
        Some("info")
    );
    let healthcheck = api.get("healthcheck").unwrap();
    assert_eq!(healthcheck.get("test").unwrap().as_seq().unwrap().len(), 4);
    assert!(doc.get("volumes").unwrap().get("db-data").unwrap().is_map());
}

const GITLAB: &str = "\
stages: [build, test, deploy]

variables:
  IMAGE: $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA

.setup:
  script:
    - echo setup
    - export PATH=$PATH:/opt/bin

.docker: &docker
  image: docker:27
  services:
    - docker:27-dind
  tags: [docker]

build:
  <<: *docker
  stage: build
  script:
    - !reference [.setup, script]
    - docker build -t \"$IMAGE\" .
    - docker push \"$IMAGE\"
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH

test:
  stage: test
  image: $IMAGE
  script: pytest -q
  needs: [build]

deploy_staging:
  stage: deploy
  extends: .docker
  environment:
    name: staging
    url: https://staging.example.com
  script:
    - kubectl set image deployment/app app=$IMAGE
  when: manual
";

#[test]
fn gitlab_ci_file() {
    let loaded = load(GITLAB, &Limits::default());
    assert!(loaded.error.is_none(), "{:?}", loaded.error);
    let doc = &loaded.documents[0];
    let build = doc.get("build").unwrap();
    assert_eq!(build.get("image").unwrap().as_str(), Some("docker:27"));
    assert_eq!(build.get("image").unwrap().line, 12);
    assert_eq!(
        keys(build),
        ["image", "services", "tags", "stage", "script", "rules"]
    );
    let script = build.get("script").unwrap().as_seq().unwrap();
    assert_eq!(script[0].tag.as_deref(), Some("!reference"));
    assert_eq!(pos(&script[0]), (21, 7));
    let reference: Vec<_> = script[0]
        .as_seq()
        .unwrap()
        .iter()
        .filter_map(Node::as_str)
        .collect();
    assert_eq!(reference, [".setup", "script"]);
    assert_eq!(script[1].as_str(), Some("docker build -t \"$IMAGE\" ."));
    let test_script: Vec<_> = doc
        .get("test")
        .unwrap()
        .get("script")
        .unwrap()
        .str_or_seq()
        .into_iter()
        .filter_map(Node::as_str)
        .collect();
    assert_eq!(test_script, ["pytest -q"]);
    let deploy = doc.get("deploy_staging").unwrap();
    assert_eq!(
        deploy
            .get("environment")
            .unwrap()
            .get("name")
            .unwrap()
            .as_str(),
        Some("staging")
    );
    assert_eq!(key_pos(deploy, "when"), (41, 3));
}

#[test]
fn kubernetes_multi_document_manifest() {
    let src = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: web:1.0
---
apiVersion: v1
kind: Service
metadata:
  name: web
";
    let loaded = load(src, &Limits::default());
    assert_eq!(loaded.documents.len(), 2);
    let container = &loaded.documents[0]
        .get("spec")
        .and_then(|s| s.get("template"))
        .and_then(|t| t.get("spec"))
        .and_then(|s| s.get("containers"))
        .and_then(Node::as_seq)
        .unwrap()[0];
    assert_eq!(pos(container), (9, 11));
    assert_eq!(key_pos(container, "image"), (10, 11));
    assert_eq!(key_pos(&loaded.documents[1], "kind"), (13, 1));
}

#[test]
fn every_truncation_of_real_files_loads_without_panic() {
    for src in [COMPOSE, GITLAB] {
        for (i, _) in src.char_indices() {
            let _ = load(&src[..i], &Limits::default());
        }
    }
}

#[test]
fn error_display() {
    let e = YamlError {
        line: 3,
        column: 7,
        message: "bad".into(),
    };
    assert_eq!(e.to_string(), "line 3, column 7: bad");
}

#[test]
fn duplicates_of_a_failed_document_are_not_reported() {
    let loaded = load("a: 1\na: 2\n---\nb: 1\nb: 2\nc: [\n", &Limits::default());
    assert_eq!(loaded.documents.len(), 1);
    assert!(loaded.error.is_some());
    assert_eq!(loaded.duplicates.len(), 1);
    assert_eq!(loaded.duplicates[0].key, "a");
}

#[test]
fn flow_sequence_closed_at_the_key_indentation_is_accepted_like_libyaml() {
    let src = "services:\n  flagd:\n    command: [\n      \"start\",\n      \"--uri\"\n    ]\n    ports:\n      - \"8013\"\n";
    let loaded = load(src, &Limits::default());
    assert!(loaded.error.is_none(), "{:?}", loaded.error);
    let svc = loaded.documents[0]
        .get("services")
        .unwrap()
        .get("flagd")
        .unwrap();
    let cmd = svc.get("command").unwrap().as_seq().unwrap();
    assert_eq!(cmd.len(), 2);
    assert_eq!(cmd[1].line, 5);
    assert_eq!(svc.entry("ports").unwrap().key.line, 7);
    // A real error is still reported.
    assert!(load("a: [1, 2\nb: 3\n", &Limits::default()).error.is_some());
}
