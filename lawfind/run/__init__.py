"""Runs: the folder every front end writes and reads (run.json + laws.json)."""

from lawfind.run._notes import RunNote, run_notes
from lawfind.run._run import LAWS_SCHEMA, RUN_SCHEMA, Run, package_versions

__all__ = ["Run", "RUN_SCHEMA", "LAWS_SCHEMA", "package_versions", "RunNote", "run_notes"]
