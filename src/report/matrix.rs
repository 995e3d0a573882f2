//! `matrix --format json` over roles × events, fast. The rows of a large policy mostly repeat
//! a few answers: roles that write nothing for an event's settings all get the same one. So
//! each distinct row (by [`Shape`]) is put together once, from audience answers that are
//! each evaluated and serialized once (by [`AudienceShape`]), and copied after that. The bytes
//! are those of [`super::write_matrix_json`] over [`crate::eval::evaluate`] (tested).

use std::io::{self, Write};

use super::{answer_tail, escaped_json, event_head, role_head, MatrixRows, NotifiedView, SuppressedView};
use crate::catalog::Event;
use crate::eval::{
    audience_answer, evaluate, known_recipients, merge_recipients, occurs, shape, AudienceShape, Kind, Query,
    RecipientEntry, Shape, RECIPIENT_CAP,
};
use crate::memo::Memo;
use crate::model::{Policy, Role};

/// Roles per chunk of rows when two threads share the work: big enough that handing a chunk
/// over costs nothing, small enough that a chunk's bytes (about 3 KB a row) stay a few MB.
const CHUNK_ROLES: usize = 64;

/// [`super::write_matrix_json`] for every (role, event) of `roles` × `events`, role by role.
/// Memory stays flat: what depends on a role's own values is kept only while that role is
/// written, the rest is a few entries per setting, and with two cores a second thread renders
/// every other chunk of roles, at most two chunks ahead, while this one writes in order.
pub fn write_evaluated_matrix_json(
    out: &mut dyn Write,
    policy: &Policy,
    roles: &[&Role],
    events: &[&'static Event],
    query: &Query,
) -> io::Result<()> {
    let mut rows = MatrixRows::start(out, policy)?;
    let event_heads = events.iter().map(|e| event_head(e)).collect::<io::Result<Vec<_>>>()?;
    let lane = || Lane {
        policy,
        events,
        event_heads: &event_heads,
        query,
        tails: Memo::default(),
        audiences: Memo::default(),
    };
    let chunks: Vec<&[&Role]> = roles.chunks(CHUNK_ROLES).collect();
    if crate::threads::two_cores() && chunks.len() > 1 {
        write_on_two_threads(&chunks, lane, &mut rows)?;
    } else {
        let mut mine = lane();
        chunks.iter().try_for_each(|chunk| mine.write(chunk, &mut rows))?;
    }
    rows.finish()
}

/// Writes the even chunks here and renders the odd ones on a second thread, which hands each
/// over as bytes through a channel of one: at most two chunks wait in memory.
fn write_on_two_threads<'a>(
    chunks: &[&[&'a Role]],
    lane: impl Fn() -> Lane<'a>,
    rows: &mut MatrixRows,
) -> io::Result<()> {
    std::thread::scope(|scope| {
        let (send, receive) = std::sync::mpsc::sync_channel::<io::Result<Vec<u8>>>(1);
        let odd: Vec<&[&Role]> = chunks.iter().skip(1).step_by(2).copied().collect();
        let mut theirs = lane();
        scope.spawn(move || {
            for chunk in odd {
                let mut bytes = Vec::new();
                // Not the first row of the document: every row starts with a comma.
                let rendered =
                    theirs.write(chunk, &mut MatrixRows { out: &mut bytes, rows: 1 }).map(|()| bytes);
                if send.send(rendered).is_err() {
                    return; // the writer stopped on an error
                }
            }
        });
        let mut mine = lane();
        for (i, chunk) in chunks.iter().enumerate() {
            if i % 2 == 0 {
                mine.write(chunk, rows)?;
            } else {
                let bytes = receive.recv().map_err(io::Error::other)??;
                rows.out.write_all(&bytes)?;
            }
        }
        Ok(())
    })
}

/// What one thread needs to render rows, and what it has already evaluated.
struct Lane<'a> {
    policy: &'a Policy,
    events: &'a [&'static Event],
    event_heads: &'a [Vec<u8>],
    query: &'a Query,
    tails: Memo<Shape<'a>, Vec<u8>>,
    audiences: Memo<AudienceShape, AudiencePiece>,
}

impl<'a> Lane<'a> {
    fn write(&mut self, roles: &[&'a Role], rows: &mut MatrixRows) -> io::Result<()> {
        let (policy, query) = (self.policy, self.query);
        for &role in roles {
            self.tails.forget_own();
            self.audiences.forget_own();
            let head = role_head(role)?;
            for (&event, event_head) in self.events.iter().zip(self.event_heads) {
                let shape = shape(policy, role, event);
                let shared = shape.is_shared();
                let audiences = &mut self.audiences;
                let tail = self.tails.get_or_try_make(shape, shared, || {
                    Question { policy, role, event, query }.row_tail(&shape, audiences)
                })?;
                rows.write(&head, event_head, tail)?;
            }
        }
        Ok(())
    }
}

/// One audience's answer, serialized.
struct AudiencePiece {
    reached: Vec<SerializedRecipient>,
    suppressed: Vec<Vec<u8>>,
    /// The known recipients it reaches, for the event-wide cap.
    known: usize,
}

impl AudiencePiece {
    /// Bytes of JSON it holds.
    fn len(&self) -> usize {
        let reached: usize = self.reached.iter().map(|r| r.json.len() + 1).sum();
        reached + self.suppressed.iter().map(|s| s.len() + 1).sum::<usize>()
    }
}

/// One recipient of one audience, with its reasons, as JSON.
struct SerializedRecipient {
    address: String,
    kind: Kind,
    json: Vec<u8>,
    /// Where the reasons start in `json`: just after `"reasons":[`.
    reasons_at: usize,
}

impl SerializedRecipient {
    /// The reasons, without the brackets around them.
    fn reasons(&self) -> &[u8] {
        &self.json[self.reasons_at..self.json.len() - "]}".len()]
    }
}

/// One recipient of a row: its entry in the first audience that names it, and in the others.
struct RowRecipient<'a> {
    first: &'a SerializedRecipient,
    more: Vec<&'a SerializedRecipient>,
}

impl RecipientEntry for RowRecipient<'_> {
    fn address(&self) -> &str {
        &self.first.address
    }

    fn kind(&self) -> Kind {
        self.first.kind
    }
}

/// An event names each audience once (and each review once per audience), so entries merged
/// across audiences have no reason in common: the reasons are simply concatenated, in order.
fn absorb<'a>(first: &mut RowRecipient<'a>, later: RowRecipient<'a>) {
    first.more.push(later.first);
    first.more.extend(later.more);
}

struct Question<'q> {
    policy: &'q Policy,
    role: &'q Role,
    event: &'static Event,
    query: &'q Query,
}

impl Question<'_> {
    /// `"recipients":[...],"suppressed":[...]}` for the question.
    fn row_tail(&self, shape: &Shape, memo: &mut Memo<AudienceShape, AudiencePiece>) -> io::Result<Vec<u8>> {
        let Question { policy, role, event, query } = *self;
        if !occurs(policy, role, event) {
            return answer_tail(policy, &evaluate(policy, role, event, query));
        }
        for audience in shape.audiences() {
            memo.get_or_try_make(*audience, audience.is_shared(), || self.audience_piece(audience))?;
        }
        let pieces: Vec<&AudiencePiece> = shape.audiences().filter_map(|a| memo.get(a)).collect();
        // Near the recipient cap the row needs the exact event-wide count: evaluate it whole.
        if pieces.iter().map(|p| p.known).sum::<usize>() > RECIPIENT_CAP {
            return answer_tail(policy, &evaluate(policy, role, event, query));
        }
        Ok(assemble(&pieces))
    }

    fn audience_piece(&self, audience: &AudienceShape) -> io::Result<AudiencePiece> {
        let Question { policy, role, event, query } = *self;
        let outcome = audience_answer(policy, role, event, audience.audience(), query);
        let known = known_recipients(policy, &outcome.reached);
        let suppressed = outcome.suppressed.iter().map(|s| escaped_json(&SuppressedView::of(policy, s)));
        Ok(AudiencePiece {
            suppressed: suppressed.collect::<io::Result<_>>()?,
            reached: outcome.reached.into_iter().map(|n| serialize(policy, n)).collect::<io::Result<_>>()?,
            known,
        })
    }
}

fn serialize(policy: &Policy, n: crate::eval::Notified) -> io::Result<SerializedRecipient> {
    let json = escaped_json(&NotifiedView { policy, n: &n })?;
    // The key is the first `"reasons":[` of the object: inside a JSON string every quote is
    // escaped, so the address cannot contain it.
    const KEY: &[u8] = b"\"reasons\":[";
    let at = json.windows(KEY.len()).position(|w| w == KEY).ok_or_else(|| io::Error::other("no reasons"))?;
    Ok(SerializedRecipient { address: n.address, kind: n.kind, json, reasons_at: at + KEY.len() })
}

/// A row's tail from its audiences' pieces, as [`super::TailView`] writes it.
fn assemble(pieces: &[&AudiencePiece]) -> Vec<u8> {
    let entries =
        pieces.iter().flat_map(|p| &p.reached).map(|first| RowRecipient { first, more: Vec::new() });
    let recipients = merge_recipients(entries, absorb);
    let size: usize = pieces.iter().map(|p| p.len()).sum();
    let mut tail = Vec::with_capacity(size + 64);
    tail.extend_from_slice(b"\"recipients\":[");
    for (i, r) in recipients.iter().enumerate() {
        if i > 0 {
            tail.push(b',');
        }
        write_recipient(&mut tail, r);
    }
    tail.extend_from_slice(b"],\"suppressed\":[");
    let suppressed = pieces.iter().flat_map(|p| &p.suppressed).map(Vec::as_slice);
    tail.extend_from_slice(&suppressed.collect::<Vec<_>>().join(&b','));
    tail.extend_from_slice(b"]}");
    tail
}

fn write_recipient(out: &mut Vec<u8>, r: &RowRecipient) {
    if r.more.is_empty() {
        out.extend_from_slice(&r.first.json);
        return;
    }
    out.extend_from_slice(&r.first.json[..r.first.json.len() - "]}".len()]);
    for later in &r.more {
        out.push(b',');
        out.extend_from_slice(later.reasons());
    }
    out.extend_from_slice(b"]}");
}
