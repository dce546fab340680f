"""What every CLI user reaches for first: version, completion, plain errors, y/n, did-you-mean, help that
tells the truth about the values an option accepts.

Completion and ``--version`` run the installed ``mlorg`` script in a subprocess, as a shell would.
"""

from __future__ import annotations

import ast
import enum
import os
import re
import shutil
import subprocess
import sys
import typing
from collections.abc import Callable, Iterator
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
import typer
from pydantic import BaseModel, ValidationError, field_validator
from typer.testing import CliRunner

import mlorg
from conftest import EXAMPLE, CliResult
from mlorg.cli import app

Runner = Callable[..., CliResult]
SRC = Path(mlorg.__file__).resolve().parent
MLORG = Path(sys.executable).with_name("mlorg")


def _script() -> str:
    if not MLORG.exists():
        pytest.fail(f"the mlorg script is not installed beside {sys.executable}: run pip install -e .")
    return str(MLORG)


def run_script(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_script(), *args], capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=120
    )


# ---- version and completion -----------------------------------------------------------------


def test_version_is_the_installed_distributions() -> None:
    res = run_script("--version")
    assert res.returncode == 0, res.stderr
    assert res.stdout == f"mlorg {version('mlorg')}\n"


@pytest.mark.parametrize(
    ("shell", "first"),
    [("bash", "_mlorg_completion() {"), ("zsh", "#compdef mlorg"), ("fish", "complete --command mlorg")],
)
def test_show_completion_prints_a_script_for_each_shell(shell: str, first: str) -> None:
    # Typer's switch lets the shell be named instead of detected from the process's parents, which found
    # none when the tests ran outside a shell ("Shell  not supported.") and otherwise always found the same one.
    res = run_script("--show-completion", shell, env={"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"})
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith(first)
    assert "_MLORG_COMPLETE" in res.stdout


def _complete(words: list[str], home: Path) -> list[str]:
    """What bash offers after sourcing the installed completion script, for the last of ``words``."""
    bash = shutil.which("bash")
    assert bash is not None, "bash is needed to check completion as a user gets it"
    script = home / ".bash_completions" / "mlorg.sh"
    quoted = " ".join(f"'{w}'" for w in words)
    code = (
        f"source '{script}'; COMP_WORDS=({quoted}); COMP_CWORD={len(words) - 1}; "
        '_mlorg_completion mlorg; printf "%s\\n" "${COMPREPLY[@]}"'
    )
    path = f"{MLORG.parent}{os.pathsep}{os.environ.get('PATH', '')}"
    res = subprocess.run(
        [bash, "--norc", "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "HOME": str(home), "PATH": path},
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    return [line for line in res.stdout.splitlines() if line]


def test_install_completion_then_bash_completes_commands_options_and_values(tmp_path: Path) -> None:
    # the shell named, not detected from the parents: none is found when the tests run detached
    detection_off = {"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    res = run_script("--install-completion", "bash", env={"HOME": str(tmp_path), "SHELL": "/bin/bash", **detection_off})
    assert res.returncode == 0, res.stderr
    assert (tmp_path / ".bash_completions" / "mlorg.sh").is_file()
    assert ".bash_completions/mlorg.sh" in (tmp_path / ".bashrc").read_text(encoding="utf-8")
    assert _complete(["mlorg", "ass"], tmp_path) == ["assess"]
    assert "--format" in _complete(["mlorg", "assess", "--form"], tmp_path)
    assert _complete(["mlorg", "lint", "x.yaml", "--format", ""], tmp_path) == ["text", "json", "sarif"]
    assert _complete(["mlorg", "survey", "it"], tmp_path) == ["items"]


# ---- error messages -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["assess", "-f", "xml"], "'xml'"),
        (["generate", "--people", "abc"], "'abc'"),
        (["schema", "bogus"], "'bogus'"),
        (["import", "--timeout", "soon", "hris", "x.csv"], "'soon'"),
    ],
)
def test_bad_option_values_are_said_without_framework_words(run_cli: Runner, args: list[str], named: str) -> None:
    res = run_cli(*args)
    assert res.code == 2
    assert named in res.stderr
    for framework in ("Value error", "Input should", "unable to parse", "Traceback"):
        assert framework not in res.stderr, res.stderr


class _Checked(BaseModel):
    start: int

    @field_validator("start")
    @classmethod
    def _positive(cls, value: int) -> int:
        if value < 0:
            raise ValueError("a start cannot lie before zero")
        return value


def test_a_validators_own_words_reach_the_reader_without_pydantics_prefix() -> None:
    from mlorg.spec.messages import plain_message

    with pytest.raises(ValidationError) as exc:
        _Checked.model_validate({"start": -1})
    (err,) = exc.value.errors(include_url=False)
    assert str(err["msg"]).startswith("Value error, ")  # what pydantic would have said
    assert plain_message(err) == "a start cannot lie before zero"
    with pytest.raises(ValidationError) as exc:
        _Checked.model_validate({"start": "soon"})
    (err,) = exc.value.errors(include_url=False)
    assert plain_message(err) == "expected a whole number, got 'soon'"


def test_a_tab_in_the_indentation_is_named_as_a_tab(run_cli: Runner, tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("version: 2\norganization:\n  name: Acme\n  \theadcount: 20\n", encoding="utf-8")
    res = run_cli("assess", str(spec))
    assert res.code == 2
    assert f"{spec}:4: a tab character indents this line (column 3)" in res.stderr
    spec.write_text("version: 2\norganization:\n\tname: Acme\n", encoding="utf-8")
    assert f"{spec}:3: a tab character indents this line (column 1)" in run_cli("lint", str(spec)).stderr


# ---- answers and hints ----------------------------------------------------------------------


def test_init_takes_y_and_n_where_yes_or_no_is_asked(tmp_path: Path) -> None:
    out = tmp_path / "org.yaml"
    # name, industry, headcount, focus, regulated=Y, ambition, written=n, literacy, voice=y, ...
    keys = ["Acme", "", "", "", "Y", "", "n", "", "y", *[""] * 8]
    result = CliRunner().invoke(app, ["init", "-o", str(out)], input="\n".join(keys) + "\n")
    assert result.exit_code == 0, result.output
    spec = mlorg.load_spec(out)
    assert spec.organization.regulated_personal_data is True
    assert spec.strategy.written is False
    assert spec.strategy.ml_leader_in_leadership is True


def test_init_still_refuses_y_where_the_choices_are_not_yes_and_no(tmp_path: Path) -> None:
    keys = ["Acme", "", "", "y", *[""] * 14]
    result = CliRunner().invoke(app, ["init", "-o", str(tmp_path / "o.yaml")], input="\n".join(keys) + "\n")
    assert "'y' is not one of: implementation, research, both" in result.output


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("no-ml-comunity", "did you mean 'no-ml-community'?"),
        ("siloed-team", "did you mean 'siloed-ml-team'?"),
        ("NO_WRITTEN_STRATEGY", None),  # case and underscores: the rule itself
        ("zzzz", "run `mlorg rules` for the list"),
    ],
)
def test_explain_offers_the_rule_meant(run_cli: Runner, typed: str, hint: str | None) -> None:
    res = run_cli("explain", typed)
    if hint is None:
        assert res.code == 0 and res.stdout.startswith("no-written-strategy ("), res.stderr
    else:
        assert res.code == 2
        assert res.stderr == f"mlorg: unknown rule '{typed}'; {hint}\n"


# ---- help text agrees with the values accepted ----------------------------------------------


def _parameters(t: typer.Typer, path: str) -> Iterator[tuple[str, str, Any, str]]:
    """(command, parameter, accepted type, help) for every parameter of every command, from the code."""
    for command in t.registered_commands:
        callback = command.callback
        assert callback is not None
        name = f"{path} {command.name or callback.__name__}".strip()
        for param, hint in typing.get_type_hints(callback, include_extras=True).items():
            if param == "return":
                continue
            infos = [m for m in getattr(hint, "__metadata__", ()) if hasattr(m, "help")]
            base = typing.get_args(hint)[0] if infos else hint
            yield name, param, base, (infos[0].help or "") if infos else ""
    for group in t.registered_groups:
        assert group.typer_instance is not None
        yield from _parameters(group.typer_instance, f"{path} {group.name}".strip())


def _choices(annotation: Any) -> list[str] | None:
    """The values an annotation accepts, when it is a closed set."""
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, enum.Enum):
            return [str(m.value) for m in candidate]
        if typing.get_origin(candidate) is typing.Literal:
            return [str(v) for v in typing.get_args(candidate)]
    return None


PARAMETERS = list(_parameters(app, ""))
#: every value some option accepts: a word from this set in a help text is a value the help names
VALUES = {v for *_, base, _ in PARAMETERS for v in (_choices(base) or [])}


def _named(help_text: str) -> set[str]:
    return {w for w in re.findall(r"[A-Za-z][\w-]*", help_text) if w in VALUES}


def test_the_walk_sees_every_command() -> None:
    commands = {c for c, *_ in PARAMETERS}
    assert {"assess", "lint", "rules", "import", "survey items", "survey score", "report", "history"} <= commands
    assert len(PARAMETERS) > 50


@pytest.mark.parametrize(
    ("command", "param", "base", "help_text"), PARAMETERS, ids=[f"{c}:{p}" for c, p, *_ in PARAMETERS]
)
def test_help_text_and_accepted_values_agree(command: str, param: str, base: Any, help_text: str) -> None:
    assert help_text, f"mlorg {command}: {param} has no help text"
    choices = _choices(base)
    named = _named(help_text)
    lists = re.search(r"\b[\w`-]+`?(, `?[\w-]+`?)* or `?[\w-]+\b", help_text)
    if choices is None:
        # a free value whose help lists alternatives from the option vocabulary must be a closed set
        assert not (lists and len(_named(lists.group(0))) >= 2), f"mlorg {command} {param}: lists values: {help_text}"
        return
    if named & set(choices):  # a help that names values names exactly the accepted ones
        assert named & set(choices) == set(choices), f"mlorg {command} {param}: help {help_text!r} vs {choices}"
        extra = {w for w in named - set(choices) if lists and w in lists.group(0)}
        assert not extra, f"mlorg {command} {param}: help names {extra}, which it does not accept"


def test_help_renders_every_closed_set_of_values(run_cli: Runner) -> None:
    """What ``--help`` prints for a command shows the accepted values of each closed-set option."""
    for command, _param, base, _help in PARAMETERS:
        choices = _choices(base)
        if not choices:
            continue
        res = run_cli(*command.split(), "--help")
        assert res.code == 0
        assert "|".join(choices) in res.stdout or ", ".join(choices) in res.stdout, (command, choices)


def test_closed_sets_follow_what_the_library_has() -> None:
    from mlorg.commands.survey import InstrumentId
    from mlorg.sources import KINDS
    from mlorg.survey.catalog import instruments

    assert {i.value for i in InstrumentId} == {i.id for i in instruments()}
    # `import KIND` is checked by the importer registry (a did-you-mean on a typo); its help lists them all
    (help_text,) = [h for c, p, _, h in PARAMETERS if (c, p) == ("import", "kind")]
    named = set(re.findall(r"[a-z][\w-]*", help_text.replace(" or ", ", ")))
    assert named == set(KINDS), f"import KIND: help names {sorted(named)}, importers are {sorted(KINDS)}"


def test_commands_never_import_the_cli_module() -> None:
    for module in sorted((SRC / "commands").glob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            assert "mlorg.cli" not in names, f"{module.name} imports mlorg.cli; use mlorg.command_support"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["assess", "{example}", "-f", "json"], 0),  # no --fail-on: the assessment itself succeeded
        (["lint", "{example}"], 1),  # the example has high findings: still exit 1
        (["rules"], 0),
        (["--help"], 0),  # help the framework prints itself
        (["assess", "--help"], 0),
    ],
)
def test_a_reader_that_stops_reading_changes_no_exit_code(args: list[str], code: int) -> None:
    """`mlorg lint org.yaml | head`: the reader closes the pipe; the command keeps its own exit code and
    says nothing (exit 1 would read as "findings", and with `set -o pipefail` fail the pipeline)."""
    command = [sys.executable, "-m", "mlorg", *(a.format(example=EXAMPLE) for a in args)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout is not None
    child.stdout.close()  # before the command writes anything: its first write meets a closed pipe
    _, err = child.communicate(timeout=120)
    assert (child.returncode, err) == (code, b"")
