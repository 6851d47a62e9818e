//! A page's markdown outside its tables, as both forms write it: the
//! sections by heading, the summary paragraph and the notes.

/// A line of the page with its 1-based number.
pub(super) type Line<'a> = (usize, &'a str);

/// The page's sections by heading text; each holds the lines up to the next
/// heading of any level (the heading line first).
pub(super) struct Sections<'a>(Vec<(String, Vec<Line<'a>>)>);

impl<'a> Sections<'a> {
    /// Headings inside code fences and `:::html` blocks are text.
    pub(super) fn split(lines: &[Line<'a>]) -> Self {
        let mut sections: Vec<(String, Vec<Line<'a>>)> = Vec::new();
        let mut in_code = false;
        let mut in_html = false;
        for &(n, l) in lines {
            let trimmed = l.trim();
            if trimmed.starts_with("```") {
                in_code = !in_code;
            } else if trimmed == ":::html" {
                in_html = true;
            } else if trimmed == ":::" {
                in_html = false;
            }
            // A heading may be indented by up to three spaces.
            let indent = l.len() - l.trim_start_matches(' ').len();
            if !in_code && !in_html && indent <= 3 && l[indent..].starts_with('#') {
                let name = l.trim().trim_start_matches('#').trim().to_owned();
                sections.push((name, vec![(n, l)]));
            } else if let Some((_, body)) = sections.last_mut() {
                body.push((n, l));
            }
        }
        Sections(sections)
    }

    /// The lines of every section whose heading starts with `prefix`.
    pub(super) fn starting_with<'s>(
        &'s self,
        prefix: &'s str,
    ) -> impl Iterator<Item = &'s Line<'a>> {
        self.0
            .iter()
            .filter(move |(n, _)| n.starts_with(prefix))
            .flat_map(|(_, l)| l)
    }

    pub(super) fn get(&self, name: &str) -> Option<&[Line<'a>]> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, l)| l.as_slice())
    }
}

/// How the rendered form writes an `md-alert`: a paragraph led by this
/// label (the doc-source form keeps the `:::html` block).
pub(super) const ALERT: &str = "**注意事项**：";

/// The first paragraph below the `#` title, up to an alert or note the
/// rendered form writes right below it.
pub(super) fn summary(lines: &[Line]) -> String {
    let after_title = lines
        .iter()
        .skip_while(|(_, l)| !l.starts_with("# "))
        .skip(1);
    // The rendered form writes an alert or a `:::note` right below the
    // paragraph, led by a bold label (`**注意事项**：`, `**说明：**`).
    after_title
        .map(|(_, l)| l.trim())
        .skip_while(|l| l.is_empty())
        .enumerate()
        .take_while(|(i, l)| {
            let label = *i > 0 && l.starts_with("**");
            !(l.is_empty() || l.starts_with('#') || l.starts_with(":::") || label)
        })
        .map(|(_, l)| l)
        .collect::<Vec<_>>()
        .join("")
}

/// 前提条件 / 使用限制 / 注意事项: one note per bullet or paragraph line.
pub(super) fn notes(sections: &Sections) -> Vec<String> {
    let mut notes = Vec::new();
    for name in ["前提条件", "使用限制", "注意事项"] {
        let Some(lines) = sections.get(name) else {
            continue;
        };
        for (_, l) in &lines[1..] {
            // An alert's text is a note as the doc-source form's is.
            let l = l.trim();
            let l = l.strip_prefix(ALERT).unwrap_or(l).trim();
            // Markup lines of an html block are no note; its alert text is
            // read with the other alerts.
            if l.is_empty() || l.starts_with(":::") || l.starts_with('<') {
                continue;
            }
            match l.strip_prefix("- ") {
                Some(item) => notes.push(item.trim().to_owned()),
                None => notes.push(format!("{name}：{l}")),
            }
        }
    }
    notes
}
