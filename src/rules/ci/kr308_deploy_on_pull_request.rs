pub struct Rule;
static DOC: crate::rules::RuleDoc = crate::rules::RuleDoc {
    code: "KR308",
    name: "x308",
    severity: crate::finding::Severity::Info,
    enabled_by_default: true,
    summary: "",
    what: "x",
    why: "x",
    bad: "x",
    good: "x",
};
impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static crate::rules::RuleDoc {
        &DOC
    }
    fn check(&self, _: &crate::rules::Context<'_>, _: &mut crate::rules::Sink<'_>) {}
}
