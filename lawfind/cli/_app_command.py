"""``lawfind app``: start the Streamlit explorer (apps/explorer/streamlit_app.py)."""

from __future__ import annotations

import gc
import importlib
import importlib.util
import inspect
import os
from pathlib import Path
from typing import Annotated, Optional

import typer

from lawfind.cli._errors import user_errors
from lawfind.exceptions import ConfigError, MissingDependencyError

__all__ = ["register", "run_app", "app_script", "main", "PREIMPORTS"]

#: Imported before the server starts, so the first page does not pay for them (~4 s here).
PREIMPORTS = ("lawfind", "lawfind.datasets", "lawfind.explore", "lawfind.export", "lawfind.uncertainty", "altair",
              "streamlit", "streamlit.emojis", "streamlit.material_icon_names", "PIL.Image")
#: Environment variable naming the run store the app opens with (see the sidebar).
STORE_ENV = "LAWFIND_RUN_STORE"


def app_script() -> Path:
    """The explorer's entry script, ``apps/explorer/streamlit_app.py`` of the source tree.

    Raises
    ------
    ConfigError
        When lawfind is not installed from a source checkout (the app is not packaged).
    """
    import lawfind

    script = Path(lawfind.__file__).resolve().parents[1] / "apps" / "explorer" / "streamlit_app.py"
    if not script.is_file():
        raise ConfigError(f"the explorer app is not at {str(script)!r}; it ships with the lawfind source tree: "
                          f"install lawfind from a checkout (pip install -e '.[app]') to use 'lawfind app'")
    return script


def _warm_up() -> None:
    """Import the heavy modules and build pint's unit registry once, before the server starts."""
    for name in PREIMPORTS:
        importlib.import_module(name)
    import pandas as pd

    from lawfind.data import Dataset

    Dataset.from_frame(pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0, 5.0], "y": [2.0, 4.0, 6.0, 8.0, 10.0]}), "y",
                       units={"x": "m"})
    # Streamlit inspects the call stack once (is_repl); that maps every loaded module to its
    # file, ~0.6 s here: fill inspect's cache now instead of during the first page
    inspect.stack()
    # the modules loaded so far live as long as the server: keep them out of the garbage
    # collection Streamlit runs after every script run (0.85 s -> ~0.1 s here)
    gc.collect()
    gc.freeze()


def run_app(port: int = 8501, address: str = "127.0.0.1", store: str | os.PathLike[str] | None = None,
            open_browser: bool = False, max_upload_mb: int | None = None) -> None:
    """Start the explorer in this process (blocks until the server stops).

    Parameters
    ----------
    port : int, default=8501
    address : str, default="127.0.0.1"
        Interface to listen on; ``0.0.0.0`` to serve other machines.
    store : path, optional
        Run store shown first (default ``lawfind_runs`` in the working directory).
    open_browser : bool, default=False
        Open a browser tab once the server runs.
    max_upload_mb : int, optional
        Upload limit; the app's own limit (:data:`lawfind.explore.MAX_UPLOAD_MB`) by default.
    """
    if importlib.util.find_spec("streamlit") is None:
        raise MissingDependencyError("the explorer needs streamlit: pip install 'lawfind[app]'")
    if not 1 <= port <= 65535:
        raise ConfigError(f"--port must be between 1 and 65535, got {port}")
    script = app_script()
    _warm_up()
    from lawfind.explore import MAX_UPLOAD_MB

    if store is not None:
        os.environ[STORE_ENV] = str(store)
    from streamlit.web import cli as streamlit_cli

    args = [
        "run", str(script),
        "--server.port", str(port),
        "--server.address", address,
        "--server.headless", "false" if open_browser else "true",
        "--server.maxUploadSize", str(max_upload_mb or MAX_UPLOAD_MB),
        "--browser.gatherUsageStats", "false",
    ]
    streamlit_cli.main.main(args=args, prog_name="streamlit", standalone_mode=True)


def register(app: typer.Typer) -> None:
    """Add the ``app`` command to the lawfind Typer application."""

    @app.command("app")
    @user_errors
    def app_command(
        port: Annotated[int, typer.Option(help="Port of the web server.")] = 8501,
        address: Annotated[str, typer.Option(help="Interface to listen on (0.0.0.0 to serve other machines).")]
        = "127.0.0.1",
        store: Annotated[Optional[Path], typer.Option(help="Run store folder (default: lawfind_runs).")] = None,
        browser: Annotated[bool, typer.Option("--browser/--no-browser", help="Open a browser tab.")] = False,
    ) -> None:
        """Start the explorer web app: data, features, search, laws, explain, export."""
        run_app(port=port, address=address, store=store, open_browser=browser)


def main(argv: list[str] | None = None) -> int:
    """Run ``app`` on its own (``python -m lawfind.cli._app_command app --port N``); returns the exit code."""
    from lawfind.cli._errors import run_cli

    standalone = typer.Typer(add_completion=False, pretty_exceptions_enable=False, no_args_is_help=True)
    register(standalone)

    @standalone.callback()
    def _group() -> None:
        """lawfind explorer."""

    return run_cli(standalone, argv)


if __name__ == "__main__":  # pragma: no cover - exercised through a subprocess
    raise SystemExit(main())
