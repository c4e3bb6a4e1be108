//! STUB (replaced by the real crate on merge): the API contract only.
pub struct Limits { pub max_nodes: usize, pub max_depth: usize }
impl Default for Limits { fn default() -> Self { Limits { max_nodes: 1_000_000, max_depth: 512 } } }
pub struct Loaded { pub documents: Vec<Node>, pub error: Option<YamlError>, pub duplicates: Vec<Duplicate> }
#[derive(Clone, Debug)]
pub struct YamlError { pub line: u32, pub column: u32, pub message: String }
#[derive(Clone, Debug)]
pub struct Duplicate { pub key: String, pub line: u32, pub first_line: u32 }
#[derive(Clone, Debug)]
pub struct Node { pub value: Value, pub line: u32, pub column: u32, pub tag: Option<String>, pub anchor: Option<String> }
#[derive(Clone, Debug)]
pub enum Value { Null, Scalar(Scalar), Seq(Vec<Node>), Map(Vec<Entry>) }
#[derive(Clone, Debug)]
pub struct Scalar { pub text: String }
#[derive(Clone, Debug)]
pub struct Entry { pub key: Node, pub value: Node }
impl Node {
    pub fn get(&self, _key: &str) -> Option<&Node> { None }
    pub fn entry(&self, _key: &str) -> Option<&Entry> { None }
    pub fn as_map(&self) -> Option<&[Entry]> { None }
    pub fn as_seq(&self) -> Option<&[Node]> { None }
    pub fn as_str(&self) -> Option<&str> { None }
    pub fn as_bool(&self) -> Option<bool> { None }
    pub fn as_i64(&self) -> Option<i64> { None }
    pub fn is_null(&self) -> bool { true }
    pub fn str_or_seq(&self) -> Vec<&Node> { vec![] }
}
pub fn load(_src: &str, _limits: &Limits) -> Loaded { Loaded { documents: vec![], error: None, duplicates: vec![] } }
