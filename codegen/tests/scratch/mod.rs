//! A scratch workspace for tests that compile generated code: the
//! generated API crate (its real manifest, a `fixture` feature, warnings
//! denied), which the caller crate names `feishu_openapi` as users do, on
//! the real runtime crate; the real fake Feishu is there for a caller that
//! serves the scratch crate's routes on it.
//!
//! Every scratch build of the workspace's tests (the generator's and
//! xtask's, which includes this file) shares one target folder,
//! `target/scratch`, with one profile and no `RUSTFLAGS`, so the runtime's
//! dependencies are built once for all of them: on a fresh CI machine each
//! separate folder cost a dependency build of its own.

#![allow(dead_code)] // each test uses a different part

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use feishu_codegen::ir::Api;
use feishu_codegen::{check_sources, generate};
use serde_json::Value;

/// A scratch workspace: the generated crate (its real manifest, with a
/// feature for the fixtures' API group) and the caller, on the real
/// runtime crate.
pub struct Scratch {
    _dir: tempfile::TempDir,
    root: PathBuf,
    target: PathBuf,
}

impl Scratch {
    /// `lib` and `main` are the caller's `src/lib.rs` and `src/main.rs`.
    pub fn new(lib: &str, main: &str) -> Self {
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_owned();

        let mut manifest = read_toml(&workspace.join("Cargo.toml"));
        let ws = manifest["workspace"].as_table_mut().unwrap();
        ws["members"] = toml::Value::Array(vec!["generated".into(), "caller".into()]);
        // The runtime and the fake are used where they are, so their builds
        // are kept between runs. The scratch API crate is another package
        // than the real one the fake is written against (one name would
        // collide in the lock file); callers name it `feishu_openapi`.
        let deps = ws["dependencies"].as_table_mut().unwrap();
        for (name, folder) in [("feishu-runtime", "runtime"), ("feishu-fake", "fake")] {
            let path = workspace.join(folder).to_str().unwrap().to_owned();
            deps[name]["path"] = path.into();
        }
        deps.insert(
            "feishu-openapi".into(),
            toml::toml! { path = "generated" package = "scratch-api" }.into(),
        );
        // The workspace's profiles tune the generator, which is not built
        // here. Without debug info the caller links in a fraction of the
        // time; every build here starts from new files, so incremental data
        // would only be written (3 s of the three scratch tests' 13 s).
        manifest.insert(
            "profile".into(),
            toml::toml! { [dev] debug = false incremental = false }.into(),
        );
        write(
            &root.join("Cargo.toml"),
            &toml::to_string(&manifest).unwrap(),
        );
        // The workspace's lock file pins the versions its own build uses.
        std::fs::copy(workspace.join("Cargo.lock"), root.join("Cargo.lock")).unwrap();

        let mut generated = read_toml(&workspace.join("generated/feishu-api/Cargo.toml"));
        generated["package"]["name"] = "scratch-api".into();
        let features = generated["features"].as_table_mut().unwrap();
        features.insert("fixture".into(), toml::Value::Array(vec![]));
        // The fixtures' group besides the real ones, so either kind of
        // schema tree compiles with default features.
        let mut default = features["default"].as_array().unwrap().clone();
        default.push("fixture".into());
        features.insert("default".into(), toml::Value::Array(default));
        // CI denies warnings in the generated crate; so does this build.
        generated.insert(
            "lints".into(),
            toml::toml! { [rust] warnings = "deny" }.into(),
        );
        write(
            &root.join("generated/Cargo.toml"),
            &toml::to_string(&generated).unwrap(),
        );

        write(
            &root.join("caller/Cargo.toml"),
            "[package]\nname = \"caller\"\nversion = \"0.0.0\"\nedition.workspace = true\n\
             publish = false\n\n[dependencies]\nfeishu-openapi.workspace = true\n\
             feishu-fake = { workspace = true, optional = true }\n\
             serde.workspace = true\n\
             serde_json.workspace = true\n\
             tokio = { workspace = true, optional = true }\n\n\
             [features]\nexhaustive = []\n\
             fake = [\"dep:feishu-fake\", \"dep:tokio\", \"feishu-openapi/routes\"]\n",
        );
        write(&root.join("caller/src/lib.rs"), lib);
        write(&root.join("caller/src/main.rs"), main);

        Self {
            _dir: dir,
            root,
            // Kept between runs: only the scratch crates are rebuilt.
            target: workspace.join("target/scratch"),
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
    /// crate, replacing what was there.
    pub fn write_generated(&self, api: &Api) {
        let src = self.root.join("generated/src");
        if src.exists() {
            std::fs::remove_dir_all(&src).unwrap();
        }
        for (path, text) in generate(api) {
            if let Some(rel) = path.strip_prefix("generated/feishu-api/") {
                write(&self.root.join("generated").join(rel), &text);
            }
        }
    }

    /// `cargo build -p caller` with `args` added (which targets, which
    /// features).
    pub fn build(&self, args: &[&str]) -> Output {
        let mut all = vec!["build", "-p", "caller"];
        all.extend(args);
        self.cargo(&all, &[])
    }

    /// Runs cargo in the scratch workspace with `args` and `env`.
    pub fn cargo(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        Command::new(cargo)
            .current_dir(&self.root)
            .env("CARGO_TARGET_DIR", &self.target)
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

    pub fn run_caller(&self) -> Output {
        Command::new(
            self.target
                .join("debug")
                .join(format!("caller{}", std::env::consts::EXE_SUFFIX)),
        )
        .output()
        .unwrap()
    }
}

fn read_toml(path: &Path) -> toml::Table {
    std::fs::read_to_string(path).unwrap().parse().unwrap()
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}
