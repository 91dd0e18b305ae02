//! Compression of the JSON the store keeps (entity properties, raw API
//! bodies).
//!
//! Each value is one zstd frame (level 3), compressed with a dictionary
//! trained on the profile's own data the first time it is large enough
//! (see [`train`]) and kept in `profiles.zdict`. A ~600-byte user compresses
//! to ~2/3 on its own, but to ~1/4 with a dictionary: most of its bytes are
//! property names and values every user shares.
//!
//! Values written before compression (schema ≤ 2) are plain JSON text; a
//! zstd frame starts with a magic number JSON never does, so both read
//! back through [`Unpacker::unpack`] and old rows need no rewrite.

use rusqlite::types::ValueRef;
use zstd::bulk::{Compressor, Decompressor};
use zstd::dict::{DecoderDictionary, EncoderDictionary};

use super::StoreError;

/// zstd's default: within a few percent of level 9's size on these small
/// values, at several times the speed.
const LEVEL: i32 = 3;

/// Train a dictionary once a snapshot has this many entities (fewer gives a
/// poor dictionary, and a small store's size does not matter).
pub(super) const TRAIN_FROM: usize = 256;

/// Entities sampled for training: enough for the shared names and values,
/// few enough that training takes well under a second.
pub(super) const TRAIN_SAMPLES: usize = 2_000;

/// Dictionary size: beyond this, gains on ~600-byte values are marginal.
const DICT_MAX: usize = 32 * 1024;

/// No stored JSON value is larger: a frame claiming more is refused rather
/// than allocated.
const MAX_VALUE: usize = 64 << 20;

const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

/// Trains a dictionary from sample values; None when zstd finds too little
/// to learn from (the values are then compressed without one).
pub(super) fn train(samples: &[Vec<u8>]) -> Option<Vec<u8>> {
    match zstd::dict::from_samples(samples, DICT_MAX) {
        Ok(d) => Some(d),
        Err(e) => {
            tracing::debug!("store: no compression dictionary trained: {e}");
            None
        }
    }
}

/// A dictionary prepared for compressing.
pub(super) fn encoder_dict(dict: &[u8]) -> EncoderDictionary<'static> {
    EncoderDictionary::copy(dict, LEVEL)
}

/// A dictionary prepared for decompressing.
pub(super) fn decoder_dict(dict: &[u8]) -> DecoderDictionary<'static> {
    DecoderDictionary::copy(dict)
}

/// Compresses values, reusing one zstd context.
pub(super) struct Packer<'d> {
    zstd: Compressor<'d>,
}

impl<'d> Packer<'d> {
    pub(super) fn new(dict: Option<&'d EncoderDictionary<'static>>) -> Result<Self, StoreError> {
        let zstd = match dict {
            Some(d) => Compressor::with_prepared_dictionary(d),
            None => Compressor::new(LEVEL),
        }
        .map_err(|e| StoreError::Corrupt(format!("zstd compressor: {e}")))?;
        Ok(Packer { zstd })
    }

    /// One zstd frame holding `json`.
    pub(super) fn pack(&mut self, json: &[u8]) -> Result<Vec<u8>, StoreError> {
        self.zstd
            .compress(json)
            .map_err(|e| StoreError::Corrupt(format!("zstd compression: {e}")))
    }
}

/// Decompresses values, reusing one zstd context and one buffer.
pub(super) struct Unpacker<'d> {
    zstd: Decompressor<'d>,
    buf: Vec<u8>,
}

impl<'d> Unpacker<'d> {
    pub(super) fn new(dict: Option<&'d DecoderDictionary<'static>>) -> Result<Self, StoreError> {
        let zstd = match dict {
            Some(d) => Decompressor::with_prepared_dictionary(d),
            None => Decompressor::new(),
        }
        .map_err(|e| StoreError::Corrupt(format!("zstd decompressor: {e}")))?;
        Ok(Unpacker {
            zstd,
            buf: Vec::new(),
        })
    }

    /// The JSON bytes of a stored value: a zstd frame decompressed, plain
    /// JSON (written before compression) as it is.
    pub(super) fn unpack<'a>(&'a mut self, stored: &'a [u8]) -> Result<&'a [u8], StoreError> {
        if !stored.starts_with(&ZSTD_MAGIC) {
            return Ok(stored);
        }
        let size = zstd::zstd_safe::get_frame_content_size(stored)
            .ok()
            .flatten()
            .and_then(|n| usize::try_from(n).ok())
            .filter(|n| *n <= MAX_VALUE)
            .ok_or_else(|| {
                StoreError::Corrupt("compressed value without a plausible size".into())
            })?;
        self.buf.clear();
        self.buf.reserve(size);
        self.zstd
            .decompress_to_buffer(stored, &mut self.buf)
            .map_err(|e| StoreError::Corrupt(format!("compressed value: {e}")))?;
        Ok(&self.buf)
    }

    /// [`Self::unpack`] of a column that holds text (plain JSON) or a blob.
    pub(super) fn unpack_column<'a>(
        &'a mut self,
        v: ValueRef<'a>,
    ) -> Result<Option<&'a [u8]>, StoreError> {
        match v {
            ValueRef::Null => Ok(None),
            ValueRef::Text(b) | ValueRef::Blob(b) => self.unpack(b).map(Some),
            ValueRef::Integer(_) | ValueRef::Real(_) => Err(StoreError::Corrupt(
                "a number where JSON was expected".into(),
            )),
        }
    }
}

impl Unpacker<'_> {
    /// [`Self::unpack_column`] of a column that must hold JSON.
    pub(super) fn unpack_required<'a>(
        &'a mut self,
        v: ValueRef<'a>,
    ) -> Result<&'a [u8], StoreError> {
        self.unpack_column(v)?
            .ok_or_else(|| StoreError::Corrupt("missing JSON value".into()))
    }
}

/// The profile's compression dictionary, if it has one.
pub(super) fn profile_dict(
    conn: &rusqlite::Connection,
    pid: i64,
) -> Result<Option<Vec<u8>>, StoreError> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row(
            "SELECT zdict FROM profiles WHERE id = ?1",
            rusqlite::params![pid],
            |r| r.get::<_, Option<Vec<u8>>>(0),
        )
        .optional()?
        .flatten())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(i: usize) -> Vec<u8> {
        format!(
            "{{\"email\":\"user{i}@northwind.example\",\"firstName\":\"N{i}\",\"status\":\"active\",\
             \"timezone\":\"America/New_York\",\"type\":{},\"pmi\":{}}}",
            i % 3,
            1_000_000 + i * 7919
        )
        .into_bytes()
    }

    #[test]
    fn values_round_trip_with_and_without_a_dictionary() {
        let samples: Vec<Vec<u8>> = (0..1000).map(user).collect();
        let dict = train(&samples).expect("a dictionary from 1000 samples");
        let (enc, dec) = (encoder_dict(&dict), decoder_dict(&dict));
        let mut plain = Packer::new(None).unwrap();
        let mut with = Packer::new(Some(&enc)).unwrap();
        let mut un_plain = Unpacker::new(None).unwrap();
        let mut un_with = Unpacker::new(Some(&dec)).unwrap();
        let value = user(5000);
        let a = plain.pack(&value).unwrap();
        let b = with.pack(&value).unwrap();
        assert!(b.len() < a.len(), "{} vs {}", b.len(), a.len());
        assert!(b.len() * 2 < value.len());
        assert_eq!(un_plain.unpack(&a).unwrap(), &value[..]);
        assert_eq!(un_with.unpack(&b).unwrap(), &value[..]);
        // Plain JSON (written before compression) reads as it is.
        assert_eq!(un_with.unpack(&value).unwrap(), &value[..]);
        // A frame made with the dictionary needs it.
        assert!(un_plain.unpack(&b).is_err());
        // Damaged frames are errors, not panics.
        for cut in [4, 6, b.len() - 1] {
            assert!(un_with.unpack(&b[..cut]).is_err(), "cut at {cut}");
        }
        let mut bad = b.clone();
        let last = bad.len() - 2;
        bad[last] ^= 0xff;
        let _ = un_with.unpack(&bad);
    }
}
