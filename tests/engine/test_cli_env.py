import json
import subprocess
import sys


def test_env_command_reports_versions(repo):
    proc = subprocess.run(
        [sys.executable, "-m", "engine", "env"], capture_output=True, text=True, cwd=repo, check=True
    )
    info = json.loads(proc.stdout)
    assert info["minecd"] == __import__("engine").__version__
    assert info["torch"] and info["numpy"].startswith("1.24")
    assert info["missing"] == []


def test_missing_dependencies_names_pip_packages(monkeypatch):
    from engine import environment

    monkeypatch.setitem(environment.RUNTIME_MODULES, "surely_not_a_module_xyz", "not-a-package")
    assert environment.missing_dependencies() == ["not-a-package"]
