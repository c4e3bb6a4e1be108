//! A fast, non-cryptographic hasher (the Fx hash of rustc) for maps whose
//! keys come from the audited repository and are only looked up, never
//! iterated into output: SipHash, the default, cost more than the work
//! around it in the report's next steps and the graph joins. Lookups do
//! not depend on the hasher, so output does not either.

use std::hash::{BuildHasherDefault, Hasher};

/// `HashMap` with the Fx hash.
pub type FastMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<FxHasher>>;
/// `HashSet` with the Fx hash.
pub type FastSet<K> = std::collections::HashSet<K, BuildHasherDefault<FxHasher>>;

/// rustc's Fx hash: one multiply per word.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_find_what_they_hold() {
        let mut m: FastMap<String, usize> = Default::default();
        for i in 0..1000 {
            m.insert(format!("services/svc-{i:04}/Dockerfile"), i);
        }
        for i in 0..1000 {
            assert_eq!(m.get(&format!("services/svc-{i:04}/Dockerfile")), Some(&i));
        }
        assert!(!m.contains_key("services/svc-1000/Dockerfile"));
        let s: FastSet<&str> = ["a", "ab", "abcdefghi"].into_iter().collect();
        assert!(s.contains("abcdefghi") && !s.contains("abcdefgh"));
    }
}
