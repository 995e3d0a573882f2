//! The documents of `who` (one answer) and `matrix` (every answer of roles × events), and
//! how each format shows them. The matrix is never held: its rows are evaluated as they are
//! written, each distinct answer once ([`Matrix::each`]).

use anyhow::Result;
use pim_notify::catalog::Event;
use pim_notify::eval::{shape, Kind};
use pim_notify::memo::Memo;
use pim_notify::report::{
    assumed_footnote, at, audience_text, marked_reason_text, placeholder_note, suppressed_text,
};
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
            let why = n.reasons.iter().map(|r| marked_reason_text(policy, r)).collect();
            vec![Cell::new(n.address.clone()), Cell::new(n.kind.as_str()), Cell::lines(why)]
        };
        self.answer.recipients.iter().map(row).collect()
    }

    fn suppressed_rows(&self) -> Vec<Vec<Cell>> {
        let row = |s: &pim_notify::eval::Suppressed| {
            vec![
                Cell::new(audience_text(s.audience, s.basis)).warning(),
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
        blocks.extend(assumed_footnote(&self.answer).map(|note| Block::Line(note.to_string())));
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
#[derive(Clone)]
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
                let rows = MatrixRows::of(d);
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
            Offer::new(Format::Markdown, |d, out| {
                out::markdown::sheet(out, &matrix_sheet(&MatrixRows::of(d)))
            }),
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

    /// How many roles (rows) the answers are for.
    fn roles(&self) -> usize;

    /// The answers as two halves, in order, for work that can be split over two cores and
    /// merged (counting, measuring); `None` when too few to be worth it.
    fn halves(&self) -> Option<(Self, Self)>
    where
        Self: Sized,
    {
        None
    }

    /// The answers in chunks of whole roles, in order, for writing on two cores.
    fn chunks(&self) -> Option<Vec<Self>>
    where
        Self: Sized,
    {
        None
    }
}

impl<'p> Answers for Matrix<'p> {
    /// Role by role, event by event. Answers whose `Shape` recurs are evaluated once (the
    /// engine's promise: equal shapes, answers that differ only in the role and event they
    /// name): those that depend on nothing a role writes are kept for the whole run (a few per
    /// setting), the others only while their role is written, so memory stays flat.
    fn each<T>(
        &self,
        make: &dyn Fn(&Answer) -> T,
        f: &mut dyn FnMut(&Role, &Event, &T, usize) -> Result<()>,
    ) -> Result<()> {
        let mut answers = Memo::default();
        let mut keys = 0..;
        for &role in &self.roles {
            answers.forget_own();
            for &event in &self.events {
                let shape = shape(self.policy, role, event);
                let (key, made) = answers.get_or_make(shape, shape.is_shared(), || {
                    let answer = evaluate(self.policy, role, event, &self.query);
                    (keys.next().unwrap_or_default(), make(&answer))
                });
                f(role, event, made, *key)?;
            }
        }
        Ok(())
    }

    fn roles(&self) -> usize {
        self.roles.len()
    }

    fn halves(&self) -> Option<(Self, Self)> {
        if self.roles.len() < 2 * HALF_AT_LEAST {
            return None;
        }
        let (first, second) = self.roles.split_at(self.roles.len() / 2);
        let half = |roles: &[&'p Role]| Matrix { roles: roles.to_vec(), ..self.clone() };
        Some((half(first), half(second)))
    }

    fn chunks(&self) -> Option<Vec<Self>> {
        if self.roles.len() <= CHUNK_ROLES {
            return None;
        }
        Some(
            self.roles
                .chunks(CHUNK_ROLES)
                .map(|roles| Matrix { roles: roles.to_vec(), ..self.clone() })
                .collect(),
        )
    }
}

/// Roles per chunk when two threads write: big enough that a chunk's own memo costs little,
/// small enough that a chunk's text stays a few MB.
const CHUNK_ROLES: usize = 128;

/// Roles in each half before splitting work over two cores pays.
const HALF_AT_LEAST: usize = 64;

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

    fn roles(&self) -> usize {
        1
    }
}

/// The matrix as one row per answer, recipients and suppressed audiences listed in a cell.
struct MatrixRows<'a, 'p>(std::borrow::Cow<'a, Matrix<'p>>);

impl<'a, 'p> MatrixRows<'a, 'p> {
    fn of(matrix: &'a Matrix<'p>) -> Self {
        MatrixRows(std::borrow::Cow::Borrowed(matrix))
    }
}

impl Rows for MatrixRows<'_, '_> {
    fn halves(&self) -> Option<(Box<dyn Rows + Sync + '_>, Box<dyn Rows + Sync + '_>)> {
        let (first, second) = self.0.halves()?;
        let owned = |m| Box::new(MatrixRows(std::borrow::Cow::Owned(m))) as Box<dyn Rows + Sync>;
        Some((owned(first), owned(second)))
    }

    fn chunks(&self) -> Option<Vec<Box<dyn Rows + Sync + '_>>> {
        let owned = |m| Box::new(MatrixRows(std::borrow::Cow::Owned(m))) as Box<dyn Rows + Sync>;
        Some(self.0.chunks()?.into_iter().map(owned).collect())
    }

    /// Each answer's cells are made once; the role's cell once per role, the events' once.
    fn each(&self, row: &mut dyn FnMut(&[&Cell]) -> Result<()>) -> Result<()> {
        let events: Vec<Cell> = self.0.events.iter().map(|e| Cell::new(e.id.clone())).collect();
        let mut role_cell: Option<(*const Role, Cell)> = None;
        let make = |answer: &Answer| {
            let recipients: Vec<&str> = answer.recipients.iter().map(|n| n.address.as_str()).collect();
            let suppressed: Vec<String> =
                answer.suppressed.iter().map(|s| format!("{}: {}", s.audience, s.reason.as_str())).collect();
            [Cell::new(recipients.join(", ")), Cell::new(suppressed.join(", ")).warning()]
        };
        let mut column = 0;
        self.0.each(&make, &mut |role, _, [recipients, suppressed], _| {
            if role_cell.as_ref().is_none_or(|(r, _)| !std::ptr::eq(*r, role)) {
                role_cell = Some((std::ptr::from_ref(role), Cell::new(role.name.clone())));
                column = 0;
            }
            let role = role_cell.as_ref().map(|(_, c)| c).expect("set above");
            let event = &events[column % events.len()];
            column += 1;
            row(&[role, event, recipients, suppressed])
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
fn csv<A: Answers + Sync>(out: &mut Out, policy: &Policy, answers: &A) -> Result<()> {
    out::csv::record(out, &CSV_COLUMNS)?;
    match answers.chunks() {
        Some(chunks) => out::in_order(out, &chunks, &|chunk, out| csv_records(out, policy, chunk)),
        None => csv_records(out, policy, answers),
    }
}

fn csv_records(out: &mut Out, policy: &Policy, answers: &impl Answers) -> Result<()> {
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

/// `status,address,kind,audience,setting,source_or_reason,via,at,basis` of each record of an
/// answer.
fn csv_tails(policy: &Policy, answer: &Answer) -> Vec<String> {
    let at = |pos| at(policy, pos).as_str().unwrap_or("").to_string();
    let mut tails = Vec::new();
    for n in &answer.recipients {
        for r in &n.reasons {
            let (setting, via, at) = (r.setting.path().unwrap_or_default(), r.via.join(">"), at(r.at));
            let fields = [
                "notified",
                &n.address,
                n.kind.as_str(),
                r.audience.as_str(),
                &setting,
                r.source.as_str(),
                &via,
                &at,
                r.basis.as_str(),
            ];
            tails.push(out::csv::fields(&fields));
        }
    }
    for s in &answer.suppressed {
        let (setting, at) = (s.setting.path().unwrap_or_default(), at(s.at));
        let fields = [
            "suppressed",
            "",
            "",
            s.audience.as_str(),
            &setting,
            s.reason.as_str(),
            "",
            &at,
            s.basis.as_str(),
        ];
        tails.push(out::csv::fields(&fields));
    }
    tails
}

const CSV_COLUMNS: [&str; 12] = [
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
    "basis",
];
