"""Static files as production serves them: hashed names, and module imports of hashed names."""

import re
import subprocess
import sys

from tests.fixtures.production import ROOT, production_env


def test_collected_modules_import_the_hashed_modules(tmp_path):
    # when: collectstatic as in production
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=production_env(STATIC_ROOT=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=300,
    )

    # then: the hashed form.js loads hashed neighbours, which exist
    assert result.returncode == 0, result.stdout + result.stderr
    (form,) = [p for p in (tmp_path / "mobile").glob("form.*.js") if p.suffix == ".js"]
    imports = re.findall(r'from "\./([^"]+)"', form.read_text())
    assert "http.js" not in imports
    assert imports and all(re.fullmatch(r"\w+\.[0-9a-f]{12}\.js", name) for name in imports)
    assert all((tmp_path / "mobile" / name).exists() for name in imports)
