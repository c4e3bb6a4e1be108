//! Dockerfile rules: every hadolint `DL` rule (same code, meaning and
//! default severity) and kubeready's own `KR1xx` rules. ARG defaults and
//! stage names are resolved before judging; `RUN` bodies are read through
//! the shell layer.

mod dl1001_inline_ignore_pragma;
mod dl3000_absolute_workdir;
mod dl3001_pointless_command;
mod dl3002_last_user_root;
mod dl3003_cd_instead_of_workdir;
mod dl3004_sudo_in_run;
mod dl3006_untagged_image;
mod dl3007_latest_tag;
mod dl3008_apt_get_unpinned;
mod dl3009_apt_lists_not_deleted;
mod dl3010_copy_then_extract;
mod dl3011_invalid_port;
mod dl3012_multiple_healthchecks;
mod dl3013_pip_unpinned;
mod dl3014_apt_get_missing_yes;
mod dl3015_apt_get_recommends;
mod dl3016_npm_unpinned;
mod dl3018_apk_unpinned;
mod dl3019_apk_without_no_cache;
mod dl3020_add_instead_of_copy;
mod dl3021_copy_multi_source_dest;
mod dl3022_copy_from_undefined_alias;
mod dl3023_copy_from_own_stage;
mod dl3024_duplicate_stage_name;
mod dl3025_shell_form_cmd;
mod dl3026_untrusted_registry;
mod dl3027_apt_in_run;
mod dl3028_gem_unpinned;
mod dl3029_from_platform_flag;
mod dl3030_yum_missing_yes;
mod dl3032_yum_clean_missing;
mod dl3033_yum_unpinned;
mod dl3034_zypper_missing_yes;
mod dl3035_zypper_dist_upgrade;
mod dl3036_zypper_clean_missing;
mod dl3037_zypper_unpinned;
mod dl3038_dnf_missing_yes;
mod dl3040_dnf_clean_missing;
mod dl3041_dnf_unpinned;
mod dl3042_pip_cache;
mod dl3043_onbuild_forbidden_trigger;
mod dl3044_env_self_reference;
mod dl3045_copy_relative_without_workdir;
mod dl3046_useradd_high_uid;
mod dl3047_wget_progress;
mod dl3048_invalid_label_key;
mod dl3049_label_missing;
mod dl3050_superfluous_label;
mod dl3051_label_empty;
mod dl3052_label_not_url;
mod dl3053_label_not_rfc3339;
mod dl3054_label_not_spdx;
mod dl3055_label_not_git_hash;
mod dl3056_label_not_semver;
mod dl3057_healthcheck_missing;
mod dl3058_label_not_email;
mod dl3059_consecutive_runs;
mod dl3060_yarn_cache_not_cleaned;
mod dl3061_instruction_before_from;
mod dl3062_go_unpinned;
mod dl3063_reserved_stage_name;
mod dl3064_sensitive_arg_env;
mod dl3065_redundant_target_platform;
mod dl3066_non_numeric_user;
mod dl3067_copy_whole_filesystem;
mod dl4000_maintainer_deprecated;
mod dl4001_wget_and_curl;
mod dl4003_multiple_cmd;
mod dl4004_multiple_entrypoint;
mod dl4005_ln_bin_sh;
mod dl4006_pipe_without_pipefail;
mod kr101_final_stage_root;
mod kr102_no_healthcheck;
mod kr104_copy_all_before_install;
mod kr105_compiled_single_stage;
mod kr106_secret_in_env_arg;
mod kr107_credential_in_env_arg;
mod kr108_missing_dockerignore;
mod kr109_dockerignore_incomplete;
mod kr110_add_remote_without_checksum;
mod kr111_web_service_without_expose;
mod kr112_base_not_pinned_by_digest;
mod kr113_package_upgrade;
mod rpm;
pub mod support;

use super::Rule;

pub static RULES: &[&dyn Rule] = &[
    &dl1001_inline_ignore_pragma::Rule,
    &dl3000_absolute_workdir::Rule,
    &dl3001_pointless_command::Rule,
    &dl3002_last_user_root::Rule,
    &dl3003_cd_instead_of_workdir::Rule,
    &dl3004_sudo_in_run::Rule,
    &dl3006_untagged_image::Rule,
    &dl3007_latest_tag::Rule,
    &dl3008_apt_get_unpinned::Rule,
    &dl3009_apt_lists_not_deleted::Rule,
    &dl3010_copy_then_extract::Rule,
    &dl3011_invalid_port::Rule,
    &dl3012_multiple_healthchecks::Rule,
    &dl3013_pip_unpinned::Rule,
    &dl3014_apt_get_missing_yes::Rule,
    &dl3015_apt_get_recommends::Rule,
    &dl3016_npm_unpinned::Rule,
    &dl3018_apk_unpinned::Rule,
    &dl3019_apk_without_no_cache::Rule,
    &dl3020_add_instead_of_copy::Rule,
    &dl3021_copy_multi_source_dest::Rule,
    &dl3022_copy_from_undefined_alias::Rule,
    &dl3023_copy_from_own_stage::Rule,
    &dl3024_duplicate_stage_name::Rule,
    &dl3025_shell_form_cmd::Rule,
    &dl3026_untrusted_registry::Rule,
    &dl3027_apt_in_run::Rule,
    &dl3028_gem_unpinned::Rule,
    &dl3029_from_platform_flag::Rule,
    &dl3030_yum_missing_yes::Rule,
    &dl3032_yum_clean_missing::Rule,
    &dl3033_yum_unpinned::Rule,
    &dl3034_zypper_missing_yes::Rule,
    &dl3035_zypper_dist_upgrade::Rule,
    &dl3036_zypper_clean_missing::Rule,
    &dl3037_zypper_unpinned::Rule,
    &dl3038_dnf_missing_yes::Rule,
    &dl3040_dnf_clean_missing::Rule,
    &dl3041_dnf_unpinned::Rule,
    &dl3042_pip_cache::Rule,
    &dl3043_onbuild_forbidden_trigger::Rule,
    &dl3044_env_self_reference::Rule,
    &dl3045_copy_relative_without_workdir::Rule,
    &dl3046_useradd_high_uid::Rule,
    &dl3047_wget_progress::Rule,
    &dl3048_invalid_label_key::Rule,
    &dl3049_label_missing::Rule,
    &dl3050_superfluous_label::Rule,
    &dl3051_label_empty::Rule,
    &dl3052_label_not_url::Rule,
    &dl3053_label_not_rfc3339::Rule,
    &dl3054_label_not_spdx::Rule,
    &dl3055_label_not_git_hash::Rule,
    &dl3056_label_not_semver::Rule,
    &dl3057_healthcheck_missing::Rule,
    &dl3058_label_not_email::Rule,
    &dl3059_consecutive_runs::Rule,
    &dl3060_yarn_cache_not_cleaned::Rule,
    &dl3061_instruction_before_from::Rule,
    &dl3062_go_unpinned::Rule,
    &dl3063_reserved_stage_name::Rule,
    &dl3064_sensitive_arg_env::Rule,
    &dl3065_redundant_target_platform::Rule,
    &dl3066_non_numeric_user::Rule,
    &dl3067_copy_whole_filesystem::Rule,
    &dl4000_maintainer_deprecated::Rule,
    &dl4001_wget_and_curl::Rule,
    &dl4003_multiple_cmd::Rule,
    &dl4004_multiple_entrypoint::Rule,
    &dl4005_ln_bin_sh::Rule,
    &dl4006_pipe_without_pipefail::Rule,
    &kr101_final_stage_root::Rule,
    &kr102_no_healthcheck::Rule,
    &kr104_copy_all_before_install::Rule,
    &kr105_compiled_single_stage::Rule,
    &kr106_secret_in_env_arg::Rule,
    &kr107_credential_in_env_arg::Rule,
    &kr108_missing_dockerignore::Rule,
    &kr109_dockerignore_incomplete::Rule,
    &kr110_add_remote_without_checksum::Rule,
    &kr111_web_service_without_expose::Rule,
    &kr112_base_not_pinned_by_digest::Rule,
    &kr113_package_upgrade::Rule,
];

#[cfg(test)]
mod tests {
    /// Every rule file carries a triggering test (`flags_*`) and a clean
    /// one (`clean_*`, or `off_by_default_*` for rules off by default).
    #[test]
    fn every_rule_has_a_triggering_and_a_clean_test() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules/dockerfile");
        let mut checked = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if !(name.starts_with("dl") || name.starts_with("kr")) {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(text.contains("fn flags_"), "{name} has no triggering test");
            assert!(
                text.contains("fn clean_") || text.contains("fn off_by_default_"),
                "{name} has no clean test"
            );
            checked += 1;
        }
        assert_eq!(checked, super::RULES.len());
    }

    #[test]
    fn hadolint_codes_keep_hadolint_severities() {
        use crate::finding::Severity::{Error, Info, Warning};
        let expected = [
            ("DL3000", Error),
            ("DL3001", Info),
            ("DL3002", Warning),
            ("DL3004", Error),
            ("DL3006", Warning),
            ("DL3007", Warning),
            ("DL3008", Warning),
            ("DL3009", Info),
            ("DL3011", Error),
            ("DL3015", Info),
            ("DL3020", Error),
            ("DL3025", Warning),
            ("DL3026", Error),
            ("DL3048", Info),
            ("DL3059", Info),
            ("DL4000", Error),
            ("DL4004", Error),
            ("DL4006", Warning),
        ];
        for (code, sev) in expected {
            let r = crate::rules::find_rule(code).unwrap();
            assert_eq!(r.doc().severity, sev, "{code}");
        }
        let dl: Vec<_> = super::RULES
            .iter()
            .filter(|r| r.doc().code.starts_with("DL"))
            .collect();
        assert_eq!(dl.len(), 71);
        let off: Vec<_> = dl
            .iter()
            .filter(|r| !r.doc().enabled_by_default)
            .map(|r| r.doc().code)
            .collect();
        assert_eq!(off, vec!["DL1001", "DL3057"]);
    }
}
