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
        TemplateOptions { min_pages: 3, min_share: 0.2 }
    }
}

/// Counts, per site, on how many pages each paragraph key appears.
#[derive(Debug, Default)]
pub struct TemplateCounter {
    sites: HashMap<String, SiteCounts>,
}

#[derive(Debug, Default)]
struct SiteCounts {
    pages: usize,
    keys: HashMap<u64, u32>,
}

/// What was learned: per site, the template keys and on how many pages each was seen.
#[derive(Debug, Default)]
pub struct Templates {
    sites: HashMap<String, (usize, HashMap<u64, u32>)>,
}

impl TemplateCounter {
    /// One page of `site` with its paragraph keys (repeats within the page count once).
    pub fn add_page(&mut self, site: &str, keys: &[u64]) {
        let counts = self.sites.entry(site.to_string()).or_default();
        counts.pages += 1;
        let distinct: HashSet<u64> = keys.iter().copied().collect();
        for k in distinct {
            *counts.keys.entry(k).or_insert(0) += 1;
        }
    }

    pub fn learn(self, opts: TemplateOptions) -> Templates {
        let mut sites = HashMap::new();
        for (site, counts) in self.sites {
            let needed = opts.min_pages.max((opts.min_share * counts.pages as f64).ceil() as usize);
            let learned: HashMap<u64, u32> = counts.keys.into_iter().filter(|&(_, n)| n as usize >= needed).collect();
            if !learned.is_empty() {
                sites.insert(site, (counts.pages, learned));
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
        let t = c.learn(TemplateOptions { min_pages: 3, min_share: 0.2 });
        assert_eq!(t.seen_on("site", 1), Some((10, 10)));
        assert_eq!(t.seen_on("site", 2), None, "two pages are not enough");
        assert_eq!(t.seen_on("site", 3), Some((3, 10)));
        assert_eq!(t.seen_on("site", 100), None);
        assert!(!t.has_site("tiny"));
        let strict = {
            let mut c = TemplateCounter::default();
            for page in 0..10u64 {
                c.add_page("site", &if page < 3 { vec![3] } else { vec![] });
            }
            c.learn(TemplateOptions { min_pages: 3, min_share: 0.5 })
        };
        assert_eq!(strict.seen_on("site", 3), None, "3 of 10 is under half");
    }
}
