//! Site-template chrome learned from repetition: a paragraph whose key appears on at least
//! `min_pages` of a site's pages and on at least `min_share` of them is chrome for that site.

use std::collections::{HashMap, HashSet};

/// The removal id under which learned template paragraphs are counted.
pub const TEMPLATE_ID: &str = "template-chrome";

#[derive(Debug, Clone, Copy)]
pub struct TemplateOptions {
    /// A paragraph must be on at least this many pages of the site (so a quote shared by two
    /// articles survives).
    pub min_pages: usize,
    /// … and on at least this share of the site's pages.
    pub min_share: f64,
}

impl Default for TemplateOptions {
    fn default() -> Self {
        TemplateOptions {
            min_pages: 3,
            min_share: 0.2,
        }
    }
}

/// Counts, per site, on how many pages each paragraph key appears.
#[derive(Debug, Default)]
pub struct TemplateCounter {
    sites: HashMap<String, SiteCounts>,
}

#[derive(Debug, Default)]
struct SiteCounts {
    /// Each distinct page once: copies of one article (exact or respelled) are one page, or
    /// their article would look like the site's template.
    pages: HashSet<Vec<u64>>,
}

/// A page supports learning only if this share of its paragraphs is its own (not candidates):
/// near-copies of one article share almost everything and teach nothing about the template.
const OWN_SHARE: f64 = 0.2;

/// What was learned: per site, the template keys and on how many pages each was seen.
#[derive(Debug, Default)]
pub struct Templates {
    sites: HashMap<String, (usize, HashMap<u64, u32>)>,
}

impl TemplateCounter {
    /// One page of `site` with its paragraph keys (repeats within the page count once).
    pub fn add_page(&mut self, site: &str, keys: &[u64]) {
        let mut distinct: Vec<u64> = keys.to_vec();
        distinct.sort_unstable();
        distinct.dedup();
        if !distinct.is_empty() {
            self.sites.entry(site.to_string()).or_default().pages.insert(distinct);
        }
    }

    pub fn learn(self, opts: TemplateOptions) -> Templates {
        let mut sites = HashMap::new();
        for (site, counts) in self.sites {
            let pages: Vec<Vec<u64>> = counts.pages.into_iter().collect();
            let needed = opts
                .min_pages
                .max((opts.min_share * pages.len() as f64).ceil() as usize);
            let count = |pages: &[&Vec<u64>]| {
                let mut n: HashMap<u64, u32> = HashMap::new();
                for page in pages {
                    for &k in page.iter() {
                        *n.entry(k).or_insert(0) += 1;
                    }
                }
                n.retain(|_, c| *c as usize >= needed);
                n
            };
            // Round one: candidates from every page. Round two: only pages with an article of
            // their own beside the candidates vote.
            let all: Vec<&Vec<u64>> = pages.iter().collect();
            let candidates = count(&all);
            let supporting: Vec<&Vec<u64>> = pages
                .iter()
                .filter(|p| {
                    let own = p.iter().filter(|k| !candidates.contains_key(k)).count();
                    own >= 1 && own as f64 >= OWN_SHARE * p.len() as f64
                })
                .collect();
            let learned = count(&supporting);
            if !learned.is_empty() {
                sites.insert(site, (pages.len(), learned));
            }
        }
        Templates { sites }
    }
}

impl Templates {
    /// On how many of its site's pages a paragraph key was seen, when it is template chrome.
    pub fn seen_on(&self, site: &str, key: u64) -> Option<(u32, usize)> {
        let (pages, keys) = self.sites.get(site)?;
        keys.get(&key).map(|&n| (n, *pages))
    }

    pub fn has_site(&self, site: &str) -> bool {
        self.sites.contains_key(site)
    }

    /// Learned keys in all sites, for reports.
    pub fn len(&self) -> usize {
        self.sites.values().map(|(_, k)| k.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_need_both_pages_and_share() {
        let mut c = TemplateCounter::default();
        for page in 0..10u64 {
            // 1 is on every page; 2 on two pages; 3 on three pages; 100+ are unique.
            let mut keys = vec![1, 100 + page];
            if page < 2 {
                keys.push(2);
            }
            if page < 3 {
                keys.push(3);
            }
            c.add_page("site", &keys);
        }
        c.add_page("tiny", &[1]);
        // Three copies of one article are one page: nothing is learned from them.
        for _ in 0..3 {
            c.add_page("copies", &[7, 8, 9]);
        }
        let t = c.learn(TemplateOptions {
            min_pages: 3,
            min_share: 0.2,
        });
        assert_eq!(t.seen_on("site", 1), Some((10, 10)));
        assert_eq!(t.seen_on("site", 2), None, "two pages are not enough");
        assert_eq!(t.seen_on("site", 3), Some((3, 10)));
        assert_eq!(t.seen_on("site", 100), None);
        assert!(!t.has_site("tiny"));
        assert!(!t.has_site("copies"));
        let strict = {
            let mut c = TemplateCounter::default();
            for page in 0..10u64 {
                c.add_page(
                    "site",
                    &if page < 3 {
                        vec![3, 100 + page]
                    } else {
                        vec![100 + page]
                    },
                );
            }
            c.learn(TemplateOptions {
                min_pages: 3,
                min_share: 0.5,
            })
        };
        assert_eq!(strict.seen_on("site", 3), None, "3 of 10 is under half");
    }
}

#[cfg(test)]
mod near_copies {
    use super::*;

    #[test]
    fn near_copies_of_one_article_teach_nothing() {
        // Four versions of a 20-paragraph article, each with one paragraph of its own.
        let mut c = TemplateCounter::default();
        for v in 0..4u64 {
            let mut keys: Vec<u64> = (0..20).collect();
            keys[5] = 1000 + v;
            c.add_page("story", &keys);
        }
        assert!(c.learn(TemplateOptions::default()).is_empty());
    }
}
