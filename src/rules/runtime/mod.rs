//! `KR6xx`: runtime fitness, "will it survive in a container?". Signals
//! in each detected service's own code and config (facts from
//! [`crate::parse::runtime`]), joined with how the service is built
//! (Dockerfile) and run (Compose, Kubernetes).

mod kr601_loopback_bind;
mod kr602_file_logging;
mod kr603_local_state_without_volume;
mod kr604_localhost_backing_service;
mod kr605_no_graceful_shutdown;
mod kr606_server_in_app_image;
mod kr607_in_process_state_replicated;

use super::dockerfile::support::{Df, Inst};
use super::{Context, Rule};
use crate::graph::ImageDefKind;
use crate::inventory::Service;
use crate::parse::compose::ComposeService;
use crate::parse::dockerfile::Keyword;
use crate::parse::k8s::K8sObject;
use crate::parse::runtime::Signal;

pub static RULES: &[&dyn Rule] = &[
    &kr601_loopback_bind::Rule,
    &kr602_file_logging::Rule,
    &kr603_local_state_without_volume::Rule,
    &kr604_localhost_backing_service::Rule,
    &kr605_no_graceful_shutdown::Rule,
    &kr606_server_in_app_image::Rule,
    &kr607_in_process_state_replicated::Rule,
];

/// Every detected service (examples, tests and excluded folders already
/// left out by the inventory) with its index.
pub(crate) fn services<'g>(cx: &'g Context<'_>) -> impl Iterator<Item = (usize, &'g Service)> + 'g {
    cx.graph.services.iter().enumerate()
}

/// The runtime signals of a service.
pub(crate) fn signals<'f>(
    cx: &'f Context<'_>,
    svc: &'f Service,
) -> impl Iterator<Item = &'f Signal> + 'f {
    cx.facts.runtime.of(&svc.path)
}

/// The Dockerfiles that build a service (with the image definition's
/// build contexts).
pub(crate) fn dockerfiles_of<'a, 'f>(
    cx: &'a Context<'f>,
    service: usize,
) -> Vec<(&'a Df<'f>, Vec<String>)> {
    let Some(comp) = cx
        .graph
        .component_of_service(service)
        .and_then(|c| cx.graph.components.get(c))
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for d in comp
        .image_defs
        .iter()
        .filter_map(|d| cx.graph.image_defs.get(*d))
    {
        if d.kind != ImageDefKind::Dockerfile {
            continue;
        }
        if let Some(df) = dockerfile_view(cx, &d.file) {
            out.push((df, d.contexts.clone()));
        }
    }
    out
}

/// The view of the Dockerfile at `path`.
pub(crate) fn dockerfile_view<'a, 'f>(cx: &'a Context<'f>, path: &str) -> Option<&'a Df<'f>> {
    // The views follow `facts.dockerfiles`, which is sorted by path.
    cx.facts
        .dockerfiles
        .binary_search_by(|x| x.path.as_str().cmp(path))
        .ok()
        .and_then(|i| cx.dockerfile_views().get(i))
}

/// The Compose services that run a service's image.
pub(crate) fn compose_services<'f>(cx: &'f Context<'_>, service: usize) -> Vec<&'f ComposeService> {
    let Some(comp) = cx.graph.component_of_service(service) else {
        return Vec::new();
    };
    cx.graph
        .compose_links_of(comp)
        .iter()
        .filter_map(|&i| cx.graph.compose_links.get(i))
        .filter_map(|l| {
            cx.facts
                .compose
                .get(l.project)
                .and_then(|p| p.services.get(l.service_index))
        })
        .collect()
}

/// The Kubernetes workloads whose containers run a service's image.
pub(crate) fn workloads<'f>(cx: &'f Context<'_>, service: usize) -> Vec<&'f K8sObject> {
    let Some(comp) = cx.graph.component_of_service(service) else {
        return Vec::new();
    };
    cx.workloads_of(comp)
        .iter()
        .filter_map(|&i| cx.facts.orchestration.objects.get(i))
        .collect()
}

/// The effective `ENTRYPOINT` and `CMD` of a final stage chain
/// ([`Df::final_chain`]).
pub(crate) fn start_commands<'a>(chain: &[Inst<'a>]) -> Vec<Inst<'a>> {
    let last = |k: Keyword| chain.iter().rev().find(|i| *i.keyword() == k).copied();
    [last(Keyword::Entrypoint), last(Keyword::Cmd)]
        .into_iter()
        .flatten()
        .collect()
}

/// Whether a final stage chain sets an `ENV` named `name`.
pub(crate) fn sets_env(chain: &[Inst<'_>], name: &str) -> bool {
    chain.iter().any(|i| {
        matches!(i.keyword(), Keyword::Env)
            && matches!(&i.ins.args, crate::parse::dockerfile::Args::KeyValues(kvs) if kvs.iter().any(|kv| kv.key == name))
    })
}
