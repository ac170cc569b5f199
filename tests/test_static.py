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

    # then: the hashed form.js and every module it reaches load hashed neighbours, which exist
    assert result.returncode == 0, result.stdout + result.stderr
    mobile = tmp_path / "mobile"
    (form,) = [p.name for p in mobile.glob("form.*.js") if p.suffix == ".js"]
    reached, todo = set(), [form]
    while todo:
        name = todo.pop()
        reached.add(name)
        imports = re.findall(r'from "\./([^"]+)"', (mobile / name).read_text())
        assert all(re.fullmatch(r"[\w-]+\.[0-9a-f]{12}\.js", i) for i in imports), (name, imports)
        assert all((mobile / i).exists() for i in imports), (name, imports)
        todo += [i for i in imports if i not in reached]
    assert len(reached) > 1
    assert any(re.fullmatch(r"http\.[0-9a-f]{12}\.js", name) for name in reached)
