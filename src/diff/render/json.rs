//! The JSON report (schema `teikit-diff/1`, documented in the module docs of `diff`).

use std::io::{self, Write};

use serde_json::{Map, Value, json};

use super::{Inputs, LineMaps};
use crate::diff::{Change, Location, Report};

/// Writes the report as one pretty-printed JSON document.
pub fn json(w: &mut dyn Write, report: &Report, inputs: &Inputs<'_>) -> io::Result<()> {
    let lines = LineMaps::new(inputs);
    let mut counts = Map::new();
    for (c, n) in report.counts() {
        counts.insert(c.id().to_string(), json!(n));
    }
    let changes: Vec<Value> = report
        .changes
        .iter()
        .map(|c| change_value(c, &lines))
        .collect();
    let degraded: Vec<Value> = report
        .degraded
        .iter()
        .map(|d| json!({"code": d.code, "message": d.message}))
        .collect();
    let v = json!({
        "schema": "teikit-diff/1",
        "old": {"file": inputs.old_name},
        "new": {"file": inputs.new_name},
        "identical": report.is_identical(),
        "counts": counts,
        "changes": changes,
        "degraded": degraded,
    });
    serde_json::to_writer_pretty(&mut *w, &v)?;
    writeln!(w)
}

fn loc(l: &Option<Location>, line: Option<usize>) -> Value {
    match l {
        Some(l) => json!({"path": l.path, "line": line, "span": [l.span.start, l.span.end]}),
        None => Value::Null,
    }
}

/// One change as a JSON value (inner changes by an explicit stack, outermost first).
fn change_value(c: &Change, lines: &LineMaps) -> Value {
    // Build values bottom-up without recursion: post-order over an explicit stack.
    let mut stack: Vec<(&Change, bool)> = vec![(c, false)];
    let mut done: Vec<Value> = Vec::new();
    while let Some((x, expanded)) = stack.pop() {
        if !expanded {
            stack.push((x, true));
            for i in x.inner.iter().rev() {
                stack.push((i, false));
            }
            continue;
        }
        let k = x.inner.len();
        let inner: Vec<Value> = done.split_off(done.len() - k);
        let attrs: Vec<Value> = x
            .attributes
            .iter()
            .map(|a| json!({"name": a.name, "old": a.old, "new": a.new}))
            .collect();
        done.push(json!({
            "class": x.class.id(),
            "summary": x.summary,
            "old": loc(&x.old, lines.old_line(&x.old)),
            "new": loc(&x.new, lines.new_line(&x.new)),
            "old_text": x.old_text,
            "new_text": x.new_text,
            "context": x.context.as_ref().map(|c| json!({"before": c.before, "after": c.after})),
            "element": x.element,
            "field": x.field,
            "attributes": attrs,
            "group": x.group,
            "changes_text": x.changes_text,
            "inner": inner,
        }));
    }
    done.pop().unwrap_or(Value::Null)
}
