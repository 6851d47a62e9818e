//! A scratch workspace for tests that compile generated code: the
//! generated API crate and its group crates (their generated manifests,
//! every group on, warnings denied), which the caller crate names
//! `feishu_openapi` as users do, on
//! the real runtime crate; the real fake Feishu is there for a caller that
//! serves the scratch crate's routes on it.
//!
//! Every scratch build goes to the target folder the tests themselves were
//! built in, with the workspace's own profiles (cargo does not hold that
//! folder's lock while tests run), so a dependency whose features agree
//! with the test build's (`ring`, `rustls`, ...) is not built a second
//! time; those above `serde` and `tokio`, whose features differ, still
//! are. With a folder and a profile of their own, the scratch tests took
//! 97 s of a fresh clone's `cargo test --workspace`; here (and with the
//! dev profile no longer optimizing `syn`), 67 s.

#![allow(dead_code)] // each test uses a different part

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use feishu_codegen::ir::Api;
use feishu_codegen::{check_sources, generate};
use serde_json::Value;

/// A scratch workspace: the generated crates and the caller, on the real
/// runtime crate.
pub struct Scratch {
    root: PathBuf,
    target: PathBuf,
    /// The caller's package and binary, named for this workspace.
    bin: String,
    /// The generated crate's package, named for this workspace.
    api: String,
}

impl Scratch {
    /// `name` names the workspace (`<target>/scratch/<name>`) and its
    /// caller binary; `lib` and `main` are the caller's `src/lib.rs` and
    /// `src/main.rs`. A workspace kept at one place from run to run has
    /// the same build hashes, so its artifacts are replaced rather than
    /// piled up; one name per test keeps tests that run at once apart.
    pub fn new(name: &str, lib: &str, main: &str) -> Self {
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let target = target_dir();
        let root = target.join("scratch").join(name);
        if root.exists() {
            std::fs::remove_dir_all(&root).unwrap();
        }
        // Cargo hashes a workspace's packages by name and place within it,
        // and every scratch workspace has the same layout: the names carry
        // the workspace's, so no two share a build in the one target folder.
        let bin = format!("caller-{name}");
        let api = format!("scratch-api-{name}");

        let mut manifest = read_toml(&workspace.join("Cargo.toml"));
        let ws = manifest["workspace"].as_table_mut().unwrap();
        ws["members"] = toml::Value::Array(vec![
            "generated/feishu-api".into(),
            "generated/groups/*".into(),
            "caller".into(),
        ]);
        // The runtime and the fake are used where they are, so their builds
        // are kept between runs. The scratch API crates are other packages
        // than the real ones the fake is written against (one name would
        // collide in the lock file); callers name the API `feishu_openapi`.
        let deps = ws["dependencies"].as_table_mut().unwrap();
        for (name, folder) in [("feishu-runtime", "runtime"), ("feishu-fake", "fake")] {
            let path = workspace.join(folder).to_str().unwrap().to_owned();
            deps[name]["path"] = path.into();
        }
        deps.insert(
            "feishu-openapi".into(),
            toml::Table::from_iter([
                ("path".to_owned(), "generated/feishu-api".into()),
                ("package".to_owned(), api.clone().into()),
            ])
            .into(),
        );
        // The workspace's profiles stay as they are: another opt-level or
        // debug setting would make every dependency a different build.
        write(
            &root.join("Cargo.toml"),
            &toml::to_string(&manifest).unwrap(),
        );
        // The workspace's lock file pins the versions its own build uses.
        std::fs::copy(workspace.join("Cargo.lock"), root.join("Cargo.lock")).unwrap();

        write(
            &root.join("caller/Cargo.toml"),
            &format!(
                "[package]\nname = \"{bin}\"\nversion = \"0.0.0\"\nedition.workspace = true\n\
             publish = false\n\n[lib]\nname = \"caller\"\n\n\
             [dependencies]\nfeishu-openapi.workspace = true\n\
             feishu-fake = {{ workspace = true, optional = true }}\n\
             serde.workspace = true\n\
             serde_json.workspace = true\n\
             tokio = {{ workspace = true, optional = true }}\n\n\
             [features]\nexhaustive = []\n\
             fake = [\"dep:feishu-fake\", \"dep:tokio\", \"feishu-openapi/routes\"]\n"
            ),
        );
        write(&root.join("caller/src/lib.rs"), lib);
        write(&root.join("caller/src/main.rs"), main);

        Self {
            root,
            bin,
            api,
            target,
        }
    }

    /// Generates the crate from `files`, replacing what was there.
    pub fn generate(&self, files: &[(&str, Value)]) {
        let texts: Vec<(&str, String)> = files
            .iter()
            .map(|(path, schema)| (*path, serde_json::to_string_pretty(schema).unwrap()))
            .collect();
        let sources: Vec<(&str, &str)> = texts.iter().map(|(p, t)| (*p, t.as_str())).collect();
        let api = check_sources(&sources).unwrap_or_else(|problems| panic!("{problems}"));
        self.write_generated(&api);
    }

    /// Writes what the generator makes of `api` as the generated API
    /// crate and its group crates, replacing what was there. Each package
    /// is renamed for this workspace (the API crate's dependencies keep
    /// their keys, so the code's crate names stay), every group is on by
    /// default, and warnings are denied, as CI denies them.
    pub fn write_generated(&self, api: &Api) {
        let generated = self.root.join("generated");
        if generated.exists() {
            std::fs::remove_dir_all(&generated).unwrap();
        }
        for (path, text) in generate(api) {
            let rel = path.strip_prefix("generated/");
            if let Some(rel) = rel.filter(|r| !r.starts_with("feishu-openapi/")) {
                write(&generated.join(rel), &text);
            }
        }
        let api_manifest = generated.join("feishu-api/Cargo.toml");
        let mut manifest = read_toml(&api_manifest);
        manifest["package"]["name"] = self.api.clone().into();
        let deps = manifest["dependencies"].as_table_mut().unwrap();
        let mut groups = Vec::new();
        for (key, dep) in deps.iter_mut() {
            let path = dep.get("path").and_then(|p| p.as_str()).map(str::to_owned);
            if let Some(group) = path.as_deref().and_then(|p| p.strip_prefix("../groups/")) {
                let package = format!("{}-{key}", self.api);
                let dep = dep.as_table_mut().unwrap();
                dep.insert("package".into(), package.clone().into());
                groups.push((group.to_owned(), package));
            }
        }
        let features = manifest["features"].as_table_mut().unwrap();
        let all: Vec<toml::Value> = groups.iter().map(|(g, _)| g.as_str().into()).collect();
        features.insert("default".into(), toml::Value::Array(all));
        deny_warnings(&mut manifest);
        write(&api_manifest, &toml::to_string(&manifest).unwrap());
        for (group, package) in groups {
            let path = generated.join("groups").join(group).join("Cargo.toml");
            let mut manifest = read_toml(&path);
            manifest["package"]["name"] = package.into();
            deny_warnings(&mut manifest);
            write(&path, &toml::to_string(&manifest).unwrap());
        }
    }

    /// `cargo build -p caller` with `args` added (which targets, which
    /// features).
    pub fn build(&self, args: &[&str]) -> Output {
        let mut all = vec!["build", "-p", self.bin.as_str()];
        all.extend(args);
        self.cargo(&all, &[])
    }

    /// Runs cargo in the scratch workspace with `args` and `env`.
    pub fn cargo(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        // Every build here starts from new files, so incremental data
        // would only be written, in a folder per temporary crate.
        Command::new(cargo)
            .current_dir(&self.root)
            .env("CARGO_TARGET_DIR", &self.target)
            .env("CARGO_INCREMENTAL", "0")
            .envs(env.iter().copied())
            .args(args)
            .output()
            .unwrap()
    }

    pub fn built(&self, what: &str, args: &[&str]) {
        let output = self.build(args);
        assert!(
            output.status.success(),
            "{what}: cargo build failed ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// The generated crate's package name, for `cargo -p`.
    pub fn api(&self) -> &str {
        &self.api
    }

    pub fn run_caller(&self) -> Output {
        Command::new(self.target.join("debug").join(format!(
            "{}{}",
            self.bin,
            std::env::consts::EXE_SUFFIX
        )))
        .output()
        .unwrap()
    }
}

/// The target folder this test binary was built in: it runs from
/// `<target>/debug/deps/`.
fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    exe.ancestors().nth(3).unwrap().to_owned()
}

/// CI denies warnings in the generated crates; so does a scratch build.
fn deny_warnings(manifest: &mut toml::Table) {
    manifest.insert(
        "lints".into(),
        toml::toml! { [rust] warnings = "deny" }.into(),
    );
}

fn read_toml(path: &Path) -> toml::Table {
    std::fs::read_to_string(path).unwrap().parse().unwrap()
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}
