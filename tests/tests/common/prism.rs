//! A running `prism mock` of one OpenAPI document, bound to 127.0.0.1 on a free port.
//! Dropping it kills the process and waits for it, so the server never outlives the test,
//! panics included; on a panic its log is printed (its `[VALIDATOR]` lines say why a
//! request was rejected).

use std::fs::File;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long Prism may take to start listening.
const STARTUP_BUDGET: Duration = Duration::from_secs(60);

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A running Prism.
pub struct Prism {
    child: Child,
    log: tempfile::NamedTempFile,
    /// The port it listens on.
    pub port: u16,
}

impl Prism {
    /// Starts `prism mock <spec> --errors` (`spec` relative to the repository root): requests
    /// that break the document are answered with an error status, and so are responses
    /// whose example breaks it.
    pub fn start(spec: &str) -> Prism {
        let root = repo_root();
        let prism = root.join("node_modules/.bin/prism");
        assert!(prism.exists(), "{} is missing: run `npm ci` in {}", prism.display(), root.display());
        // A free port: bind port 0, note what the OS chose, release it for Prism.
        let port = {
            let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
            listener.local_addr().expect("local address").port()
        };
        let log = tempfile::Builder::new().prefix("prism-").suffix(".log").tempfile().expect("temp log file");
        let stdout: File = log.reopen().expect("reopen log for stdout");
        let stderr: File = log.reopen().expect("reopen log for stderr");
        let child = Command::new(&prism)
            .args(["mock", spec, "--host", "127.0.0.1", "--port", &port.to_string(), "--errors"])
            .current_dir(&root)
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(stderr)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", prism.display()));
        // From here on the guard owns the child: any panic below kills it.
        let mut prism = Prism { child, log, port };
        prism.wait_until_listening();
        prism
    }

    fn wait_until_listening(&mut self) {
        let addr = SocketAddr::from(([127, 0, 0, 1], self.port));
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("poll prism") {
                panic!("Prism exited before listening ({status}); its log:\n{}", self.log());
            }
            // A connect to a free ephemeral port on loopback can succeed by connecting to
            // itself (TCP simultaneous open); a connection whose two ends are the same
            // address is not Prism.
            if let Ok(stream) = TcpStream::connect_timeout(&addr, Duration::from_millis(100))
                && stream.local_addr().ok() != stream.peer_addr().ok()
            {
                eprintln!("Prism listening on {addr} after {:.1?}", started.elapsed());
                return;
            }
            if started.elapsed() > STARTUP_BUDGET {
                panic!("Prism did not listen on {addr} within {STARTUP_BUDGET:?}; its log:\n{}", self.log());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// What Prism has printed so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap_or_else(|e| format!("<cannot read the Prism log: {e}>"))
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            eprintln!("----- Prism log -----\n{}\n---------------------", self.log());
        }
    }
}
