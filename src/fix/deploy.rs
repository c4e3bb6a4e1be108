//! The staging deploy job's commands, for the deploy tool the repository
//! already uses: Helm, Kustomize, kubectl, else Compose over SSH.

use super::ci::quoted;
use super::render;
use super::units::Unit;
use crate::audit::Audit;

const HELM: &str = include_str!("../../templates/ci/deploy/helm.sh.tmpl");
const KUSTOMIZE: &str = include_str!("../../templates/ci/deploy/kustomize.sh.tmpl");
const KUBECTL: &str = include_str!("../../templates/ci/deploy/kubectl.sh.tmpl");
const COMPOSE_SSH: &str = include_str!("../../templates/ci/deploy/compose-ssh.sh.tmpl");

/// The deploy tool's name and its commands (with their `CHANGE-ME`
/// comments) for the tool the repository uses; `image` is the reference
/// (with its tag) a unit's image is pushed as.
pub(super) fn script(
    audit: &Audit,
    all: &[Unit],
    image: &dyn Fn(&Unit) -> String,
) -> Option<(String, String)> {
    let o = &audit.facts.orchestration;
    // The Deployment, container and image name that run a unit's image,
    // when the manifests say (by the graph's image join, else by the
    // image's short name); else the unit's name for all three.
    let running = |u: &Unit| -> (String, String, String) {
        o.objects
            .iter()
            .filter(|x| x.kind == "Deployment")
            .find_map(|x| {
                x.containers
                    .iter()
                    .find(|k| {
                        let r = crate::image_ref::ImageRef::parse(&k.image);
                        u.component.is_some_and(|c| {
                            audit.graph.components_for_image(&k.image).contains(&c)
                        }) || r.short_name() == u.name
                    })
                    .map(|k| {
                        let key = crate::image_ref::ImageRef::parse(&k.image).key();
                        (x.name.clone(), k.name.clone(), key)
                    })
            })
            .unwrap_or_else(|| (u.name.clone(), u.name.clone(), u.name.clone()))
    };
    let set = |tool: &str| -> Vec<String> {
        all.iter()
            .map(|u| {
                let (deployment, container, name) = running(u);
                let pushed = image(u);
                match tool {
                    "kustomize" => format!("kustomize edit set image {name}={pushed}"),
                    _ => format!(
                        "kubectl --namespace staging set image deployment/{deployment} {container}={pushed}"
                    ),
                }
            })
            .collect()
    };
    if let Some((chart, _)) = o.helm_charts.first() {
        let release = o
            .charts
            .first()
            .and_then(|c| c.name.clone())
            .filter(|n| super::safe_name(n) == *n)
            .unwrap_or_else(|| "app".into());
        return Some((
            "Helm".into(),
            render(
                HELM,
                &[
                    ("RELEASE", quoted(&release)),
                    ("CHART", quoted(&format!("./{chart}").replace("/./", "/"))),
                ],
            ),
        ));
    }
    if !o.kustomizations.is_empty() {
        let overlay = o
            .kustomizations
            .iter()
            .map(|(f, _)| f.rsplit_once('/').map(|(d, _)| d).unwrap_or(""))
            .find(|d| d.contains("staging"))
            .or_else(|| {
                o.kustomizations
                    .first()
                    .map(|(f, _)| f.rsplit_once('/').map(|(d, _)| d).unwrap_or(""))
            })
            .unwrap_or("");
        return Some((
            "Kustomize".into(),
            render(
                KUSTOMIZE,
                &[
                    ("OVERLAY", quoted(overlay)),
                    ("SET_IMAGES", set("kustomize").join("\n")),
                ],
            ),
        ));
    }
    if o.objects.iter().any(|x| !x.containers.is_empty()) {
        return Some((
            "kubectl".into(),
            render(KUBECTL, &[("SET_IMAGES", set("kubectl").join("\n"))]),
        ));
    }
    let compose = audit
        .facts
        .compose
        .iter()
        .find(|p| !p.variant)
        .map(|p| p.file.clone())
        .unwrap_or_else(|| super::compose::NEW_FILE.to_string());
    Some((
        "Compose over SSH".into(),
        render(COMPOSE_SSH, &[("COMPOSE", quoted(&compose))]),
    ))
}
