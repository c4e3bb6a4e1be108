//! The one table look shared by every block: no outer border, a thin rule
//! under the header, two spaces between columns, indented by two spaces.

use super::paint::ELLIPSIS;
use tabled::builder::Builder;
use tabled::settings::object::{Cell, Columns};
use tabled::settings::peaker::PriorityMax;
use tabled::settings::style::HorizontalLine;
use tabled::settings::object::Segment;
use tabled::settings::{Alignment, Color, Format, Padding, Style, Width};

/// Left margin of every table.
pub(super) const INDENT: usize = 2;

/// How a column fits the width: wrapped at words or truncated with `…`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Fit {
    Wrap,
    Truncate,
}

/// A table under construction: rows of plain text and where colour goes.
pub(super) struct Grid {
    header: Option<Vec<String>>,
    rows: Vec<Vec<String>>,
    right: Vec<usize>,
    colors: Vec<(usize, usize, Color)>,
    fit: Fit,
}

impl Grid {
    pub(super) fn new(fit: Fit) -> Grid {
        Grid {
            header: None,
            rows: Vec::new(),
            right: Vec::new(),
            colors: Vec::new(),
            fit,
        }
    }

    pub(super) fn header<const N: usize>(&mut self, cells: [&str; N]) -> &mut Grid {
        self.header = Some(cells.iter().map(|c| c.to_string()).collect());
        self
    }

    /// Right-aligns column `col` (numbers, scores).
    pub(super) fn align_right(&mut self, col: usize) -> &mut Grid {
        self.right.push(col);
        self
    }

    /// Adds a row; `colors` are (column, colour) pairs for this row's cells.
    pub(super) fn row(&mut self, cells: Vec<String>, colors: Vec<(usize, Option<Color>)>) {
        let row = self.rows.len() + usize::from(self.header.is_some());
        for (col, color) in colors {
            if let Some(color) = color {
                self.colors.push((row, col, color));
            }
        }
        self.rows.push(cells);
    }

    /// Renders into `out`, each line indented and at most `width` columns.
    pub(super) fn render_into(self, out: &mut Vec<String>, width: usize) {
        let mut builder = Builder::new();
        let has_header = self.header.is_some();
        if let Some(header) = self.header {
            builder.push_record(header);
        }
        for row in self.rows {
            builder.push_record(row);
        }
        let mut table = builder.build();
        if has_header {
            table.with(Style::empty().horizontals([(1, HorizontalLine::new('─'))]));
        } else {
            table.with(Style::empty());
        }
        table.with(Padding::new(0, 2, 0, 0));
        table.modify(Columns::last(), Padding::zero());
        for col in self.right {
            table.modify(Columns::one(col), Alignment::right());
        }
        let budget = width.saturating_sub(INDENT);
        match self.fit {
            Fit::Wrap => {
                table.with(
                    Width::wrap(budget)
                        .keep_words(true)
                        .priority(PriorityMax::right()),
                );
                // Wrapping at a space leaves it at the start of the next line.
                table.modify(Segment::all(), Format::content(trim_lines));
            }
            Fit::Truncate => {
                table.with(
                    Width::truncate(budget)
                        .suffix(ELLIPSIS)
                        .priority(PriorityMax::right()),
                );
            }
        }
        for (row, col, color) in self.colors {
            table.modify(Cell::new(row, col), color);
        }
        let indent = " ".repeat(INDENT);
        for line in table.to_string().lines() {
            let line = line.trim_end();
            if line.is_empty() {
                out.push(String::new());
            } else {
                out.push(format!("{indent}{line}"));
            }
        }
    }
}

fn trim_lines(text: &str) -> String {
    text.lines().map(str::trim).collect::<Vec<_>>().join("\n")
}
