//! Maps and sets keyed by short fixed names (tag names, class-name words), looked up once per
//! element or class word: FNV-1a hashing, far cheaper on a few bytes than SipHash or xxh3's
//! streaming state. The keys are our own lists, so there is no flooding to defend against.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

#[derive(Default)]
pub struct NameHasher(u64);

impl Hasher for NameHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

pub type NameMap<V> = HashMap<&'static str, V, BuildHasherDefault<NameHasher>>;
pub type NameSet = HashSet<&'static str, BuildHasherDefault<NameHasher>>;
