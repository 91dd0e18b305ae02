use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = zoomscope::cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("zoomscope: cannot start the async runtime: {e}");
            return ExitCode::from(zoomscope::app::exit::USAGE);
        }
    };
    match runtime.block_on(zoomscope::cli::run(cli)) {
        Ok(code) => code,
        // The reader of our output went away (`| head`): nothing to report.
        Err(e) if zoomscope::util::stdout::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("zoomscope: {e:#}");
            ExitCode::from(zoomscope::app::exit::USAGE)
        }
    }
}
