//! JSON with comments edited in bounded memory: one pass of a scanner checks the whole file (its syntax, no key twice) and finds the objects on the way to the servers and the entry; only a small text is parsed into a concrete syntax tree, and the tree's new text is spliced back between the untouched parts of the file.
//!
//! A file up to [`TREE_LIMIT`] is parsed whole. In a larger one the tree is
//! made of a skeleton: the objects above the one that changes, each holding
//! only the key that leads on, with that key's indentation as it stands in
//! the file; then either the old entry's value (to replace it), or the
//! object the entry goes into: whole when it is small, else its first and
//! last properties and its end (all an append looks at: the indentation of
//! its properties, whether the last one has a comma, whether the object is
//! on one line). The tree edits the skeleton as it would edit the file, and
//! only the text of that region is taken back; a skeleton whose parts
//! outside the region changed is refused rather than guessed at.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::ops::Range;

use jsonc_parser::cst::{CstInputValue, CstNode, CstRootNode};
use jsonc_parser::errors::ParseErrorKind;
use jsonc_parser::tokens::Token;
use jsonc_parser::{ParseOptions, Scanner, ScannerOptions};

use super::{Change, EditError, Merged, Redact, TREE_LIMIT, json_path, known, trello_values};

/// As deep as `jsonc-parser` nests (its own limit): deeper is refused, never a stack overflow.
const NESTING_LIMIT: usize = 512;
/// The most keys held at once to find a key written twice (about 20 bytes
/// each): a real client file has thousands; a file built to hold millions
/// in one object is refused rather than let grow the memory an edit takes.
const KEYS_LIMIT: usize = 1 << 17;

pub(super) fn merge<'a>(old: &'a str, change: &Change) -> Result<Merged<'a>, EditError> {
    merge_within(old, change, TREE_LIMIT, TREE_LIMIT)
}

/// [`merge`], with a file larger than `whole` edited through a skeleton, in
/// which the object the entry goes into is whole when it is at most `object`
/// (the tests give tiny ones, to compare a skeleton's edit with a whole tree's).
fn merge_within<'a>(old: &'a str, change: &Change, whole: usize, object: usize) -> Result<Merged<'a>, EditError> {
    // A byte-order mark (an editor on Windows) is kept, and not parsed.
    let (bom, body) = match old.strip_prefix('\u{feff}') {
        Some(rest) => (&old[..old.len() - rest.len()], rest),
        None => ("", old),
    };
    let blank = body.trim().is_empty();
    let outline = if blank { None } else { Some(Outline::scan(body, change.keys, change.name)?) };
    let all = |skeleton_region| Plan {
        prefix: String::new(),
        region: 0..body.len(),
        skeleton_region,
        suffix: String::new(),
        direct: None,
    };
    let plan = match &outline {
        None => all(false),
        Some(outline) if body.len() > whole => outline.plan(body, change, object)?,
        Some(_) => all(true),
    };
    let (applied, mut middle) = match &plan.direct {
        Some((text, created)) => {
            (Applied { replaced: false, created: created.clone(), old_secrets: Vec::new() }, text.clone())
        }
        None => through_tree(body, &plan, change)?,
    };
    if blank && !middle.ends_with('\n') {
        middle.push('\n');
    }
    let unchanged = !blank && middle == body[plan.region.clone()];
    let backup = if blank {
        None
    } else {
        let entry = outline.as_ref().and_then(|o| o.entry(change.keys.len()));
        backup(bom, body, entry, &known(change.secrets, &applied.old_secrets))
    };
    let pieces = vec![
        Cow::Borrowed(bom),
        Cow::Borrowed(&body[..plan.region.start]),
        Cow::Owned(middle),
        Cow::Borrowed(&body[plan.region.end..]),
    ];
    Ok(Merged {
        pieces,
        replaced: applied.replaced,
        unchanged,
        created: applied.created,
        old_secrets: applied.old_secrets,
        backup,
    })
}

/// JSON as VS Code reads it: comments and trailing commas allowed; nothing
/// looser (single quotes, bare words, hex), which no client reads.
fn options() -> ParseOptions {
    ParseOptions {
        allow_comments: true,
        allow_trailing_commas: true,
        allow_loose_object_property_names: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

/// The scanner's share of [`options`].
fn scanner_options() -> ScannerOptions {
    ScannerOptions {
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

/// The plan's skeleton through the tree: what it did, and the region's new text.
fn through_tree(body: &str, plan: &Plan, change: &Change) -> Result<(Applied, String), EditError> {
    let region_text = if plan.skeleton_region { &body[plan.region.clone()] } else { "" };
    let skeleton = format!("{}{region_text}{}", plan.prefix, plan.suffix);
    let root = CstRootNode::parse(&skeleton, &options()).map_err(|e| EditError::Json {
        what: e.kind().to_string(),
        line: e.line_display(),
        column: e.column_display(),
    })?;
    let applied = apply(&root, change)?;
    let new = root.to_string();
    let middle = new
        .strip_prefix(plan.prefix.as_str())
        .and_then(|rest| rest.strip_suffix(plan.suffix.as_str()))
        .ok_or(EditError::Splice)?;
    Ok((applied, middle.to_string()))
}

/// What the tree did.
struct Applied {
    replaced: bool,
    created: Vec<String>,
    old_secrets: Vec<String>,
}

/// The entry set as `name` under `keys`, creating the objects on the way.
fn apply(root: &CstRootNode, change: &Change) -> Result<Applied, EditError> {
    let Change { keys, name, entry, .. } = *change;
    if let Some(value) = root.value()
        && value.as_object().is_none()
    {
        return Err(EditError::Shape { place: "the top of the file".into(), wanted: "an object" });
    }
    let mut object = root.object_value_or_set();
    let mut created = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        let not_object = || EditError::Shape { place: json_path(&keys[..=i]), wanted: "an object" };
        object = match object.get(key) {
            Some(prop) => prop.object_value().ok_or_else(not_object)?,
            None => {
                created.push(key.clone());
                object.append(key, CstInputValue::Object(Vec::new())).object_value().ok_or_else(not_object)?
            }
        };
    }
    let value = cst_value(entry);
    let (replaced, old_secrets) = match object.get(name) {
        Some(prop) => {
            let held = prop.value().map(|v| trello_values(&json_of(&v))).unwrap_or_default();
            prop.set_value(value);
            (true, held)
        }
        None => {
            object.append(name, value);
            (false, Vec::new())
        }
    };
    Ok(Applied { replaced, created, old_secrets })
}

fn cst_value(value: &serde_json::Value) -> CstInputValue {
    match value {
        serde_json::Value::Null => CstInputValue::Null,
        serde_json::Value::Bool(b) => CstInputValue::Bool(*b),
        serde_json::Value::Number(n) => CstInputValue::Number(n.to_string()),
        serde_json::Value::String(s) => CstInputValue::String(s.clone()),
        serde_json::Value::Array(items) => CstInputValue::Array(items.iter().map(cst_value).collect()),
        serde_json::Value::Object(map) => {
            CstInputValue::Object(map.iter().map(|(k, v)| (k.clone(), cst_value(v))).collect())
        }
    }
}

/// A (small) node as JSON, to read an old entry's values the one way.
fn json_of(node: &CstNode) -> serde_json::Value {
    if let Some(object) = node.as_object() {
        return object
            .properties()
            .into_iter()
            .filter_map(|p| Some((p.decoded_name()?, p.value().map(|v| json_of(&v))?)))
            .collect::<serde_json::Map<_, _>>()
            .into();
    }
    if let Some(array) = node.as_array() {
        return array.elements().iter().map(json_of).collect();
    }
    match node.as_string_lit().and_then(|s| s.decoded_value().ok()) {
        Some(text) => text.into(),
        None => serde_json::Value::Null,
    }
}

/// Where the tree goes: `prefix`, the file's `region` (when
/// `skeleton_region`), `suffix`; the tree's text between prefix and suffix
/// replaces the region. Or, `direct`, the region's new text without a tree,
/// and the keys it creates.
struct Plan {
    prefix: String,
    region: Range<usize>,
    skeleton_region: bool,
    suffix: String,
    direct: Option<(String, Vec<String>)>,
}

/// One property: the whitespace before its key and where its value is.
#[derive(Debug, Clone)]
struct Prop {
    /// The key is the first thing on its line (after comments).
    fresh: bool,
    /// The line's indentation when `fresh`, else the spaces right before the key.
    lead: Range<usize>,
    value: Range<usize>,
}

/// An object on the way to the servers (the top object is level 0).
#[derive(Debug, Default)]
struct Level {
    span: Range<usize>,
    /// The property leading to the next level.
    onward: Option<Prop>,
    first: Option<Prop>,
    last: Option<Prop>,
    /// The entry, at the servers' level.
    entry: Option<Prop>,
    /// Its own children (not its properties' insides) hold a line break / a space.
    newline: bool,
    space: bool,
    /// The same, after its last property's value.
    tail_newline: bool,
    tail_space: bool,
}

/// What one scan of the file found.
#[derive(Debug)]
struct Outline {
    levels: Vec<Level>,
    /// The line break the tree writes: the kind of the first one it meets
    /// going down the file level by level (`None`: the file has none).
    crlf: Option<bool>,
    /// The first indentation of a line in the top object.
    root_indent: Option<Range<usize>>,
}

/// A property whose value is being read.
struct Key {
    name: String,
    fresh: bool,
    lead: Range<usize>,
    role: Role,
    value_start: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Other,
    /// Leads to the next level.
    Onward,
    /// The entry itself.
    Entry,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// A key or the end (objects), a value or the end (arrays).
    First,
    /// A key or the end, after a comma.
    AfterComma,
    Colon,
    Value,
    /// A comma or the end.
    Next,
}

struct Frame {
    object: bool,
    start: usize,
    expect: Expect,
    level: Option<usize>,
    /// Each key's hash, and where the key starts (to compare on a collision).
    keys: HashMap<u64, usize>,
    key: Option<Key>,
}

impl Outline {
    /// Scans `body`: the first syntax error is returned at once; a key twice,
    /// then a shape that does not fit the path, after the whole file is read.
    fn scan(body: &str, path: &[String], name: &str) -> Result<Outline, EditError> {
        let mut scanner = Scanner::new(body, &scanner_options());
        let hasher = RandomState::new();
        let mut stack: Vec<Frame> = Vec::new();
        let mut outline = Outline { levels: Vec::new(), crlf: None, root_indent: None };
        // The first line break at each depth (two per object: its own children, and inside its properties).
        let mut breaks: Vec<Option<bool>> = Vec::new();
        let mut fresh = true;
        let mut indent = 0..0;
        let mut prev_end = 0;
        let mut root_done = false;
        let mut duplicate: Option<String> = None;
        let mut keys_held = 0;
        let mut shape: Option<EditError> = None;
        loop {
            let token = scanner.scan().map_err(|e| EditError::Json {
                what: e.kind().to_string(),
                line: e.line_display(),
                column: e.column_display(),
            })?;
            let start = scanner.token_start();
            let end = scanner.token_end();
            let gap = &body[prev_end..start];
            if let Some(at) = gap.rfind('\n') {
                let inside_property = stack.last().is_some_and(|f| matches!(f.expect, Expect::Colon | Expect::Value));
                let depth = 2 * stack.len() + usize::from(inside_property);
                if breaks.len() <= depth {
                    breaks.resize(depth + 1, None);
                }
                if breaks[depth].is_none() {
                    let first = prev_end + gap.find('\n').unwrap_or(at);
                    breaks[depth] = Some(first > 0 && body.as_bytes()[first - 1] == b'\r');
                }
                fresh = true;
                indent = prev_end + at + 1..start;
            }
            if let Some(frame) = stack.last()
                && frame.object
                && !matches!(frame.expect, Expect::Colon | Expect::Value)
                && let Some(level) = frame.level
            {
                let newline = gap.contains('\n');
                let space = gap.chars().any(|c| c != '\n' && c != '\r');
                let entry = &mut outline.levels[level];
                entry.newline |= newline;
                entry.space |= space;
                entry.tail_newline |= newline;
                entry.tail_space |= space;
                if level == 0 && outline.root_indent.is_none() {
                    outline.root_indent = first_indent(gap, prev_end);
                }
            }
            prev_end = end;
            let error = |kind: ParseErrorKind| {
                let (line, column) = crate::files::line_column(body, start);
                EditError::Json { what: kind.to_string(), line, column }
            };
            let Some(token) = token else {
                return match stack.last() {
                    Some(frame) if frame.object => Err(error(ParseErrorKind::UnterminatedObject)),
                    Some(_) => Err(error(ParseErrorKind::UnterminatedArray)),
                    // Nothing but comments: the tree puts an object after them.
                    None if !root_done => Ok(outline),
                    None => match (duplicate, shape) {
                        (Some(key), _) => Err(EditError::Duplicate { key }),
                        (None, Some(shape)) => Err(shape),
                        (None, None) => {
                            outline.crlf = breaks.into_iter().flatten().next();
                            Ok(outline)
                        }
                    },
                };
            };
            if matches!(token, Token::CommentLine(_) | Token::CommentBlock(_)) {
                continue;
            }
            let was_fresh = std::mem::replace(&mut fresh, false);
            let lead = if was_fresh { indent.clone() } else { start - gap.len()..start };
            if root_done {
                return Err(error(ParseErrorKind::MultipleRootJsonValues));
            }
            let expect = stack.last().map_or(Expect::Value, |f| f.expect);
            let in_object = stack.last().is_some_and(|f| f.object);
            // Punctuation and keys.
            match (&token, in_object, expect) {
                (Token::Comma, _, Expect::Next) => {
                    if let Some(frame) = stack.last_mut() {
                        frame.expect = Expect::AfterComma;
                    }
                    continue;
                }
                (Token::Colon, true, Expect::Colon) => {
                    if let Some(frame) = stack.last_mut() {
                        frame.expect = Expect::Value;
                    }
                    continue;
                }
                (Token::CloseBrace, true, Expect::First | Expect::AfterComma | Expect::Next)
                | (Token::CloseBracket, false, Expect::First | Expect::AfterComma | Expect::Next) => {
                    let Some(frame) = stack.pop() else { return Err(error(ParseErrorKind::UnexpectedToken)) };
                    keys_held -= frame.keys.len();
                    if let Some(level) = frame.level {
                        outline.levels[level].span = frame.start..end;
                    }
                    if let Some(shaped) = finish(&mut stack, &mut outline, frame.start..end, true, path) {
                        shape = shape.or(Some(shaped));
                    }
                    root_done = stack.is_empty();
                    continue;
                }
                (Token::String(key), true, Expect::First | Expect::AfterComma) => {
                    let Some(frame) = stack.last_mut() else { return Err(error(ParseErrorKind::UnexpectedToken)) };
                    let hash = hasher.hash_one(key.as_ref());
                    if let Some(&other) = frame.keys.get(&hash)
                        && decoded_at(body, other).as_deref() == Some(key.as_ref())
                        && duplicate.is_none()
                    {
                        let mut keys: Vec<String> =
                            stack.iter().filter_map(|f| f.key.as_ref().map(|k| k.name.clone())).collect();
                        keys.push(key.to_string());
                        duplicate = Some(json_path(&keys));
                    }
                    keys_held += 1;
                    if keys_held > KEYS_LIMIT {
                        return Err(EditError::TooManyKeys { limit: KEYS_LIMIT });
                    }
                    let Some(frame) = stack.last_mut() else { return Err(error(ParseErrorKind::UnexpectedToken)) };
                    frame.keys.insert(hash, start);
                    let role = match frame.level {
                        Some(level) if level < path.len() && path[level] == key.as_ref() => Role::Onward,
                        Some(level) if level == path.len() && name == key.as_ref() => Role::Entry,
                        _ => Role::Other,
                    };
                    if let Some(level) = frame.level {
                        outline.levels[level].tail_newline = false;
                        outline.levels[level].tail_space = false;
                    }
                    frame.key = Some(Key { name: key.to_string(), fresh: was_fresh, lead, role, value_start: 0 });
                    frame.expect = Expect::Colon;
                    continue;
                }
                (Token::CloseBrace, ..) => return Err(error(ParseErrorKind::UnexpectedCloseBrace)),
                (Token::CloseBracket, ..) => return Err(error(ParseErrorKind::UnexpectedCloseBracket)),
                (Token::Comma, ..) => return Err(error(ParseErrorKind::UnexpectedComma)),
                (Token::Colon, ..) => return Err(error(ParseErrorKind::UnexpectedColon)),
                (_, true, Expect::First | Expect::AfterComma) => {
                    return Err(error(ParseErrorKind::ExpectedStringObjectProperty));
                }
                (_, true, Expect::Colon) => return Err(error(ParseErrorKind::ExpectedColonAfterObjectKey)),
                (_, _, Expect::Next) => return Err(error(ParseErrorKind::ExpectedComma)),
                _ => {}
            }
            // A value.
            if let Some(key) = stack.last_mut().and_then(|f| f.key.as_mut()) {
                key.value_start = start;
            }
            match token {
                Token::OpenBrace | Token::OpenBracket => {
                    if stack.len() >= NESTING_LIMIT {
                        return Err(error(ParseErrorKind::NestingDepthExceeded));
                    }
                    let object = token == Token::OpenBrace;
                    let level = match stack.last() {
                        None => Some(0),
                        Some(frame) => match (&frame.key, frame.level) {
                            (Some(key), Some(level)) if key.role == Role::Onward && object => Some(level + 1),
                            _ => None,
                        },
                    };
                    if let Some(level) = level {
                        outline.levels.push(Level { span: start..start, ..Level::default() });
                        debug_assert_eq!(outline.levels.len(), level + 1);
                    }
                    if stack.is_empty() && !object {
                        shape = shape
                            .or(Some(EditError::Shape { place: "the top of the file".into(), wanted: "an object" }));
                    }
                    stack.push(Frame { object, start, expect: Expect::First, level, keys: HashMap::new(), key: None });
                }
                Token::Word(_) => return Err(error(ParseErrorKind::UnexpectedWord)),
                _ => {
                    if stack.is_empty() {
                        shape = shape
                            .or(Some(EditError::Shape { place: "the top of the file".into(), wanted: "an object" }));
                    }
                    if let Some(shaped) = finish(&mut stack, &mut outline, start..end, false, path) {
                        shape = shape.or(Some(shaped));
                    }
                    root_done = stack.is_empty();
                }
            }
        }
    }

    /// The entry's value, when the whole path and the entry are there.
    fn entry(&self, depth: usize) -> Option<Range<usize>> {
        self.levels.get(depth).and_then(|l| l.entry.as_ref()).map(|p| p.value.clone())
    }

    /// The skeleton for a large file: the object the entry goes into whole
    /// when it is at most `object`, else its first and last properties
    /// (their values when they are small) and its end.
    fn plan(&self, body: &str, change: &Change, object: usize) -> Result<Plan, EditError> {
        let limit = TREE_LIMIT;
        let depth = change.keys.len();
        let Some(deepest) = self.levels.len().checked_sub(1) else {
            let fix = "edit the file by hand, or give --write=PATH another file";
            return Err(EditError::TooLarge { what: "a file of comments only".into(), size: body.len(), limit, fix });
        };
        let newline = if self.crlf == Some(true) { "\r\n" } else { "\n" };
        // A line break beside the skeleton's top object, so the tree writes the file's kind.
        let after = if self.crlf.is_some() { newline } else { "" };
        let lead = |prop: &Prop| {
            let spaces = &body[prop.lead.clone()];
            if prop.fresh { format!("{newline}{spaces}") } else { spaces.to_string() }
        };
        let taken: Vec<&str> = change.keys.iter().map(String::as_str).chain([change.name]).collect();
        let stand_in = |base: &str| {
            let mut key = base.to_string();
            while taken.contains(&key.as_str()) {
                key.push('_');
            }
            serde_json::Value::String(key).to_string()
        };
        let replacing = deepest == depth && self.levels[depth].entry.is_some();
        let mut prefix = String::new();
        for (j, level) in self.levels.iter().enumerate().take(if replacing { depth + 1 } else { deepest }) {
            prefix.push('{');
            // The top object's first indentation, where indentation is worked out from it.
            if j == 0
                && let Some(indent) = &self.root_indent
            {
                prefix.push_str(&format!("{newline}{}{}: 0,", &body[indent.clone()], stand_in("indent")));
            }
            let (prop, key) = match &level.onward {
                Some(prop) if j < deepest => (prop, &change.keys[j]),
                _ => match &level.entry {
                    Some(prop) => (prop, &change.name.to_string()),
                    None => return Err(EditError::Splice),
                },
            };
            prefix.push_str(&lead(prop));
            prefix.push_str(&serde_json::Value::String(key.clone()).to_string());
            prefix.push_str(": ");
        }
        let too_large = |what: String, size: usize| EditError::TooLarge {
            what,
            size,
            limit,
            fix: "edit the file by hand, or give --write=PATH another file",
        };
        if replacing {
            let Some(entry) = self.entry(depth) else { return Err(EditError::Splice) };
            let name = serde_json::Value::String(crate::untrusted::line(change.name).into_owned());
            if entry.len() > limit {
                return Err(too_large(format!("the entry {name} already in the file"), entry.len()));
            }
            let suffix = format!("{}{after}", "}".repeat(depth + 1));
            return Ok(Plan { prefix, region: entry, skeleton_region: true, suffix, direct: None });
        }
        let level = &self.levels[deepest];
        let suffix = format!("{}{after}", "}".repeat(deepest));
        let size = level.span.len();
        if size <= object.min(limit) || (level.first.is_none() && size <= limit) {
            return Ok(Plan { prefix, region: level.span.clone(), skeleton_region: true, suffix, direct: None });
        }
        let where_ =
            if deepest == 0 { "the file's top object".to_string() } else { json_path(&change.keys[..deepest]) };
        let (Some(first), Some(last)) = (&level.first, &level.last) else {
            return Err(too_large(where_, size));
        };
        if !level.newline {
            // On one line: a tree would spread the whole object over lines
            // to add a property; added on the same line, the rest stays.
            let created = change.keys[deepest..].to_vec();
            let mut value = change.entry.clone();
            let mut key = change.name.to_string();
            for outer in created.iter().rev() {
                value = serde_json::Value::Object(serde_json::Map::from_iter([(key, value)]));
                key = outer.clone();
            }
            let text = format!(", {}: {value}", serde_json::Value::String(key));
            let at = last.value.end;
            return Ok(Plan { prefix, region: at..at, skeleton_region: false, suffix, direct: Some((text, created)) });
        }
        let value = |prop: &Prop| {
            if prop.value.len() <= limit / 4 { body[prop.value.clone()].to_string() } else { "0".to_string() }
        };
        prefix.push('{');
        prefix.push_str(&lead(first));
        prefix.push_str(&format!("{}: {}", stand_in("first"), value(first)));
        if last.value.start != first.value.start {
            // The object's own line breaks and spaces that the skeleton would lose with the middle properties.
            let kept = [lead(first), lead(last)].concat();
            let newline_lost = level.newline && !kept.contains('\n') && !level.tail_newline;
            let space_lost = level.space && !kept.chars().any(|c| c != '\n' && c != '\r') && !level.tail_space;
            if newline_lost || space_lost {
                prefix.push(',');
                prefix.push_str(if newline_lost { newline } else { "" });
                prefix.push_str(if space_lost { " " } else { "" });
                prefix.push_str(&format!("{}: 0", stand_in("middle")));
            }
            prefix.push(',');
            prefix.push_str(&lead(last));
            prefix.push_str(&format!("{}: {}", stand_in("last"), value(last)));
        }
        let region = last.value.end..level.span.end;
        if region.len() > limit {
            return Err(too_large(format!("the end of {where_}"), region.len()));
        }
        Ok(Plan { prefix, region, skeleton_region: true, suffix, direct: None })
    }
}

/// A value ended at `range`: its property (or array element) is done.
/// Returns a shape error when the value on the path is not an object.
fn finish(
    stack: &mut [Frame],
    outline: &mut Outline,
    range: Range<usize>,
    container: bool,
    path: &[String],
) -> Option<EditError> {
    let frame = stack.last_mut()?;
    frame.expect = Expect::Next;
    let key = frame.key.take()?;
    let level = frame.level?;
    let prop = Prop { fresh: key.fresh, lead: key.lead, value: key.value_start..range.end };
    let entry = &mut outline.levels[level];
    entry.tail_newline = false;
    entry.tail_space = false;
    entry.first.get_or_insert_with(|| prop.clone());
    entry.last = Some(prop.clone());
    match key.role {
        Role::Onward => {
            let is_object = container && outline.levels.len() > level + 1;
            outline.levels[level].onward = Some(prop);
            (!is_object).then(|| EditError::Shape { place: json_path(&path[..=level]), wanted: "an object" })
        }
        Role::Entry => {
            outline.levels[level].entry = Some(prop);
            None
        }
        Role::Other => None,
    }
}

/// The first non-empty indentation of a line in `gap` (which starts at `offset`).
fn first_indent(gap: &str, offset: usize) -> Option<Range<usize>> {
    let mut at = 0;
    while let Some(found) = gap[at..].find('\n') {
        let start = at + found + 1;
        let len = gap[start..].find(['\n', '\r']).unwrap_or(gap.len() - start);
        if len > 0 {
            return Some(offset + start..offset + start + len);
        }
        at = start;
    }
    None
}

/// The decoded string that starts at `offset` (a key seen before).
fn decoded_at(body: &str, offset: usize) -> Option<String> {
    let mut scanner = Scanner::new(&body[offset..], &scanner_options());
    match scanner.scan() {
        Ok(Some(Token::String(text))) => Some(text.into_owned()),
        _ => None,
    }
}

/// The backup's pieces (see [`Merged::backup`]): the profile's own values
/// redacted in every string and comment, found by a second scan; the old
/// entry (small) through a tree, every credential shape redacted in it.
fn backup<'a>(bom: &'a str, body: &'a str, entry: Option<Range<usize>>, known: &[String]) -> Option<Vec<Cow<'a, str>>> {
    let everywhere = Redact { known: known.to_vec(), entry: false };
    let mut cuts: Vec<(Range<usize>, String)> = Vec::new();
    if !known.is_empty() {
        let mut scanner = Scanner::new(body, &scanner_options());
        while let Ok(Some(token)) = scanner.scan() {
            let range = scanner.token_start()..scanner.token_end();
            if entry.as_ref().is_some_and(|e| e.start <= range.start && range.end <= e.end) {
                continue;
            }
            let clean = match &token {
                Token::String(text) => everywhere.clean(text).map(|c| serde_json::Value::String(c).to_string()),
                Token::CommentLine(_) | Token::CommentBlock(_) => everywhere.clean(&body[range.clone()]),
                _ => None,
            };
            if let Some(clean) = clean {
                cuts.push((range, clean));
            }
        }
    }
    if let Some(entry) = entry {
        let text = &body[entry.clone()];
        if let Ok(root) = CstRootNode::parse(text, &options()) {
            for node in root.children() {
                redact(&node, &everywhere);
            }
            if let Some(value) = root.value() {
                redact(&value, &Redact { entry: true, ..everywhere.clone() });
            }
            let clean = root.to_string();
            if clean != text {
                cuts.push((entry, clean));
            }
        }
    }
    if cuts.is_empty() {
        return None;
    }
    cuts.sort_by_key(|(range, _)| range.start);
    let mut pieces = vec![Cow::Borrowed(bom)];
    let mut at = 0;
    for (range, clean) in cuts {
        pieces.push(Cow::Borrowed(&body[at..range.start]));
        pieces.push(Cow::Owned(clean));
        at = range.end;
    }
    pieces.push(Cow::Borrowed(&body[at..]));
    Some(pieces)
}

/// Redacts what `redact` says in `node` and below: strings (their decoded
/// text, so an escape hides nothing), property names and comments. Numbers
/// stay: a credential is never one, and a redacted number would not parse.
fn redact(node: &CstNode, redact_what: &Redact) {
    if let Some(string) = node.as_string_lit() {
        if let Ok(text) = string.decoded_value()
            && let Some(clean) = redact_what.clean(&text)
        {
            string.replace_with(CstInputValue::String(clean));
        }
    } else if let Some(comment) = node.as_comment() {
        if let Some(clean) = redact_what.clean(&comment.raw_value()) {
            comment.set_raw_value(clean);
        }
    } else {
        for child in node.children() {
            redact(&child, redact_what);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> serde_json::Value {
        serde_json::json!({
            "type": "stdio",
            "command": "/usr/local/bin/trello-auth",
            "args": ["exec", "--", "/opt/node/bin/npx"],
            "env": {"PATH": "/opt/node/bin:/usr/bin"}
        })
    }

    fn keys(k: &[&str]) -> Vec<String> {
        k.iter().map(|s| s.to_string()).collect()
    }

    fn merged(old: &str, path: &[&str], object: usize) -> Result<String, EditError> {
        let keys = keys(path);
        let entry = entry();
        let change = Change { keys: &keys, name: "trello", entry: &entry, secrets: &[] };
        let whole = if object == usize::MAX { usize::MAX } else { 0 };
        merge_within(old, &change, whole, object).map(|m| m.text())
    }

    #[test]
    fn jsonc_keeps_comments_numbers_order_and_trailing_commas() {
        let old = "{\n  // my servers\n  \"servers\": {\n    \"other\": { \"command\": \"x\" }, // keep\n  },\n  \"big\": 18446744073709551616,\n  \"f\": 1.50,\n}\n";
        let text = merged(old, &["servers"], usize::MAX).unwrap();
        assert!(
            text.starts_with("{\n  // my servers\n  \"servers\": {\n    \"other\": { \"command\": \"x\" }, // keep\n"),
            "{text}"
        );
        assert!(text.contains("\"big\": 18446744073709551616,\n  \"f\": 1.50,\n}\n"), "{text}");
        assert!(
            text.contains(
                "\"trello\": {\n      \"type\": \"stdio\",\n      \"command\": \"/usr/local/bin/trello-auth\""
            ),
            "{text}"
        );
        // Replacing changes only the entry.
        let keys = keys(&["servers"]);
        let entry = entry();
        let change = Change { keys: &keys, name: "trello", entry: &entry, secrets: &[] };
        let again = merge(&text, &change).unwrap();
        assert!(again.replaced && again.unchanged);
        assert_eq!(again.text(), text);
    }

    #[test]
    fn a_byte_order_mark_is_kept() {
        let text = merged("\u{feff}{\"mcpServers\": {}}\n", &["mcpServers"], usize::MAX).unwrap();
        assert!(text.starts_with("\u{feff}{\"mcpServers\": {\n"), "{text:?}");
        let through_skeleton = merged("\u{feff}{\"mcpServers\": {}}\n", &["mcpServers"], 0).unwrap();
        assert_eq!(through_skeleton, text);
    }

    #[test]
    fn a_key_quoted_in_a_refusal_is_scrubbed_and_cut() {
        let token = format!("ATTA{}1B2C3D4E", "0".repeat(64));
        let text = format!("{{\"servers\": {{\"{token}\": {{}}, \"{token}\": {{}}}}}}");
        let err = merged(&text, &["servers"], usize::MAX).unwrap_err();
        assert!(!err.to_string().contains(&token), "{err}");
        let long = "k".repeat(200_000);
        let text = format!("{{\"servers\": {{\"{long}\": {{}}, \"{long}\": {{}}}}}}");
        let err = merged(&text, &["servers"], usize::MAX).unwrap_err();
        assert!(err.to_string().len() < 400, "{} bytes", err.to_string().len());
    }

    #[test]
    fn duplicates_anywhere_are_refused_with_the_key() {
        let err = merged("{\"mcpServers\": {\"a\": {}, \"a\": {}}}", &["mcpServers"], usize::MAX).unwrap_err();
        assert_eq!(err.to_string().split(';').next().unwrap(), "has the key \"mcpServers\" → \"a\" twice");
        let err = merged("{\"x\": [{\"k\": 1, \"k\": 2}]}", &["mcpServers"], usize::MAX).unwrap_err();
        assert!(err.to_string().contains("\"x\" → \"k\""), "{err}");
        // The same key written two ways is the same key.
        let err = merged("{\"a\": 1, \"\\u0061\": 2}", &["mcpServers"], usize::MAX).unwrap_err();
        assert!(err.to_string().contains("\"a\" twice"), "{err}");
    }

    #[test]
    fn nested_keys_are_created_and_bad_shapes_refused() {
        let text = merged("", &["projects", "/src/app", "mcpServers"], usize::MAX).unwrap();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["projects"]["/src/app"]["mcpServers"]["trello"]["command"], "/usr/local/bin/trello-auth");
        let err = merged("[]", &["mcpServers"], usize::MAX).unwrap_err();
        assert_eq!(err.to_string(), "the top of the file is not an object");
        let err = merged("{\"mcpServers\": 3}", &["mcpServers"], usize::MAX).unwrap_err();
        assert_eq!(err.to_string(), "\"mcpServers\" is not an object");
        let err = merged("{\"mcpServers\": 3}", &["mcpServers"], 0).unwrap_err();
        assert_eq!(err.to_string(), "\"mcpServers\" is not an object");
        for bad in [
            "{'a': 1}",
            "{\"a\": 1",
            "{\"a\" 1}",
            "{\"a\": 1 \"b\": 2}",
            "{,}",
            "[1,,2]",
            "{\"a\": nope}",
            "{} {}",
            "{\"a\": 0x1}",
        ] {
            let err = merged(bad, &["mcpServers"], usize::MAX).unwrap_err();
            assert!(err.to_string().starts_with("is not valid JSON"), "{bad}: {err}");
        }
        let deep = format!("{{\"a\": {}{}}}", "[".repeat(600), "]".repeat(600));
        let err = merged(&deep, &["mcpServers"], usize::MAX).unwrap_err();
        assert!(err.to_string().contains("nesting"), "{err}");
    }

    /// The skeleton's edit is the whole tree's edit, for files of every
    /// shape: indentation of two, four, tabs or none, CRLF, comments and
    /// trailing commas, one-line objects, the path there or not, the entry
    /// there or not.
    #[test]
    fn a_skeleton_edits_as_the_whole_tree_does() {
        let files = [
            "{\n  \"mcpServers\": {\n    \"a\": {\"command\": \"x\"}\n  },\n  \"z\": 1\n}\n",
            "{\n    \"mcpServers\": {\n        \"a\": {\"command\": \"x\"},\n        \"b\": [1, 2]\n    }\n}",
            "{\n\t\"mcpServers\": {\n\t\t\"a\": {},\n\t\t\"trello\": {\"command\": \"old\", \"env\": {\"TRELLO_TOKEN\": \"x\"}}\n\t}\n}\n",
            "{\"mcpServers\": {\"a\": 1, \"b\": 2}, \"c\": 3}",
            "{\"mcpServers\": {}}",
            "{\r\n  \"mcpServers\": {\r\n    \"a\": 1,\r\n  },\r\n}\r\n",
            "// top\n{\n  /* one */ \"x\": 1, // two\n  \"mcpServers\": { // three\n    \"a\": 1, // four\n    \"b\": 2,\n\n  }\n}\n",
            "{\n  \"x\": {\"y\": 1},\n  \"other\": 2\n}\n",
            "{\n  \"projects\": {\n    \"/a\": {\"mcpServers\": {}},\n    \"/b\": {\n      \"allowedTools\": [],\n      \"mcpServers\": {\n        \"g\": {\"command\": \"g\"}\n      }\n    }\n  }\n}\n",
            "{\"projects\": {\"/a\": {}, \"/b\": {\"mcpServers\": {\"trello\": 1}}}}",
            "{\n  \"a\": 1,\n  \"projects\": {\n    \"/a\": {},\n    \"/c\": {\n      \"x\": 1\n    }\n  }\n}\n",
            "{\n  \"mcpServers\": {\n    \"a\": 1, \"b\": 2,\n    \"c\": 3\n  }\n}\n",
            "{\n  \"mcpServers\": {\"a\": 1,\n    \"b\": 2}\n}\n",
        ];
        let paths: [&[&str]; 4] =
            [&["mcpServers"], &["projects", "/b", "mcpServers"], &["projects", "/new", "mcpServers"], &["servers"]];
        for file in files {
            for path in paths {
                let whole = merged(file, path, usize::MAX);
                for limit in [0, 8, 40] {
                    let skeleton = merged(file, path, limit);
                    match (&whole, &skeleton) {
                        (Err(whole), Err(skeleton)) => assert_eq!(skeleton.to_string(), whole.to_string()),
                        (Ok(_), Err(EditError::TooLarge { .. })) => {}
                        // A large object on one line gets the entry on that line.
                        (Ok(whole), Ok(skeleton)) if !skeleton.contains('\n') => {
                            let parse = |t: &str| serde_json::from_str::<serde_json::Value>(t).unwrap();
                            assert_eq!(parse(skeleton), parse(whole), "{path:?} at {limit} in\n{file}");
                        }
                        (Ok(whole), Ok(skeleton)) => assert_eq!(skeleton, whole, "{path:?} at {limit} in\n{file}"),
                        _ => panic!("{path:?} at {limit}: {whole:?} / {skeleton:?} in\n{file}"),
                    }
                }
            }
        }
    }

    /// A JSON object for the property test: leaves are numbers.
    #[derive(Debug, Clone)]
    enum Node {
        Leaf(u8),
        Object(Vec<(String, Node)>),
    }

    /// How a generated file is laid out.
    #[derive(Debug, Clone)]
    struct Style {
        indent: &'static str,
        newline: &'static str,
        /// Objects this deep or deeper are written on one line.
        one_line_from: usize,
        trailing_commas: bool,
        comments: bool,
    }

    fn render(node: &Node, depth: usize, style: &Style, out: &mut String) {
        let Node::Object(props) = node else {
            if let Node::Leaf(n) = node {
                out.push_str(&n.to_string());
            }
            return;
        };
        let one_line = depth >= style.one_line_from;
        out.push('{');
        for (i, (key, value)) in props.iter().enumerate() {
            if one_line {
                out.push_str(if i == 0 { "" } else { " " });
            } else {
                out.push_str(style.newline);
                out.push_str(&style.indent.repeat(depth + 1));
                if style.comments && i == 0 {
                    out.push_str("/* c */ ");
                }
            }
            out.push_str(&serde_json::Value::String(key.clone()).to_string());
            out.push_str(": ");
            render(value, depth + 1, style, out);
            if i + 1 < props.len() || (style.trailing_commas && !one_line) {
                out.push(',');
            }
            if style.comments && !one_line && i + 1 == props.len() {
                out.push_str(" // end");
            }
        }
        if !one_line && !props.is_empty() {
            out.push_str(style.newline);
            out.push_str(&style.indent.repeat(depth));
        }
        out.push('}');
    }

    fn node() -> impl proptest::strategy::Strategy<Value = Node> {
        use proptest::prelude::*;
        let keys = prop::sample::select(vec!["mcpServers", "projects", "/b", "trello", "x", "a"]);
        (0u8..10).prop_map(Node::Leaf).prop_recursive(4, 32, 4, move |inner| {
            prop::collection::vec((keys.clone().prop_map(String::from), inner), 0..4).prop_map(|mut props| {
                let mut seen = std::collections::HashSet::new();
                props.retain(|(k, _)| seen.insert(k.clone()));
                Node::Object(props)
            })
        })
    }

    fn style() -> impl proptest::strategy::Strategy<Value = Style> {
        use proptest::prelude::*;
        (
            prop::sample::select(vec!["  ", "    ", "\t", ""]),
            prop::sample::select(vec!["\n", "\r\n"]),
            0usize..5,
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(indent, newline, one_line_from, trailing_commas, comments)| Style {
                indent,
                newline,
                one_line_from,
                trailing_commas,
                comments,
            })
    }

    proptest::proptest! {
        /// Any file of these shapes: the skeleton's edit is the whole tree's,
        /// or, for an object on one line that is too large for a tree, the
        /// same JSON with the entry added on that line.
        #[test]
        fn any_layout_edits_through_a_skeleton_as_through_the_whole_tree(
            root in node(), style in style(), local in proptest::prelude::any::<bool>()
        ) {
            let root = match root { Node::Leaf(_) => Node::Object(Vec::new()), object => object };
            let mut file = String::new();
            render(&root, 0, &style, &mut file);
            file.push_str(style.newline);
            let path: &[&str] = if local { &["projects", "/b", "mcpServers"] } else { &["mcpServers"] };
            let whole = merged(&file, path, usize::MAX);
            for limit in [0, 24] {
                let skeleton = merged(&file, path, limit);
                match (&whole, &skeleton) {
                    (Ok(whole), Ok(skeleton)) if whole != skeleton => {
                        // Only an object on one line may differ: the entry is added on its line,
                        // and the file around it stays byte for byte.
                        let same_start = file.bytes().zip(skeleton.bytes()).take_while(|(a, b)| a == b).count();
                        let same_end = file.bytes().rev().zip(skeleton.bytes().rev()).take_while(|(a, b)| a == b).count();
                        proptest::prop_assert!(same_start + same_end >= file.len(), "{file}\n{skeleton}");
                        let (ours, theirs) = (jsonc_parser::parse_to_value(skeleton, &options()), jsonc_parser::parse_to_value(whole, &options()));
                        proptest::prop_assert_eq!(ours.ok().flatten(), theirs.ok().flatten(), "{}", file);
                    }
                    (Ok(_), Ok(_)) => {}
                    (Err(whole), Err(skeleton)) => proptest::prop_assert_eq!(skeleton.to_string(), whole.to_string()),
                    _ => proptest::prop_assert!(false, "{file}\n{whole:?}\n{skeleton:?}"),
                }
            }
        }
    }

    #[test]
    fn the_backup_leaves_out_the_profile_s_values_and_the_old_entry_s_credentials() {
        let token = format!("ATTA{}", "ab".repeat(32));
        let old = format!(
            "{{\n  // {token}\n  \"other\": {{\"env\": {{\"T\": \"\\u0041{}\"}}}},\n  \"mcpServers\": {{\"trello\": {{\"args\": [\"--token\", \"ATTA{}\"]}}}}\n}}\n",
            &token[1..],
            "cd".repeat(32)
        );
        let keys = keys(&["mcpServers"]);
        let entry = entry();
        for limit in [usize::MAX, 0] {
            let change = Change { keys: &keys, name: "trello", entry: &entry, secrets: std::slice::from_ref(&token) };
            let merged = merge_within(&old, &change, limit, limit).unwrap();
            let backup = merged.backup.as_ref().unwrap().concat();
            assert!(!backup.contains(&token[4..]) && !backup.contains("cdcdcdcd"), "{backup}");
            assert!(backup.contains("// [redacted]"), "{backup}");
            // The new file leaves the other server as it was.
            assert!(merged.pieces.concat().contains("\\u0041"), "{}", merged.text());
        }
    }
}
