//! The `syncmedic` command line: a thin shell over the library.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    syncmedic::malloc::tune();
    match cli::run() {
        Ok(code) => code,
        // Nobody reads the rest: nothing went wrong for the command.
        Err(err) if cli::reader_gone(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {}", cli::describe(&err));
            ExitCode::from(2)
        }
    }
}
