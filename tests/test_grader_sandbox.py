"""--sandbox: under bubblewrap a submission writes nowhere but its own folder, reads no other submission,
reaches no network, and leaves no process behind."""

import json
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import grader_kit as kit
import pytest


def bwrap_works() -> bool:
    found = shutil.which("bwrap")
    return bool(found) and subprocess.run([found, "--ro-bind", "/", "/", "--unshare-net", "true"],
                                          capture_output=True).returncode == 0


pytestmark = pytest.mark.skipif(not bwrap_works(), reason="bubblewrap (bwrap) is not installed or cannot create "
                                                          "namespaces here; .ci/run installs it")

ESCAPE = '''import json, os
try:  # copy the answers of another student
    with open({other!r}) as file:
        for cell in json.load(file)["cells"]:
            if cell["cell_type"] == "code" and "def " in "".join(cell["source"]):
                exec("".join(cell["source"]), globals())
except OSError:
    pass
for target in {targets!r}:
    try:
        with open(target, "a") as file:
            file.write("escaped")
    except OSError:
        pass'''
NETWORK = '''import socket
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=2).sendall(b"points please")
except OSError:
    pass'''
DAEMON = '''import os, subprocess, sys
if os.fork() == 0:
    os.setsid()
    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", "{mark}"])
    os._exit(0)'''


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sandbox")
    mark = f"gdlib-sandbox-{tmp.name}"
    outside = Path(tempfile.mkdtemp(prefix="gdlib-sandbox-", dir="/var/tmp"))  # a folder outside /tmp
    server = socket.create_server(("127.0.0.1", 0))
    server.setblocking(False)
    try:
        folder = outside / "submissions"
        other = folder / f"honest-{kit.CHAPTER}"
        targets = [str(other), str(folder / "new.txt"), str(tmp / "grades.csv"), str(kit.TESTS / mark),
                   str(outside / mark), str(Path.home() / mark)]
        kit.write_all(folder, {
            "honest": kit.solved(),
            "escape": kit.appended(kit.student(), ESCAPE.format(targets=targets, other=str(other))),
            "network": kit.appended(kit.solved(*["def shrink_step(w, g, lr):\n    return w"] * 1), NETWORK.format(
                port=server.getsockname()[1])),
            "daemon": kit.appended(kit.solved(), DAEMON.format(mark=mark)),
        })
        before = kit.digest(outside)
        result = kit.run(tmp, folder, *kit.options(tmp, "--sandbox", "--jobs", "2", "--json", "--csv",
                                                   str(tmp / "grades.csv")))
        try:
            server.accept()
            connected = True
        except BlockingIOError:
            connected = False
        escaped = [t for t in targets[3:] if Path(t).exists()]
        for t in escaped:
            Path(t).unlink()
        yield {"result": result, "tmp": tmp, "mark": mark, "same": kit.digest(outside) == before,
               "connected": connected, "escaped": escaped,
               "reports": kit.by_name(json.loads(result.stdout)["reports"]) if result.stdout else {}}
    finally:
        server.close()
        shutil.rmtree(outside, ignore_errors=True)


def test_sandboxed_grading_scores_as_usual(graded):
    assert graded["result"].returncode == 0, graded["result"].stderr
    assert graded["reports"]["honest"]["score"] == 7
    assert graded["reports"]["daemon"]["score"] == 7
    assert kit.points(graded["reports"]["network"]) == {"shrink_step": 0, "numerical_slope": 3}


def test_a_submission_cannot_read_or_write_outside_its_folder(graded):
    assert graded["reports"]["escape"]["score"] == 0  # the other student's answers were out of sight
    assert graded["escaped"] == [] and graded["same"]
    with (graded["tmp"] / "grades.csv").open() as file:
        assert "escaped" not in file.read()


def test_no_network_and_no_survivor(graded):
    assert not graded["connected"]
    assert kit.survivors(graded["mark"], str(graded["tmp"] / "t")) == []
