//! "Did you mean ...?" suggestions by edit distance (`strsim`).

/// Edit distance (`strsim`'s optimal string alignment: insertions,
/// deletions, substitutions and transpositions of neighbours),
/// case-insensitive, with `_` and `-` treated as the same character.
pub fn distance(a: &str, b: &str) -> usize {
    let norm = |s: &str| -> String {
        s.chars()
            .map(|c| match c.to_ascii_lowercase() {
                '_' => '-',
                c => c,
            })
            .collect()
    };
    strsim::osa_distance(&norm(a), &norm(b))
}

/// The closest candidate, if it is close enough to be a likely typo.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .map(|c| (distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// ` (did you mean `x`?)` or nothing.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    match suggest(word, candidates) {
        Some(s) => format!(" (did you mean `{s}`?)"),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(distance("rulez", "rules"), 1);
        assert_eq!(distance("fail_on", "fail-on"), 0);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("KR930", "KR903"), 1);
        assert_eq!(distance("ignroe", "ignore"), 1);
    }

    #[test]
    fn suggestions() {
        let keys = ["rules", "ignore", "overrides"];
        assert_eq!(suggest("rulez", keys), Some("rules"));
        assert_eq!(suggest("ignroe", keys), Some("ignore"));
        assert_eq!(suggest("zzz", keys), None);
        assert_eq!(did_you_mean("Rules", keys), " (did you mean `rules`?)");
    }
}
