//! Tokens of the J1QL subset, each with its byte span in the source.
//!
//! The lexer never fails on odd input: an unexpected character becomes an
//! [`Tok::Unknown`] token so the parser can report it with a caret and say
//! what it expected there instead.

/// A byte range `[start, end)` in the query text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// Comparison operators, with their negations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    /// `~=` contains.
    Contains,
    /// `^=` starts with.
    StartsWith,
    /// `$=` ends with.
    EndsWith,
    NotContains,
    NotStartsWith,
    NotEndsWith,
}

impl CmpOp {
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Contains => "~=",
            CmpOp::StartsWith => "^=",
            CmpOp::EndsWith => "$=",
            CmpOp::NotContains => "!~=",
            CmpOp::NotStartsWith => "!^=",
            CmpOp::NotEndsWith => "!$=",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// A word: keyword, type, class, alias, property (may hold dots:
    /// `tag.AccountName`, `zu.displayName`, `date.now`).
    Ident(String),
    /// A quoted string, escapes resolved.
    Str(String),
    /// A quoted string that was never closed (reported by the parser).
    UnterminatedStr,
    Number(f64),
    Cmp(CmpOp),
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Pipe,
    Star,
    Bang,
    Plus,
    Minus,
    /// A character the language has no use for.
    Unknown(char),
    Eof,
}

impl Tok {
    /// How the token reads in an error message ("found …").
    pub fn describe(&self) -> String {
        match self {
            Tok::Ident(s) => format!("`{s}`"),
            Tok::Str(s) => format!("the string '{s}'"),
            Tok::UnterminatedStr => "a string with no closing quote".into(),
            Tok::Number(n) => format!("the number {n}"),
            Tok::Cmp(op) => format!("`{}`", op.as_str()),
            Tok::LParen => "`(`".into(),
            Tok::RParen => "`)`".into(),
            Tok::LBracket => "`[`".into(),
            Tok::RBracket => "`]`".into(),
            Tok::Comma => "`,`".into(),
            Tok::Pipe => "`|`".into(),
            Tok::Star => "`*`".into(),
            Tok::Bang => "`!`".into(),
            Tok::Plus => "`+`".into(),
            Tok::Minus => "`-`".into(),
            Tok::Unknown(c) => format!("the character {c:?}"),
            Tok::Eof => "the end of the query".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub span: Span,
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_ident_continue(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '.'
}

/// Splits `src` into tokens; the last one is always [`Tok::Eof`].
pub fn lex(src: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut it = src.char_indices().peekable();
    while let Some(&(start, c)) = it.peek() {
        if c.is_whitespace() {
            it.next();
            continue;
        }
        it.next();
        let next = it.peek().map(|&(_, n)| n);
        let mut end = start + c.len_utf8();
        let tok = match c {
            '(' => Tok::LParen,
            ')' => Tok::RParen,
            '[' => Tok::LBracket,
            ']' => Tok::RBracket,
            ',' => Tok::Comma,
            '|' => Tok::Pipe,
            '*' => Tok::Star,
            '+' => Tok::Plus,
            '-' => Tok::Minus,
            '=' => Tok::Cmp(CmpOp::Eq),
            '<' | '>' | '~' | '^' | '$' => {
                if next == Some('=') {
                    it.next();
                    end += 1;
                    Tok::Cmp(match c {
                        '<' => CmpOp::Le,
                        '>' => CmpOp::Ge,
                        '~' => CmpOp::Contains,
                        '^' => CmpOp::StartsWith,
                        _ => CmpOp::EndsWith,
                    })
                } else {
                    match c {
                        '<' => Tok::Cmp(CmpOp::Lt),
                        '>' => Tok::Cmp(CmpOp::Gt),
                        other => Tok::Unknown(other),
                    }
                }
            }
            '!' => match next {
                Some('=') => {
                    it.next();
                    end += 1;
                    Tok::Cmp(CmpOp::Ne)
                }
                Some(n @ ('~' | '^' | '$')) => {
                    // `!~=` and friends; a lone `!~` is a bang followed by junk.
                    let mut look = it.clone();
                    look.next();
                    if look.peek().map(|&(_, c)| c) == Some('=') {
                        it.next();
                        it.next();
                        end += 2;
                        Tok::Cmp(match n {
                            '~' => CmpOp::NotContains,
                            '^' => CmpOp::NotStartsWith,
                            _ => CmpOp::NotEndsWith,
                        })
                    } else {
                        Tok::Bang
                    }
                }
                _ => Tok::Bang,
            },
            '\'' | '"' => {
                let quote = c;
                let mut s = String::new();
                let mut closed = false;
                while let Some((i, ch)) = it.next() {
                    end = i + ch.len_utf8();
                    if ch == quote {
                        closed = true;
                        break;
                    }
                    if ch == '\\' {
                        if let Some((j, esc)) = it.next() {
                            end = j + esc.len_utf8();
                            s.push(match esc {
                                'n' => '\n',
                                't' => '\t',
                                other => other,
                            });
                        }
                        continue;
                    }
                    s.push(ch);
                }
                if closed {
                    Tok::Str(s)
                } else {
                    end = src.len();
                    Tok::UnterminatedStr
                }
            }
            c if c.is_ascii_digit() => {
                let mut text = String::from(c);
                let mut seen_dot = false;
                while let Some(&(i, ch)) = it.peek() {
                    let take = ch.is_ascii_digit()
                        || (ch == '.' && !seen_dot && {
                            // only a dot followed by a digit belongs to the number
                            let mut look = it.clone();
                            look.next();
                            look.peek().is_some_and(|&(_, d)| d.is_ascii_digit())
                        });
                    if !take {
                        break;
                    }
                    seen_dot |= ch == '.';
                    text.push(ch);
                    end = i + ch.len_utf8();
                    it.next();
                }
                match text.parse::<f64>() {
                    Ok(n) if n.is_finite() => Tok::Number(n),
                    _ => Tok::Unknown(c),
                }
            }
            c if is_ident_start(c) => {
                let mut s = String::from(c);
                while let Some(&(i, ch)) = it.peek() {
                    if !is_ident_continue(ch) {
                        break;
                    }
                    s.push(ch);
                    end = i + ch.len_utf8();
                    it.next();
                }
                Tok::Ident(s)
            }
            other => Tok::Unknown(other),
        };
        out.push(Token {
            tok,
            span: Span::new(start, end),
        });
    }
    out.push(Token {
        tok: Tok::Eof,
        span: Span::new(src.len(), src.len()),
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        lex(s).into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn operators_and_negations() {
        assert_eq!(
            toks("= != < <= > >= ~= ^= $= !~= !^= !$= !HAS"),
            vec![
                Tok::Cmp(CmpOp::Eq),
                Tok::Cmp(CmpOp::Ne),
                Tok::Cmp(CmpOp::Lt),
                Tok::Cmp(CmpOp::Le),
                Tok::Cmp(CmpOp::Gt),
                Tok::Cmp(CmpOp::Ge),
                Tok::Cmp(CmpOp::Contains),
                Tok::Cmp(CmpOp::StartsWith),
                Tok::Cmp(CmpOp::EndsWith),
                Tok::Cmp(CmpOp::NotContains),
                Tok::Cmp(CmpOp::NotStartsWith),
                Tok::Cmp(CmpOp::NotEndsWith),
                Tok::Bang,
                Tok::Ident("HAS".into()),
                Tok::Eof
            ]
        );
    }

    #[test]
    fn strings_numbers_dotted_names() {
        assert_eq!(
            toks(r#"tag.AccountName='a\'b' "x" 90days 1.5 date.now-3"#),
            vec![
                Tok::Ident("tag.AccountName".into()),
                Tok::Cmp(CmpOp::Eq),
                Tok::Str("a'b".into()),
                Tok::Str("x".into()),
                Tok::Number(90.0),
                Tok::Ident("days".into()),
                Tok::Number(1.5),
                Tok::Ident("date.now".into()),
                Tok::Minus,
                Tok::Number(3.0),
                Tok::Eof
            ]
        );
    }

    #[test]
    fn spans_are_byte_offsets() {
        let t = lex("FIND  é 'x");
        assert_eq!(t[0].span, Span::new(0, 4));
        assert_eq!(t[1].tok, Tok::Unknown('é'));
        assert_eq!(t[1].span, Span::new(6, 8));
        assert_eq!(t[2].tok, Tok::UnterminatedStr);
        assert_eq!(t[3].span, Span::new(11, 11));
    }
}
