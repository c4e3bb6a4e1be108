//! STUB (replaced by the real crate on merge): the API contract only.
#[derive(Clone, Debug, Default)]
pub struct Dockerfile {
    pub directives: Vec<Directive>,
    pub escape: char,
    pub instructions: Vec<Instruction>,
    pub comments: Vec<Comment>,
    pub errors: Vec<ParseError>,
}
#[derive(Clone, Debug)]
pub struct Directive { pub name: String, pub value: String, pub line: u32 }
#[derive(Clone, Debug)]
pub struct Comment { pub line: u32, pub text: String }
#[derive(Clone, Debug)]
pub struct ParseError { pub line: u32, pub message: String }
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Keyword { From, Run, Cmd, Label, Maintainer, Expose, Env, Add, Copy, Entrypoint, Volume, User, Workdir, Arg, Onbuild, Stopsignal, Healthcheck, Shell, Other(String) }
#[derive(Clone, Debug)]
pub struct Instruction {
    pub keyword: Keyword,
    pub line: u32,
    pub end_line: u32,
    pub flags: Vec<Flag>,
    pub args: Args,
    pub heredocs: Vec<Heredoc>,
    pub original: String,
    pub comments_before: Vec<Comment>,
}
#[derive(Clone, Debug)]
pub struct Flag { pub name: String, pub value: Option<String> }
#[derive(Clone, Debug)]
pub enum Args { Json(Vec<String>), Shell(String), KeyValues(Vec<KeyValue>), Words(Vec<String>), Instruction(Box<Instruction>), Healthcheck(Option<Box<Instruction>>) }
#[derive(Clone, Debug)]
pub struct KeyValue { pub key: String, pub value: Option<String> }
#[derive(Clone, Debug)]
pub struct Heredoc { pub name: String, pub content: String, pub expand: bool, pub chomp_tabs: bool, pub line: u32 }
#[derive(Clone, Debug)]
pub struct Stage { pub index: usize, pub name: Option<String>, pub base: String, pub platform: Option<String>, pub line: u32, pub instructions: std::ops::Range<usize> }
pub fn parse(_src: &str) -> Dockerfile { Dockerfile::default() }
impl Dockerfile {
    pub fn stages(&self) -> Vec<Stage> { vec![] }
    pub fn global_args(&self) -> Vec<KeyValue> { vec![] }
}
impl Instruction {
    pub fn words(&self) -> Vec<String> { vec![] }
}
pub fn expand_args(s: &str, _vars: &dyn Fn(&str) -> Option<String>) -> String { s.to_string() }
