//! `tranche lsp`: the language server for editors (`crate::lsp`), on stdin and stdout.
//!
//! This is where the server's I/O is: the process's stdio becomes the protocol's channels
//! (`lsp_server::Connection::stdio`, two threads that read and write JSON-RPC frames), and the
//! real file system reads the files the editor does not hold open. The server itself only
//! sees the channels and the `FileSystem`.

use super::{Context, Exit, Outcome, Stop};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Speak the protocol on stdin and stdout (the only transport; accepted because editors'
    /// clients pass it).
    #[arg(long)]
    pub stdio: bool,
}

pub(crate) fn run(_args: &Args, ctx: &Context) -> Outcome {
    let (connection, threads) = lsp_server::Connection::stdio();
    let served = crate::lsp::serve(&connection, &super::StdFs, ctx.includes);
    // The writer thread ends when every sender is gone; the reader when stdin closes.
    drop(connection);
    let joined = threads.join();
    match served
        .map_err(|e| e.to_string())
        .and(joined.map_err(|e| e.to_string()))
    {
        Ok(()) => Ok(Exit::Success),
        Err(error) => Err(Stop::Trouble(format!(
            "the language server stopped: {error}"
        ))),
    }
}
