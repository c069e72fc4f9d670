"""The one-way architecture (docs/decisions/0008) is checked, not just described."""

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["core", "accounts", "courses", "quizzes", "certificates", "learning", "demo"]


def test_import_contracts_hold():
    result = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


def test_the_layers_contract_names_every_app():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    layers = next(c for c in config["contracts"] if c["type"] == "layers")["layers"]
    named = {app.strip() for layer in layers for app in layer.split("|")}
    assert named == {*APPS, "config"}
    assert set(config["root_packages"]) == {*APPS, "config"}


def test_every_app_says_what_it_owns_and_offers():
    for app in APPS:
        readme = ROOT / app / "README.md"
        assert readme.exists(), app
        text = readme.read_text()
        assert "Owns" in text and "Offers" in text, app
