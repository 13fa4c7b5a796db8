"""The documentation cannot drift: the site builds in strict mode, the README stays a short guide whose
test command is the one CI runs, and the command-line reference covers every command and option."""

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

from graphsvc.cli import main
from graphsvc.cli_reference import MARKER, missing, options, render, walk
from graphsvc.settings import SETTINGS

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
ISSUE_REFERENCE = re.compile(r"\bissues?\s+#?\d+|(?<![\w&])#\d+\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site as `mkdocs build --strict` writes it (any warning fails the build), from this checkout's code."""
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, f"mkdocs build --strict failed:\n{build.stderr}"
    return out


def ci_test_command() -> str:
    """The command .ci/run ends with: install the test extra, lint, format check, pytest."""
    lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    commands = [line for line in lines if line.startswith("pip install") and "pytest" in line]
    assert len(commands) == 1, f".ci/run should run one test command, found {commands}"
    return commands[0]


def code_lines(markdown: str) -> list[str]:
    """The lines inside the fenced code blocks of a Markdown text."""
    blocks = re.findall(r"^```[^\n]*\n(.*?)^```", markdown, re.MULTILINE | re.DOTALL)
    return [line.strip() for block in blocks for line in block.splitlines()]


def test_site_builds_in_strict_mode(site):
    assert (site / "index.html").is_file()
    pages = {path.stem for path in DOCS.glob("*.md")}
    assert {page for page in pages if page != "index" and not (site / page / "index.html").is_file()} == set()


def test_readme_is_short():
    assert len(README.read_text().splitlines()) < 150


def test_readme_test_command_is_the_one_ci_runs():
    commands = [line for line in code_lines(README.read_text()) if "pytest" in line]
    assert commands == [ci_test_command()]


def test_readme_names_the_system_packages_and_python():
    """The README's apt-get line names every Debian package .ci/run installs, and says what each is for."""
    readme = README.read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    installed = {
        word
        for line in ci.splitlines()
        if "apt-get install" in line and not line.lstrip().startswith("#")
        for word in line.split("apt-get install", 1)[1].split()
        if not word.startswith("-")
    }
    [apt] = [line for line in code_lines(readme) if line.startswith("sudo apt-get install")]
    assert installed == set(apt.split()[3:]) and {"chromium", "virtuoso-opensource"} <= installed
    assert all(f"`{package}`" in readme for package in installed)
    assert "Python 3.11" in readme


def test_readme_install_command():
    assert "pip install . && graphsvc serve" in code_lines(README.read_text())


@pytest.mark.parametrize("path", [README, *sorted(DOCS.rglob("*.md"))], ids=lambda path: path.name)
def test_no_issue_references(path):
    found = [match.group(0) for match in ISSUE_REFERENCE.finditer(path.read_text())]
    assert found == [], f"{path.name} refers to issues a reader cannot see: {found}"


def test_issue_reference_pattern_finds_them():
    text = "as issue 9, test 7 asked; see Issue #12 and #8; colours #1f77b4 and &#8212; are not issues"
    assert [m.group(0) for m in ISSUE_REFERENCE.finditer(text)] == ["issue 9", "Issue #12", "#8"]


def test_cli_page_holds_the_generated_reference(site):
    assert MARKER in (DOCS / "cli.md").read_text()
    page = (site / "cli" / "index.html").read_text()
    assert MARKER not in page
    assert missing(page) == []


def test_cli_reference_covers_every_command_and_option():
    reference = render()
    assert missing(reference) == []
    for context, command in walk(main):
        assert f"{'#' * (context.command_path.count(' ') + 2)} {context.command_path}\n" in reference
        for option in options(command, context):
            if option.help and "--help" not in option.opts:
                assert " ".join(option.help.split()).replace("|", "\\|") in reference, option.name


def test_missing_reports_a_command_or_option_the_reference_lacks():
    """A reference written before a command or option was added is caught."""
    stale = render()
    grown = click.Group("graphsvc", commands=dict(main.commands), params=list(main.params))
    grown.add_command(click.Command("newcmd", params=[click.Option(["--brand-new"])]))
    serve = click.Command("serve", params=[*main.commands["serve"].params, click.Option(["--fresh-limit"])])
    grown.add_command(serve)
    assert missing(stale, grown) == ["graphsvc newcmd", "graphsvc newcmd --brand-new", "graphsvc serve --fresh-limit"]


def test_settings_page_names_every_setting_and_option(site):
    """Every entry of the settings registry, and every option of serve and the group, is on the built page."""
    page = html.unescape((site / "settings" / "index.html").read_text())
    absent = [s.name for s in SETTINGS if f"<code>{s.name}</code>" not in page]
    absent += [s.option for s in SETTINGS if s.option and f"<code>{s.option}</code>" not in page]
    context = click.Context(main, info_name="graphsvc")
    serve = main.commands["serve"]
    wanted = [*options(main, context), *options(serve, click.Context(serve, parent=context))]
    own = [o for o in wanted if not {"--help", "--version"} & set(o.opts)]  # click's own options
    absent += [name for o in own for name in o.opts if f"<code>{name}</code>" not in page]
    assert absent == []
