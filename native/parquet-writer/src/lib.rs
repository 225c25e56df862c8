//! logbeam's native Parquet encoder: the Parquet sink hands each flush of its column buffers over as one Arrow
//! IPC stream (the same bytes it gives parquet-wasm), and this writer appends them to one Parquet file with
//! Apache Arrow's Rust `parquet` crate, returning the file's bytes as they are produced. The row group being
//! built lives in this process's native heap and is freed when the row group is written (WASM memory, by
//! contrast, never shrinks).
//!
//! The addon also holds the log readers' gzip decoder (gunzip.rs).

mod gunzip;

use std::io::{Cursor, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use arrow_ipc::reader::StreamReader;
use napi::bindgen_prelude::{Buffer, Uint8Array};
use napi::{Error, Result};
use napi_derive::napi;
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, GzipLevel, ZstdLevel};
use parquet::file::properties::{WriterProperties, WriterVersion};
use parquet::schema::types::ColumnPath;

/// The Parquet bytes written since they were last taken.
#[derive(Clone, Default)]
struct Pending(Arc<Mutex<Vec<u8>>>);

impl Pending {
    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.lock().expect("pending bytes lock"))
    }
}

impl Write for Pending {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .expect("pending bytes lock")
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Writer settings, resolved by the sink (see io/sinks/parquet/parquet-encoder.ts).
#[napi(object)]
pub struct NativeWriterOptions {
    /// `zstd`, `snappy`, `gzip` or `none`.
    pub compression: String,
    pub row_group_rows: u32,
    pub dictionary: bool,
    /// Columns written without a dictionary (mostly distinct values).
    pub plain_columns: Vec<String>,
}

fn compression(name: &str) -> Result<Compression> {
    match name {
        "zstd" => Ok(Compression::ZSTD(ZstdLevel::default())),
        "snappy" => Ok(Compression::SNAPPY),
        "gzip" => Ok(Compression::GZIP(GzipLevel::default())),
        "none" => Ok(Compression::UNCOMPRESSED),
        other => Err(Error::from_reason(format!("unknown compression {other}"))),
    }
}

fn properties(options: &NativeWriterOptions) -> Result<WriterProperties> {
    let mut builder = WriterProperties::builder()
        .set_compression(compression(&options.compression)?)
        .set_dictionary_enabled(options.dictionary)
        .set_max_row_group_row_count(Some(options.row_group_rows.max(1) as usize))
        .set_writer_version(WriterVersion::PARQUET_1_0)
        .set_created_by("logbeam".to_string());
    for column in &options.plain_columns {
        builder = builder.set_column_dictionary_enabled(ColumnPath::from(column.as_str()), false);
    }
    Ok(builder.build())
}

/// Parquet bytes written (by every writer of the process) since the heap was last trimmed.
static WRITTEN_SINCE_TRIM: AtomicUsize = AtomicUsize::new(0);
/// Trim after this many bytes of Parquet: after every row group cost 4-5% more CPU in page faults on VPC flow
/// logs, for about 10% less peak memory than trimming every 16 MiB.
const TRIM_EVERY_BYTES: usize = 16 << 20;

/// Counts `bytes` of output, and trims the heap once `TRIM_EVERY_BYTES` have been written since the last trim.
fn note_written(bytes: usize) {
    let written = WRITTEN_SINCE_TRIM.fetch_add(bytes, Ordering::Relaxed) + bytes;
    if written >= TRIM_EVERY_BYTES {
        WRITTEN_SINCE_TRIM.store(0, Ordering::Relaxed);
        release_free_memory();
    }
}

/// Hands the native heap's free pages back to the system. glibc keeps freed chunks of the row group's buffers
/// (1-4 MB each, under its adaptive mmap threshold) in its arenas, so without this a process's resident memory
/// ratchets up with every file it writes, though nothing is live.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn release_free_memory() {
    extern "C" {
        fn malloc_trim(pad: usize) -> i32;
    }
    // SAFETY: malloc_trim only walks glibc's own free lists; it takes its arena locks itself.
    unsafe {
        malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn release_free_memory() {}

fn failed(context: &str, error: impl std::fmt::Display) -> Error {
    Error::from_reason(format!("native Parquet writer: {context}: {error}"))
}

/// One Parquet file, written as a stream of Arrow IPC record batches.
#[napi]
pub struct NativeParquetWriter {
    properties: Option<WriterProperties>,
    writer: Option<ArrowWriter<Pending>>,
    pending: Pending,
}

#[napi]
impl NativeParquetWriter {
    #[napi(constructor)]
    pub fn new(options: NativeWriterOptions) -> Result<Self> {
        Ok(Self {
            properties: Some(properties(&options)?),
            writer: None,
            pending: Pending::default(),
        })
    }

    /// Appends the record batches of one Arrow IPC stream (schema message first); returns the Parquet bytes
    /// produced by it (often none: a row group is written once it is full).
    #[napi]
    pub fn write(&mut self, ipc: Uint8Array) -> Result<Buffer> {
        let reader = StreamReader::try_new(Cursor::new(ipc.as_ref()), None)
            .map_err(|e| failed("reading Arrow IPC", e))?;
        if self.writer.is_none() {
            let properties = self
                .properties
                .take()
                .ok_or_else(|| failed("write", "the file is already finished"))?;
            let writer =
                ArrowWriter::try_new(self.pending.clone(), reader.schema(), Some(properties))
                    .map_err(|e| failed("starting the file", e))?;
            self.writer = Some(writer);
        }
        let writer = self.writer.as_mut().expect("writer started above");
        for batch in reader {
            let batch = batch.map_err(|e| failed("reading Arrow IPC", e))?;
            writer.write(&batch).map_err(|e| failed("encoding", e))?;
        }
        let bytes = self.pending.take();
        note_written(bytes.len());
        Ok(bytes.into())
    }

    /// Writes the last row group and the footer; returns the remaining bytes of the file.
    #[napi]
    pub fn finish(&mut self) -> Result<Buffer> {
        let writer = self
            .writer
            .take()
            .ok_or_else(|| failed("finish", "no batch was written (the schema is unknown)"))?;
        writer
            .close()
            .map_err(|e| failed("finishing the file", e))?;
        let bytes = self.pending.take();
        note_written(bytes.len());
        Ok(bytes.into())
    }
}
