//! The `syncmedic` command line: a thin shell over the library.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    syncmedic::malloc::tune();
    match cli::run() {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {}", cli::describe(&err));
            ExitCode::from(2)
        }
    }
}
