"""The engine stays pure Python: importing it loads no Django."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
CHECK = (
    "import sys, diagnosis.scoring; "
    "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'django'); "
    "print(','.join(loaded))"
)


def test_it_imports_no_django():
    done = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == ""
