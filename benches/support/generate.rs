//! Generator of large portfolios for the scale benchmarks (issue 9).
//!
//! Input: `--projects N`, `--seed S` (default 9), `--shape portfolio|chain` (default portfolio),
//! `--out PREFIX`. Output: `PREFIX.tranche`, and `PREFIX.tjp`, the same plan for TaskJuggler 3.
//! Invariant: the same arguments always write the same bytes (a fixed SplitMix64 generator, no
//! clock, no hash maps), so a figure in docs/benchmarks.md can be reproduced exactly.
//!
//! `portfolio`: N projects in programmes of 50, each with a duration of 1 to 20 days and 1 to 3
//! finish-to-start links to earlier projects (drawn uniformly, so the longest path grows like
//! log N and the plan fits its window at any N); one project in 8 also has a start-to-start or
//! finish-to-finish link with a lag; every project has a capital cost, one in 4 a recurring
//! saving for 3 years, one in 10 a milestone at its finish.
//!
//! `chain`: N projects, each `after start of` the one before (start-to-start, so a chain of a
//! million fits the calendar while the graph is a million deep).
//!
//! The .tjp has one `task` with `length` per project (working days, like tranche's durations),
//! the same links (`depends`; `{ onstart }` for start-to-start; gaps as `gaplength`). TaskJuggler
//! has no finish-to-finish dependency, so those links are written as finish-to-start, a stronger
//! constraint on the same pair. Money and milestones are tranche's only.
//!
//! Run: `cargo run --release --example generate -- --projects 100000 --out /tmp/p100k`.

use std::io::Write as _;

#[path = "plangen.rs"]
mod plangen;

use plangen::Shape;

struct Args {
    projects: usize,
    seed: u64,
    shape: Shape,
    out: String,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        projects: 1000,
        seed: 9,
        shape: Shape::Portfolio,
        out: String::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("`{flag}` needs a value"))?;
        match flag.as_str() {
            "--projects" => args.projects = value.parse().map_err(|e| format!("{e}"))?,
            "--seed" => args.seed = value.parse().map_err(|e| format!("{e}"))?,
            "--shape" => {
                args.shape = match value.as_str() {
                    "portfolio" => Shape::Portfolio,
                    "chain" => Shape::Chain,
                    _ => return Err(format!("unknown shape `{value}`")),
                }
            }
            "--out" => args.out = value,
            _ => return Err(format!("unknown option `{flag}`")),
        }
    }
    if args.out.is_empty() || args.projects == 0 {
        return Err(
            "usage: generate --projects N [--seed S] [--shape portfolio|chain] --out PREFIX".into(),
        );
    }
    Ok(args)
}

/// The floor of the comparison: read the file, take each project's links with a bare byte scan
/// (the generator's ids are `p<number>`, so no name table is needed), then one Kahn pass.
/// Prints the number of projects ordered. Run as `generate --floor PLAN.tranche`.
fn floor(path: &str) -> usize {
    let bytes = std::fs::read(path).unwrap_or_else(|e| {
        eprintln!("generate: cannot read {path}: {e}");
        std::process::exit(2);
    });
    let number = |s: &[u8]| {
        s.iter()
            .take_while(|b| b.is_ascii_digit())
            .fold(0usize, |n, b| n * 10 + usize::from(b - b'0'))
    };
    let mut edges: Vec<(u32, u32)> = Vec::new();
    let mut current = 0usize;
    let mut nodes = 0usize;
    for line in bytes.split(|&b| b == b'\n') {
        let line = line.trim_ascii_start();
        if let Some(rest) = line.strip_prefix(b"project p") {
            current = number(rest);
            nodes = nodes.max(current + 1);
        } else if line.starts_with(b"after") || line.starts_with(b"finishes after") {
            if let Some(at) = line.iter().position(|&b| b == b'p') {
                let rest = line.get(at + 1..).unwrap_or_default();
                edges.push((number(rest) as u32, current as u32));
            }
        }
    }
    let mut start = vec![0u32; nodes + 1];
    let mut indegree = vec![0u32; nodes];
    for &(a, b) in &edges {
        start[a as usize + 1] += 1;
        indegree[b as usize] += 1;
    }
    for i in 0..nodes {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut succ = vec![0u32; edges.len()];
    for &(a, b) in &edges {
        succ[fill[a as usize] as usize] = b;
        fill[a as usize] += 1;
    }
    let mut order: Vec<u32> = (0..nodes as u32)
        .filter(|&v| indegree[v as usize] == 0)
        .collect();
    let mut next = 0;
    while next < order.len() {
        let v = order[next] as usize;
        next += 1;
        for &s in &succ[start[v] as usize..start[v + 1] as usize] {
            indegree[s as usize] -= 1;
            if indegree[s as usize] == 0 {
                order.push(s);
            }
        }
    }
    order.len()
}

fn main() {
    let argv: Vec<String> = std::env::args().collect();
    if argv.get(1).map(String::as_str) == Some("--floor") {
        let path = argv.get(2).map_or("", String::as_str);
        println!("{}", floor(path));
        return;
    }
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("generate: {e}");
            std::process::exit(2);
        }
    };
    let (tr, tj) = plangen::generate(args.projects, args.seed, args.shape);
    let write = |path: String, text: &str| {
        let result = std::fs::File::create(&path).and_then(|mut f| f.write_all(text.as_bytes()));
        if let Err(e) = result {
            eprintln!("generate: cannot write {path}: {e}");
            std::process::exit(2);
        }
    };
    write(format!("{}.tranche", args.out), &tr);
    write(format!("{}.tjp", args.out), &tj);
}
