//! Meanings of well-known Azure Pipelines tasks (Docker, KubernetesManifest,
//! HelmDeploy, Kubernetes, AzureWebAppContainer, AzureContainerApps,
//! AzureRmWebAppDeployment), from their `inputs`.

use super::super::known::{
    build, build_args_of, deploy, list_values_str, repo_relative, split_args, tagged, with_value,
};
use super::super::Meaning;

/// What `task: Name@V` with `inputs` means.
pub fn meanings(task: &str, inputs: &[(String, String)]) -> Vec<Meaning> {
    let (name, version) = task.split_once('@').unwrap_or((task, ""));
    let get = |k: &str| with_value(inputs, k).map(str::trim);
    let list = |k: &str| list_values_str(get(k).unwrap_or(""));
    match name {
        "Docker" => docker(version, inputs),
        "KubernetesManifest" => {
            let action = get("action").unwrap_or("deploy").to_ascii_lowercase();
            let action = match action.as_str() {
                "deploy" => "apply",
                "promote" | "patch" | "scale" | "delete" => action.as_str(),
                _ => return Vec::new(),
            };
            let mut d = deploy("kubectl", action, list("containers"), list("manifests"));
            d.namespace = get("namespace").map(str::to_string);
            vec![Meaning::Deploy(d)]
        }
        "HelmDeploy" => {
            let command = get("command").unwrap_or("ls").to_ascii_lowercase();
            if !matches!(command.as_str(), "upgrade" | "install" | "rollback") {
                return Vec::new();
            }
            let images = list("overrideValues")
                .into_iter()
                .filter(|v| v.contains("image") || v.contains("tag"))
                .collect();
            let mut d = deploy("helm", &command, images, list("valueFile"));
            d.namespace = get("namespace").map(str::to_string);
            d.release = get("releaseName").map(str::to_string);
            vec![Meaning::Deploy(d)]
        }
        "Kubernetes" => {
            let command = get("command").unwrap_or("").to_ascii_lowercase();
            let args = split_args(get("arguments").unwrap_or(""));
            let (action, images) = match command.as_str() {
                "apply" | "create" | "replace" | "patch" => (command.clone(), Vec::new()),
                "set" if args.first().map(String::as_str) == Some("image") => (
                    "set-image".to_string(),
                    args.iter()
                        .skip(1)
                        .filter_map(|a| a.split_once('=').map(|(_, i)| i.to_string()))
                        .collect(),
                ),
                "rollout" => ("rollout".to_string(), Vec::new()),
                _ => return Vec::new(),
            };
            let mut files: Vec<String> = get("configuration")
                .filter(|_| get("useConfigurationFile") != Some("false"))
                .map(|c| vec![repo_relative(c)])
                .unwrap_or_default();
            let mut it = args.iter();
            while let Some(a) = it.next() {
                if a == "-f" || a == "--filename" || a == "-k" {
                    if let Some(f) = it.next() {
                        files.push(repo_relative(f));
                    }
                }
            }
            let mut d = deploy("kubectl", &action, images, files);
            d.namespace = get("namespace").map(str::to_string);
            vec![Meaning::Deploy(d)]
        }
        "AzureWebAppContainer" => {
            let mut images = list("imageName");
            images.extend(list("containers"));
            let mut d = deploy("az-webapp", "deploy", images, Vec::new());
            d.release = get("appName").map(str::to_string);
            vec![Meaning::Deploy(d)]
        }
        "AzureRmWebAppDeployment" => {
            let Some(repo) = get("DockerRepository") else {
                return Vec::new();
            };
            let image = match get("DockerNamespace") {
                Some(ns) => format!("{ns}/{repo}"),
                None => repo.to_string(),
            };
            let tags = list("DockerImageTag");
            let mut d = deploy("az-webapp", "deploy", tagged(&image, &tags), Vec::new());
            d.release = get("WebAppName").map(str::to_string);
            vec![Meaning::Deploy(d)]
        }
        "AzureContainerApps" => {
            let mut out = Vec::new();
            let image = get("imageToDeploy").map(str::to_string);
            if let Some(src) = get("appSourcePath") {
                // Builds the source (with its Dockerfile, if any) into ACR.
                let context = repo_relative(src);
                let dockerfile = get("dockerfilePath").map(repo_relative);
                out.push(Meaning::ImageBuild(build(
                    "az-containerapp",
                    dockerfile,
                    Some(context),
                    image.iter().cloned().collect(),
                    true,
                )));
            }
            let mut d = deploy(
                "az-containerapp",
                "update",
                image.into_iter().collect(),
                Vec::new(),
            );
            d.release = get("containerAppName").map(str::to_string);
            out.push(Meaning::Deploy(d));
            out
        }
        _ => Vec::new(),
    }
}

/// The Docker task: `Docker@2` (build, push, buildAndPush, login) and the
/// older `Docker@0/1` (`Build an image`, `Push an image`, `imageName`).
fn docker(version: &str, inputs: &[(String, String)]) -> Vec<Meaning> {
    let get = |k: &str| with_value(inputs, k).map(str::trim);
    let v2 = !matches!(version, "0" | "1");
    let command = get("command")
        .unwrap_or(if v2 { "buildAndPush" } else { "build" })
        .to_ascii_lowercase()
        .replace(' ', "");
    let images = if v2 {
        let mut tags = list_values_str(get("tags").unwrap_or(""));
        if tags.is_empty() {
            tags.push("$(Build.BuildId)".into());
        }
        tagged(get("repository").unwrap_or(""), &tags)
    } else {
        let mut i = list_values_str(
            get("imageName").unwrap_or("$(Build.Repository.Name):$(Build.BuildId)"),
        );
        if get("includeLatestTag") == Some("true") {
            if let Some(first) = i.first() {
                let name = first.rsplit_once(':').map_or(first.as_str(), |(n, _)| n);
                i.push(format!("{name}:latest"));
            }
        }
        i
    };
    match command.as_str() {
        "build" | "buildandpush" | "buildanimage" => {
            let df = get("Dockerfile")
                .or_else(|| get("dockerFile"))
                .unwrap_or("**/Dockerfile");
            let df = repo_relative(df);
            // A `**/Dockerfile` search pattern: the root's Dockerfile.
            let dockerfile = (!df.contains('*')).then(|| df.clone());
            let context = match get("buildContext") {
                Some(c) => repo_relative(c.trim_end_matches("/**")),
                None => match &dockerfile {
                    Some(f) => crate::paths::parent(f).to_string(),
                    None => String::new(),
                },
            };
            let args = split_args(get("arguments").unwrap_or(""));
            let (_, _, target) = build_args_of(&args);
            let mut b = build(
                "docker",
                dockerfile,
                Some(if context.is_empty() {
                    ".".into()
                } else {
                    context
                }),
                images,
                command == "buildandpush",
            );
            b.target = target;
            vec![Meaning::ImageBuild(b)]
        }
        "push" | "pushanimage" => vec![Meaning::ImagePush {
            tool: "docker".into(),
            images,
        }],
        "login" => vec![Meaning::RegistryLogin {
            tool: "docker".into(),
            registry: get("containerRegistry").map(str::to_string),
        }],
        _ => Vec::new(),
    }
}

/// The inline script of a script task (`Bash@3`, `CmdLine@2`,
/// `PowerShell@2`, `AzureCLI@2`), or a call of its script file.
pub fn script(task: &str, inputs: &[(String, String)]) -> Option<String> {
    let (name, _) = task.split_once('@').unwrap_or((task, ""));
    let get = |k: &str| with_value(inputs, k);
    match name {
        "Bash" | "ShellScript" => match get("targetType").map(str::to_ascii_lowercase).as_deref() {
            Some("inline") => get("script").map(str::to_string),
            _ => get("filePath").or_else(|| get("scriptPath")).map(|f| {
                format!(
                    "bash {} {}",
                    repo_relative(f),
                    get("arguments").unwrap_or("")
                )
                .trim_end()
                .to_string()
            }),
        },
        "CmdLine" => get("script").map(str::to_string),
        "PowerShell" | "AzurePowerShell" => {
            get("script").or_else(|| get("Inline")).map(str::to_string)
        }
        "AzureCLI" => get("inlineScript")
            .map(str::to_string)
            .or_else(|| get("scriptPath").map(|f| format!("bash {}", repo_relative(f)))),
        _ => None,
    }
}
