//! `exec`'s command run as a child whose output is relayed through [`Stream`], one thread a masked stream; how it ended (exit code, or the signal that killed it) becomes how this process ends.

use std::io::{self, PipeReader, Read, Write};
use std::process::{Child, Command};
use std::thread::JoinHandle;

use super::mask::{Mask, Stream};
use super::{Masked, RunError, To};

/// How much is read at a time, and (on Linux) the size of each pipe from
/// the command: a read hands over at most what the pipe holds, and few large
/// reads and writes are what keep the relay near a direct pipe's speed.
const READ_SIZE: usize = 1024 * 1024;

/// Runs `command` with the `masked` streams read through pipes and written
/// on with each secret of `mask` hidden; stdin, and a stream that is not
/// masked (a terminal), are inherited as they are. Returns the command's
/// exit code once it has ended and its output has ended too (a background
/// process that keeps the output open keeps this running, as it would keep
/// `| cat`); a command killed by a signal ends this process by that signal.
pub fn run(mut command: Command, mask: &Mask, masked: Masked) -> Result<u8, RunError> {
    let program = command.get_program().to_owned();
    let pipes = pipes(&mut command, masked).map_err(|e| RunError::relay(&program, e))?;
    let signals = super::platform::Signals::catch().map_err(|e| RunError::relay(&program, e))?;
    let child = crate::hardening::for_child(|| command.spawn()).map_err(|e| RunError::starting(&program, e))?;
    // Its copies of the pipes' write ends: a relay sees the end of the
    // output only once the command's are closed too.
    drop(command);
    let (child, relays) = start_relays(child, pipes, mask).map_err(|e| RunError::relay(&program, e))?;
    let ended = signals.forward(child).map_err(|e| RunError::relay(&program, e))?;
    finish(relays);
    match ended.recv() {
        Ok(Ok(status)) => Ok(super::platform::end_like(status)),
        Ok(Err(e)) => Err(RunError::relay(&program, e)),
        Err(_) => Err(RunError::relay(&program, io::Error::other("the command's end was not seen"))),
    }
}

/// A pipe for each masked stream, its write end given to `command`, and where
/// its read end is relayed to. With both masked and stdout and stderr one
/// pipe or file (`2>&1`), the command gets one pipe for both, so what it
/// writes on the two stays in its order.
fn pipes(command: &mut Command, masked: Masked) -> io::Result<Vec<(PipeReader, To)>> {
    let one = masked.stdout && masked.stderr && super::platform::one_output();
    let pipe = || {
        let (reader, writer) = io::pipe()?;
        super::platform::widen(&reader, READ_SIZE);
        io::Result::Ok((reader, writer))
    };
    let mut pipes = Vec::new();
    if masked.stdout {
        let (reader, writer) = pipe()?;
        if one {
            command.stderr(writer.try_clone()?);
        }
        command.stdout(writer);
        pipes.push((reader, To::Stdout));
    }
    if masked.stderr && !one {
        let (reader, writer) = pipe()?;
        command.stderr(writer);
        pipes.push((reader, To::Stderr));
    }
    Ok(pipes)
}

/// A thread relaying each pipe. If one cannot be started, the child is
/// killed and reaped rather than left running with no one reading it.
fn start_relays(
    mut child: Child,
    pipes: Vec<(PipeReader, To)>,
    mask: &Mask,
) -> io::Result<(Child, Vec<JoinHandle<()>>)> {
    let mut relays = Vec::new();
    for (reader, to) in pipes {
        let started = output(to).and_then(|out| {
            let stream = Stream::new(mask.clone(), READ_SIZE);
            let name = format!("exec-{to:?}").to_lowercase();
            std::thread::Builder::new().name(name).spawn(move || relay(reader, out, stream))
        });
        match started {
            Ok(handle) => relays.push(handle),
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(e);
            }
        }
    }
    Ok((child, relays))
}

/// Waits for every relay to reach the end of its stream.
fn finish(relays: Vec<JoinHandle<()>>) {
    for relay in relays {
        let _ = relay.join();
    }
}

/// Copies `from` to `out` through `stream` until the end of the output.
/// When `out` is closed (`| head`), `from` is dropped, so the command's next
/// write meets a closed pipe, as it would have writing there itself.
fn relay(mut from: PipeReader, mut out: Box<dyn Write + Send>, mut stream: Stream) {
    loop {
        match from.read(stream.space()) {
            Ok(0) => break,
            Ok(n) => {
                if stream.took(n, &mut out).and_then(|()| out.flush()).is_err() {
                    return;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    let _ = stream.end(&mut out).and_then(|()| out.flush());
}

/// Where a relay writes: unbuffered, so each decided span goes out whole and at once.
fn output(to: To) -> io::Result<Box<dyn Write + Send>> {
    Ok(Box::new(super::platform::output(to)?))
}
