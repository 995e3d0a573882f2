//! Recipients as written in a policy: an email address, `group:NAME`, `object:GUID`, or a
//! placeholder for people the file does not name.

use std::fmt;

/// Stand-ins for people the policy does not name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Placeholder {
    /// The scope's administrators (the `admin` audience's default recipients).
    Admins,
    /// Who approves an activation when the role names nobody.
    Approvers,
    /// Who approves an extension or renewal of an assignment.
    RoleAdmins,
    /// The member the email is about.
    Assignee,
    /// The reviewers of an access review that the file does not name.
    Reviewers,
    /// The manager of the member under review.
    Manager,
}

impl Placeholder {
    pub const ALL: [Placeholder; 6] = [
        Placeholder::Admins,
        Placeholder::Approvers,
        Placeholder::RoleAdmins,
        Placeholder::Assignee,
        Placeholder::Reviewers,
        Placeholder::Manager,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Placeholder::Admins => "<admins>",
            Placeholder::Approvers => "<approvers>",
            Placeholder::RoleAdmins => "<role-admins>",
            Placeholder::Assignee => "<assignee>",
            Placeholder::Reviewers => "<reviewers>",
            Placeholder::Manager => "<manager>",
        }
    }

    pub fn parse(text: &str) -> Option<Placeholder> {
        Placeholder::ALL.into_iter().find(|p| p.as_str() == text)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Recipient {
    Email(String),
    /// A directory object known only by id, as Graph exports give approvers.
    Object(String),
    Group(String),
    Placeholder(Placeholder),
}

impl fmt::Display for Recipient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Recipient::Email(a) => f.write_str(a),
            Recipient::Object(id) => write!(f, "object:{id}"),
            Recipient::Group(name) => write!(f, "group:{name}"),
            Recipient::Placeholder(p) => f.write_str(p.as_str()),
        }
    }
}

/// Why a recipient string is not valid, phrased to be shown after "invalid recipient `x`: ".
#[derive(Debug, PartialEq, Eq)]
pub struct RecipientError {
    pub problem: String,
    pub help: String,
}

impl Recipient {
    pub fn parse(text: &str) -> Result<Recipient, RecipientError> {
        if let Some(name) = text.strip_prefix("group:") {
            return parse_group(name);
        }
        if let Some(id) = text.strip_prefix("object:") {
            return parse_object(id);
        }
        if text.starts_with('<') {
            return parse_placeholder(text);
        }
        parse_email(text)
    }

    /// The key under which two spellings count as the same recipient: addresses compare
    /// case-insensitively, and so do object ids.
    pub fn key(&self) -> String {
        key_of(self.to_string(), matches!(self, Recipient::Group(_)))
    }
}

/// [`Recipient::key`] of a recipient written as `address`: group names are exact, everything
/// else ignores case. Evaluation, which holds addresses rather than recipients, keys by this too.
pub fn key_of(mut address: String, is_group: bool) -> String {
    if is_group {
        address
    } else if address.is_ascii() {
        address.make_ascii_lowercase(); // in place: nearly every address is ASCII
        address
    } else {
        address.to_lowercase()
    }
}

fn parse_group(name: &str) -> Result<Recipient, RecipientError> {
    if name.trim().is_empty() || name.chars().any(char::is_control) {
        return Err(RecipientError {
            problem: "a group reference needs a name".into(),
            help: "write `group:NAME` with a group defined under `groups:`".into(),
        });
    }
    Ok(Recipient::Group(name.to_string()))
}

fn parse_object(id: &str) -> Result<Recipient, RecipientError> {
    if !is_guid(id) {
        return Err(RecipientError {
            problem: "an object id must be a GUID".into(),
            help: "write `object:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`".into(),
        });
    }
    Ok(Recipient::Object(id.to_ascii_lowercase()))
}

fn parse_placeholder(text: &str) -> Result<Recipient, RecipientError> {
    match Placeholder::parse(text) {
        Some(p) => Ok(Recipient::Placeholder(p)),
        None => Err(RecipientError {
            problem: "not a known placeholder".into(),
            help: format!(
                "placeholders are {}{}",
                Placeholder::ALL.map(|p| p.as_str()).join(", "),
                crate::suggest::did_you_mean(text, Placeholder::ALL.map(|p| p.as_str()))
            ),
        }),
    }
}

fn parse_email(text: &str) -> Result<Recipient, RecipientError> {
    match email_problem(text) {
        None => Ok(Recipient::Email(text.to_string())),
        Some(problem) => Err(RecipientError {
            problem: problem.into(),
            help: "write an email address (`name@contoso.com`), `group:NAME`, `object:GUID` or a placeholder such as `<admins>`".into(),
        }),
    }
}

fn email_problem(text: &str) -> Option<&'static str> {
    if text.is_empty() {
        return Some("it is empty");
    }
    // Invisible characters (bidirectional overrides...) could make one address look like another.
    if text.chars().any(|c| c.is_whitespace() || crate::text::needs_escape(c)) {
        return Some(
            "an address cannot contain spaces, control characters or invisible formatting characters",
        );
    }
    if text.chars().any(|c| matches!(c, '<' | '>' | '(' | ')' | ',' | ';' | '"' | '[' | ']' | '\\')) {
        return Some("an address cannot contain <>()[],;\\ or quotes");
    }
    let Some((local, domain)) = text.rsplit_once('@') else {
        return Some("an email address needs an `@`");
    };
    if local.is_empty() || local.contains('@') {
        return Some("an email address needs exactly one `@` with a name before it");
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 || labels.iter().any(|l| l.is_empty() || l.starts_with('-') || l.ends_with('-')) {
        return Some("the domain after `@` must be a full domain name like `contoso.com`");
    }
    None
}

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` with hexadecimal digits.
pub fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    let lengths = [8, 4, 4, 4, 12];
    groups.len() == 5
        && groups.iter().zip(lengths).all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_kind() {
        assert_eq!(Recipient::parse("a@b.com"), Ok(Recipient::Email("a@b.com".into())));
        assert_eq!(Recipient::parse("group:soc"), Ok(Recipient::Group("soc".into())));
        assert_eq!(
            Recipient::parse("object:62E90394-69F5-4237-9190-012177145E10"),
            Ok(Recipient::Object("62e90394-69f5-4237-9190-012177145e10".into()))
        );
        assert_eq!(Recipient::parse("<admins>"), Ok(Recipient::Placeholder(Placeholder::Admins)));
        assert_eq!(Recipient::parse("jürgen@bücher.de"), Ok(Recipient::Email("jürgen@bücher.de".into())));
    }

    #[test]
    fn rejects_bad_ones() {
        for bad in [
            "",
            "nobody",
            "a@b",
            "a@@b.com",
            "a b@c.com",
            "group:",
            "object:123",
            "<admin>",
            "a@b.com\u{1b}[2J",
            "moc.\u{202e}evil@contoso.com",
        ] {
            assert!(Recipient::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn keys_ignore_case() {
        let a = Recipient::parse("SecOps@Contoso.com").unwrap();
        let b = Recipient::parse("secops@contoso.com").unwrap();
        assert_eq!(a.key(), b.key());
    }
}
