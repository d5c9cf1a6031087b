//! What training learns from a knowledge base, as bytes: the binary
//! carries the shipped knowledge base's models, trained by its build
//! script, and starts without training them.
//!
//! Training is most of a load (featurising every phrasing and fitting two
//! models), and the shipped knowledge base is known when the binary is
//! built. Only what training makes is stored: the feature index and the
//! two models. Everything else (the vocabulary, the typo index, the status
//! phrases) is still built from the knowledge base at load, as it is for
//! any other folder, so the stored part is the only thing that could go
//! stale, and the fingerprint of the files it was trained on guards it: a
//! knowledge base that differs by one byte trains as always.
//!
//! The format is this build's own (the build script and the binary are
//! compiled from the same source), little-endian:
//!
//! ```text
//! MAGIC, fingerprint u64, keys u32, key u64 × keys, gate, intents
//! model: classes u32, weights u32, bias f32 × classes, bfloat16 × weights
//! ```

use super::Matcher;
use super::Thresholds;
use super::features::Key;
use super::model::Linear;
use crate::kb::Kb;

const MAGIC: &[u8; 8] = b"smlearn1";

/// The feature index and the two models of a trained matcher, with the
/// fingerprint of the knowledge-base files they were trained on
/// (`KbFiles::fingerprint`).
pub struct Learned {
    fingerprint: u64,
    /// The feature keys in the order of the models' rows.
    keys: Vec<Key>,
    gate: Linear,
    intents: Linear,
}

/// Bytes that are not a model this build wrote.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a model this build of syncmedic wrote ({0})")]
pub struct Malformed(pub &'static str);

impl Learned {
    /// The fingerprint of the files the models were trained on.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// Trains on `kb`, whose files have `fingerprint`.
    pub fn train(kb: &Kb, fingerprint: u64) -> Learned {
        // Lines play no part in what is learned; set, they spare the load
        // its cross-validation.
        let any = Thresholds {
            answer: Some(1.0),
            clarify: Some(1.0),
            margin: Some(0.0),
        };
        Learned::of(Matcher::new(kb, any), fingerprint)
    }

    fn of(matcher: Matcher, fingerprint: u64) -> Learned {
        let mut keys = vec![0; matcher.index.len()];
        for (key, row) in matcher.index {
            keys[row as usize] = key;
        }
        Learned {
            fingerprint,
            keys,
            gate: matcher.models.gate,
            intents: matcher.models.intents,
        }
    }

    /// The bytes `from_bytes` reads back (the format is the module's).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.keys.len() * 8 + 1024);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.fingerprint.to_le_bytes());
        put_len(&mut out, self.keys.len());
        for key in &self.keys {
            out.extend_from_slice(&key.to_le_bytes());
        }
        self.gate.write(&mut out);
        self.intents.write(&mut out);
        out
    }

    /// Reads what `to_bytes` wrote. The models' weights are borrowed from
    /// `bytes`, which is why they must live for good (the binary's own).
    pub fn from_bytes(bytes: &'static [u8]) -> Result<Learned, Malformed> {
        let mut from = Reader { rest: bytes };
        if from.take(MAGIC.len())? != MAGIC {
            return Err(Malformed("no header"));
        }
        let fingerprint = from.u64()?;
        let count = from.len()?;
        let keys = from.take_chunks::<8>(count)?;
        let keys = keys.iter().map(|k| u64::from_le_bytes(*k)).collect();
        let gate = Linear::read(&mut from)?;
        let intents = Linear::read(&mut from)?;
        if !from.rest.is_empty() {
            return Err(Malformed("bytes after the models"));
        }
        Ok(Learned {
            fingerprint,
            keys,
            gate,
            intents,
        })
    }

    /// The feature keys in row order, the gate and the intent model.
    pub(super) fn into_parts(self) -> (Vec<Key>, Linear, Linear) {
        (self.keys, self.gate, self.intents)
    }
}

pub(super) fn put_len(out: &mut Vec<u8>, n: usize) {
    let n = u32::try_from(n).expect("a model's sizes fit in 32 bits");
    out.extend_from_slice(&n.to_le_bytes());
}

/// Reads a model's bytes in order, refusing to read past their end.
pub(super) struct Reader {
    rest: &'static [u8],
}

impl Reader {
    fn take(&mut self, n: usize) -> Result<&'static [u8], Malformed> {
        let (head, rest) = self
            .rest
            .split_at_checked(n)
            .ok_or(Malformed("cut short"))?;
        self.rest = rest;
        Ok(head)
    }

    /// `count` items of `N` bytes each.
    pub fn take_chunks<const N: usize>(
        &mut self,
        count: usize,
    ) -> Result<&'static [[u8; N]], Malformed> {
        let bytes = count.checked_mul(N).ok_or(Malformed("a size overflows"))?;
        let (chunks, _) = self.take(bytes)?.as_chunks::<N>();
        Ok(chunks)
    }

    /// A count or a size.
    pub fn len(&mut self) -> Result<usize, Malformed> {
        Ok(u32::from_le_bytes(self.array()?) as usize)
    }

    pub fn f32(&mut self) -> Result<f32, Malformed> {
        Ok(f32::from_le_bytes(self.array()?))
    }

    fn u64(&mut self) -> Result<u64, Malformed> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], Malformed> {
        match self.take_chunks::<N>(1)? {
            [one] => Ok(*one),
            _ => Err(Malformed("cut short")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Engine;
    use crate::kb::fixture;

    fn lines() -> Thresholds {
        Thresholds {
            answer: Some(0.3),
            clarify: Some(0.1),
            margin: Some(0.1),
        }
    }

    /// The models' bytes, as the binary holds them: for good.
    fn stored(learned: &Learned) -> &'static [u8] {
        Box::leak(learned.to_bytes().into_boxed_slice())
    }

    /// Every phrasing of the fixture and a few messages besides.
    fn messages(kb: &Kb) -> Vec<String> {
        let mut texts: Vec<String> = kb
            .intents()
            .iter()
            .flat_map(|i| i.examples.iter().cloned())
            .chain(kb.offtopic().examples.iter().cloned())
            .collect();
        texts.extend(
            [
                "Waiting to Upload 57 Items on my iPhone and my Mac",
                "the upload counter is stuck. also the zeta album is gone",
                "uplaod stuck on my ipad",
                "good morning all",
                "",
            ]
            .map(String::from),
        );
        texts
    }

    #[test]
    fn a_stored_model_answers_as_the_one_trained_at_load() {
        let kb = fixture::kb();
        let fingerprint = fixture::files().fingerprint();
        let learned = Learned::train(&kb, fingerprint);
        let restored = Learned::from_bytes(stored(&learned)).expect("reads its own bytes");
        assert_eq!(restored.fingerprint(), fingerprint);
        let trained = Matcher::new(&kb, lines());
        let adopted = Matcher::with_learned(&kb, lines(), restored);
        assert_eq!(adopted.cut(), trained.cut());
        for text in messages(&kb) {
            assert_eq!(adopted.classify(&text), trained.classify(&text), "{text:?}");
        }
    }

    #[test]
    fn models_of_other_files_are_not_used() {
        let files = fixture::files();
        let learned = Learned::train(&fixture::kb(), files.fingerprint());
        let bytes = stored(&learned);
        // The same files minus one intent's examples: another knowledge base.
        let mut other = files.clone();
        let file = other
            .files
            .iter_mut()
            .find(|f| f.path.ends_with("upload-stuck.toml"))
            .expect("the fixture has upload-stuck");
        file.text = file.text.replace(
            "examples = [",
            "examples = [\"my pictures will not go up\", ",
        );
        let read = || Learned::from_bytes(bytes).ok();
        let engine = Engine::from_files_or_learned(&other, lines(), read()).expect("valid");
        let fresh = Engine::from_files(&other, lines()).expect("valid");
        // Used anyway, the stored models would read the new example
        // otherwise: the check is not vacuous.
        let misused = Matcher::with_learned(&fresh.kb, lines(), read().expect("reads"));
        let text = "my pictures will not go up";
        assert_ne!(misused.classify(text), fresh.matcher.classify(text));
        for text in messages(&fresh.kb) {
            assert_eq!(
                engine.matcher.classify(&text),
                fresh.matcher.classify(&text)
            );
        }
    }

    #[test]
    fn lines_left_unset_are_chosen_by_training_again() {
        let kb = fixture::kb();
        let learned = Learned::train(&kb, 0);
        let restored = Learned::from_bytes(stored(&learned)).expect("reads");
        let unset = Thresholds::default();
        let adopted = Matcher::with_learned(&kb, unset, restored);
        assert_eq!(adopted.cut(), Matcher::new(&kb, unset).cut());
    }

    #[test]
    fn damaged_bytes_are_refused_not_misread() {
        let learned = Learned::train(&fixture::kb(), 7);
        let bytes = learned.to_bytes();
        for end in 0..bytes.len() {
            let cut: &'static [u8] = Box::leak(bytes[..end].to_vec().into_boxed_slice());
            assert!(Learned::from_bytes(cut).is_err(), "cut at {end}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(Learned::from_bytes(Box::leak(longer.into_boxed_slice())).is_err());
        let mut renamed = bytes;
        renamed[0] ^= 1;
        assert_eq!(
            Learned::from_bytes(Box::leak(renamed.into_boxed_slice())).err(),
            Some(Malformed("no header"))
        );
    }
}
