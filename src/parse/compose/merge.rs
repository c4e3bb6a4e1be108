//! Compose's merge rules, as `docker compose` applies them to override
//! files (`-f base -f override`) and to `extends`:
//!
//! * scalars (`image`, `command`, `user`, `restart`, ...): the override wins;
//! * `build`: merged key by key (`args` by key);
//! * `ports`: appended, exact duplicates dropped;
//! * `expose`, `profiles`: appended, duplicates dropped;
//! * `volumes`: merged by target; `environment`: by key; `env_file`: by
//!   path; `depends_on`: by service; `networks`, `secrets`, `configs`: by
//!   name;
//! * `healthcheck`: the override's, keeping the base's `disabled` when the
//!   override says nothing about `test`/`disable`;
//! * a key tagged `!reset` in the override clears the base's value, one
//!   tagged `!override` replaces it instead of merging.

use super::model::*;
use super::parse::{Model, RawBuild, RawService};
use super::syntax;

/// `over` merged onto `base`; the result keeps the base's name and position.
pub(super) fn merge_service(base: RawService, over: RawService) -> RawService {
    let mut b = base;
    let o = over;
    let reset = o.reset.clone();
    let replace = o.replace.clone();
    let is_reset = |k: &str| reset.iter().any(|r| r == k);
    let is_replace = |k: &str| is_reset(k) || replace.iter().any(|r| r == k);
    every_field_has_a_merge_rule(&o.svc);
    let os = o.svc;
    macro_rules! scalar {
        ($($field:ident: $key:expr),*) => {$(
            if is_reset($key) {
                b.svc.$field = None;
            } else if os.$field.is_some() {
                b.svc.$field = os.$field;
            }
        )*};
    }
    scalar!(
        image: "image",
        network_mode: "network_mode",
        privileged: "privileged",
        container_name: "container_name",
        develop_watch: "develop",
        command: "command",
        user: "user",
        restart: "restart",
        scale: "scale"
    );
    let s = &mut b.svc;
    merge_by(&mut s.ports, os.ports, is_replace("ports"), |p| {
        (
            p.host_ip.clone(),
            p.host.clone(),
            p.container.clone(),
            p.protocol.clone(),
        )
    });
    merge_by(&mut s.expose, os.expose, is_replace("expose"), |e| {
        e.value.clone()
    });
    merge_by(&mut s.volumes, os.volumes, is_replace("volumes"), |v| {
        v.target.clone()
    });
    merge_by(
        &mut s.depends_on,
        os.depends_on,
        is_replace("depends_on"),
        |d| d.service.clone(),
    );
    merge_by(
        &mut s.profiles,
        os.profiles,
        is_replace("profiles"),
        Clone::clone,
    );
    merge_by(
        &mut s.env_files,
        os.env_files,
        is_replace("env_file"),
        |e| e.path.clone(),
    );
    merge_by(
        &mut s.environment,
        os.environment,
        is_replace("environment"),
        |e| e.key.clone(),
    );
    merge_by(&mut s.networks, os.networks, is_replace("networks"), |n| {
        n.value.clone()
    });
    merge_by(&mut s.secrets, os.secrets, is_replace("secrets"), |n| {
        n.value.clone()
    });
    merge_by(&mut s.configs, os.configs, is_replace("configs"), |n| {
        n.value.clone()
    });
    if os.extends.is_some() {
        s.extends = os.extends;
        s.extends_file = os.extends_file;
    }
    if is_reset("healthcheck") {
        s.healthcheck = None;
        b.healthcheck_decides = false;
    } else if let Some(mut hc) = os.healthcheck {
        if let (false, Some(prev)) = (o.healthcheck_decides, &s.healthcheck) {
            hc.disabled = prev.disabled;
        }
        s.healthcheck = Some(hc);
        b.healthcheck_decides |= o.healthcheck_decides;
    }
    b.build = match (b.build, o.build) {
        _ if is_reset("build") => None,
        (Some(bb), Some(ob)) if !is_replace("build") => Some(merge_build(bb, ob)),
        (bb, ob) => ob.or(bb),
    };
    if o.extends.is_some() {
        b.extends = o.extends;
    }
    b.reset.clear();
    b.replace.clear();
    b
}

/// Names every field of a Compose service with its merge rule. The pattern
/// has no `..`, so a new field fails to compile here until it is given a
/// rule in [`merge_service`]; without one an override file or `extends`
/// would drop the field silently. ([`merge_build`] builds a struct literal
/// without `..`, the same guard for `build:`.)
fn every_field_has_a_merge_rule(s: &ComposeService) {
    let ComposeService {
        // The base's identity and position.
        name: _,
        file: _,
        line: _,
        // Read from the raw `build:` (`RawBuild`), merged by `merge_build`.
        build: _,
        // Scalars: the override wins (`scalar!`).
        image: _,
        network_mode: _,
        privileged: _,
        container_name: _,
        develop_watch: _,
        command: _,
        user: _,
        restart: _,
        scale: _,
        // Lists merged by key (`merge_by`).
        ports: _,
        expose: _,
        volumes: _,
        depends_on: _,
        profiles: _,
        env_files: _,
        environment: _,
        networks: _,
        secrets: _,
        configs: _,
        // The override's when it has one.
        extends: _,
        extends_file: _,
        healthcheck: _,
    } = s;
}

fn merge_build(b: RawBuild, o: RawBuild) -> RawBuild {
    let (file, line, dir, context) = if o.context.is_some() {
        (o.file, o.line, o.dir, o.context)
    } else {
        (b.file, b.line, b.dir, b.context)
    };
    let mut args = b.args;
    merge_by(&mut args, o.args, false, |a| a.0.clone());
    RawBuild {
        file,
        line,
        dir,
        context,
        dockerfile: o.dockerfile.or(b.dockerfile),
        dockerfile_inline: o.dockerfile_inline.or(b.dockerfile_inline),
        target: o.target.or(b.target),
        args,
    }
}

/// Merges `over` into `base`: items with a key already present replace
/// that item in place, others are appended. `replace` drops the base list.
fn merge_by<T, K: PartialEq>(
    base: &mut Vec<T>,
    over: Vec<T>,
    replace: bool,
    key: impl Fn(&T) -> K,
) {
    if replace {
        *base = over;
        return;
    }
    for item in over {
        let k = key(&item);
        match base.iter().position(|x| key(x) == k) {
            Some(i) => base[i] = item,
            None => base.push(item),
        }
    }
}

fn merge_names(base: &mut Vec<Located<String>>, over: Vec<Located<String>>) {
    for n in over {
        if !base.iter().any(|b| b.value == n.value) {
            base.push(n);
        }
    }
}

/// Everything of a model but its services and name, folded into `base`.
fn merge_common(base: &mut Model, over: &mut Model) {
    for f in over.files.drain(..) {
        if !base.files.contains(&f) {
            base.files.push(f);
        }
    }
    merge_names(&mut base.networks, std::mem::take(&mut over.networks));
    merge_names(&mut base.volumes, std::mem::take(&mut over.volumes));
    merge_names(&mut base.secrets, std::mem::take(&mut over.secrets));
    merge_names(&mut base.configs, std::mem::take(&mut over.configs));
    // Duplicates are removed once, in `finish`.
    base.variables.append(&mut over.variables);
    for i in over.includes.drain(..) {
        if !base.includes.contains(&i) {
            base.includes.push(i);
        }
    }
}

/// An override file's model merged onto `base`.
pub(super) fn merge_model(base: &mut Model, mut over: Model) {
    merge_common(base, &mut over);
    if over.name.is_some() {
        base.name = over.name;
    }
    if over.version.is_some() {
        base.version = over.version;
    }
    for s in over.services {
        match base.services.iter().position(|b| b.svc.name == s.svc.name) {
            Some(i) => {
                let prev = std::mem::take(&mut base.services[i]);
                base.services[i] = merge_service(prev, s);
            }
            None => base.services.push(s),
        }
    }
}

/// An included model folded into `base`. Returns the names of services
/// defined in both (Compose rejects them; the including file's are kept).
pub(super) fn fold_include(base: &mut Model, mut inc: Model) -> Vec<String> {
    merge_common(base, &mut inc);
    let mut conflicts = Vec::new();
    for s in inc.services {
        if base.services.iter().any(|b| b.svc.name == s.svc.name) {
            conflicts.push(s.svc.name);
        } else {
            base.services.push(s);
        }
    }
    conflicts
}

/// The public project of a fully merged model.
pub(super) fn finish(model: Model, file: &str, dir: &str, variant: bool) -> ComposeProject {
    let mut services: Vec<ComposeService> = model
        .services
        .into_iter()
        .map(|raw| {
            let mut svc = raw.svc;
            svc.build = raw.build.map(finish_build);
            svc
        })
        .collect();
    services.sort_by(|a, b| a.name.cmp(&b.name));
    let mut variables = model.variables;
    let key = |v: &VariableRef| {
        (
            v.file.clone(),
            v.line,
            v.name.clone(),
            v.has_default,
            v.required,
            v.default_used,
        )
    };
    variables.sort_by_cached_key(key);
    variables.dedup();
    ComposeProject {
        file: file.to_string(),
        dir: dir.to_string(),
        files: model.files,
        variant,
        name: model.name,
        version: model.version,
        services,
        networks: model.networks,
        volumes: model.volumes,
        secrets: model.secrets,
        configs: model.configs,
        variables,
        includes: model.includes,
    }
}

fn finish_build(b: RawBuild) -> ComposeBuild {
    let (context, remote) = b.context.unwrap_or((b.dir, false));
    let dockerfile = b.dockerfile.map(|df| {
        if remote || df.starts_with('/') {
            df
        } else {
            syntax::resolve(&context, &df)
        }
    });
    ComposeBuild {
        file: b.file,
        line: b.line,
        context,
        remote,
        dockerfile,
        dockerfile_inline: b.dockerfile_inline.unwrap_or(false),
        target: b.target,
        args: b.args,
    }
}
