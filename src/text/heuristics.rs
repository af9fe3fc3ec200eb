//! Generic heuristics: lines that are chrome by their shape, for pages no rule covers.
//! Each has a stable id (for `removed` counts and `disable` lists) and can be switched off per site.

use super::fold::is_word_char;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Heuristic {
    LoadingPlaceholder,
    LogoLine,
    ShareRow,
    GluedMenu,
    LatinWidgetTitle,
    CategoryLine,
    EmptyLabel,
    RepeatedLine,
}

impl Heuristic {
    /// In the order they are tried: the first that fires names the removal.
    pub const ALL: [Heuristic; 8] = [
        Heuristic::LoadingPlaceholder,
        Heuristic::LogoLine,
        Heuristic::ShareRow,
        Heuristic::GluedMenu,
        Heuristic::LatinWidgetTitle,
        Heuristic::CategoryLine,
        Heuristic::EmptyLabel,
        Heuristic::RepeatedLine,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Heuristic::LoadingPlaceholder => "loading-placeholder",
            Heuristic::LogoLine => "logo-line",
            Heuristic::ShareRow => "share-row",
            Heuristic::GluedMenu => "glued-menu",
            Heuristic::LatinWidgetTitle => "latin-widget-title",
            Heuristic::CategoryLine => "category-line",
            Heuristic::EmptyLabel => "empty-label",
            Heuristic::RepeatedLine => "repeated-line",
        }
    }

    pub fn reason(self) -> &'static str {
        match self {
            Heuristic::LoadingPlaceholder => "a widget's \"Loading...\" placeholder",
            Heuristic::LogoLine => "the alt text of a site logo",
            Heuristic::ShareRow => "a row of share buttons (Facebook, Twitter, Email …)",
            Heuristic::GluedMenu => "menu entries glued into one word by a text copy",
            Heuristic::LatinWidgetTitle => "a Latin-script widget title inside an Arabic page",
            Heuristic::CategoryLine => "a category or tag label (\"التصنيف:آسيا\")",
            Heuristic::EmptyLabel => "a label with nothing after it (\"مدة:\", \"شارك الخبر:\")",
            Heuristic::RepeatedLine => "a short line repeated in one document (a doubled caption)",
        }
    }

    pub fn from_id(id: &str) -> Option<Heuristic> {
        Heuristic::ALL.into_iter().find(|h| h.id() == id)
    }

    /// Whether this heuristic calls the line chrome. Works on one line; `RepeatedLine` needs the
    /// whole document and is decided by the engine.
    pub fn fires(self, line: &Line<'_>, doc: &DocShape) -> bool {
        match self {
            Heuristic::LoadingPlaceholder => is_loading(line.folded),
            Heuristic::LogoLine => is_logo(line.folded),
            Heuristic::ShareRow => is_share_row(line.folded),
            Heuristic::GluedMenu => is_glued_menu(line.text),
            Heuristic::LatinWidgetTitle => doc.mostly_arabic && is_latin_title(line.text),
            Heuristic::CategoryLine => is_category_line(line.folded),
            Heuristic::EmptyLabel => is_empty_label(line.folded),
            Heuristic::RepeatedLine => false,
        }
    }
}

/// One line as the heuristics see it.
pub struct Line<'a> {
    pub text: &'a str,
    pub folded: &'a str,
}

/// Facts about the whole document that some heuristics need.
pub struct DocShape {
    pub mostly_arabic: bool,
}

impl DocShape {
    pub fn of(lines: &[&str]) -> DocShape {
        let (mut arabic, mut latin) = (0usize, 0usize);
        for c in lines.iter().flat_map(|l| l.chars()) {
            if is_arabic_letter(c) {
                arabic += 1;
            } else if c.is_ascii_alphabetic() {
                latin += 1;
            }
        }
        DocShape {
            mostly_arabic: arabic > 0 && arabic >= latin * 3 / 2,
        }
    }
}

pub fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0620}'..='\u{064A}' | '\u{066E}'..='\u{06D3}' | '\u{06FA}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
        && c.is_alphabetic()
}

fn words(s: &str) -> impl DoubleEndedIterator<Item = &str> {
    s.split_whitespace()
}

fn is_loading(folded: &str) -> bool {
    let core = folded.trim_end_matches(['.', '…', ' ', '!']);
    matches!(
        core,
        "loading"
            | "loading video"
            | "please wait"
            | "جار التحميل"
            | "جاري التحميل"
            | "يتم التحميل"
            | "تحميل"
            | "انتظر"
            | "جار التحميل الرجاء الانتظار"
    )
}

fn is_logo(folded: &str) -> bool {
    let count = words(folded).take(5).count();
    (1..=4).contains(&count)
        && (words(folded).next_back() == Some("logo") || matches!(words(folded).next(), Some("logo" | "شعار")))
}

/// Names of share targets, folded and without spaces, as they appear in share rows.
const SHARE_WORDS: &[&str] = &[
    "facebook",
    "twitter",
    "x",
    "linkedin",
    "email",
    "e-mail",
    "mail",
    "whatsapp",
    "telegram",
    "pinterest",
    "reddit",
    "messenger",
    "print",
    "copylink",
    "copy",
    "link",
    "share",
    "tumblr",
    "vk",
    "instagram",
    "youtube",
    "threads",
    "flipboard",
    "pocket",
    "sms",
    "فيسبوك",
    "فيسبوك",
    "تويتر",
    "واتساب",
    "واتسب",
    "تلغرام",
    "تليغرام",
    "تيليجرام",
    "لينكدان",
    "لينكدن",
    "بريد",
    "طباعه",
    "نسخالرابط",
    "مشاركه",
    "انستغرام",
    "انستجرام",
    "يوتيوب",
];

/// A line made only of share-target names, with or without spaces or separators between them.
fn is_share_row(folded: &str) -> bool {
    // Paragraphs are long: stop squeezing as soon as the line is too long to be a share row.
    let mut squeezed = String::new();
    for c in folded.chars().filter(|c| is_word_char(*c) || *c == '-') {
        squeezed.push(c);
        if squeezed.len() > 200 {
            return false;
        }
    }
    if squeezed.is_empty() {
        return false;
    }
    // Segment the squeezed line into share words: reachable[i] = fewest words covering squeezed[..i].
    let n = squeezed.len();
    let mut best: Vec<Option<usize>> = vec![None; n + 1];
    best[0] = Some(0);
    for i in 0..n {
        let Some(count) = best[i] else { continue };
        if !squeezed.is_char_boundary(i) {
            continue;
        }
        for w in SHARE_WORDS {
            if squeezed[i..].starts_with(w) {
                let j = i + w.len();
                best[j] = Some(best[j].map_or(count + 1, |b: usize| b.min(count + 1)));
            }
        }
    }
    // One lone word ("Print") is too weak; a single long network name on its own line is not.
    match best[n] {
        Some(k) if k >= 2 => true,
        Some(1) => n >= 7,
        _ => false,
    }
}

/// Menu entries glued without spaces: a word far longer than any real one.
fn is_glued_menu(text: &str) -> bool {
    if !(1..=3).contains(&words(text).take(4).count()) {
        return false;
    }
    words(text).any(|w| {
        let arabic = w.chars().filter(|c| is_arabic_letter(*c)).count();
        let all_letters = w.chars().all(|c| c.is_alphabetic() || super::fold::is_ignorable(c));
        // The longest Arabic words run to about 15 letters.
        let glued_arabic = all_letters && arabic >= 20;
        // "HomeNewsSportsBusiness": four or more lower->upper joins in one ASCII word.
        let joins = w
            .as_bytes()
            .windows(2)
            .filter(|p| p[0].is_ascii_lowercase() && p[1].is_ascii_uppercase())
            .count();
        let glued_latin = w.chars().all(|c| c.is_ascii_alphabetic()) && joins >= 4;
        glued_arabic || glued_latin
    })
}

/// A line in Latin script only, of at least two words: in an Arabic page, a widget title.
fn is_latin_title(text: &str) -> bool {
    if text.chars().any(is_arabic_letter) {
        return false;
    }
    let latin_words = words(text)
        .filter(|w| w.chars().filter(char::is_ascii_alphabetic).count() >= 2)
        .count();
    let latin_letters = text.chars().filter(char::is_ascii_alphabetic).count();
    latin_words >= 2 && latin_letters >= 8
}

const CATEGORY_LABELS: &[&str] = &[
    "التصنيف",
    "تصنيف",
    "التصنيفات",
    "القسم",
    "الفئه",
    "الوسوم",
    "وسوم",
    "الكلمات المفتاحيه",
    "كلمات مفتاحيه",
    "كلمات دلاليه",
    "category",
    "categories",
    "section",
    "tags",
    "tag",
    "topics",
];

/// "التصنيف:آسيا", "Tags: Russia, Korea": a known label, a colon, a few words.
fn is_category_line(folded: &str) -> bool {
    let Some((label, value)) = folded.split_once([':', '：']) else {
        return false;
    };
    let label = label.trim();
    let value = value.trim();
    CATEGORY_LABELS.contains(&label) && !value.is_empty() && words(value).count() <= 6
}

const EMPTY_LABELS: &[&str] = &[
    "مده",
    "المده",
    "شارك",
    "شارك الخبر",
    "شارك المقال",
    "شارك هذا المقال",
    "شارك هذا الخبر",
    "شارك عبر",
    "تابعنا",
    "تابعنا علي",
    "المصدر",
    "الوسوم",
    "وسوم",
    "التصنيف",
    "share",
    "share this",
    "share this article",
    "duration",
    "follow us",
    "tags",
    "اقرا ايضا",
    "شاهد ايضا",
];

/// A known label followed by a colon and nothing else: "مدة:", "شارك الخبر:".
fn is_empty_label(folded: &str) -> bool {
    let Some(label) = folded.strip_suffix([':', '：']) else {
        return false;
    };
    EMPTY_LABELS.contains(&label.trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fold::fold;

    fn fires(h: Heuristic, text: &str) -> bool {
        let folded = fold(text);
        h.fires(&Line { text, folded: &folded }, &DocShape { mostly_arabic: true })
    }

    #[test]
    fn loading_placeholders() {
        assert!(fires(Heuristic::LoadingPlaceholder, "Loading..."));
        assert!(fires(Heuristic::LoadingPlaceholder, "جاري التحميل…"));
        assert!(!fires(Heuristic::LoadingPlaceholder, "Loading the ship took days."));
    }

    #[test]
    fn logo_lines() {
        assert!(fires(Heuristic::LogoLine, "خَبَرْيْن logo"));
        assert!(!fires(
            Heuristic::LogoLine,
            "a new logo was unveiled for the games today"
        ));
    }

    #[test]
    fn share_rows() {
        assert!(fires(Heuristic::ShareRow, "FacebookTwitterLinkedInEmail"));
        assert!(fires(Heuristic::ShareRow, "Facebook | Twitter | WhatsApp"));
        assert!(fires(Heuristic::ShareRow, "فيسبوك تويتر واتساب"));
        assert!(!fires(Heuristic::ShareRow, "Print"));
        assert!(!fires(Heuristic::ShareRow, "Twitter said it would appeal"));
    }

    #[test]
    fn glued_menus() {
        assert!(fires(
            Heuristic::GluedMenu,
            "الرئيسيةأخبارسياسةأعمالرياضةالعالمتكنولوجيااقتصادصحةتسلية"
        ));
        assert!(fires(Heuristic::GluedMenu, "HomeNewsSportsBusinessWorld"));
        assert!(!fires(Heuristic::GluedMenu, "والاستراتيجيات"));
        assert!(!fires(Heuristic::GluedMenu, "McDonaldsIPhone"));
    }

    #[test]
    fn latin_titles_only_in_arabic_pages() {
        let t = "Russia’s Putin arrives in North Korea for rare trip";
        assert!(fires(Heuristic::LatinWidgetTitle, t));
        let folded = fold(t);
        let english_doc = DocShape { mostly_arabic: false };
        assert!(!Heuristic::LatinWidgetTitle.fires(
            &Line {
                text: t,
                folded: &folded
            },
            &english_doc
        ));
        assert!(!fires(Heuristic::LatinWidgetTitle, "(KCNA)"));
        assert!(!fires(
            Heuristic::LatinWidgetTitle,
            "وكالة الأنباء المركزية الكورية (KCNA) News"
        ));
    }

    #[test]
    fn category_and_empty_labels() {
        assert!(fires(Heuristic::CategoryLine, "التصنيف:آسيا"));
        assert!(fires(Heuristic::CategoryLine, "Tags: Russia, North Korea"));
        assert!(!fires(Heuristic::CategoryLine, "وقال: إن التصنيف جديد"));
        assert!(fires(Heuristic::EmptyLabel, "مدة:"));
        assert!(fires(Heuristic::EmptyLabel, "شارك الخبر:"));
        assert!(!fires(Heuristic::EmptyLabel, "وقال بوتين:"));
    }

    #[test]
    fn headings_and_quotes_are_not_chrome() {
        for line in [
            "بوتين على الساحة العالمية",
            "دعم ثابت",
            "\"شراكة متقدمة",
            "قلق غربي",
            "«صداقة أبدية»",
        ] {
            for h in Heuristic::ALL {
                assert!(!fires(h, line), "{} fired on {line}", h.id());
            }
        }
    }
}
