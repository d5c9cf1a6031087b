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
//! compiled from the same source), little-endian. The probe is a feature
//! key computed where the models were trained: a binary built for another
//! target (a 32-bit one, say) hashes features differently, and its load
//! trains instead of reading keys it would never find.
//!
//! ```text
//! MAGIC, probe u64, fingerprint u64, keys u32, key u64 × keys, gate, intents
//! model: classes u32, weights u32, bias f32 × classes, bfloat16 × weights
//! ```

use super::Matcher;
use super::Thresholds;
use super::features::{self, Key};
use super::model::Linear;
use crate::kb::Kb;
use std::borrow::Cow;

const MAGIC: &[u8; 8] = b"smlearn1";

/// A feature key as this target computes it (see the module's note).
fn probe() -> u64 {
    features::key("syncmedic probe")
}

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
        out.extend_from_slice(&probe().to_le_bytes());
        out.extend_from_slice(&self.fingerprint.to_le_bytes());
        put_len(&mut out, self.keys.len());
        for key in &self.keys {
            out.extend_from_slice(&key.to_le_bytes());
        }
        write_linear(&self.gate, &mut out);
        write_linear(&self.intents, &mut out);
        out
    }

    /// Reads what `to_bytes` wrote. The models' weights are borrowed from
    /// `bytes`, which is why they must live for good (the binary's own).
    pub fn from_bytes(bytes: &'static [u8]) -> Result<Learned, Malformed> {
        let mut from = Reader { rest: bytes };
        if from.take(MAGIC.len())? != MAGIC {
            return Err(Malformed("no header"));
        }
        if from.u64()? != probe() {
            return Err(Malformed("trained where features hash differently"));
        }
        let fingerprint = from.u64()?;
        let count = from.count()?;
        let keys = from.take_chunks::<8>(count)?;
        let keys = keys.iter().map(|k| u64::from_le_bytes(*k)).collect();
        let gate = read_linear(&mut from)?;
        let intents = read_linear(&mut from)?;
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

    /// Whether the parts fit together and a knowledge base of `intents`
    /// intents: a two-class gate with a row per key, and an intent model
    /// with a class per intent and no more rows. (A key given twice shows
    /// when the index is built, see `Matcher::adopt`.)
    pub(super) fn fits(&self, intents: usize) -> bool {
        let rows = |model: &Linear| {
            let (classes, _, weights) = model.parts();
            (classes, weights.len() / classes.max(1))
        };
        let (gate_classes, gate_rows) = rows(&self.gate);
        let (intent_classes, intent_rows) = rows(&self.intents);
        gate_classes == 2
            && gate_rows == self.keys.len()
            && intent_classes == intents
            && intent_rows <= self.keys.len()
    }

    /// The feature keys in row order, the gate and the intent model.
    pub(super) fn into_parts(self) -> (Vec<Key>, Linear, Linear) {
        (self.keys, self.gate, self.intents)
    }
}

/// A model: its classes, its weights' count, its bias, its weights.
fn write_linear(model: &Linear, out: &mut Vec<u8>) {
    let (classes, bias, weights) = model.parts();
    put_len(out, classes);
    put_len(out, weights.len());
    for b in bias {
        out.extend_from_slice(&b.to_le_bytes());
    }
    out.extend(weights.iter().flatten());
}

/// What `write_linear` wrote, its weights borrowed where they lie.
fn read_linear(from: &mut Reader) -> Result<Linear, Malformed> {
    let classes = from.count()?;
    let weights = from.count()?;
    let bias = (0..classes)
        .map(|_| from.f32())
        .collect::<Result<Vec<f32>, Malformed>>()?;
    let weights = Cow::Borrowed(from.take_chunks::<2>(weights)?);
    Linear::from_parts(classes, bias, weights)
        .ok_or(Malformed("weights that are not rows of classes"))
}

fn put_len(out: &mut Vec<u8>, n: usize) {
    let n = u32::try_from(n).expect("a model's sizes fit in 32 bits");
    out.extend_from_slice(&n.to_le_bytes());
}

/// Reads a model's bytes in order, refusing to read past their end.
struct Reader {
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
    fn take_chunks<const N: usize>(
        &mut self,
        count: usize,
    ) -> Result<&'static [[u8; N]], Malformed> {
        let bytes = count.checked_mul(N).ok_or(Malformed("a size overflows"))?;
        let (chunks, _) = self.take(bytes)?.as_chunks::<N>();
        Ok(chunks)
    }

    /// A count or a size.
    fn count(&mut self) -> Result<usize, Malformed> {
        Ok(u32::from_le_bytes(self.array()?) as usize)
    }

    fn f32(&mut self) -> Result<f32, Malformed> {
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
        let mut elsewhere = bytes.clone();
        elsewhere[MAGIC.len()] ^= 1;
        assert_eq!(
            Learned::from_bytes(Box::leak(elsewhere.into_boxed_slice())).err(),
            Some(Malformed("trained where features hash differently"))
        );
        let mut renamed = bytes;
        renamed[0] ^= 1;
        assert_eq!(
            Learned::from_bytes(Box::leak(renamed.into_boxed_slice())).err(),
            Some(Malformed("no header"))
        );
    }

    #[test]
    fn models_fit_only_a_knowledge_base_of_as_many_intents() {
        let kb = fixture::kb();
        let learned = Learned::train(&kb, 0);
        let intents = kb.intents().len();
        assert!(learned.fits(intents));
        assert!(!learned.fits(intents + 1));
        let mut short = Learned::train(&kb, 0);
        short.keys.pop();
        assert!(!short.fits(intents), "a gate row without its key");
    }

    #[test]
    fn models_with_a_key_twice_are_trained_over() {
        let kb = fixture::kb();
        let mut repeated = Learned::train(&kb, 0);
        repeated.keys[1] = repeated.keys[0];
        let adopted = Matcher::with_learned(&kb, lines(), repeated);
        let trained = Matcher::new(&kb, lines());
        for text in messages(&kb) {
            assert_eq!(adopted.classify(&text), trained.classify(&text), "{text:?}");
        }
    }
}
