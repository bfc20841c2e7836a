"""The queue's words (web/src/i18n_queue.js) are merged over the shared dictionary: they must
not replace a shared word (a call outcome once lost its lower case that way), and every
word must exist in both languages."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from tests.support.services import ServiceMissing, require_or_skip

SRC = Path(__file__).resolve().parents[2] / "web" / "src"
DRIVER = """
const [shared, queue] = await Promise.all(process.argv.slice(1).map((u) => import(u)));
console.log(JSON.stringify({ shared: shared.DICT, queue: queue.QUEUE }));
"""


def test_queue_words_add_to_the_shared_ones_in_both_languages(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        require_or_skip(ServiceMissing("node (nodejs) to read web/src/i18n_queue.js"))
    for name in ("i18n", "i18n_queue"):
        shutil.copyfile(SRC / f"{name}.js", tmp_path / f"{name}.mjs")
    proc = subprocess.run(
        [node, "--input-type=module", "-e", DRIVER,
         (tmp_path / "i18n.mjs").as_uri(), (tmp_path / "i18n_queue.mjs").as_uri()],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    words = json.loads(proc.stdout)
    shared, queue = words["shared"], words["queue"]
    assert set(queue["id"]) == set(queue["en"])
    for lang in ("id", "en"):
        assert sorted(set(queue[lang]) & set(shared[lang])) == [], lang
