use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(ghirbal::cli::main())
}
