//! A streaming gzip decoder for the log readers: compressed bytes in, decompressed bytes written into a buffer
//! the caller owns and reuses, synchronously on the calling thread. node:zlib instead allocates a new Buffer
//! for every output chunk (garbage V8 collects only after tens of MB) and runs on libuv's thread pool.
//!
//! It reads what node:zlib's gunzip reads: concatenated members (a new member starts at the next non-zero
//! byte after one ends; zero bytes between or after members are padding), and it fails on what node:zlib
//! fails on, with zlib's messages. Unlike node:zlib it also fails on garbage after zero padding.

use napi::bindgen_prelude::Uint8ArraySlice;
use napi_derive::napi;
use zlib_rs::{Inflate, InflateFlush, Status};

/// zlib's window bits for a gzip header and trailer with the largest (32 KiB) window.
const GZIP_WINDOW_BITS: u8 = 16 + 15;

/// What node:zlib reports for a member cut short.
const TRUNCATED: &str = "unexpected end of file";

#[napi]
pub struct GzipDecoder {
    /// The member being decoded, or `None` between members (before the first, after one ended).
    member: Option<Inflate>,
    /// Compressed bytes consumed by the last `decompress` call.
    consumed: u32,
    /// Compressed bytes consumed in all.
    total_in: f64,
    /// Decompressed bytes produced in all.
    total_out: f64,
    /// zlib's message and the compressed offset of the byte it failed on, once the data proved damaged.
    failure: Option<(String, f64)>,
}

#[napi]
impl GzipDecoder {
    #[napi(constructor)]
    pub fn new() -> Self {
        Self {
            member: None,
            consumed: 0,
            total_in: 0.0,
            total_out: 0.0,
            failure: None,
        }
    }

    /// Decodes from the start of `input` into `output`; returns the bytes written (`consumed` says how much of
    /// `input` was used). It stops when `output` is full, `input` is used up, or the data is damaged: then it
    /// returns what was decoded before the damage, and -1 from the next call on (see `failure`).
    #[napi]
    pub fn decompress(&mut self, input: &[u8], mut output: Uint8ArraySlice) -> i64 {
        // SAFETY: the call is synchronous on the JS thread, so nothing else touches `output` meanwhile.
        let output = unsafe { output.as_mut() };
        self.consumed = 0;
        if self.failure.is_some() {
            return -1;
        }
        let mut read = 0usize;
        let mut written = 0usize;
        while written < output.len() {
            if self.member.is_none() {
                // Zero bytes after a member are padding, as for node:zlib; any other byte starts a member.
                while read < input.len() && input[read] == 0 {
                    read += 1;
                }
                if read == input.len() {
                    break;
                }
                self.member = Some(Inflate::new(true, GZIP_WINDOW_BITS));
            }
            let member = self.member.as_mut().expect("a member was started above");
            let (in_before, out_before) = (member.total_in(), member.total_out());
            let result = member.decompress(&input[read..], &mut output[written..], InflateFlush::NoFlush);
            let step_in = (member.total_in() - in_before) as usize;
            let step_out = (member.total_out() - out_before) as usize;
            read += step_in;
            written += step_out;
            match result {
                Ok(Status::StreamEnd) => self.member = None,
                Ok(Status::Ok) if step_in > 0 || step_out > 0 => {}
                Ok(_) => break, // no progress: input used up (output space is left, checked by the loop)
                Err(error) => {
                    let message = member.error_message().unwrap_or(error.as_str()).to_string();
                    let at = self.total_in + read.saturating_sub(1) as f64;
                    self.failure = Some((message, at));
                    break;
                }
            }
        }
        self.consumed = read as u32;
        self.total_in += read as f64;
        self.total_out += written as f64;
        written as i64
    }

    /// Ends the input: a member still open is truncated, which fails the decoder (see `failure`). Returns
    /// whether the data ended cleanly.
    #[napi]
    pub fn finish(&mut self) -> bool {
        if self.failure.is_none() && self.member.is_some() {
            self.failure = Some((TRUNCATED.to_string(), (self.total_in - 1.0).max(0.0)));
        }
        self.failure.is_none()
    }

    /// Compressed bytes the last `decompress` call consumed.
    #[napi(getter)]
    pub fn consumed(&self) -> u32 {
        self.consumed
    }

    /// Decompressed bytes produced so far.
    #[napi(getter)]
    pub fn total_out(&self) -> f64 {
        self.total_out
    }

    /// zlib's message for the damage, once found.
    #[napi(getter)]
    pub fn failure(&self) -> Option<String> {
        self.failure.as_ref().map(|(message, _)| message.clone())
    }

    /// Offset in the compressed input of the byte the damage was found at.
    #[napi(getter)]
    pub fn failed_at(&self) -> Option<f64> {
        self.failure.as_ref().map(|(_, at)| *at)
    }
}

impl Default for GzipDecoder {
    fn default() -> Self {
        Self::new()
    }
}
