//! The one table look shared by every block: no outer border, a thin rule
//! under the header, two spaces between columns, indented by two spaces.
//!
//! Two ways to fit the width: [`Grid::wrapping`] wraps the named columns at
//! word boundaries (the widest column gives way first; a word longer than
//! its column is cut with `…`, never split), [`Grid::truncating`] cuts the
//! widest cells with `…` (tabled's `Width::truncate`). Both end with tabled's
//! truncation as a safety net so no line ever exceeds the width.

use super::paint::{width_of, wrap_words, ELLIPSIS};
use tabled::builder::Builder;
use tabled::settings::object::{Cell, Columns};
use tabled::settings::peaker::PriorityMax;
use tabled::settings::style::HorizontalLine;
use tabled::settings::{Alignment, Color, Padding, Style, Width};

/// Left margin of every table.
pub(super) const INDENT: usize = 2;
/// Space between columns.
const GAP: usize = 2;
/// A wrapped column is not squeezed below this while others are wider.
const MIN_WRAP: usize = 10;

/// A table under construction: rows of plain text and where colour goes.
pub(super) struct Grid {
    header: Option<Vec<String>>,
    rows: Vec<Vec<String>>,
    right: Vec<usize>,
    colors: Vec<(usize, usize, Color)>,
    /// Columns wrapped at words; empty: truncate instead.
    wrap: Vec<usize>,
}

impl Grid {
    /// A table whose `cols` wrap at word boundaries to fit.
    pub(super) fn wrapping(cols: &[usize]) -> Grid {
        Grid {
            header: None,
            rows: Vec::new(),
            right: Vec::new(),
            colors: Vec::new(),
            wrap: cols.to_vec(),
        }
    }

    /// A table whose widest cells are cut with `…` to fit.
    pub(super) fn truncating() -> Grid {
        Grid::wrapping(&[])
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
    pub(super) fn render_into(mut self, out: &mut Vec<String>, width: usize) {
        let budget = width.saturating_sub(INDENT);
        self.wrap_columns(budget);

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
        table.with(Padding::new(0, GAP, 0, 0));
        table.modify(Columns::last(), Padding::zero());
        for col in self.right {
            table.modify(Columns::one(col), Alignment::right());
        }
        table.with(
            Width::truncate(budget)
                .suffix(ELLIPSIS)
                .priority(PriorityMax::right()),
        );
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

    /// Shrinks the wrapping columns until the table fits `budget`, then
    /// wraps their cells to the chosen widths.
    fn wrap_columns(&mut self, budget: usize) {
        if self.wrap.is_empty() {
            return;
        }
        let ncols = self
            .rows
            .iter()
            .chain(self.header.iter())
            .map(Vec::len)
            .max()
            .unwrap_or(0);
        let mut widths = vec![0; ncols];
        for row in self.rows.iter().chain(self.header.iter()) {
            for (col, cell) in row.iter().enumerate() {
                let w = cell.lines().map(width_of).max().unwrap_or(0);
                widths[col] = widths[col].max(w);
            }
        }
        let total = |w: &[usize]| w.iter().sum::<usize>() + GAP * w.len().saturating_sub(1);
        while total(&widths) > budget {
            // The widest wrapping column above the floor gives way; once all
            // are at the floor, the widest one still above one column.
            let pick = |floor: usize| {
                self.wrap
                    .iter()
                    .copied()
                    .filter(|&c| c < ncols && widths[c] > floor)
                    .max_by_key(|&c| (widths[c], std::cmp::Reverse(c)))
            };
            match pick(MIN_WRAP).or_else(|| pick(1)) {
                Some(col) => widths[col] -= 1,
                None => break,
            }
        }
        for row in &mut self.rows {
            for &col in &self.wrap {
                if let Some(cell) = row.get_mut(col) {
                    let lines: Vec<String> = cell
                        .lines()
                        .flat_map(|line| wrap_words(line, widths[col]))
                        .collect();
                    *cell = lines.join("\n");
                }
            }
        }
    }
}
