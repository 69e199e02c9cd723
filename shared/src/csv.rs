//! CSV as a Swedish Excel opens it: UTF-8 with a byte order mark (without it Excel reads the
//! file as Windows-1252 and "Strängnäs" breaks), semicolons between cells (the comma is the
//! Swedish decimal sign), CRLF between rows, and quotes around cells that need them.
//!
//! Written by hand rather than with the `csv` crate: the browser builds every export and reads
//! every import, and the crate (with its serde layer) would cost the download more than these
//! few lines; the crate checks this module in the tests instead (`tests` below).
//!
//! A cell a spreadsheet could read as a formula — starting with `=`, `+`, `-` or `@` (or their
//! full-width forms), also after blanks, or with a tab or carriage return — is written with a
//! leading apostrophe, so a hostile record cannot become a formula in the spreadsheet of
//! whoever opens the export ("CSV injection", OWASP); [`read`] takes the apostrophe off again.

/// The byte order mark that tells Excel the file is UTF-8.
pub const BOM: char = '\u{feff}';

/// Characters that make a spreadsheet read a cell as a formula.
const FORMULA_START: [char; 8] = ['=', '+', '-', '@', '＝', '＋', '－', '＠'];

/// True when a spreadsheet might read `value` as a formula: a formula sign first, or after
/// blanks (some imports trim them), or a leading tab or carriage return. A value that is an
/// apostrophe before such a value is guarded too, so reading back takes off exactly one.
fn needs_guard(value: &str) -> bool {
    let formula = |v: &str| {
        v.starts_with(['\t', '\r'])
            || v.trim_start_matches(|c: char| c.is_whitespace() || c.is_control()).starts_with(FORMULA_START)
    };
    formula(value) || value.strip_prefix('\'').is_some_and(formula)
}

/// Why a text is not a CSV table.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CsvError {
    #[error("the file is empty")]
    Empty,
    #[error("row {line}: a quoted cell is never closed")]
    OpenQuote { line: usize },
}

/// One cell as written: guarded against formulas, quoted when it holds a separator, a quote or
/// a line break.
fn cell(value: &str, out: &mut String) {
    let guarded = needs_guard(value);
    let quoted =
        guarded || value.contains([';', '"', '\n', '\r']) || value.starts_with(' ') || value.ends_with(' ');
    if quoted {
        out.push('"');
    }
    if guarded {
        out.push('\'');
    }
    for c in value.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    if quoted {
        out.push('"');
    }
}

/// The rows (the first is the header) as a CSV file's text, BOM first.
pub fn write(rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    out.push(BOM);
    for row in rows {
        for (i, value) in row.iter().enumerate() {
            if i > 0 {
                out.push(';');
            }
            cell(value, &mut out);
        }
        out.push_str("\r\n");
    }
    out
}

/// `,` when the first row has commas and no semicolons outside quotes, else `;`.
fn separator(text: &str) -> char {
    let (mut in_quotes, mut semis, mut commas) = (false, 0, 0);
    for c in text.chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            ';' if !in_quotes => semis += 1,
            ',' if !in_quotes => commas += 1,
            '\n' | '\r' if !in_quotes => break,
            _ => {}
        }
    }
    if semis == 0 && commas > 0 {
        ','
    } else {
        ';'
    }
}

/// Reads a CSV file's text into rows of cells. Takes what Excel and other programs write: a
/// BOM or none, `;` (or `,` when the first line has no `;` but a `,`), CRLF or LF, quoted
/// cells with doubled quotes and line breaks inside. Blank lines are skipped; a formula guard
/// written by [`write`] is taken off.
pub fn read(text: &str) -> Result<Vec<Vec<String>>, CsvError> {
    let text = text.strip_prefix(BOM).unwrap_or(text);
    let sep = separator(text);
    let mut rows = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut value = String::new();
    let (mut quoted, mut in_quotes, mut line, mut row_line) = (false, false, 1, 1);
    let mut chars = text.chars().peekable();
    let finish_cell = |value: &mut String, quoted: &mut bool, row: &mut Vec<String>| {
        let v = std::mem::take(value);
        let v = match v.strip_prefix('\'') {
            Some(rest) if *quoted && needs_guard(rest) => rest.to_string(),
            _ => v,
        };
        row.push(v);
        *quoted = false;
    };
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    value.push('"');
                }
                '"' => in_quotes = false,
                c => {
                    if c == '\n' {
                        line += 1;
                    }
                    value.push(c);
                }
            }
            continue;
        }
        match c {
            '"' if value.is_empty() && !quoted => {
                in_quotes = true;
                quoted = true;
            }
            c if c == sep => finish_cell(&mut value, &mut quoted, &mut row),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                finish_cell(&mut value, &mut quoted, &mut row);
                if !(row.len() == 1 && row[0].is_empty()) {
                    rows.push(std::mem::take(&mut row));
                }
                row.clear();
                line += 1;
                row_line = line;
            }
            c => value.push(c),
        }
    }
    if in_quotes {
        return Err(CsvError::OpenQuote { line: row_line });
    }
    if !value.is_empty() || quoted || !row.is_empty() {
        finish_cell(&mut value, &mut quoted, &mut row);
        if !(row.len() == 1 && row[0].is_empty()) {
            rows.push(row);
        }
    }
    if rows.is_empty() {
        return Err(CsvError::Empty);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rows(cells: &[&[&str]]) -> Vec<Vec<String>> {
        cells.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
    }

    #[test]
    fn excel_gets_a_bom_semicolons_crlf_and_quotes_only_where_needed() {
        let text = write(&rows(&[&["namn", "anteckning"], &["Strängnäs", "sa \"hej\"; sen\nmer"]]));
        assert_eq!(text, "\u{feff}namn;anteckning\r\nSträngnäs;\"sa \"\"hej\"\"; sen\nmer\"\r\n");
    }

    #[test]
    fn a_hostile_formula_is_written_as_text_and_read_back_as_it_was() {
        let text = write(&rows(&[&["titel"], &["=HYPERLINK(\"http://x\")"], &["-5"], &["@SUM(A1)"]]));
        assert!(text.contains("\"'=HYPERLINK("), "{text}");
        assert_eq!(
            read(&text).unwrap()[1..],
            rows(&[&["=HYPERLINK(\"http://x\")"], &["-5"], &["@SUM(A1)"]])[..]
        );
        // An apostrophe a person typed stays, also before a formula sign.
        assert_eq!(read("a\r\n'Tjena\r\n").unwrap()[1], ["'Tjena"]);
        let typed = rows(&[&["a", "b"], &["'=x;y", "ok"]]);
        assert_eq!(read(&write(&typed)).unwrap(), typed);
        // What other spreadsheets may still read as a formula.
        for cell in ["\t=1+1", "\r=1", " =1+1", "\u{3000}=1", "＝1+1", "＋1", "\t"] {
            let text = write(&rows(&[&["a", "b"], &[cell, "x"]]));
            assert!(
                text.contains(&format!("\"'{}", cell.chars().next().unwrap())),
                "{cell:?} is guarded: {text:?}"
            );
            assert_eq!(read(&text).unwrap()[1][0], cell, "{cell:?} reads back");
        }
    }

    #[test]
    fn reads_what_other_programs_write() {
        assert_eq!(read("a,b\nc,\"d,e\"\n").unwrap(), rows(&[&["a", "b"], &["c", "d,e"]]));
        assert_eq!(read("a;b\n\n1;\n").unwrap(), rows(&[&["a", "b"], &["1", ""]]));
        assert_eq!(read("a;b").unwrap(), rows(&[&["a", "b"]]));
        assert_eq!(read("\u{feff}"), Err(CsvError::Empty));
        assert_eq!(read("a;b\r\n1;\"open\r\n"), Err(CsvError::OpenQuote { line: 2 }));
    }

    proptest! {
        /// The `csv` crate reads what we write, and we read what it writes.
        #[test]
        fn agrees_with_the_csv_crate(table in prop::collection::vec(prop::collection::vec("[a-zåäö0-9 ;,\"\r\n=+@-]{0,8}", 2..4), 1..5)) {
            let width = table[0].len();
            let table: Vec<Vec<String>> = table.into_iter().map(|mut r| { r.resize(width, String::new()); r }).collect();
            // Rows that are one empty cell are blank lines to a reader.
            prop_assume!(width > 1);
            let ours = write(&table);
            let mut reader = ::csv::ReaderBuilder::new().delimiter(b';').has_headers(false)
                .from_reader(ours.trim_start_matches(BOM).as_bytes());
            let theirs: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(|c| {
                match c.strip_prefix('\'') { Some(rest) if needs_guard(rest) => rest.to_string(), _ => c.to_string() }
            }).collect()).collect();
            prop_assert_eq!(&theirs, &table);
            let mut writer = ::csv::WriterBuilder::new().delimiter(b';').terminator(::csv::Terminator::CRLF).from_writer(vec![]);
            for r in &table { writer.write_record(r).unwrap(); }
            let written = String::from_utf8(writer.into_inner().unwrap()).unwrap();
            prop_assert_eq!(read(&written).unwrap(), table);
        }
    }
}
