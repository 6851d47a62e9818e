//! One endpoint schema file read as `import-doc` and `drift` see it: with
//! the shared types of its version (`types.json` two folders up) among its
//! own, so that names and enum values the file takes from there count.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::Path;

use feishu_codegen::spec::{EndpointSpec, EventSpec, TYPES_FILE, TypeSpec};

/// The endpoint file at `path` (named `name` in errors), and the shared
/// types that were merged into its `types`.
pub fn read_with_shared(
    path: &Path,
    name: &str,
) -> Result<(EndpointSpec, BTreeMap<String, TypeSpec>), String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{name}: {e}"))?;
    let mut spec = feishu_codegen::parse_endpoint(name, &text).map_err(|p| p.to_string())?;
    let shared = shared_beside(path)?;
    for (type_name, ty) in &shared {
        spec.types
            .entry(type_name.clone())
            .or_insert_with(|| ty.clone());
    }
    Ok((spec, shared))
}

/// The event file at `path` (named `name` in errors), and its version's
/// shared types (`types.json` three folders up:
/// `<version>/<resource>/events/<name>.json`).
pub fn read_event(
    path: &Path,
    name: &str,
) -> Result<(EventSpec, BTreeMap<String, TypeSpec>), String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{name}: {e}"))?;
    let spec = feishu_codegen::parse_event(name, &text).map_err(|p| p.to_string())?;
    let shared = match path.parent() {
        Some(events) => shared_beside(events)?,
        None => BTreeMap::new(),
    };
    Ok((spec, shared))
}

fn shared_beside(endpoint: &Path) -> Result<BTreeMap<String, TypeSpec>, String> {
    let Some(version) = endpoint.parent().and_then(Path::parent) else {
        return Ok(BTreeMap::new());
    };
    let path = version.join(TYPES_FILE);
    let text = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let name = path.display().to_string();
    let types = feishu_codegen::parse_types(&name, &text).map_err(|p| p.to_string())?;
    Ok(types.types)
}
