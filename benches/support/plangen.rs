//! The portfolio generator of the scale benchmarks (issue 9), shared by the `generate` example
//! and `cargo bench --bench scale`: see benches/support/generate.rs for the shapes and the .tjp.
//! Invariant: the same (n, seed, shape) always gives the same text (a fixed SplitMix64
//! generator, no clock, no hash maps).

use std::fmt::Write as _;

/// SplitMix64: tiny, fast and fixed forever (a crate's generator may change between versions).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0); the modulo bias is irrelevant here.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Shape {
    Portfolio,
    Chain,
}

/// A link from project `to` (index into all projects) to its predecessor `from`.
#[derive(Clone, Copy)]
struct Link {
    from: usize,
    kind: Kind,
    lag: u32,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Fs,
    Ss,
    Ff,
}

const PER_PROGRAMME: usize = 50;

/// The plan as tranche text and as TaskJuggler text.
pub fn generate(n_projects: usize, seed: u64, shape: Shape) -> (String, String) {
    let mut rng = Rng(seed);
    let n = n_projects;
    let mut tr = String::with_capacity(n * 200);
    let mut tj = String::with_capacity(n * 120);
    let _ = writeln!(
        tr,
        "# generated: {n} projects, shape {}, seed {}\n\
         portfolio \"Generated portfolio\" {{\n  start 2025-04-01\n  end 2035-03-31\n  \
         calendar weekdays\n  \
         # Random links leave much float and many loose ends: the lints would flag a\n  \
         # hundred thousand projects, and timing their rendering is not the point here.\n  \
         allow W102, W105, W107\n}}\n",
        if shape == Shape::Chain {
            "chain"
        } else {
            "portfolio"
        },
        seed
    );
    // TaskJuggler: day resolution and a window long enough for the chain's durations.
    let _ = writeln!(
        tj,
        "project gen \"Generated portfolio\" 2025-04-01 - 2035-03-31 {{\n  timezone \"UTC\"\n  \
         timingresolution 60min\n  now 2025-04-01\n}}\n"
    );
    let programme_of = |i: usize| i / PER_PROGRAMME;
    let tj_id = |i: usize| format!("g{}.p{}", programme_of(i), i);
    for i in 0..n {
        let duration = 1 + rng.below(20);
        let mut links: Vec<Link> = Vec::new();
        match shape {
            Shape::Chain => {
                if i > 0 {
                    links.push(Link {
                        from: i - 1,
                        kind: Kind::Ss,
                        lag: 0,
                    });
                }
            }
            Shape::Portfolio => {
                if i > 0 {
                    let k = 1 + rng.below(3);
                    for _ in 0..k {
                        let from = rng.below(i);
                        if links.iter().all(|l| l.from != from) {
                            links.push(Link {
                                from,
                                kind: Kind::Fs,
                                lag: 0,
                            });
                        }
                    }
                    if rng.below(8) == 0 {
                        let from = rng.below(i);
                        if links.iter().all(|l| l.from != from) {
                            let kind = if rng.below(2) == 0 {
                                Kind::Ss
                            } else {
                                Kind::Ff
                            };
                            links.push(Link {
                                from,
                                kind,
                                lag: 1 + rng.below(5) as u32,
                            });
                        }
                    }
                }
            }
        }
        let g = programme_of(i);
        if i % PER_PROGRAMME == 0 {
            if i > 0 {
                tr.push_str("}\n\n");
                tj.push_str("}\n");
            }
            let _ = writeln!(tr, "programme g{g} \"Programme {g}\" {{");
            let _ = writeln!(tj, "task g{g} \"Programme {g}\" {{");
        }
        let _ = writeln!(
            tr,
            "  project p{i} \"Project {i}\" {{\n    duration {duration} days"
        );
        let _ = writeln!(tj, "  task p{i} \"Project {i}\" {{\n    length {duration}d");
        for l in &links {
            let (word, tj_mode) = match l.kind {
                Kind::Fs => ("after p", ""),
                Kind::Ss => ("after start of p", " onstart"),
                Kind::Ff => ("finishes after p", ""),
            };
            let lag = if l.lag > 0 {
                format!(" + {} days", l.lag)
            } else {
                String::new()
            };
            let _ = writeln!(tr, "    {word}{}{lag}", l.from);
            let gap = if l.lag > 0 {
                format!(" gaplength {}d", l.lag)
            } else {
                String::new()
            };
            if tj_mode.is_empty() && gap.is_empty() {
                let _ = writeln!(tj, "    depends {}", tj_id(l.from));
            } else {
                let _ = writeln!(tj, "    depends {} {{{tj_mode}{gap} }}", tj_id(l.from));
            }
        }
        if shape == Shape::Portfolio {
            let _ = writeln!(tr, "    cost capital £{}k", 5 + rng.below(200));
            if i % 4 == 0 {
                let _ = writeln!(
                    tr,
                    "    saving £{}k per year from finish ramp 6 months for 3 years",
                    1 + rng.below(50)
                );
            }
            if i % 10 == 0 {
                let _ = writeln!(tr, "    milestone m{i} \"Project {i} live\" at finish");
            }
        }
        tr.push_str("  }\n");
        tj.push_str("  }\n");
    }
    tr.push_str("}\n");
    tj.push_str("}\n");
    (tr, tj)
}
