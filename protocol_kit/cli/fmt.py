"""`protokit fmt PATH...`: write protocol-kit JSON files in the one canonical layout."""

from __future__ import annotations

import click

from protocol_kit.cli.options import CONTEXT


@click.command(context_settings=CONTEXT, short_help="Write JSON files in the canonical layout.")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "--check",
    is_flag=True,
    help="Change nothing: list the files that are not in the canonical layout and exit 1 if "
    "there are any (for CI and pre-commit).",
)
@click.option("--diff", "show_diff", is_flag=True, help="Print what would change, as a diff.")
@click.option(
    "--migrate",
    is_flag=True,
    help="Also rewrite retired fields as today's format has them: a protocol's last_reviewed "
    "becomes updated (removed where updated is given). Each change is listed.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
def fmt(paths, check, show_diff, migrate, quiet) -> None:
    """Write protocols, library exercises and prescriptions in the canonical layout.

    Two-space indentation, one member per line, keys in the order written, numbers as written,
    invisible characters as \\u escapes, UTF-8 without a byte-order mark, a final newline.
    Files are replaced atomically, and only when they change; a read-only (locked) file never.
    Folders are searched for the `.json` files whose `$schema` is a protocol-kit schema; `-`
    reads standard input and writes the formatted text to standard output.

    A file that is not strict JSON is left as it is and reported with its line and column.
    `--migrate` upgrades a file written in an older format (GOV006 says which); a sign-off is
    never written for you.

    Exit status: 0 done (or, with --check, nothing to change), 1 a file would be reformatted
    (--check) or could not be read or written, 2 usage error.
    """
    from protocol_kit.app.fmt import FAILED, REFORMATTED, WOULD_REFORMAT, format_paths
    from protocol_kit.config import load_config
    from protocol_kit.loading import STDIN_NAME
    from protocol_kit.untrusted.text import printable

    exclude = load_config(None).exclude
    outcomes = format_paths(paths, check=check or show_diff, exclude=exclude, migrate=migrate)
    failed = changed = 0
    for outcome in outcomes:
        if outcome.state == FAILED:
            failed += 1
            click.echo(f"protokit fmt: error: {printable(outcome.problem)}", err=True)
        elif outcome.path == STDIN_NAME and not check:
            click.echo(outcome.formatted or outcome.original, nl=False)
        elif outcome.state in (WOULD_REFORMAT, REFORMATTED):
            changed += 1
            for change in outcome.changes:
                verb = "migrated" if outcome.state == REFORMATTED else "would migrate"
                click.echo(f"{verb} {printable(outcome.path)}: {change}", err=True)
            if show_diff:
                click.echo(outcome.diff(), nl=False)
            elif not quiet or check:
                click.echo(f"{outcome.state} {printable(outcome.path)}")
    if not quiet and paths != (STDIN_NAME,):
        done = "would be reformatted" if check or show_diff else "reformatted"
        unchanged = sum(1 for o in outcomes if o.state == "unchanged")
        # A file that could not be read is counted too: the pre-commit hook's summary said "0
        # files would be reformatted, 1 unchanged" of two files, one of them broken.
        unwritten = sum(1 for o in outcomes if o.state == FAILED and o.formatted)
        unread = f", {failed - unwritten} could not be read" if failed - unwritten else ""
        unread += f", {unwritten} could not be written" if unwritten else ""
        click.echo(f"{changed} {_files(changed)} {done}, {unchanged} unchanged{unread}", err=True)
        if changed and check and not show_diff:
            # A pre-commit hook's failure said what was wrong, not what to run.
            click.echo(_rewrite_advice(outcomes, changed), err=True)
    if failed or (changed and (check or show_diff)):
        raise click.exceptions.Exit(1)


# The most files the advice names one by one: more make a command nobody reads.
_NAMED_FILES = 5


def _rewrite_advice(outcomes, changed: int) -> str:
    """What to run to rewrite the files `--check` found: the command with their names, as a
    clinic lead whose pre-commit hook failed can paste it (the hook passes the changed files,
    which "with the same paths" left them to find), or in words for many files or a name no
    quoting makes safe to show."""
    from protocol_kit.app.fmt import WOULD_REFORMAT
    from protocol_kit.untrusted.text import shell_word

    which = "it" if changed == 1 else "them"
    words = [shell_word(o.path) for o in outcomes if o.state == WOULD_REFORMAT]
    if len(words) > _NAMED_FILES or None in words:
        return (
            f"to rewrite {which}: protokit fmt, with the same paths and without --check "
            "(--diff shows the changes first)"
        )
    return f"to rewrite {which}: protokit fmt -- {' '.join(words)} (--diff shows the changes first)"


def _files(count: int) -> str:
    return "file" if count == 1 else "files"
