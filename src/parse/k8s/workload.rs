//! Pod templates: containers, init containers, probes, resources,
//! security contexts, env, host networking and hostPath volumes.

use super::model::{Container, K8sObject, PortRef, Probe};
use super::util::{at, key_line, present, seq_at, str_at, string_at, string_map};
use kubeready_yaml::Node;

/// Fills the pod-level facts of `obj` from a pod template (a node with
/// `metadata` and `spec`; a Pod itself).
pub fn apply_pod_template(obj: &mut K8sObject, template: &Node) {
    obj.pod_labels = string_map(at(template, &["metadata", "labels"]));
    let Some(spec) = template.get("spec") else {
        return;
    };
    for c in seq_at(spec, &["initContainers"]) {
        if let Some(c) = container(c, true) {
            obj.containers.push(c);
        }
    }
    for c in seq_at(spec, &["containers"]) {
        if let Some(c) = container(c, false) {
            obj.containers.push(c);
        }
    }
    obj.containers.sort_by_key(|c| c.line);
    obj.pod_run_as_non_root =
        at(spec, &["securityContext", "runAsNonRoot"]).and_then(Node::as_bool);
    obj.pod_run_as_user = at(spec, &["securityContext", "runAsUser"]).and_then(Node::as_i64);
    obj.host_network = spec.get("hostNetwork").and_then(Node::as_bool) == Some(true);
    for v in seq_at(spec, &["volumes"]) {
        if let Some(hp) = v.get("hostPath") {
            let path = str_at(hp, &["path"]).unwrap_or_default().to_string();
            obj.host_path_volumes.push((path, key_line(hp, "path")));
        }
    }
}

fn container(node: &Node, init: bool) -> Option<Container> {
    node.as_map()?;
    let sc = node.get("securityContext");
    let mut c = Container {
        name: string_at(node, &["name"]).unwrap_or_default(),
        image: string_at(node, &["image"]).unwrap_or_default(),
        line: node.entry("image").map_or(node.line, |e| e.key.line),
        init,
        readiness_probe: present(node.get("readinessProbe")),
        liveness_probe: present(node.get("livenessProbe")),
        startup_probe: present(node.get("startupProbe")),
        requests: present(at(node, &["resources", "requests"])),
        limits: present(at(node, &["resources", "limits"])),
        run_as_non_root: sc
            .and_then(|s| s.get("runAsNonRoot"))
            .and_then(Node::as_bool),
        run_as_user: sc.and_then(|s| s.get("runAsUser")).and_then(Node::as_i64),
        privileged: sc.and_then(|s| s.get("privileged")).and_then(Node::as_bool) == Some(true),
        image_pull_policy: string_at(node, &["imagePullPolicy"]),
        ..Container::default()
    };
    for p in seq_at(node, &["ports"]) {
        let port = |k: &str| {
            p.get(k)
                .and_then(Node::as_i64)
                .and_then(|n| u32::try_from(n).ok())
        };
        if let Some(cp) = port("containerPort") {
            c.ports.push((cp, port("hostPort").unwrap_or(0)));
            if let Some(name) = str_at(p, &["name"]) {
                c.named_ports.push((name.to_string(), cp));
            }
        }
    }
    for (key, kind) in [
        ("livenessProbe", "liveness"),
        ("readinessProbe", "readiness"),
        ("startupProbe", "startup"),
    ] {
        let Some(probe) = node.get(key) else { continue };
        for handler in ["httpGet", "tcpSocket", "grpc"] {
            let Some(h) = probe.get(handler) else {
                continue;
            };
            let port = PortRef::of(h.get("port").and_then(Node::as_str));
            if port != PortRef::Unset {
                c.probes.push(Probe {
                    kind,
                    handler,
                    port,
                    line: key_line(h, "port"),
                });
            }
        }
    }
    for m in seq_at(node, &["volumeMounts"]) {
        if let Some(path) = str_at(m, &["mountPath"]) {
            c.volume_mounts
                .push((path.to_string(), key_line(m, "mountPath")));
        }
    }
    for e in seq_at(node, &["env"]) {
        let Some(name) = str_at(e, &["name"]) else {
            continue;
        };
        let value = e
            .get("value")
            .map(|v| v.as_str().unwrap_or_default().to_string());
        c.env.push((name.to_string(), value, e.line));
    }
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pod_facts() {
        let doc = kubeready_yaml::load_one(
            "metadata:\n  labels: {app: x}\nspec:\n  hostNetwork: true\n  securityContext: {runAsNonRoot: true, runAsUser: 1000}\n  containers:\n  - name: app\n    image: x:1\n    ports:\n    - containerPort: 8080\n      hostPort: 80\n    - containerPort: \"bad\"\n    env:\n    - name: A\n      value: \"1\"\n    - name: B\n      valueFrom: {secretKeyRef: {name: s, key: k}}\n    - name: C\n      value:\n    securityContext: {privileged: true, runAsUser: 0}\n    resources: {limits: {cpu: 1}, requests: {}}\n    startupProbe: {tcpSocket: {port: 8080}}\n    livenessProbe:\n      httpGet: {path: /, port: http}\n    volumeMounts:\n    - {name: d, mountPath: /data}\n  volumes:\n  - name: h\n    hostPath:\n      path: /var/run/docker.sock\n",
        )
        .unwrap();
        let mut o = K8sObject::default();
        apply_pod_template(&mut o, &doc);
        assert_eq!(o.pod_labels, vec![("app".to_string(), "x".to_string())]);
        assert!(o.host_network);
        assert_eq!(
            (o.pod_run_as_non_root, o.pod_run_as_user),
            (Some(true), Some(1000))
        );
        assert_eq!(
            o.host_path_volumes,
            vec![("/var/run/docker.sock".to_string(), 30)]
        );
        let c = &o.containers[0];
        assert_eq!(c.ports, vec![(8080, 80)]);
        assert_eq!(
            c.env,
            vec![
                ("A".to_string(), Some("1".to_string()), 14),
                ("B".to_string(), None, 16),
                ("C".to_string(), Some(String::new()), 18)
            ]
        );
        assert!(c.privileged && c.limits && !c.requests && c.startup_probe && !c.readiness_probe);
        assert_eq!(c.run_as_user, Some(0));
        let probes: Vec<(&str, &str, &PortRef, u32)> = c
            .probes
            .iter()
            .map(|p| (p.kind, p.handler, &p.port, p.line))
            .collect();
        assert_eq!(
            probes,
            vec![
                ("liveness", "httpGet", &PortRef::Name("http".into()), 24),
                ("startup", "tcpSocket", &PortRef::Number(8080), 22),
            ]
        );
        assert_eq!(c.volume_mounts, vec![("/data".to_string(), 26)]);
    }
}
