//! STUB (replaced on merge of the service-detection work).
use crate::parse::manifest::{ImageBuilderConfig, Language, Project};
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeclaredService {
    pub path: String,
    pub name: Option<String>,
    pub language: Option<Language>,
}
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Service {
    pub path: String,
    pub name: String,
    pub language: Language,
    pub manifest: String,
    pub reason: String,
    pub frameworks: Vec<String>,
    pub web: bool,
    pub ports: Vec<u16>,
    pub image_builders: Vec<ImageBuilderConfig>,
    pub declared: bool,
    pub line: u32,
}
pub fn services(
    _projects: &[Project],
    _declared: &[DeclaredService],
    _excluded: &[String],
) -> Vec<Service> {
    vec![]
}
pub fn is_example_path(_dir: &str) -> bool {
    false
}
