//! Search text normalisation: lower case with Latin diacritics folded, so
//! `andre` finds "André" and `lukasz` finds "Łukasz" (e-mail local parts are
//! usually written that way, and people type them that way).
//!
//! Applied to both sides — the indexed text and the typed query — so a typed
//! accent still matches (`andré` folds to `andre` as well).

/// `s` lower-cased, with Latin letters stripped of their diacritics and
/// control characters dropped (they can never be typed, and must never reach
/// a terminal through a highlighted match).
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            if !c.is_ascii_control() {
                out.push(c.to_ascii_lowercase());
            }
            continue;
        }
        if c.is_control() || is_bidi_control(c) {
            continue;
        }
        for l in c.to_lowercase() {
            match fold_latin(l) {
                Some(base) => out.push_str(base),
                None => out.push(l),
            }
        }
    }
    out
}

/// Bidirectional formatting characters: invisible, and able to reorder
/// what a terminal shows.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The base letter(s) of a lower-case Latin letter with a diacritic.
fn fold_latin(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' | 'ễ' | 'ế' | 'ệ' | 'ề' => {
            "e"
        }
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' | 'ồ' | 'ố' | 'ộ' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' | 'ư' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_case_and_latin_diacritics_and_keeps_other_scripts() {
        assert_eq!(fold("André"), "andre");
        assert_eq!(fold("Łukasz Dąbrowski"), "lukasz dabrowski");
        assert_eq!(fold("SØNDERGAARD"), "sondergaard");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("Иван"), "иван");
        assert_eq!(fold("田中"), "田中");
    }

    #[test]
    fn drops_control_and_bidi_characters() {
        assert_eq!(fold("Jill\u{1b}[2J\u{7} Smith"), "jill[2j smith");
        assert_eq!(fold("a\u{202e}b\u{2066}c"), "abc");
    }
}
