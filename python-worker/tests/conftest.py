import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import subprocess  # noqa: E402

import pytest  # noqa: E402

WORKER_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def tiny(tmp_path_factory):
    """The tiny Llama (SentencePiece tokenizer trained on the demo data), built once per session."""
    out = tmp_path_factory.mktemp("tiny")
    subprocess.run([sys.executable, str(WORKER_ROOT / "scripts" / "make_tiny_llama.py"), str(out)], check=True, capture_output=True)
    return out
