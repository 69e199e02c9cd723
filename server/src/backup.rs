//! Backups of a data directory as one file, and restoring one into a new directory.
//!
//! A backup holds every key of the store except sessions (a restored server starts with
//! everyone logged out; a stolen backup holds no live login). The file is gzip-compressed:
//!
//! ```text
//! TAVLA-BACKUP\n
//! {"backup_format":1,"data_format":3,"version":…,"created_at":…,"entries":…}\n
//! entries: key length (u32 BE), key, value length (u32 BE), value — in key order
//! SHA-256 of everything above (32 bytes)
//! ```
//!
//! sled has its own export (`Db::export`), but it carries every tree and sled's own version,
//! not ours, and cannot leave sessions out: this format says which data format it holds, so a
//! newer release can read an older backup the way it upgrades an older directory.

use std::io::{Read, Write};
use std::path::Path;

use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::store::{SledStore, Store, StoreError, FORMAT};

/// The first line of every backup.
const MAGIC: &[u8] = b"TAVLA-BACKUP\n";
/// The layout of the file itself (not of the data in it).
pub const BACKUP_FORMAT: u64 = 1;
/// Keys left out: sessions.
const SESSION_PREFIX: u8 = b's';

/// What a backup says about itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub backup_format: u64,
    /// The store's data format (see `store/sled_store.rs`).
    pub data_format: u64,
    /// The store's version when the backup was taken.
    pub version: u64,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
    /// How many key–value pairs follow.
    pub entries: u64,
}

/// Why a backup or restore failed, in words an admin acts on.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("this is not a Tavla backup (it does not start with TAVLA-BACKUP)")]
    NotABackup,
    #[error("the backup is damaged: {0}")]
    Damaged(String),
    #[error("the backup is of format {found}; this release reads up to {supported}: restore it with a newer Tavla")]
    TooNew { found: u64, supported: u64 },
    #[error("{0} is not empty: restore into a new directory, so nothing there is overwritten")]
    NotEmpty(String),
}

/// Writes every key of `store` but sessions to `out`; returns the header written.
pub fn write(store: &dyn Store, created_at: i64, out: impl Write) -> Result<Header, BackupError> {
    let entries: Vec<(Vec<u8>, Vec<u8>)> =
        store.raw_entries()?.into_iter().filter(|(k, _)| k.first() != Some(&SESSION_PREFIX)).collect();
    let header = Header {
        backup_format: BACKUP_FORMAT,
        data_format: store.data_format()?,
        version: store.version()?,
        created_at,
        entries: entries.len() as u64,
    };
    let mut gz = GzEncoder::new(out, flate2::Compression::default());
    let mut hasher = Sha256::new();
    let mut put = |bytes: &[u8], gz: &mut GzEncoder<_>| -> std::io::Result<()> {
        hasher.update(bytes);
        gz.write_all(bytes)
    };
    put(MAGIC, &mut gz)?;
    let mut line = serde_json::to_vec(&header).map_err(|e| BackupError::Damaged(e.to_string()))?;
    line.push(b'\n');
    put(&line, &mut gz)?;
    for (k, v) in &entries {
        put(&(k.len() as u32).to_be_bytes(), &mut gz)?;
        put(k, &mut gz)?;
        put(&(v.len() as u32).to_be_bytes(), &mut gz)?;
        put(v, &mut gz)?;
    }
    gz.write_all(&hasher.finalize())?;
    gz.finish()?.flush()?;
    Ok(header)
}

/// A store's keys and values, as a backup carries them.
pub type Entries = Vec<(Vec<u8>, Vec<u8>)>;

/// Reads a backup whole, checking its start, format and checksum.
pub fn read(input: impl Read) -> Result<(Header, Entries), BackupError> {
    let mut bytes = Vec::new();
    GzDecoder::new(input).read_to_end(&mut bytes).map_err(|_| BackupError::NotABackup)?;
    if !bytes.starts_with(MAGIC) {
        return Err(BackupError::NotABackup);
    }
    if bytes.len() < MAGIC.len() + 32 {
        return Err(BackupError::Damaged("it ends too early".into()));
    }
    let (body, sum) = bytes.split_at(bytes.len() - 32);
    if Sha256::digest(body).as_slice() != sum {
        return Err(BackupError::Damaged("its checksum does not match (cut short or changed)".into()));
    }
    let rest = &body[MAGIC.len()..];
    let end =
        rest.iter().position(|b| *b == b'\n').ok_or_else(|| BackupError::Damaged("no header".into()))?;
    let header: Header =
        serde_json::from_slice(&rest[..end]).map_err(|e| BackupError::Damaged(format!("header: {e}")))?;
    if header.backup_format > BACKUP_FORMAT || header.data_format > FORMAT {
        return Err(BackupError::TooNew {
            found: header.backup_format.max(header.data_format),
            supported: BACKUP_FORMAT.max(FORMAT),
        });
    }
    let mut at = &rest[end + 1..];
    let take = |at: &mut &[u8]| -> Result<Vec<u8>, BackupError> {
        let short = || BackupError::Damaged("an entry ends too early".into());
        let len: [u8; 4] = at.get(..4).ok_or_else(short)?.try_into().map_err(|_| short())?;
        let len = u32::from_be_bytes(len) as usize;
        let value = at.get(4..4 + len).ok_or_else(short)?.to_vec();
        *at = &at[4 + len..];
        Ok(value)
    };
    let mut entries = Vec::with_capacity(header.entries.min(1 << 20) as usize);
    while !at.is_empty() {
        let k = take(&mut at)?;
        let v = take(&mut at)?;
        entries.push((k, v));
    }
    if entries.len() as u64 != header.entries {
        return Err(BackupError::Damaged(format!(
            "{} entries, the header says {}",
            entries.len(),
            header.entries
        )));
    }
    Ok((header, entries))
}

/// Restores the backup `input` into the new (or empty) directory `dir`, then opens it as a
/// store once, which upgrades an older data format; returns the header.
pub fn restore(input: impl Read, dir: &Path, cache_bytes: u64) -> Result<Header, BackupError> {
    if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
        return Err(BackupError::NotEmpty(dir.display().to_string()));
    }
    let (header, entries) = read(input)?;
    SledStore::import_raw(dir, entries)?;
    // Opening upgrades an older format in place and checks what was written.
    let store = SledStore::open(dir, cache_bytes)?;
    drop(store);
    Ok(header)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{CalendarFeed, RecordWrite, Session};
    use serde_json::json;
    use tavla_shared::Kind;
    use uuid::Uuid;

    #[test]
    fn a_backup_restores_the_same_records_and_leaves_out_sessions_and_damage_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = SledStore::open(dir.path(), 1 << 20).unwrap();
        let fields = json!({"name": "Flen", "type": "municipality"}).as_object().cloned().unwrap();
        store
            .commit(vec![RecordWrite { kind: Kind::Partner, id: Uuid::from_u128(1), deleted: false, fields }])
            .unwrap();
        // A calendar feed is no login: it goes along, so subscribed phones keep working.
        let feed = CalendarFeed { user_id: Uuid::from_u128(7), created_at: 3 };
        store.put_calendar_feed(&[9; 32], &feed).unwrap();
        let session = Session {
            user_id: Uuid::from_u128(7),
            created_at: 3,
            expires_at: i64::MAX,
            ends_at: None,
            id: Uuid::from_u128(8),
            last_used_at: 3,
            user_agent: String::new(),
            address: String::new(),
        };
        store.put_session(&[8; 32], &session).unwrap();
        let mut file = Vec::new();
        let header = write(&store, 5, &mut file).unwrap();
        assert_eq!((header.backup_format, header.data_format, header.version), (1, FORMAT, 1));
        let before = store.pull(0, 100).unwrap();
        drop(store);

        let target = tempfile::tempdir().unwrap();
        let into = target.path().join("ny");
        assert_eq!(restore(&file[..], &into, 1 << 20).unwrap(), header);
        let restored = SledStore::open(&into, 1 << 20).unwrap();
        assert_eq!(restored.pull(0, 100).unwrap(), before);
        assert_eq!(restored.version().unwrap(), 1);
        assert_eq!(restored.calendar_feed(&[9; 32]).unwrap(), Some(feed));
        assert_eq!(restored.session(&[8; 32]).unwrap(), None, "no session");
        drop(restored);

        // Not into a directory with something in it.
        assert!(matches!(restore(&file[..], &into, 1 << 20), Err(BackupError::NotEmpty(_))));
        // A flipped byte inside, a cut-short file, something else entirely.
        let mut raw = Vec::new();
        GzDecoder::new(&file[..]).read_to_end(&mut raw).unwrap();
        let last = raw.len() - 40;
        raw[last] ^= 1;
        let mut damaged = GzEncoder::new(Vec::new(), flate2::Compression::default());
        damaged.write_all(&raw).unwrap();
        let damaged = damaged.finish().unwrap();
        let fresh = target.path().join("b");
        assert!(matches!(restore(&damaged[..], &fresh, 1 << 20), Err(BackupError::Damaged(_))));
        assert!(read(&file[..file.len() / 2]).is_err());
        assert!(matches!(read(&b"inte en backup"[..]), Err(BackupError::NotABackup)));
    }
}
