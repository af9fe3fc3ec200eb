use std::fmt;
use std::ops::Range;

/// One problem in one rule file, printed as `PATH:LINE:COL: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub path: String,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.path, self.line, self.col, self.message)
    }
}

impl std::error::Error for RuleError {}

/// Turns byte offsets in one file's text into 1-based line and column (in characters).
pub struct Locator<'a> {
    pub path: &'a str,
    pub text: &'a str,
}

impl Locator<'_> {
    pub fn at(&self, span: Option<Range<usize>>, message: impl Into<String>) -> RuleError {
        let offset = span.map_or(0, |s| s.start).min(self.text.len());
        let before = self.text.get(..offset).unwrap_or("");
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        RuleError {
            path: self.path.to_string(),
            line,
            col,
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_line_and_column() {
        let text = "a = 1\nبب = 2\n";
        let loc = Locator { path: "x.toml", text };
        let at_b = text.find('2').map(|i| i..i + 1);
        assert_eq!(loc.at(at_b, "bad").to_string(), "x.toml:2:6: bad");
        assert_eq!(loc.at(None, "whole file").to_string(), "x.toml:1:1: whole file");
    }
}
