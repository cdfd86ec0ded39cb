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


def test_the_fast_cpu_runtime_is_reported_missing_only_when_neither_runtime_is_there(monkeypatch):
    import importlib.util

    from engine import environment

    real = importlib.util.find_spec

    def without(*names):
        monkeypatch.setattr(importlib.util, "find_spec", lambda m, *a: None if m in names else real(m, *a))

    without("openvino")
    assert environment.missing_accelerators() == []  # ONNX Runtime is enough
    without("openvino", "onnxruntime")
    assert environment.missing_accelerators() == ["openvino"]
    without("openvino", "onnxruntime", "onnx")
    assert environment.missing_accelerators() == ["openvino", "onnx"]
    assert environment.describe()["missing_optional"] == ["openvino", "onnx"]
