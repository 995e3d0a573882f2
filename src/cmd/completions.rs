//! `completions SHELL` and `manpage`: generated from the clap command tree, so every command
//! (including ones added later) is completed and documented without a hand-kept list.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use clap_complete::Shell;

use super::out::Out;
use super::Status;

#[derive(Args, Debug)]
#[command(after_help = "Examples:
  pim-notify completions bash > ~/.local/share/bash-completion/completions/pim-notify
  pim-notify completions zsh > \"${fpath[1]}/_pim-notify\"
  pim-notify completions fish > ~/.config/fish/completions/pim-notify.fish
  pim-notify completions powershell >> $PROFILE")]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn completions(args: &CompletionsArgs, mut command: clap::Command, out: &mut Out) -> Result<Status> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "pim-notify", &mut script);
    if args.shell == Shell::Bash {
        script = fix_bash_state_labels(&String::from_utf8(script)?).into_bytes();
    }
    out.w.write_all(&script)?;
    Ok(0)
}

/// clap_complete's bash script spells a hyphenated program's subcommand states two ways: the
/// dispatch loop builds `pim__notify__subcmd__who`, the case arms test
/// `pim__subcmd__notify__subcmd__who`, so options of subcommands never complete (clap-rs/clap
/// issue 6421). Spelling the arms like the loop fixes it, and does nothing once clap is fixed.
fn fix_bash_state_labels(script: &str) -> String {
    script.replace("pim__subcmd__notify", "pim__notify")
}

#[derive(Args, Debug)]
#[command(after_help = "Examples:
  pim-notify manpage | man -l -
  pim-notify manpage --out-dir /usr/local/share/man/man1")]
pub struct ManpageArgs {
    /// Write one page per command (pim-notify.1, pim-notify-who.1, ...) into this folder
    /// instead of printing the main page
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

pub fn manpage(args: &ManpageArgs, command: clap::Command, out: &mut Out) -> Result<Status> {
    match &args.out_dir {
        Some(dir) => {
            std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
            clap_mangen::generate_to(command, dir)
                .with_context(|| format!("cannot write into {}", dir.display()))?;
        }
        None => clap_mangen::Man::new(command).render(out.w)?,
    }
    Ok(0)
}
