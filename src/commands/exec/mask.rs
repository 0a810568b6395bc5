//! Hides secrets in a byte stream that arrives in reads of any size: each secret becomes [`MARKER`], also when split across reads, and nothing else changes.
//!
//! A leaf: no I/O but the `Write` it is given, no other module of the crate.
//! The result is the same as replacing every secret in the whole stream at
//! once, leftmost first and longest at one place (the proptest below holds
//! it to that for any chunking). Between reads only the stream's longest
//! ending that could still grow into a secret is kept back, so output that
//! cannot be the start of a secret goes on at once, and a held end waits
//! only for the next bytes or the end of the stream: there is no timer.

use std::io::{self, Write};

use aho_corasick::{AhoCorasick, BuildError, Input, MatchKind};

/// What a secret is replaced by: plain text with no `"` or `\`, so JSON
/// holding a secret in a string stays valid JSON.
pub const MARKER: &str = "[hidden by trello-auth]";

/// The secrets to hide, searched for together.
#[derive(Debug, Clone)]
pub(crate) struct Mask {
    finder: AhoCorasick,
    needles: Vec<Vec<u8>>,
    /// The longest needle's length: a held end is always shorter.
    longest: usize,
}

impl Mask {
    /// A mask for `secrets`; empty ones are left out (they would match everywhere).
    pub fn new<S: AsRef<[u8]>>(secrets: &[S]) -> Result<Mask, BuildError> {
        let needles: Vec<Vec<u8>> = secrets.iter().map(|s| s.as_ref().to_vec()).filter(|s| !s.is_empty()).collect();
        let finder = AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).build(&needles)?;
        let longest = needles.iter().map(Vec::len).max().unwrap_or(0);
        Ok(Mask { finder, needles, longest })
    }

    /// Writes to `out` what `window` decides, each secret as [`MARKER`], and
    /// returns how many bytes at its end are not decided yet. At the `end` of
    /// the stream everything is decided.
    fn decide(&self, window: &[u8], end: bool, out: &mut impl Write) -> io::Result<usize> {
        let mut at = 0;
        loop {
            let open = if end { window.len() } else { self.open_end(window, at) };
            // Every secret that starts before `open` ends inside the window
            // (else `open` would be earlier), so the leftmost-longest choices
            // there are the ones the whole stream would give.
            let mut written = at;
            for found in self.finder.find_iter(Input::new(window).span(at..window.len())) {
                if found.start() >= open {
                    break;
                }
                out.write_all(&window[written..found.start()])?;
                out.write_all(MARKER.as_bytes())?;
                written = found.end();
            }
            if written <= open {
                out.write_all(&window[written..open])?;
                return Ok(window.len() - open);
            }
            // A secret ran past `open`: what follows it may still start another.
            at = written;
        }
    }

    /// Where the window's longest ending from `at` on that is a proper prefix
    /// of a secret starts (the window's length when there is none). Only the
    /// last `longest - 1` bytes can be one, so this costs the same for any read.
    fn open_end(&self, window: &[u8], at: usize) -> usize {
        let from = at.max(window.len().saturating_sub(self.longest.saturating_sub(1)));
        (from..window.len())
            .find(|&start| {
                let rest = &window[start..];
                self.needles.iter().any(|n| n.len() > rest.len() && n.starts_with(rest))
            })
            .unwrap_or(window.len())
    }
}

/// One stream being masked: the buffer reads go into, whose first `held`
/// bytes are the ending kept back from the reads before.
#[derive(Debug)]
pub(crate) struct Stream {
    mask: Mask,
    buf: Vec<u8>,
    held: usize,
}

impl Stream {
    /// A stream read `capacity` bytes at a time (at least).
    pub fn new(mask: Mask, capacity: usize) -> Stream {
        // Room for the longest held ending and at least one new byte.
        let size = capacity.max(mask.longest).max(1);
        Stream { mask, buf: vec![0; size], held: 0 }
    }

    /// Where the next read goes: straight into the buffer, after what is held.
    pub fn space(&mut self) -> &mut [u8] {
        &mut self.buf[self.held..]
    }

    /// `n` bytes were read into [`Stream::space`]: writes what they decide.
    pub fn took(&mut self, n: usize, out: &mut impl Write) -> io::Result<()> {
        let filled = self.held + n;
        let open = self.mask.decide(&self.buf[..filled], false, out)?;
        self.buf.copy_within(filled - open..filled, 0);
        self.held = open;
        Ok(())
    }

    /// The stream ended: whatever was held is decided now.
    pub fn end(&mut self, out: &mut impl Write) -> io::Result<()> {
        self.mask.decide(&self.buf[..self.held], true, out)?;
        self.held = 0;
        Ok(())
    }

    /// How many bytes are held back now.
    #[cfg(test)]
    pub(crate) fn held(&self) -> usize {
        self.held
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const TOKEN: &str = "ATTA3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f1B2C3D4E";
    const SECRET: &str = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";

    /// Feeds `chunks` one read each (copied into the stream's space, as a
    /// read would put them); what was written after each read, and at the end.
    fn run(mask: &Mask, capacity: usize, chunks: &[&[u8]]) -> (Vec<Vec<u8>>, Vec<u8>) {
        let mut stream = Stream::new(mask.clone(), capacity);
        let mut after_each = Vec::new();
        for chunk in chunks {
            let mut out = Vec::new();
            let mut rest = *chunk;
            // A read never returns more than there is space for.
            while !rest.is_empty() {
                let space = stream.space();
                let n = space.len().min(rest.len());
                space[..n].copy_from_slice(&rest[..n]);
                stream.took(n, &mut out).unwrap();
                rest = &rest[n..];
            }
            if chunk.is_empty() {
                stream.took(0, &mut out).unwrap();
            }
            after_each.push(out);
        }
        let mut last = Vec::new();
        stream.end(&mut last).unwrap();
        (after_each, last)
    }

    fn masked(mask: &Mask, chunks: &[&[u8]]) -> Vec<u8> {
        let (each, last) = run(mask, 64 * 1024, chunks);
        each.concat().into_iter().chain(last).collect()
    }

    /// The whole input at once, leftmost first and longest at one place,
    /// written out by hand (not with aho-corasick) to hold the streaming one to.
    fn reference(needles: &[Vec<u8>], input: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut at = 0;
        while at < input.len() {
            let longest = needles.iter().filter(|n| !n.is_empty() && input[at..].starts_with(n)).map(Vec::len).max();
            match longest {
                Some(len) => {
                    out.extend_from_slice(MARKER.as_bytes());
                    at += len;
                }
                None => {
                    out.push(input[at]);
                    at += 1;
                }
            }
        }
        out
    }

    fn both() -> Mask {
        Mask::new(&[TOKEN, SECRET]).unwrap()
    }

    #[test]
    fn the_marker_is_json_safe_plain_text() {
        assert!(MARKER.chars().all(|c| c.is_ascii_graphic() || c == ' '), "{MARKER}");
        assert!(!MARKER.contains(['"', '\\']), "{MARKER}");
        let json = format!("{{\"url\":\"https://api.trello.com/1/members/me?token={TOKEN}\"}}");
        let out = String::from_utf8(masked(&both(), &[json.as_bytes()])).unwrap();
        let value: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(value["url"], format!("https://api.trello.com/1/members/me?token={MARKER}"));
    }

    #[test]
    fn every_split_point_of_each_secret_in_two_and_three_reads() {
        let mask = both();
        for secret in [TOKEN, SECRET] {
            let input = format!("GET /1/members/me?token={secret}&x=1\n");
            at_every_split(&mask, &input, &format!("GET /1/members/me?token={MARKER}&x=1\n"));
        }
    }

    /// `input` in two reads and in three, cut at every place: always `want`.
    fn at_every_split(mask: &Mask, input: &str, want: &str) {
        let bytes = input.as_bytes();
        for i in 0..=bytes.len() {
            assert_eq!(masked(mask, &[&bytes[..i], &bytes[i..]]), want.as_bytes(), "{input} split at {i}");
            for j in i..=bytes.len() {
                let chunks = [&bytes[..i], &bytes[i..j], &bytes[j..]];
                assert_eq!(masked(mask, &chunks), want.as_bytes(), "{input} split at {i}, {j}");
            }
        }
    }

    #[test]
    fn one_byte_reads_and_empty_reads() {
        let mask = both();
        let input = format!("a{TOKEN}b{SECRET}{TOKEN}c");
        let want = format!("a{MARKER}b{MARKER}{MARKER}c").into_bytes();
        let ones: Vec<&[u8]> = input.as_bytes().chunks(1).collect();
        assert_eq!(masked(&mask, &ones), want);
        let mut with_empties: Vec<&[u8]> = Vec::new();
        for one in &ones {
            with_empties.extend([&b""[..], one, &b""[..]]);
        }
        assert_eq!(masked(&mask, &with_empties), want);
        assert_eq!(masked(&mask, &[]), b"");
        assert_eq!(masked(&mask, &[b"", b""]), b"");
    }

    #[test]
    fn a_secret_at_the_very_end_is_hidden_when_the_stream_ends() {
        let mask = both();
        let input = format!("no newline after {TOKEN}");
        let (each, last) = run(&mask, 1024, &[input.as_bytes()]);
        // Whole in one read, it is decided in that read: no longer secret
        // begins with it, so nothing waits for the end.
        assert_eq!(each.concat(), format!("no newline after {MARKER}").into_bytes());
        assert!(last.is_empty());
        // Its last byte comes only at the end of the stream.
        let (cut, token_end) = input.as_bytes().split_at(input.len() - 1);
        let (each, last) = run(&mask, 1024, &[cut]);
        assert_eq!(each.concat(), b"no newline after ", "the partial token was held back");
        assert_eq!(last, &TOKEN.as_bytes()[..TOKEN.len() - 1], "an unfinished token is not a token");
        assert_eq!(masked(&mask, &[cut, token_end]), format!("no newline after {MARKER}").into_bytes());
    }

    #[test]
    fn what_cannot_start_a_secret_goes_on_at_once() {
        let mask = both();
        let mut stream = Stream::new(mask.clone(), 4096);
        let mut out = Vec::new();
        let feed = |stream: &mut Stream, bytes: &[u8], out: &mut Vec<u8>| {
            stream.space()[..bytes.len()].copy_from_slice(bytes);
            stream.took(bytes.len(), out).unwrap();
        };
        feed(&mut stream, b"{\"jsonrpc\":\"2.0\"}\n", &mut out);
        assert_eq!(out, b"{\"jsonrpc\":\"2.0\"}\n");
        assert_eq!(stream.held(), 0);
        // "AT" could be the token's start, "ff" the secret's: held, nothing else.
        feed(&mut stream, b"x AT", &mut out);
        assert_eq!(out, b"{\"jsonrpc\":\"2.0\"}\nx ");
        assert_eq!(stream.held(), 2);
        // A mismatch decides it: the held bytes go on, the new ones too.
        feed(&mut stream, b"Z ff", &mut out);
        assert_eq!(out, b"{\"jsonrpc\":\"2.0\"}\nx ATZ ");
        assert_eq!(stream.held(), 2);
        feed(&mut stream, b"e", &mut out);
        assert_eq!(stream.held(), 3, "ffe is still the secret's start");
        feed(&mut stream, b"!", &mut out);
        assert_eq!(out, b"{\"jsonrpc\":\"2.0\"}\nx ATZ ffe!");
        assert_eq!(stream.held(), 0);
    }

    #[test]
    fn a_partial_then_a_mismatch_then_the_rest_is_not_a_secret() {
        let mask = both();
        let (head, tail) = TOKEN.split_at(20);
        let input = format!("{head}X{tail}");
        assert_eq!(masked(&mask, &[head.as_bytes(), b"X", tail.as_bytes()]), input.as_bytes());
        // The token starting again inside a false start is still found.
        let input = format!("{head}{TOKEN}.");
        let chunks: Vec<&[u8]> = input.as_bytes().chunks(7).collect();
        assert_eq!(masked(&mask, &chunks), format!("{head}{MARKER}.").into_bytes());
    }

    #[test]
    fn overlapping_needles_leftmost_then_longest() {
        // One needle a prefix of another: the longer wins where both match,
        // and an unfinished longer one does not stop the shorter.
        let mask = Mask::new(&["abc", "abcdef"]).unwrap();
        for (input, want) in [
            ("xabcdefx", format!("x{MARKER}x")),
            ("xabcdex", format!("x{MARKER}dex")),
            ("abcabcdef", format!("{MARKER}{MARKER}")),
            ("xabcde", format!("x{MARKER}de")),
        ] {
            at_every_split(&mask, input, &want);
        }
        // One inside another, and two that overlap: the leftmost wins.
        let mask = Mask::new(&["bcd", "abcde", "defgh"]).unwrap();
        for (input, want) in [
            ("abcdefgh", format!("{MARKER}fgh")),
            ("abcdX", format!("a{MARKER}X")),
            ("xbcdefgh", format!("x{MARKER}efgh")),
            ("abcdabcde", format!("a{MARKER}{MARKER}")),
        ] {
            at_every_split(&mask, input, &want);
        }
    }

    #[test]
    fn a_secret_across_a_full_buffer_and_nothing_to_hide() {
        // The buffer is smaller than the input: reads stop at its end.
        let mask = both();
        let input = format!("{}{TOKEN}{}", "x".repeat(100), "y".repeat(100));
        let (each, last) = run(&mask, 1, &[input.as_bytes()]);
        let out: Vec<u8> = each.concat().into_iter().chain(last).collect();
        assert_eq!(out, format!("{}{MARKER}{}", "x".repeat(100), "y".repeat(100)).into_bytes());
        let none = Mask::new::<&str>(&["", ""]).unwrap();
        assert_eq!(masked(&none, &[b"anything", b""]), b"anything");
    }

    /// Needles and input over a three-letter alphabet, so that needles
    /// overlap, nest and share prefixes often; any chunking.
    fn case() -> impl Strategy<Value = (Vec<Vec<u8>>, Vec<u8>, Vec<usize>, usize)> {
        let needle = proptest::collection::vec(prop::sample::select(b"abc".to_vec()), 1..6);
        (
            proptest::collection::vec(needle, 0..4),
            proptest::collection::vec(prop::sample::select(b"abcd".to_vec()), 0..80),
            proptest::collection::vec(0usize..12, 0..30),
            1usize..9,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn any_input_any_chunking_is_the_input_with_every_secret_replaced((needles, input, cuts, capacity) in case()) {
            let mask = Mask::new(&needles).unwrap();
            let mut chunks: Vec<&[u8]> = Vec::new();
            let mut rest = &input[..];
            for cut in cuts {
                let (head, tail) = rest.split_at(cut.min(rest.len()));
                chunks.push(head);
                rest = tail;
            }
            chunks.push(rest);
            let (each, last) = run(&mask, capacity, &chunks);
            let out: Vec<u8> = each.concat().into_iter().chain(last).collect();
            prop_assert_eq!(&out, &reference(&needles, &input));
            let longest = needles.iter().map(Vec::len).max().unwrap_or(0);
            let mut stream = Stream::new(mask, capacity);
            for chunk in chunks {
                let mut sink = Vec::new();
                let mut rest = chunk;
                while !rest.is_empty() {
                    let space = stream.space();
                    let n = space.len().min(rest.len());
                    space[..n].copy_from_slice(&rest[..n]);
                    stream.took(n, &mut sink).unwrap();
                    rest = &rest[n..];
                    prop_assert!(stream.held() < longest.max(1), "held {} of needles up to {}", stream.held(), longest);
                }
            }
        }
    }
}
