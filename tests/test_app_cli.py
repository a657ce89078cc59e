"""``lawfind app``: the command that starts the explorer (no server is started here)."""

from __future__ import annotations

import os

import pytest
import typer
from typer.testing import CliRunner

pytest.importorskip("streamlit")

from lawfind.cli import _app_command  # noqa: E402
from lawfind.cli._errors import run_cli  # noqa: E402


def standalone() -> typer.Typer:
    app = typer.Typer()
    _app_command.register(app)

    @app.callback()
    def _group() -> None:
        """test group"""

    return app


@pytest.fixture
def captured(monkeypatch):
    """Replace Streamlit's CLI: record the arguments instead of starting a server."""
    from streamlit.web import cli as streamlit_cli

    calls = []
    monkeypatch.setattr(streamlit_cli.main, "main", lambda **kwargs: calls.append(kwargs))
    monkeypatch.setenv(_app_command.STORE_ENV, "")  # recorded, so the variable run_app sets is undone
    monkeypatch.delenv(_app_command.STORE_ENV)
    return calls


def test_app_script_exists():
    script = _app_command.app_script()
    assert script.name == "streamlit_app.py" and (script.parent / "app_pages").is_dir()


def test_help_lists_the_options():
    result = CliRunner().invoke(standalone(), ["app", "--help"])
    assert result.exit_code == 0
    for option in ("--port", "--address", "--store", "--browser"):
        assert option in result.output


def test_app_passes_port_address_store_and_upload_limit(captured, tmp_path):
    assert run_cli(standalone(), ["app", "--port", "8612", "--store", str(tmp_path / "runs")]) == 0
    (call,) = captured
    args = call["args"]
    assert args[:2] == ["run", str(_app_command.app_script())]
    options = dict(zip(args[2::2], args[3::2]))
    assert options == {"--server.port": "8612", "--server.address": "127.0.0.1", "--server.headless": "true",
                       "--server.maxUploadSize": "20", "--browser.gatherUsageStats": "false"}
    assert os.environ[_app_command.STORE_ENV] == str(tmp_path / "runs")


def test_browser_flag(captured):
    assert run_cli(standalone(), ["app", "--browser", "--address", "0.0.0.0"]) == 0
    options = dict(zip(captured[0]["args"][2::2], captured[0]["args"][3::2]))
    assert options["--server.headless"] == "false" and options["--server.address"] == "0.0.0.0"


def test_bad_port_is_one_line_error(captured, capsys):
    assert run_cli(standalone(), ["app", "--port", "70000"]) == 2
    assert capsys.readouterr().err.strip() == "error: --port must be between 1 and 65535, got 70000"
    assert not captured


def test_missing_streamlit_says_how_to_install(captured, capsys, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "streamlit" else real(name, *a))
    assert run_cli(standalone(), ["app"]) == 2
    assert "pip install 'lawfind[app]'" in capsys.readouterr().err


def test_module_entry_point(capsys):
    assert _app_command.main(["app", "--help"]) == 0
    assert "--port" in capsys.readouterr().out
