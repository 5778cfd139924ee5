"""click in Danish: its messages, usage lines, help pages, and the one place errors end.

Every command and group of ``standardgen`` uses these classes, so a command added later gets Danish
help, one-line Danish usage errors (exit 2) and located problems instead of a traceback (exit 1)
without a word of its own.
"""

from __future__ import annotations

import re
import sys
from typing import Any

import click

from standardgen.cli.common import report
from standardgen.core.fileio import os_error_message
from standardgen.core.problems import InputError

# click's own messages are English; the users are not. The common ones are translated here.
_CLICK_MESSAGES: list[tuple[str, str]] = [
    (r"No such option '(.+?)'\. Did you mean '(.+?)'\?", r"ukendt tilvalg '\1'; mente du '\2'?"),
    (r"No such option '(.+?)'\.?", r"ukendt tilvalg '\1'"),
    (r"No such command '(.+?)'\.?", r"ukendt kommando '\1'"),
    (r"Missing argument '(.+?)'\.?", r"mangler argumentet \1"),
    (r"Missing option '(.+?)'\.?", r"mangler tilvalget \1"),
    (r"Option '(.+?)' requires an argument\.?", r"tilvalget '\1' skal have en værdi"),
    (r"Invalid value for '(.+?)': '(.*?)' is not one of (.+)\.",
     r"ugyldig værdi for '\1': '\2'; brug en af: \3"),
    (r"Invalid value for '(.+?)': (.+)", r"ugyldig værdi for '\1': \2"),
    (r"Got unexpected extra arguments? \((.+)\)", r"uventede argumenter: \1"),
]


def danish(message: str) -> str:
    for pattern, replacement in _CLICK_MESSAGES:
        translated, count = re.subn(pattern, replacement, message)
        if count:
            return translated
    return message


# Names in usage lines and option values: a command added later gets these without a word.
_ARGUMENT_NAMES = {"paths": "STI", "path": "STI", "files": "FIL", "file": "FIL",
                   "filled": "FIL", "source": "FIL", "sources": "FIL", "folder": "MAPPE",
                   "directory": "MAPPE", "dir": "MAPPE", "slug": "SLUG"}
_TYPE_NAMES = {"path": "STI", "file": "FIL", "filename": "FIL", "directory": "MAPPE",
               "text": "TEKST", "integer": "TAL", "integer range": "TAL", "float": "TAL",
               "float range": "TAL", "boolean": "JA/NEJ", "datetime": "DATO"}
_HELP_EXTRA = re.compile(r"\s*\[([^\[\]]*)\]$")


def _danish_metavar(param: click.Parameter) -> str | None:
    if isinstance(param, click.Argument):
        name = _ARGUMENT_NAMES.get(param.name or "", (param.name or "").upper())
        name = name if param.required else f"[{name}]"
        return name + "..." if param.nargs != 1 else name
    if isinstance(param, click.Option) and not param.is_flag and param.nargs == 1 and not (
            isinstance(param.type, click.Choice)):
        return _TYPE_NAMES.get(param.type.name.lower(), param.type.name.upper())
    return None


def _danish_extra(extra: str) -> str:
    """click's '[default: x; x>=1; required]' as '[standard: x; mindst 1; påkrævet]'."""
    parts = []
    for part in (p.strip() for p in extra.split(";")):
        if part.startswith("default: "):
            parts.append("standard: " + part.removeprefix("default: ").strip("()"))
        elif part == "required":
            parts.append("påkrævet")
        elif match := re.fullmatch(r"(-?[\d.]+)<=x<=(-?[\d.]+)", part):
            parts.append(f"{match[1]}-{match[2]}")
        elif match := re.fullmatch(r"x>=(-?[\d.]+)", part):
            parts.append(f"mindst {match[1]}")
        elif match := re.fullmatch(r"x<=(-?[\d.]+)", part):
            parts.append(f"højst {match[1]}")
        else:
            parts.append(part)
    return f"[{'; '.join(parts)}]"


class DanishCommand(click.Command):
    """--help in Danish: headings, argument and value names, defaults and ranges, and the help
    option's own text. Every command of the group gets it (``command_class``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[TILVALG]")
        super().__init__(*args, **kwargs)
        for param in self.params:
            if param.metavar is None:
                param.metavar = _danish_metavar(param)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)),
                              prefix="Brug: ")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(names, _HELP_EXTRA.sub(lambda m: "  " + _danish_extra(m[1]), text))
                for param in self.get_params(ctx)
                if not isinstance(param, click.Argument)
                and (record := param.get_help_record(ctx)) is not None
                for names, text in [record]]
        if rows:
            with formatter.section("Tilvalg"):
                formatter.write_dl(rows)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "Vis denne hjælp og afslut."
        return option


class DanishGroup(DanishCommand, click.Group):
    command_class = DanishCommand
    group_class = type  # subgroups are of the same class as their parent

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", "KOMMANDO [ARGUMENTER]...")
        super().__init__(*args, **kwargs)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        commands = [(name, command) for name in self.list_commands(ctx)
                    if (command := self.get_command(ctx, name)) and not command.hidden]
        if commands:
            limit = formatter.width - 6 - max(len(name) for name, _ in commands)
            with formatter.section("Kommandoer"):
                formatter.write_dl([(name, command.get_short_help_str(limit))
                                    for name, command in commands])


def os_error_line(exc: OSError) -> str:
    """One located Danish line for a file-system error (the file, when the system names it)."""
    message = os_error_message(exc)
    if exc.filename:
        return f"{exc.filename}:0:0: fejl: {message}"
    return f"standardgen: fejl: {message}"


class MainGroup(DanishGroup):
    """Prints usage errors in Danish on one line (plus a pointer to --help), exit code 2, and
    turns file-system errors into a one-line message with exit code 1 instead of a traceback."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            result = super().main(*args, **kwargs)
        except click.UsageError as exc:
            command = exc.ctx.command_path if exc.ctx else "standardgen"
            click.echo(f"{command}: fejl: {danish(exc.format_message())}", err=True)
            click.echo(f"Se '{command} --help'.", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            click.echo(f"standardgen: fejl: {danish(exc.format_message())}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("standardgen: afbrudt", err=True)
            sys.exit(130)
        except InputError as exc:  # input that cannot be used: its located problems, exit 1
            sys.exit(report(exc.problems))
        except OSError as exc:
            click.echo(os_error_line(exc), err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)
