//! Standard output for the commands' results. A reader that goes away
//! early (`syncmedic eval FILE | head`) ends the command quietly, as it
//! ends `cat` or `grep`: Rust ignores SIGPIPE, so each print would
//! otherwise panic or end in an error message about a pipe nobody reads.

use std::io::{self, Write};

/// Standard output, whose closed pipe is told apart from other errors.
pub struct Out;

/// The error a write to standard output carries when its reader is gone.
#[derive(Debug, thiserror::Error)]
#[error("standard output was closed")]
pub struct ReaderGone;

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        io::stdout().write(buf).map_err(gone)
    }

    fn flush(&mut self) -> io::Result<()> {
        io::stdout().flush().map_err(gone)
    }
}

fn gone(err: io::Error) -> io::Error {
    if err.kind() == io::ErrorKind::BrokenPipe {
        io::Error::new(io::ErrorKind::BrokenPipe, ReaderGone)
    } else {
        err
    }
}

/// Whether a command failed only because nobody reads its output any more.
pub fn reader_gone(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .and_then(io::Error::get_ref)
            .is_some_and(|inner| inner.is::<ReaderGone>())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_closed_standard_output_counts_as_the_reader_gone() {
        let closed = gone(io::Error::from(io::ErrorKind::BrokenPipe));
        assert!(reader_gone(
            &anyhow::Error::from(closed).context("printing")
        ));
        let other = gone(io::Error::from(io::ErrorKind::PermissionDenied));
        assert!(!reader_gone(&anyhow::Error::from(other)));
        // A broken pipe elsewhere (a socket, a child) is an error as ever.
        let socket = io::Error::from(io::ErrorKind::BrokenPipe);
        assert!(!reader_gone(&anyhow::Error::from(socket)));
    }
}
