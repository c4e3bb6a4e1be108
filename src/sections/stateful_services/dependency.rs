//! A dependency on a stateful engine: where it was found, where it runs
//! and how the cluster reaches it (one per engine).

use super::engines::{category_of, engine_of_name, engine_of_port};
use crate::checklist::Evidence;
use crate::parse::k8s::K8sObject;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Reach {
    None,
    InCluster,
    Managed,
    Pattern,
}

impl Reach {
    pub(super) fn tenths(self) -> u32 {
        match self {
            Reach::Pattern | Reach::Managed => 10,
            Reach::InCluster => 5,
            Reach::None => 0,
        }
    }
}

#[derive(Clone, Debug)]
pub(super) struct Dependency {
    pub(super) engine: &'static str,
    /// A name to show: the Compose service, object or variable.
    pub(super) name: String,
    /// Where it was found (file, line, what).
    pub(super) found: Vec<Evidence>,
    pub(super) reach: Reach,
    /// How it is reached, with evidence.
    pub(super) how: Vec<Evidence>,
    /// Where it runs: "Compose", "StatefulSet", ...
    pub(super) runs: Vec<String>,
    /// The first detection's file:line, for next steps.
    pub(super) at: (String, u32),
    /// In-cluster detail, for the trade-offs advice.
    pub(super) in_cluster: Option<(String, u32, String)>,
    /// A workload reads its endpoint from a Secret/ConfigMap.
    pub(super) from_config: bool,
}

#[derive(Default)]
pub(super) struct Deps(pub(super) Vec<Dependency>);

impl Deps {
    /// The dependency of this engine, created when new. A generic
    /// `database` joins the only database when there is one.
    pub(super) fn get(
        &mut self,
        engine: &'static str,
        name: &str,
        file: &str,
        line: u32,
    ) -> &mut Dependency {
        let engine = if engine == "database" {
            let dbs: Vec<&'static str> = self
                .0
                .iter()
                .filter(|d| category_of(d.engine) == "database" && d.engine != "database")
                .map(|d| d.engine)
                .collect();
            match dbs.as_slice() {
                [only] => only,
                _ => engine,
            }
        } else {
            engine
        };
        let pos = match self.0.iter().position(|d| d.engine == engine) {
            Some(p) => p,
            None => {
                self.0.push(Dependency {
                    engine,
                    name: name.to_string(),
                    found: Vec::new(),
                    reach: Reach::None,
                    how: Vec::new(),
                    runs: Vec::new(),
                    at: (file.to_string(), line),
                    in_cluster: None,
                    from_config: false,
                });
                self.0.len() - 1
            }
        };
        let d = &mut self.0[pos];
        // Next steps cite the product's own file when one names the
        // engine, not the test suite's or the example's Compose file
        // where it was seen first.
        let demo = |f: &str| crate::inventory::demonstrates_or_tests(crate::paths::parent(f));
        if demo(&d.at.0) && !demo(file) {
            d.at = (file.to_string(), line);
        }
        d
    }
}

impl Dependency {
    pub(super) fn reached(&mut self, reach: Reach, e: Evidence) {
        if reach > self.reach {
            self.reach = reach;
        }
        self.how.push(e);
    }

    pub(super) fn runs_in(&mut self, place: &str) {
        if !self.runs.iter().any(|r| r == place) {
            self.runs.push(place.to_string());
        }
    }
}

pub(super) fn ports_engine(o: &K8sObject) -> Option<&'static str> {
    o.service_ports.iter().find_map(|p| engine_of_port(p.port))
}

/// The engine a Service is for: by its name, else by its ports.
pub(super) fn service_engine(o: &K8sObject) -> Option<&'static str> {
    engine_of_name(&o.name).or_else(|| ports_engine(o))
}
