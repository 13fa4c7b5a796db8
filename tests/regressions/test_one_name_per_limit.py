"""The limits on a user's files were --memory-limit, --time-limit and --max-file-mb in validate and
import, but --upload-memory-mb, --upload-time-limit and --upload-max-mb in serve. Now each has one
name everywhere; the old names still work, and say they are deprecated."""

import warnings

import pytest
from click.testing import CliRunner

from graphsvc.cli import main
from graphsvc.settings import BY_NAME, from_config


@pytest.mark.parametrize("command", ["serve", "validate", "import"])
def test_every_file_limit_has_one_name_in_every_command(command):
    help_text = CliRunner().invoke(main, [command, "--help"]).stdout
    for name in ("FILE_MAX_MB", "FILE_TIME_LIMIT", "FILE_MEMORY_MB"):
        assert BY_NAME[name].option in help_text
    assert "--memory-limit" not in help_text and "--upload-max-mb" not in help_text  # hidden aliases


def test_an_old_option_name_still_works_and_says_so(tmp_path):
    big = tmp_path / "big.ttl"
    big.write_bytes(b"#" * (2 * 1024 * 1024))
    result = CliRunner().invoke(main, ["validate", "--max-file-mb", "1", str(big)])
    assert result.exit_code == 2
    assert "graphsvc: --max-file-mb is deprecated: use --file-max-mb" in result.stderr
    assert "is over the 1 MB cap on a file" in result.stderr


def test_an_old_config_key_still_works_and_warns():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        settings = from_config({"UPLOAD_MAX_MB": 3})
    assert settings.file_max_mb == 3.0
    assert any("UPLOAD_MAX_MB is deprecated: use FILE_MAX_MB" in str(w.message) for w in caught)
