//! Dockerfile rules: every hadolint `DL` rule (same code, meaning and
//! default severity) and kubeready's own `KR1xx` rules. ARG defaults and
//! stage names are resolved before judging; `RUN` bodies are read through
//! the shell layer.

mod dl3000_absolute_workdir;
mod dl3002_last_user_root;
mod dl3006_untagged_image;
mod dl3007_latest_tag;
mod dl3011_invalid_port;
mod dl3012_multiple_healthchecks;
mod dl3020_add_instead_of_copy;
mod dl3021_copy_multi_source_dest;
mod dl3022_copy_from_unknown_stage;
mod dl3023_copy_from_own_stage;
mod dl3024_duplicate_stage_name;
mod dl3025_shell_form_cmd;
mod dl3026_untrusted_registry;
mod dl3029_from_platform_flag;
mod dl3043_onbuild_forbidden_trigger;
mod dl3044_env_self_reference;
pub mod support;

use super::Rule;

pub static RULES: &[&dyn Rule] = &[
    &dl3000_absolute_workdir::Rule,
    &dl3002_last_user_root::Rule,
    &dl3006_untagged_image::Rule,
    &dl3007_latest_tag::Rule,
    &dl3011_invalid_port::Rule,
    &dl3012_multiple_healthchecks::Rule,
    &dl3020_add_instead_of_copy::Rule,
    &dl3021_copy_multi_source_dest::Rule,
    &dl3022_copy_from_unknown_stage::Rule,
    &dl3023_copy_from_own_stage::Rule,
    &dl3024_duplicate_stage_name::Rule,
    &dl3025_shell_form_cmd::Rule,
    &dl3026_untrusted_registry::Rule,
    &dl3029_from_platform_flag::Rule,
    &dl3043_onbuild_forbidden_trigger::Rule,
    &dl3044_env_self_reference::Rule,
];
