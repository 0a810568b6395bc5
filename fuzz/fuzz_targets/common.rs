//! What the targets share: an instant from fuzz bytes, the extremes included.

use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// Any instant: the first and last the date library holds at any offset, or
/// any Unix time it can represent.
pub fn instant(seed: &[u8]) -> OffsetDateTime {
    let mut bytes = [0u8; 12];
    for (slot, b) in bytes.iter_mut().zip(seed) {
        *slot = *b;
    }
    let seconds = i64::from_le_bytes(bytes[..8].try_into().unwrap_or_default());
    let offset = i32::from_le_bytes(bytes[8..].try_into().unwrap_or_default()) % 86_400;
    let offset = UtcOffset::from_whole_seconds(offset).unwrap_or(UtcOffset::UTC);
    match seconds % 4 {
        0 => PrimitiveDateTime::MIN.assume_offset(offset),
        1 => PrimitiveDateTime::MAX.assume_offset(offset),
        _ => OffsetDateTime::from_unix_timestamp(seconds % 253_402_300_800)
            .map_or(OffsetDateTime::UNIX_EPOCH, |at| at.to_offset_or_utc(offset)),
    }
}

trait OrUtc {
    fn to_offset_or_utc(self, offset: UtcOffset) -> OffsetDateTime;
}

impl OrUtc for OffsetDateTime {
    fn to_offset_or_utc(self, offset: UtcOffset) -> OffsetDateTime {
        self.checked_to_offset(offset).unwrap_or(self)
    }
}
