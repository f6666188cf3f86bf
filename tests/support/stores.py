"""Real triple stores for the tests, each a scratch instance on 127.0.0.1: a writable Oxigraph
server and Debian's Virtuoso (its stock virtuoso.ini, pointed at a temporary folder)."""

from __future__ import annotations

import re
import secrets
import shutil
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


@dataclass(frozen=True)
class RemoteStore:
    """How to reach a running store: its query, Graph Store and update URLs and its login."""

    name: str
    query_url: str
    graph_store_url: str
    update_url: str
    user: str | None = None
    password: str | None = None


def wait_for_endpoint(url: str, process: subprocess.Popen, seconds: float, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=2).read()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
                raise RuntimeError(f"{url} did not come up (see {log}): {tail}") from None
            time.sleep(0.2)


def start_oxigraph(
    binary: str, folder: Path, port: int, union_default_graph: bool = True
) -> tuple[subprocess.Popen, RemoteStore]:
    """A writable, empty Oxigraph server whose default graph is the union of its graphs (Oxigraph's
    own, where a statement in two graphs counts twice), or, with ``union_default_graph=False``,
    a real default graph of its own (which `wegokg load --default-graph` fills)."""
    log = folder / "oxigraph.log"
    union = ["--union-default-graph"] if union_default_graph else []
    process = subprocess.Popen(
        [binary, "serve", "--location", str(folder / "store"), "--bind", f"127.0.0.1:{port}",
         *union],
        stdout=subprocess.DEVNULL, stderr=log.open("wb"),
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    store = RemoteStore("oxigraph", f"{base}/query", f"{base}/store", f"{base}/update")
    try:
        wait_for_endpoint(store.query_url, process, 30, log)
    except BaseException:
        process.kill()
        raise
    return process, store


def virtuoso_ini(folder: Path, sql_port: int, http_port: int) -> str:
    """Debian's virtuoso.ini with its files in ``folder``, its ports on 127.0.0.1, no Conductor
    to install on first start, and ResultSetMaxRows raised (at 10000 it truncates silently)."""
    settings = {
        "Database": {
            "DatabaseFile": folder / "virtuoso.db",
            "ErrorLogFile": folder / "virtuoso.log",
            "LockFile": folder / "virtuoso.lck",
            "TransactionFile": folder / "virtuoso.trx",
            "xa_persistent_file": folder / "virtuoso.pxa",
        },
        "TempDatabase": {
            "DatabaseFile": folder / "virtuoso-temp.db",
            "TransactionFile": folder / "virtuoso-temp.trx",
        },
        "Parameters": {"ServerPort": f"127.0.0.1:{sql_port}", "DirsAllowed": f"., {folder}"},
        "HTTPServer": {"ServerPort": f"127.0.0.1:{http_port}"},
        "SPARQL": {"ResultSetMaxRows": "1000000"},
    }
    lines, section = [], None
    for line in VIRTUOSO_INI.read_text(encoding="utf-8").splitlines():
        if header := re.match(r"\s*\[(.+)\]", line):
            section = header.group(1)
        key = re.match(r"\s*(\w+)\s*=", line)
        if key and key.group(1) == "VADInstallDir":
            continue
        if key and key.group(1) in settings.get(section, {}):
            line = f"{key.group(1)} = {settings[section][key.group(1)]}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def start_virtuoso(
    folder: Path, sql_port: int, http_port: int
) -> tuple[subprocess.Popen, RemoteStore]:
    """A scratch Virtuoso with a fresh dba password."""
    ini = folder / "virtuoso.ini"
    ini.write_text(virtuoso_ini(folder, sql_port, http_port), encoding="utf-8")
    log = folder / "virtuoso.out"
    process = subprocess.Popen(
        [shutil.which("virtuoso-t") or "virtuoso-t", "+foreground", "+configfile", str(ini)],
        cwd=folder, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{http_port}"
    password = "wegokg" + secrets.token_hex(8)  # an SQL identifier must not start with a digit
    try:
        wait_for_endpoint(f"{base}/sparql", process, 180, log)
        isql(sql_port, "dba", f"SET PASSWORD dba {password};")
    except BaseException:
        process.kill()
        raise
    store = RemoteStore(
        "virtuoso", f"{base}/sparql", f"{base}/sparql-graph-crud-auth", f"{base}/sparql-auth",
        "dba", password,
    )  # fmt: skip
    return process, store


def isql(sql_port: int, password: str, statement: str) -> None:
    done = subprocess.run(
        ["isql-vt", f"127.0.0.1:{sql_port}", "dba", password, f"exec={statement}"],
        check=True, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    if "*** Error" in done.stdout + done.stderr:  # isql-vt exits 0 even when a statement fails
        raise RuntimeError(f"isql-vt {statement!r} failed: {done.stdout}{done.stderr}")


def stop_virtuoso(process: subprocess.Popen, sql_port: int, password: str) -> None:
    try:
        isql(sql_port, password, "shutdown;")
        process.wait(timeout=60)
    except (subprocess.SubprocessError, OSError):
        process.kill()
        process.wait(timeout=10)
