//! The Dockerfile parser, and everything derived from a parse.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let d = kubeready_dockerfile::parse(src);
    let _ = d.stages();
    let _ = d.global_args();
    for i in &d.instructions {
        let _ = i.words();
        let _ = i.words_with_escape('`');
        let _ = i.command_text();
        for h in &i.heredocs {
            let _ = h.body();
        }
        let _ = kubeready_dockerfile::expand_args(i.args_text(), &|name| {
            (name.len() < 4).then(|| format!("${{{name}}}"))
        });
    }
});
