//! The documents of `who` (one answer) and `matrix` (every answer of roles × events), and
//! how each format shows them. The matrix is never held: its rows are evaluated as they are
//! written, each distinct answer once ([`Matrix::each`]).

use std::collections::HashMap;

use anyhow::Result;
use pim_notify::catalog::Event;
use pim_notify::eval::{shape, Kind, Shape};
use pim_notify::report::{at, placeholder_note, reason_text, suppressed_text};
use pim_notify::{evaluate, Answer, Policy, Query, Role};

use super::out::{self, Block, Cell, Column, Document, Format, Offer, Out, Rows, Sheet};

/// `who`: one answer.
pub struct Who<'p> {
    pub policy: &'p Policy,
    pub answer: Answer<'p>,
}

impl Document for Who<'_> {
    fn offers() -> Vec<Offer<Self>> {
        vec![
            Offer::new(Format::Table, |d, out| {
                out::table::blocks(out, &d.blocks(&d.recipient_rows(), &d.suppressed_rows()))
            }),
            Offer::new(Format::Json, |d, out| {
                out::json::value(out, &pim_notify::report::answer_json(d.policy, &d.answer))
            }),
            Offer::new(Format::Csv, |d, out| csv(out, d.policy, &OneAnswer(d))),
            Offer::new(Format::Markdown, |d, out| {
                out::markdown::blocks(out, &d.blocks(&d.recipient_rows(), &d.suppressed_rows()))
            }),
            Offer::new(Format::Html, |d, out| {
                out::html::matrix_page(out, d.policy, &OneAnswer(d), &[d.answer.role], &[d.answer.event])
            }),
        ]
    }
}

impl<'p> Who<'p> {
    fn heading(&self) -> String {
        let e = self.answer.event;
        let critical = if e.critical { ", critical" } else { "" };
        format!("{} — {} ({}{critical})", self.answer.role.name, e.id, e.title)
    }

    fn recipient_rows(&self) -> Vec<Vec<Cell>> {
        let policy = self.policy;
        let row = |n: &pim_notify::eval::Notified| {
            // One line per reason: the line breaks between reasons are the table's.
            let why = n.reasons.iter().map(|r| reason_text(policy, r)).collect();
            vec![Cell::new(n.address.clone()), Cell::new(n.kind.as_str()), Cell::lines(why)]
        };
        self.answer.recipients.iter().map(row).collect()
    }

    fn suppressed_rows(&self) -> Vec<Vec<Cell>> {
        let row = |s: &pim_notify::eval::Suppressed| {
            vec![
                Cell::new(s.audience.as_str()).warning(),
                Cell::new(s.setting.to_string()),
                Cell::new(suppressed_text(self.policy, s)),
            ]
        };
        self.answer.suppressed.iter().map(row).collect()
    }

    /// The heading, who is notified and why, what each placeholder stands for, who is not.
    fn blocks<'a>(&self, recipients: &'a dyn Rows, suppressed: &'a dyn Rows) -> Vec<Block<'a>> {
        let mut blocks = vec![Block::Heading(self.heading())];
        if self.answer.recipients.is_empty() {
            blocks.push(Block::Line("Nobody is notified.".into()));
        } else {
            let columns = vec![
                Column::id("Recipient"),
                Column::id("Kind"),
                Column::text("Why (audience · setting · source)"),
            ];
            blocks.push(Block::Sheet(Sheet { columns, rows: recipients }));
            blocks.extend(self.legend().into_iter().map(Block::Line));
        }
        if !self.answer.suppressed.is_empty() {
            let columns = vec![Column::id("Not notified"), Column::id("Setting"), Column::text("Why")];
            blocks.push(Block::Sheet(Sheet { columns, rows: suppressed }));
        }
        blocks
    }

    /// Says who each placeholder in the answer stands for, so `<admins>` is not a mystery.
    fn legend(&self) -> Vec<String> {
        let placeholders = self.answer.recipients.iter().filter(|n| n.kind == Kind::Placeholder);
        placeholders
            .filter_map(|n| {
                placeholder_note(self.policy.scope, &n.address).map(|note| format!("  {}: {note}", n.address))
            })
            .collect()
    }
}

/// `matrix`: every answer of `roles` × `events`.
pub struct Matrix<'p> {
    pub policy: &'p Policy,
    pub roles: Vec<&'p Role>,
    pub events: Vec<&'static Event>,
    pub query: Query,
}

impl Document for Matrix<'_> {
    fn offers() -> Vec<Offer<Self>> {
        vec![
            Offer::new(Format::Table, |d, out| {
                let rows = MatrixRows(d);
                let count = d.roles.len() * d.events.len();
                let blocks =
                    [Block::Sheet(matrix_sheet(&rows)), Block::Line(out::plural(count, "answer", "answers"))];
                out::table::blocks(out, &blocks)
            }),
            Offer::new(Format::Json, |d, out| {
                // Streamed by the library, each distinct answer serialized once.
                let (policy, query) = (d.policy, &d.query);
                Ok(pim_notify::report::write_evaluated_matrix_json(
                    out.w, policy, &d.roles, &d.events, query,
                )?)
            }),
            Offer::new(Format::Csv, |d, out| csv(out, d.policy, d)),
            Offer::new(Format::Markdown, |d, out| out::markdown::sheet(out, &matrix_sheet(&MatrixRows(d)))),
            Offer::new(Format::Html, |d, out| out::html::matrix_page(out, d.policy, d, &d.roles, &d.events)),
        ]
    }
}

/// Answers in row order, as the CSV and HTML writers walk them: each with the role and
/// event it is for and a `T` the writer made from its answer (an answer stands for every
/// question of the same shape, so it may have been evaluated for another role). `make` runs
/// once per distinct answer, and distinct answers are numbered 0, 1, 2... in the order they
/// first appear, the same on every walk.
pub trait Answers {
    fn each<T>(
        &self,
        make: &dyn Fn(&Answer) -> T,
        f: &mut dyn FnMut(&Role, &Event, &T, usize) -> Result<()>,
    ) -> Result<()>;
}

impl Answers for Matrix<'_> {
    /// Role by role, event by event. Answers whose [`Shape`] recurs are evaluated once: those
    /// that depend on nothing a role writes are kept for the whole run (a few per setting),
    /// the others only while their role is written, so memory stays flat.
    fn each<T>(
        &self,
        make: &dyn Fn(&Answer) -> T,
        f: &mut dyn FnMut(&Role, &Event, &T, usize) -> Result<()>,
    ) -> Result<()> {
        let mut shared: HashMap<Shape, (usize, T)> = HashMap::new();
        let mut own: HashMap<Shape, (usize, T)> = HashMap::new();
        let mut keys = 0..;
        for &role in &self.roles {
            own.clear();
            for &event in &self.events {
                let shape = shape(self.policy, role, event);
                let memo = if shape.is_shared() { &mut shared } else { &mut own };
                let (key, made) = memo.entry(shape).or_insert_with(|| {
                    (keys.next().unwrap_or_default(), make(&evaluate(self.policy, role, event, &self.query)))
                });
                f(role, event, made, *key)?;
            }
        }
        Ok(())
    }
}

struct OneAnswer<'a, 'p>(&'a Who<'p>);

impl Answers for OneAnswer<'_, '_> {
    fn each<T>(
        &self,
        make: &dyn Fn(&Answer) -> T,
        f: &mut dyn FnMut(&Role, &Event, &T, usize) -> Result<()>,
    ) -> Result<()> {
        let answer = &self.0.answer;
        f(answer.role, answer.event, &make(answer), 0)
    }
}

/// The matrix as one row per answer, recipients and suppressed audiences listed in a cell.
struct MatrixRows<'a, 'p>(&'a Matrix<'p>);

impl Rows for MatrixRows<'_, '_> {
    fn each(&self, row: &mut dyn FnMut(&[Cell]) -> Result<()>) -> Result<()> {
        let make = |answer: &Answer| {
            let recipients: Vec<&str> = answer.recipients.iter().map(|n| n.address.as_str()).collect();
            let suppressed: Vec<String> =
                answer.suppressed.iter().map(|s| format!("{}: {}", s.audience, s.reason.as_str())).collect();
            [Cell::new(recipients.join(", ")), Cell::new(suppressed.join(", ")).warning()]
        };
        self.0.each(&make, &mut |role, event, [recipients, suppressed], _| {
            row(&[
                Cell::new(role.name.clone()),
                Cell::new(event.id.clone()),
                recipients.clone(),
                suppressed.clone(),
            ])
        })
    }
}

fn matrix_sheet<'a>(rows: &'a MatrixRows) -> Sheet<'a> {
    let columns = vec![
        Column::text("Role"),
        Column::id("Event"),
        Column::ids("Recipients"),
        Column::text("Not notified"),
    ];
    Sheet { columns, rows }
}

/// One record per reason and one per suppressed audience: what a spreadsheet filters on. The
/// fields after the role and event are escaped once per distinct answer.
fn csv(out: &mut Out, policy: &Policy, answers: &impl Answers) -> Result<()> {
    out::csv::record(out, &CSV_COLUMNS)?;
    let make = |answer: &Answer| csv_tails(policy, answer);
    answers.each(&make, &mut |role, event, tails, _| {
        let head =
            out::csv::fields(&[role.name.as_str(), role.id.as_deref().unwrap_or(""), event.id.as_str()]);
        for tail in tails {
            writeln!(out.w, "{head},{tail}")?;
        }
        Ok(())
    })
}

/// `status,address,kind,audience,setting,source_or_reason,via,at` of each record of an answer.
fn csv_tails(policy: &Policy, answer: &Answer) -> Vec<String> {
    let at = |pos| at(policy, pos).as_str().unwrap_or("").to_string();
    let mut tails = Vec::new();
    for n in &answer.recipients {
        for r in &n.reasons {
            let (setting, via, at) = (r.setting.to_string(), r.via.join(">"), at(r.at));
            let fields = [
                "notified",
                &n.address,
                n.kind.as_str(),
                r.audience.as_str(),
                &setting,
                r.source.as_str(),
                &via,
                &at,
            ];
            tails.push(out::csv::fields(&fields));
        }
    }
    for s in &answer.suppressed {
        let (setting, at) = (s.setting.to_string(), at(s.at));
        let fields = ["suppressed", "", "", s.audience.as_str(), &setting, s.reason.as_str(), "", &at];
        tails.push(out::csv::fields(&fields));
    }
    tails
}

const CSV_COLUMNS: [&str; 11] = [
    "role",
    "role_id",
    "event",
    "status",
    "address",
    "kind",
    "audience",
    "setting",
    "source_or_reason",
    "via",
    "at",
];
