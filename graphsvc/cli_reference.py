"""The command-line reference in Markdown, generated from the click commands of `graphsvc.cli.main`.

MkDocs runs this file as a hook (`hooks:` in mkdocs.yml): when the site is built, the marker line
in docs/cli.md is replaced by the reference, so the published reference always describes the
commands as they are. `python -m graphsvc.cli_reference` prints the same Markdown.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator

import click

MARKER = "<!-- cli-reference -->"
SETTINGS_MARKER = "<!-- settings-table -->"  # docs/settings.md: the table of graphsvc.settings
_UNSET = getattr(click.core, "UNSET", None)  # click 8.3's "no default", None before


def walk(command: click.Command, name: str = "graphsvc", parent: click.Context | None = None) -> Iterator:
    """Every command under `command` (itself first) as (its click context, the command), commands sorted by name."""
    context = click.Context(command, info_name=name, parent=parent)
    yield context, command
    if isinstance(command, click.Group):
        for sub_name in sorted(command.list_commands(context)):
            yield from walk(command.get_command(context, sub_name), sub_name, context)


def options(command: click.Command, context: click.Context) -> list[click.Option]:
    """The command's options as its --help lists them, --help included."""
    return [param for param in command.get_params(context) if isinstance(param, click.Option)]


def option_names(option: click.Option) -> list[str]:
    return [*option.opts, *option.secondary_opts]


def render(command: click.Command | None = None) -> str:
    """The Markdown reference of `command` (default: the `graphsvc` command) and all its subcommands."""
    if command is None:
        from graphsvc.cli import main as command
    return "\n".join(_section(context, each) for context, each in walk(command))


def missing(text: str, command: click.Command | None = None) -> list[str]:
    """The commands and options of `command` (default: `graphsvc`) that `text` does not name."""
    if command is None:
        from graphsvc.cli import main as command
    absent = []
    for context, each in walk(command):
        path = context.command_path
        if path not in text:
            absent.append(path)
        absent += [
            f"{path} {name}" for option in options(each, context) for name in option_names(option) if name not in text
        ]
    return absent


def _section(context: click.Context, command: click.Command) -> str:
    level = "#" * min(context.command_path.count(" ") + 2, 6)
    lines = [f"{level} {context.command_path}", ""]
    usage = " ".join([context.command_path, *command.collect_usage_pieces(context)])
    lines += ["```text", usage, "```", ""]
    help_text = inspect.cleandoc(command.help or "").split("\f")[0].replace("\b\n", "")
    if help_text:
        lines += [help_text, ""]
    arguments = [param for param in command.get_params(context) if isinstance(param, click.Argument)]
    if arguments:
        lines += ["| argument | required | values |", "| --- | --- | --- |"]
        for argument in arguments:
            many = ", one or more" if argument.nargs == -1 and argument.required else ""
            many = many or (", any number" if argument.nargs == -1 else "")
            lines.append(
                f"| `{argument.make_metavar(context)}` | {'yes' if argument.required else 'no'}{many} |"
                f" {_values(argument, context)} |"
            )
        lines.append("")
    if isinstance(command, click.Group):
        subcommands = sorted(command.list_commands(context))
        lines += ["Commands: " + ", ".join(f"`{name}`" for name in subcommands) + ".", ""]
    lines += ["| option | values | default | meaning |", "| --- | --- | --- | --- |"]
    for option in options(command, context):
        names = ", ".join(f"`{name}`" for name in option_names(option))
        meaning = _cell(option.help or "")
        if option.envvar:
            meaning += f" Environment variable: `{option.envvar}`."
        if option.required:
            meaning += " Required."
        lines.append(f"| {names} | {_values(option, context)} | {_default(option, context)} | {meaning.strip()} |")
    lines.append("")
    return "\n".join(lines)


def _values(param: click.Parameter, context: click.Context) -> str:
    kind = param.type
    if getattr(param, "is_flag", False):
        return "flag"
    if isinstance(kind, click.Choice):
        return " ".join(f"`{choice}`" for choice in kind.choices)
    text = f"{kind.name}"
    describe_range = getattr(kind, "_describe_range", None)  # click's ranges: "x>=1", "1<=x<=65535"
    if describe_range:
        text += f" `{describe_range()}`"
    metavar = param.metavar
    return f"`{metavar}` ({text})" if metavar else text


def _default(option: click.Option, context: click.Context) -> str:
    default = option.get_default(context, call=False)
    if default is None or default is _UNSET or callable(default) or (option.is_flag and not default):
        return ""
    if isinstance(default, tuple | list):
        return " ".join(f"`{value}`" for value in default) if default else ""
    return f"`{default}`"


def _cell(text: str) -> str:
    """A help text as one table cell: on one line, pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def on_page_markdown(markdown: str, page, config, files) -> str:
    """MkDocs hook: the reference replaces the marker line of the page that holds it."""
    if SETTINGS_MARKER in markdown:
        from graphsvc.settings import markdown_table

        markdown = markdown.replace(SETTINGS_MARKER, markdown_table())
    return markdown.replace(MARKER, render()) if MARKER in markdown else markdown


if __name__ == "__main__":
    print(render())
