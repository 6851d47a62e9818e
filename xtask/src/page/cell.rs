//! The text of table cells as both page forms write it once the markup is
//! gone: a field's type, its description with the marked parts (示例值,
//! 默认值, 可选值有, 数据校验规则), the rate limit, the method and address.

use feishu_codegen::spec::{AccessToken, HttpMethod, RateLimitSpec};
use serde_json::Value;

use super::{Field, FieldType, Limits, Misfit};

/// A problem in a cell: the page line and what is wrong.
pub(super) type CellError = (usize, String);

/// The page name of an object whose type cell writes no type.
pub(super) const NO_TYPE: &str = "/";

/// Go's `interface` (older sheets pages): an object of the rows below it,
/// or, with none, any JSON value (a cell: text, a number, a link).
pub(super) const ANY: &str = "interface";

/// A type cell (`string`, `int`, `string\[\]`, `chat.tab\[\]`, `\-`), with
/// the markdown escapes gone. `None` when it is no type name at all. Lists
/// are also written `array<T>` or `list<T>` (the angle brackets often as
/// `&lt;` `&gt;`), a number as `number(float)`, and an object keyed by data
/// as `map<string, T>`.
pub(super) fn field_type(cell: &str) -> Option<FieldType> {
    let text = cell
        .replace('\\', "")
        .replace("&lt;", "<")
        .replace("&gt;", ">");
    type_name(text.trim())
}

fn type_name(text: &str) -> Option<FieldType> {
    if let Some(item) = text.strip_suffix("[]").or_else(|| generic_list(text)) {
        return Some(FieldType::Array(Box::new(type_name(item.trim())?)));
    }
    if let Some(value) = map_value(text) {
        return Some(FieldType::Map(Box::new(map_value_type(value)?)));
    }
    // `number(float)`: the part in parentheses only narrows the number.
    let base = match text.split_once('(') {
        Some((base, rest)) if rest.ends_with(')') => base.trim(),
        _ => text,
    };
    Some(match base {
        "string" => FieldType::String,
        "boolean" | "bool" => FieldType::Boolean,
        "int" | "integer" | "int32" | "int64" | "long" => FieldType::Integer,
        "float" | "double" | "number" => FieldType::Number,
        // A value of several shapes, which the description lists in words.
        "union" => FieldType::Json,
        ANY => FieldType::Object(ANY.into()),
        "-" => FieldType::Object("-".into()),
        // No type written (`/`, `/-`, nothing): the rows below say what it
        // holds; `page::untyped` settles object or list of objects.
        "/" | "/-" | "" => FieldType::Object(NO_TYPE.into()),
        // A list of what the rows below or the example show (`list`).
        "list" | "array" => FieldType::Array(Box::new(FieldType::Object(NO_TYPE.into()))),
        // Object types keep the page's spelling, dots included (`chat.tab`).
        name if !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') =>
        {
            FieldType::Object(name.to_owned())
        }
        _ => return None,
    })
}

/// The value type of `map<string, T>` (any case, any spacing). Keys are
/// always strings on the wire, so a map keyed by anything else is no type
/// this reader knows.
fn map_value(text: &str) -> Option<&str> {
    let (outer, rest) = text.split_once('<')?;
    let (key, value) = rest.strip_suffix('>')?.split_once(',')?;
    (outer.trim().eq_ignore_ascii_case("map") && key.trim() == "string").then_some(value.trim())
}

/// A map's value type: a scalar, `union` (any JSON value), a list, another
/// map, or a page name (`abnormal_code`) whose rows below say what a value
/// is (the import reads them). A list of named objects is left unknown:
/// no page writes one, so no rule says whose rows they would be.
fn map_value_type(text: &str) -> Option<FieldType> {
    match type_name(text)? {
        FieldType::Array(item) if matches!(*item, FieldType::Object(_)) => None,
        ty => Some(ty),
    }
}

/// The item type of `array<T>` or `list<T>` (any case).
fn generic_list(text: &str) -> Option<&str> {
    let (outer, rest) = text.split_once('<')?;
    let inner = rest.strip_suffix('>')?;
    ["array", "list"]
        .iter()
        .any(|name| outer.trim().eq_ignore_ascii_case(name))
        .then_some(inner)
}

/// A field row: its name, type and 必填 as read, its description cell
/// (one entry per page line) split by [`describe`].
pub(super) fn field(
    line: usize,
    name: String,
    ty: FieldType,
    required: bool,
    description: &[(usize, &str)],
) -> Result<Field, CellError> {
    let mut field = Field {
        line,
        name,
        ty,
        required,
        description: String::new(),
        default: None,
        example: None,
        limits: Limits::default(),
        values: Vec::new(),
        fields: Vec::new(),
        misfits: Vec::new(),
    };
    describe(&mut field, description)?;
    Ok(field)
}

/// A 必填 cell: 是 or 否.
pub(super) fn required(text: &str) -> Result<bool, String> {
    match text {
        "是" => Ok(true),
        "否" => Ok(false),
        other => Err(format!("必填 must be 是 or 否, not `{other}`")),
    }
}

/// Splits a description cell, one entry per page line (blank lines already
/// dropped), into the free text and the marked parts.
fn describe(field: &mut Field, cell: &[(usize, &str)]) -> Result<(), CellError> {
    enum Block {
        Text,
        Values,
        Rules,
    }
    let mut block = Block::Text;
    let mut text = Vec::new();
    for &(n, raw) in cell {
        let line = raw.trim();
        if let Some(v) = marked(line, "示例值") {
            let example = literal(&field.ty, v);
            if fits(&field.ty, &example) {
                field.example = Some(example);
            } else {
                // The doc site has such slips (examples swapped between
                // two rows); the rest of the page is still good.
                field.misfits.push(Misfit {
                    line: n,
                    message: format!(
                        "the example `{v}` of `{}` does not fit its type {}: left out",
                        field.name, field.ty
                    ),
                });
            }
            block = Block::Text;
        } else if let Some(v) = marked(line, "默认值") {
            let v = v.trim_matches('`');
            field.default = (v != "空" && !v.is_empty()).then(|| literal(&field.ty, v));
            block = Block::Text;
        } else if marked(line, "可选值有").is_some() {
            block = Block::Values;
        } else if marked(line, "数据校验规则").is_some() {
            block = Block::Rules;
        } else if let Some(lead) = prose_values(line) {
            // `群发言模式，可能值有：` then `- x：meaning` lines.
            if !lead.is_empty() {
                text.push(highlight_to_code(lead));
            }
            block = Block::Values;
        } else if let (Block::Values, Some(item)) = (&block, line.strip_prefix("- ")) {
            let (value, meaning) = value_item(item);
            field.values.push((value.to_owned(), meaning.to_owned()));
        } else if let (Block::Rules, Some(item)) = (&block, line.strip_prefix("- ")) {
            rule(field, n, item).map_err(|m| (n, m))?;
        } else {
            block = Block::Text;
            if !line.is_empty() {
                text.push(highlight_to_code(line));
            }
        }
    }
    field.description = text.join("\n");
    Ok(())
}

/// A value-list item, `` `x`：meaning ``: the value and its meaning. The
/// doc site writes the colon full-width or ASCII (chat/get.md has both in
/// one list); a value in backticks ends at its closing backtick.
fn value_item(item: &str) -> (&str, &str) {
    let item = item.trim();
    if let Some(quoted) = item.strip_prefix('`')
        && let Some(end) = quoted.find('`')
    {
        let meaning = quoted[end + 1..].trim_start();
        let meaning = meaning
            .strip_prefix('：')
            .or_else(|| meaning.strip_prefix(':'))
            .unwrap_or(meaning);
        return (quoted[..end].trim(), meaning.trim());
    }
    let (value, meaning) = item
        .split_once('：')
        .or_else(|| item.split_once(':'))
        .unwrap_or((item, ""));
    (value.trim().trim_matches('`'), meaning.trim())
}

/// The text before a prose value-list opener (`…，可能值有：`), if the line
/// is one.
fn prose_values(line: &str) -> Option<&str> {
    let lead = ["可能值有：", "可能值有:", "可选值有：", "可选值有:"]
        .iter()
        .find_map(|end| line.strip_suffix(end))?;
    Some(lead.trim_end_matches(['，', ',', ' ']))
}

/// One `- 规则：值` line (at `line`) under 数据校验规则. A rule that cannot
/// apply to the field's type is a misfit, left out.
fn rule(field: &mut Field, line: usize, item: &str) -> Result<(), String> {
    // A rule in prose (`单个值需为字符串类型且不能包含 ","`) states no
    // bound the format can check.
    let Some((name, value)) = item.split_once('：').or_else(|| item.split_once(':')) else {
        field.misfits.push(Misfit {
            line,
            message: format!(
                "the rule `{}` of `{}` is prose, not `规则：值`: left out; write it as a `rules` entry if it can be checked",
                item.trim(),
                field.name
            ),
        });
        return Ok(());
    };
    let name = name.trim();
    let array = matches!(field.ty, FieldType::Array(_));
    let applies = match name {
        "最大长度" | "最小长度" | "长度范围" => array || field.ty == FieldType::String,
        "最大值" | "最小值" | "取值范围" => {
            matches!(field.ty, FieldType::Integer | FieldType::Number)
        }
        "正则校验" | "正则" | "格式" => field.ty == FieldType::String,
        other => return Err(format!("unknown rule `{other}` under 数据校验规则")),
    };
    if !applies {
        field.misfits.push(Misfit {
            line,
            message: format!(
                "the rule `{}` of `{}` cannot apply to its type {}: left out",
                item.trim(),
                field.name,
                field.ty
            ),
        });
        return Ok(());
    }
    // `最大值：`1 ～ 100``: a range under a bound's name, read as the range.
    let name = match name {
        "最大值" | "最小值" if range(value).is_ok() => {
            field.misfits.push(Misfit {
                line,
                message: format!(
                    "the rule `{}` of `{}` states a range: read as 取值范围 (both ends)",
                    item.trim(),
                    field.name
                ),
            });
            "取值范围"
        }
        _ => name,
    };
    if let Some(huge) = [value]
        .into_iter()
        .chain(range(value).map_or_else(|_| Vec::new(), |(low, high)| vec![low, high]))
        .find(|v| beyond_64_bits(v))
    {
        field.misfits.push(Misfit {
            line,
            message: format!(
                "the bound `{}` of `{}` is beyond a 64-bit integer: left out",
                huge.trim().trim_matches('`'),
                field.name
            ),
        });
    }
    let limits = &mut field.limits;
    match name {
        "最大长度" if array => limits.max_items = Some(count(value)?),
        "最小长度" if array => limits.min_items = Some(count(value)?),
        "最大长度" => limits.max_length = Some(count(value)?),
        "最小长度" => limits.min_length = Some(count(value)?),
        "长度范围" => {
            let (low, high) = range(value)?;
            let (low, high) = (count(low)?, count(high)?);
            if array {
                (limits.min_items, limits.max_items) = (Some(low), Some(high));
            } else {
                (limits.min_length, limits.max_length) = (Some(low), Some(high));
            }
        }
        "最大值" => limits.maximum = bound(value)?,
        "最小值" => limits.minimum = bound(value)?,
        "取值范围" => {
            let (low, high) = range(value)?;
            limits.minimum = bound(low)?;
            limits.maximum = bound(high)?;
        }
        "正则校验" | "正则" | "格式" => {
            limits.pattern = Some(value.trim().trim_matches('`').to_owned());
        }
        other => return Err(format!("unknown rule `{other}` under 数据校验规则")),
    }
    Ok(())
}

/// `` `1` ～ `100` `` (or `~`) as its two ends.
fn range(value: &str) -> Result<(&str, &str), String> {
    value
        .split_once(['～', '~'])
        .ok_or_else(|| format!("the range `{value}` has no `～`"))
}

/// `` `50` 字符 `` or `` `5` 个 `` as a count.
fn count(value: &str) -> Result<usize, String> {
    usize::try_from(number(value)?).map_err(|_| format!("the limit `{value}` is negative"))
}

/// A value bound: `None` for a whole number beyond 64 bits, which no
/// bound the format takes can hold (the pages write such a one for "no
/// bound"), reported by [`rule`].
fn bound(value: &str) -> Result<Option<i64>, String> {
    if beyond_64_bits(value) {
        return Ok(None);
    }
    number(value).map(Some)
}

fn beyond_64_bits(value: &str) -> bool {
    let text = plain(value);
    let digits = text.strip_prefix('-').unwrap_or(&text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && text.parse::<i64>().is_err()
}

/// A limit's text without its unit, backticks and thousands separators.
fn plain(value: &str) -> String {
    value
        .trim()
        .trim_end_matches(['字', '符', '个', '项'])
        .trim()
        .trim_matches('`')
        .trim()
        .replace(',', "")
}

/// `` `10,000` 字符 `` as 10000: the unit and thousands separators go; a
/// whole number written as a decimal (`` `360.0` ``) is that number.
fn number(value: &str) -> Result<i64, String> {
    let text = plain(value);
    let not_a_number = || format!("the limit `{value}` is not a whole number");
    match text.split_once('.') {
        Some((whole, fraction)) if !fraction.is_empty() && fraction.bytes().all(|b| b == b'0') => {
            whole.parse().map_err(|_| not_a_number())
        }
        _ => text.parse().map_err(|_| not_a_number()),
    }
}

/// `**示例值**：x` gives `x`.
pub(super) fn marked<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let rest = line
        .strip_prefix("**")?
        .strip_prefix(key)?
        .strip_prefix("**")?;
    let rest = rest.strip_prefix('：').or_else(|| rest.strip_prefix(':'))?;
    Some(rest.trim())
}

/// A value written on the page, typed by its field: JSON where it parses
/// as the field's type, else the bare text.
pub(super) fn literal(ty: &FieldType, text: &str) -> Value {
    let parsed = serde_json::from_str::<Value>(text).ok();
    match (ty, parsed) {
        (FieldType::String | FieldType::Object(_), Some(Value::String(s))) => Value::String(s),
        (FieldType::String | FieldType::Object(_), _) => Value::String(text.to_owned()),
        (_, Some(v)) => v,
        (_, None) => Value::String(text.to_owned()),
    }
}

/// Whether an example value can be a value of the type. Objects are not
/// looked into: their rows carry their own examples.
fn fits(ty: &FieldType, value: &Value) -> bool {
    match ty {
        FieldType::String => value.is_string(),
        FieldType::Boolean => value.is_boolean(),
        FieldType::Integer => value.is_i64() || value.is_u64(),
        FieldType::Number => value.is_number(),
        FieldType::Object(_) | FieldType::Json => true,
        // Set only by `untyped::files`, after the examples are read.
        FieldType::File => false,
        FieldType::Array(item) => value
            .as_array()
            .is_some_and(|items| items.iter().all(|v| fits(item, v))),
        FieldType::Map(item) => value
            .as_object()
            .is_some_and(|entries| entries.values().all(|v| fits(item, v))),
    }
}

/// The doc's `==x==` highlight, as code.
fn highlight_to_code(line: &str) -> String {
    // An unpaired `==` is text, not a highlight.
    if line.matches("==").count() % 2 == 1 {
        return line.to_owned();
    }
    line.split("==")
        .enumerate()
        .map(|(i, part)| {
            if i > 0 {
                format!("`{part}")
            } else {
                part.to_owned()
            }
        })
        .collect()
}

/// `1000 次/分钟、50 次/秒`
pub(super) fn rate_limit(text: &str) -> Option<RateLimitSpec> {
    let number_before = |unit: &str| {
        let end = text.find(unit)?;
        let digits: String = text[..end]
            .trim_end()
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.chars().rev().collect::<String>().parse().ok()
    };
    let limit = RateLimitSpec {
        per_minute: number_before("次/分钟"),
        per_second: number_before("次/秒"),
    };
    (limit.per_minute.is_some() || limit.per_second.is_some()).then_some(limit)
}

/// The `HTTP Method` cell.
pub(super) fn http_method(text: &str) -> Result<HttpMethod, String> {
    serde_json::from_value(Value::String(text.trim().to_uppercase()))
        .map_err(|_| format!("unknown HTTP method `{text}`"))
}

/// The token types a cell names in words (`tenant_access_token`,
/// `user_access_token`, `app_access_token`), in that order.
pub fn tokens_named(text: &str) -> Vec<AccessToken> {
    [
        ("tenant_access_token", AccessToken::Tenant),
        ("user_access_token", AccessToken::User),
        ("app_access_token", AccessToken::App),
    ]
    .into_iter()
    .filter(|(word, _)| text.contains(word))
    .map(|(_, token)| token)
    .collect()
}
