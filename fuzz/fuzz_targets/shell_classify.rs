//! The shell splitter and the container-command classifier.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let script = kubeready_shell::parse_script(src);
    for cmd in &script.commands {
        let _ = kubeready_shell::classify(cmd);
        let _ = cmd.program();
    }
    let _ = kubeready_shell::classify_script(src);
    let _ = kubeready_shell::split_words(src);
});
