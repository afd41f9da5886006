//! Whole-process benchmarks against the reference tools, measured in the same run.
//!
//! Every figure is the median over `--runs` runs of CPU time (user + system, from
//! `/usr/bin/time`) and the largest peak RSS, for the whole process — JVM start-up and schema
//! compilation included, because that is what a user waits for. Inputs come from `../shared`
//! (generated joins are written to `target/bench-data/`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One measured command.
#[derive(Debug, Clone)]
struct Measure {
    cpu: f64,
    wall: f64,
    rss_mb: f64,
    exit: i32,
}

struct Ctx {
    root: PathBuf,
    shared: PathBuf,
    data: PathBuf,
    bin: PathBuf,
    runs: usize,
    out: String,
}

pub fn run(args: &[String]) -> bool {
    let mut suites: Vec<String> = Vec::new();
    let mut runs = 3;
    let mut update_readme = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--runs" => runs = it.next().and_then(|n| n.parse().ok()).unwrap_or(3),
            "--update-readme" => update_readme = true,
            s => suites.push(s.to_string()),
        }
    }
    if suites.is_empty() {
        suites = vec![
            "validate".into(),
            "diff".into(),
            "convert".into(),
            "hostile".into(),
        ];
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf();
    let shared = std::env::var_os("TEIKIT_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared"));
    if !shared.join("README.md").is_file() {
        eprintln!(
            "xtask bench: ../shared not found ({}); set TEIKIT_SHARED",
            shared.display()
        );
        return false;
    }
    if !super::cargo(&["build", "--release", "--bin", "teikit"], &[]) {
        return false;
    }
    let data = root.join("target/bench-data");
    let _ = std::fs::create_dir_all(&data);
    let mut cx = Ctx {
        bin: root.join("target/release/teikit"),
        root,
        shared,
        data,
        runs: runs.max(1),
        out: String::new(),
    };
    let _ = writeln!(
        cx.out,
        "Measured by `cargo xtask bench` on {} ({} CPU cores), median of {} runs; CPU = user + system \
         seconds of the whole process, RSS = peak resident memory.\n",
        hostname(),
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
        cx.runs
    );
    for s in &suites {
        match s.as_str() {
            "validate" => bench_validate(&mut cx),
            "diff" => bench_diff(&mut cx),
            "convert" => bench_convert(&mut cx),
            "hostile" => bench_hostile(&mut cx),
            other => {
                eprintln!("xtask bench: unknown suite {other}");
                return false;
            }
        }
    }
    println!("{}", cx.out);
    let _ = std::fs::write(cx.root.join("target/bench-results.md"), &cx.out);
    if update_readme {
        return update_readme_section(&cx.root.join("README.md"), &cx.out);
    }
    true
}

fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname")
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|_| "this machine".into())
}

fn which(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool} >/dev/null 2>&1")])
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// Runs a command under `/usr/bin/time` `runs` times.
fn measure(cmd: &[String], runs: usize) -> Option<Measure> {
    let mut samples = Vec::new();
    let tf = std::env::temp_dir().join(format!("xtask-time-{}", std::process::id()));
    for _ in 0..runs {
        let status = Command::new("/usr/bin/time")
            .arg("-f")
            .arg("%e %U %S %M")
            .arg("-o")
            .arg(&tf)
            .args(cmd)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .ok()?;
        let t = std::fs::read_to_string(&tf).ok()?;
        let last = t.lines().last()?.to_string();
        let f: Vec<f64> = last
            .split_whitespace()
            .filter_map(|x| x.parse().ok())
            .collect();
        if f.len() < 4 {
            return None;
        }
        samples.push(Measure {
            wall: f[0],
            cpu: f[1] + f[2],
            rss_mb: f[3] / 1024.0,
            exit: status.code().unwrap_or(-1),
        });
    }
    let _ = std::fs::remove_file(&tf);
    let mut cpus: Vec<f64> = samples.iter().map(|m| m.cpu).collect();
    cpus.sort_by(|a, b| a.total_cmp(b));
    let mut walls: Vec<f64> = samples.iter().map(|m| m.wall).collect();
    walls.sort_by(|a, b| a.total_cmp(b));
    Some(Measure {
        cpu: cpus[cpus.len() / 2],
        wall: walls[walls.len() / 2],
        rss_mb: samples.iter().map(|m| m.rss_mb).fold(0.0, f64::max),
        exit: samples[0].exit,
    })
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

fn row(out: &mut String, task: &str, tool: &str, m: &Option<Measure>, base: Option<&Measure>) {
    match m {
        Some(m) => {
            let ratio = base
                .map(|b| format!("{:.1}×", m.cpu / b.cpu.max(0.001)))
                .unwrap_or_else(|| "1.0×".into());
            let _ = writeln!(
                out,
                "| {task} | {tool} | {:.3} | {:.3} | {:.0} | {} | exit {} |",
                m.cpu, m.wall, m.rss_mb, ratio, m.exit
            );
        }
        None => {
            let _ = writeln!(out, "| {task} | {tool} | – | – | – | not run | |");
        }
    }
}

fn table_head(out: &mut String, title: &str) {
    let _ = writeln!(out, "\n### {title}\n");
    let _ = writeln!(
        out,
        "| task | tool | CPU s | wall s | peak RSS MB | CPU vs teikit | |"
    );
    let _ = writeln!(out, "|---|---|---:|---:|---:|---:|---|");
}

/// The ELTeC novels of the shared corpora, sorted.
fn eltec(cx: &Ctx) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(cx.shared.join("corpora/eltec-eng/docs"))
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    v.retain(|p| p.extension().is_some_and(|e| e == "xml"));
    v.sort();
    v
}

/// Strips the XML declaration, PIs and comments before the root element.
fn body_of(xml: &str) -> &str {
    let i = xml.find("<TEI").unwrap_or(0);
    xml[i..].trim_end()
}

/// Joins TEI documents into one `teiCorpus` of at least `min_bytes` (repeating if needed).
fn join_corpus(cx: &Ctx, name: &str, min_bytes: usize) -> PathBuf {
    let path = cx.data.join(name);
    if path.is_file() {
        return path;
    }
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<teiCorpus xmlns=\"http://www.tei-c.org/ns/1.0\">\n\
         <teiHeader><fileDesc><titleStmt><title>ELTeC-eng sample corpus (benchmark)</title></titleStmt>\
         <publicationStmt><p>Joined by cargo xtask bench.</p></publicationStmt><sourceDesc><p>ELTeC level 1.</p>\
         </sourceDesc></fileDesc></teiHeader>\n",
    );
    let novels = eltec(cx);
    let mut round = 0;
    while out.len() < min_bytes && !novels.is_empty() {
        for p in &novels {
            let t = std::fs::read_to_string(p).unwrap_or_default();
            let mut b = body_of(&t).to_string();
            if round > 0 {
                // Repeated rounds must keep xml:ids unique.
                b = b.replace("xml:id=\"", &format!("xml:id=\"r{round}-"));
            }
            out.push_str(&b);
            out.push('\n');
            if out.len() >= min_bytes {
                break;
            }
        }
        round += 1;
    }
    out.push_str("</teiCorpus>\n");
    let _ = std::fs::write(&path, out);
    path
}

fn bench_validate(cx: &mut Ctx) {
    let tei_all = cx.shared.join("schemas/tei-p5-4.12.0/tei_all.rng");
    let letter = cx.shared.join("corpora/tillich-letters/docs/L00001.xml");
    let novels = eltec(cx);
    let corpus = join_corpus(cx, "eltec-corpus-15mb.xml", 15 * 1024 * 1024);
    let mut out = String::new();
    table_head(&mut out, "validate (tei_all.rng 4.12.0)");
    let jing = which("jing");
    let xmllint = which("xmllint");
    let cases: Vec<(String, Vec<String>)> = vec![
        ("(a) one 4 KB letter".into(), vec![s(&letter)]),
        (
            format!("(b) {} ELTeC novels, one invocation", novels.len()),
            novels.iter().map(|p| s(p)).collect(),
        ),
        (
            format!(
                "(c) one {} MB teiCorpus",
                std::fs::metadata(&corpus)
                    .map(|m| m.len() / (1024 * 1024))
                    .unwrap_or(0)
            ),
            vec![s(&corpus)],
        ),
    ];
    for (task, files) in cases {
        let mut t = vec![
            s(&cx.bin),
            "validate".into(),
            "--no-rules".into(),
            "--schema".into(),
            s(&tei_all),
        ];
        t.extend(files.iter().cloned());
        let mt = measure(&t, cx.runs);
        row(&mut out, &task, "teikit", &mt, None);
        if jing {
            let mut j = vec!["jing".to_string(), s(&tei_all)];
            j.extend(files.iter().cloned());
            let mj = measure(&j, cx.runs);
            row(&mut out, &task, "jing", &mj, mt.as_ref());
        }
        if xmllint {
            let mut x = vec![
                "xmllint".to_string(),
                "--noout".into(),
                "--relaxng".into(),
                s(&tei_all),
            ];
            x.extend(files.iter().cloned());
            // xmllint needs ~30 s to compile tei_all: one run is enough to make the point.
            let mx = measure(&x, 1);
            row(&mut out, &task, "xmllint (1 run)", &mx, mt.as_ref());
        }
    }
    cx.out.push_str(&out);
}

/// Applies `n` deterministic editorial edits to a TEI text (std-only stand-in for the test
/// generator): word replacements, deletions, insertions and one paragraph move.
fn revise(text: &str, n: usize) -> String {
    let mut t = text.to_string();
    let mut edits = 0;
    let len = t.len();
    let mut k = 1;
    while edits < n && k < 1000 {
        let mut at = (len / (n + 2) * k % len.max(1)).min(t.len());
        k += 1;
        while !t.is_char_boundary(at) {
            at -= 1;
        }
        let Some(p) = t[at..].find("<p>").map(|i| at + i + 3) else {
            continue;
        };
        let Some(e) = t[p..].find('<').map(|i| p + i) else {
            continue;
        };
        let seg = &t[p..e];
        let Some(ws) = seg.find(' ') else { continue };
        let word_start = p + ws + 1;
        let Some(we) = t[word_start..e]
            .find(|c: char| !c.is_ascii_alphabetic())
            .map(|i| word_start + i)
        else {
            continue;
        };
        if we == word_start {
            continue;
        }
        match edits % 3 {
            0 => t.replace_range(word_start..we, "revised"),
            1 => t.insert_str(word_start, "newly inserted "),
            _ => t.replace_range(word_start..we.min(e), ""),
        }
        edits += 1;
    }
    // One paragraph move: cut the second <p>…</p> and put it before the last one.
    if let Some(s1) = t
        .find("<p>")
        .and_then(|i| t[i + 3..].find("<p>").map(|j| i + 3 + j))
        && let Some(e1) = t[s1..].find("</p>").map(|j| s1 + j + 4)
    {
        let para = t[s1..e1].to_string();
        if !para[3..].contains("<p>") {
            t.replace_range(s1..e1, "");
            if let Some(last) = t.rfind("<p>") {
                t.insert_str(last, &para);
            }
        }
    }
    t
}

fn bench_diff(cx: &mut Ctx) {
    let mut out = String::new();
    table_head(
        &mut out,
        "diff (ELTeC novels joined in a teiCorpus, ~20 edits)",
    );
    let xmldiff = which("xmldiff");
    let mut teikit_times = Vec::new();
    for (mb, edits) in [(6usize, 20usize), (12, 40)] {
        let old = join_corpus(cx, &format!("eltec-corpus-{mb}mb.xml"), mb * 1024 * 1024);
        let new = cx.data.join(format!("eltec-corpus-{mb}mb-revised.xml"));
        if !new.is_file() {
            let t = std::fs::read_to_string(&old).unwrap_or_default();
            let _ = std::fs::write(&new, revise(&t, edits));
        }
        let size = std::fs::metadata(&old).map(|m| m.len()).unwrap_or(0) as f64 / 1048576.0;
        let task = format!("{size:.1} MB pair, {edits} edits");
        let t = vec![s(&cx.bin), "diff".into(), s(&old), s(&new)];
        let mt = measure(&t, cx.runs);
        row(&mut out, &task, "teikit", &mt, None);
        if let Some(m) = &mt {
            teikit_times.push((size, m.cpu, m.rss_mb));
        }
        if xmldiff && mb == 6 {
            let x = vec![
                "xmldiff".to_string(),
                "--fast-match".into(),
                s(&old),
                s(&new),
            ];
            let mx = measure(&x, 1);
            row(
                &mut out,
                &task,
                "xmldiff --fast-match (1 run)",
                &mx,
                mt.as_ref(),
            );
        }
    }
    if teikit_times.len() == 2 {
        let (s0, t0, r0) = teikit_times[0];
        let (s1, t1, _) = teikit_times[1];
        let _ = writeln!(
            out,
            "\nScaling: {:.1}× input → {:.2}× time; peak memory {:.1}× the input size.",
            s1 / s0,
            t1 / t0.max(0.001),
            r0 / (2.0 * s0)
        );
    }
    cx.out.push_str(&out);
}

fn bench_convert(cx: &mut Ctx) {
    // The converter benchmark lives in benches/convert.rs (it needs the library to build a
    // 2,000-entity registry); run it and copy its report.
    let ok = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["bench", "--bench", "convert"])
        .current_dir(&cx.root)
        .output();
    let _ = writeln!(cx.out, "\n### convert\n");
    match ok {
        Ok(o) if o.status.success() => {
            let text = String::from_utf8_lossy(&o.stdout);
            for l in text
                .lines()
                .filter(|l| l.starts_with('|') || l.starts_with("convert"))
            {
                let _ = writeln!(cx.out, "{l}");
            }
        }
        _ => {
            let _ = writeln!(cx.out, "(convert benchmark not available)");
        }
    }
}

/// Writes `name` into the bench-data folder unless it is there, and returns its path.
fn generated(cx: &Ctx, name: &str, make: impl FnOnce() -> String) -> PathBuf {
    let path = cx.data.join(name);
    if !path.is_file() {
        let _ = std::fs::write(&path, make());
    }
    path
}

/// The costs issue 6 bounds: huge attribute lists, namespace declarations, 1M-deep nesting
/// and a backtracking-prone pattern, against an accept-anything (or one-pattern) schema.
/// References run once, under `timeout 60`.
fn bench_hostile(cx: &mut Ctx) {
    let any = generated(cx, "anything.rnc", || {
        "start = anything\nanything = element * { attribute * { text }*, (text | anything)* }\n"
            .into()
    });
    let any_rng = generated(cx, "anything.rng", || {
        concat!(
            "<grammar xmlns=\"http://relaxng.org/ns/structure/1.0\">",
            "<start><ref name=\"any\"/></start><define name=\"any\"><element><anyName/>",
            "<zeroOrMore><attribute><anyName/></attribute></zeroOrMore>",
            "<zeroOrMore><choice><text/><ref name=\"any\"/></choice></zeroOrMore>",
            "</element></define></grammar>\n"
        )
        .into()
    });
    let attrs = generated(cx, "attributes-100k.xml", || {
        let mut t = String::from("<a");
        for i in 0..100_000 {
            let _ = write!(t, " a{i}=\"v\"");
        }
        t.push_str("/>\n");
        t
    });
    let ns = generated(cx, "namespaces-50k.xml", || {
        let mut t = String::from("<a");
        for i in 0..50_000 {
            let _ = write!(t, " xmlns:p{i}=\"urn:x:{i}\"");
        }
        t.push_str("/>\n");
        t
    });
    let deep = generated(cx, "nesting-1m.xml", || {
        let n = 1_000_000;
        let mut t = String::with_capacity(n * 7 + 2);
        for _ in 0..n {
            t.push_str("<a>");
        }
        for _ in 0..n {
            t.push_str("</a>");
        }
        t.push('\n');
        t
    });
    let pat = generated(cx, "pattern.rnc", || {
        "start = element a { xsd:string { pattern = \"(a+)+b\" } }\n".into()
    });
    let pat_rng = generated(cx, "pattern.rng", || {
        concat!(
            "<element name=\"a\" xmlns=\"http://relaxng.org/ns/structure/1.0\" ",
            "datatypeLibrary=\"http://www.w3.org/2001/XMLSchema-datatypes\">",
            "<data type=\"string\"><param name=\"pattern\">(a+)+b</param></data></element>\n"
        )
        .into()
    });
    let pat_doc = generated(cx, "pattern-10k.xml", || {
        format!("<a>{}c</a>\n", "a".repeat(10_000))
    });
    let mut out = String::new();
    table_head(
        &mut out,
        "hostile inputs (validate; limits: 100k attributes < 100 ms, 1M-deep nesting handled or refused < 1 s and < 200 MB, `(a+)+b` on 10k characters < 10 ms)",
    );
    let jing = which("jing");
    let xmllint = which("xmllint");
    let cases: Vec<(&str, &PathBuf, &PathBuf, &PathBuf, Vec<String>)> = vec![
        ("100k attributes", &any, &any_rng, &attrs, vec![]),
        ("50k namespace declarations", &any, &any_rng, &ns, vec![]),
        (
            "1M-deep nesting (refused: default limit)",
            &any,
            &any_rng,
            &deep,
            vec![],
        ),
        (
            "1M-deep nesting (read: --max-depth 2000000)",
            &any,
            &any_rng,
            &deep,
            vec!["--max-depth".into(), "2000000".into()],
        ),
        (
            "`(a+)+b` on 10k characters",
            &pat,
            &pat_rng,
            &pat_doc,
            vec![],
        ),
    ];
    for (task, rnc, rng, doc, extra) in cases {
        let mut t = vec![
            s(&cx.bin),
            "validate".into(),
            "--no-rules".into(),
            "--schema".into(),
            s(rnc),
        ];
        t.extend(extra.iter().cloned());
        t.push(s(doc));
        let mt = measure(&t, cx.runs);
        row(&mut out, task, "teikit", &mt, None);
        if !extra.is_empty() {
            continue;
        }
        let timeout = |mut c: Vec<String>| {
            let mut v = vec!["timeout".to_string(), "60".into()];
            v.append(&mut c);
            v
        };
        if jing {
            let mj = measure(&timeout(vec!["jing".into(), s(rng), s(doc)]), 1);
            row(&mut out, task, "jing (1 run)", &mj, mt.as_ref());
        }
        if xmllint {
            let x = vec![
                "xmllint".into(),
                "--noout".into(),
                "--relaxng".into(),
                s(rng),
                s(doc),
            ];
            let mx = measure(&timeout(x), 1);
            row(&mut out, task, "xmllint (1 run)", &mx, mt.as_ref());
        }
    }
    let _ = writeln!(
        out,
        "\nteikit: exit 3 = refused at a reading limit (LIM001, the help names the flag); \
         xmllint: exit 1 on 1M-deep nesting = its 256-level depth limit, exit 3 on `(a+)+b` = \
         it could not compile the pattern; exit 124 = killed by `timeout 60`."
    );
    cx.out.push_str(&out);
}

fn update_readme_section(readme: &Path, table: &str) -> bool {
    let Ok(text) = std::fs::read_to_string(readme) else {
        return false;
    };
    let (a, b) = ("<!-- bench:start -->", "<!-- bench:end -->");
    let (Some(i), Some(j)) = (text.find(a), text.find(b)) else {
        eprintln!("xtask bench: README.md has no {a} … {b} markers");
        return false;
    };
    let new = format!("{}{a}\n{table}\n{}", &text[..i], &text[j..]);
    std::fs::write(readme, new).is_ok()
}
