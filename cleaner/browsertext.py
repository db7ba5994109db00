"""HTML pages flattened to text as a browser's copy gives them: headless Chromium's innerText.

This lets the text path be scored on HTML benchmark pages, which is the input it was built for (a
page copied from a browser or dumped by a crawler). One browser serves every page over the
DevTools pipe (`--remote-debugging-pipe`: JSON messages ended by a NUL byte on file descriptors 3
and 4). The page's own scripts never run, and the browser is kept off the network: every host
name fails to resolve and every connection goes to a closed local port. So a page only parses and
lays out with its inline styles, as an offline crawler's renderer would.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

from . import atomic
from .paths import cache_dir

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
# Bump when the flattening changes: it is part of the cache key.
FLATTEN_VERSION = 1
# A page that has not fired its load event by then is read as far as it got.
LOAD_SECONDS = 20.0
REPLY_SECONDS = 60.0
CLOSE_SECONDS = 10.0
_CLOSED_PORT_PROXY = "http://127.0.0.1:9"  # the discard port: nothing listens there
_BROWSER_FLAGS = (
    "--headless",
    "--no-sandbox",  # the sandbox needs privileges a container or CI runner may not give
    "--disable-gpu",
    "--no-first-run",
    "--disable-extensions",
    "--disable-background-networking",
    "--disable-sync",
    "--blink-settings=imagesEnabled=false",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    f"--proxy-server={_CLOSED_PORT_PROXY}",
    "--proxy-bypass-list=<-loopback>",  # loopback through the dead proxy too
    "--remote-debugging-pipe",
)
# With scripts off a browser shows <noscript> content, which a reader's browser hides: removed first.
_INNER_TEXT = (
    "document.querySelectorAll('noscript').forEach(e => e.remove());"
    "document.body ? document.body.innerText : (document.documentElement.innerText || '')"
)


class BrowserError(RuntimeError):
    """Chromium could not be started, or stopped answering."""


def find_chromium() -> str | None:
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


class BrowserFlattener:
    """`flattener(html_bytes)` gives the page's innerText; use it as a context manager.

    With `cache` (a folder), flattened pages are kept there by the page's sha256, the browser's
    version and FLATTEN_VERSION, so a second evaluation does not start the browser at all.
    """

    def __init__(self, *, binary: str, cache: Path | None = None) -> None:
        self.binary = binary
        self.cache = cache
        self._process: subprocess.Popen | None = None
        self._workdir: tempfile.TemporaryDirectory | None = None
        self._to_browser = self._from_browser = -1
        self._buffer = b""
        self._next_id = 0
        self._session = ""
        self.version = ""

    def __enter__(self) -> BrowserFlattener:
        # A helper killed mid-write may leave a file behind: that must not fail the evaluation.
        self._workdir = tempfile.TemporaryDirectory(prefix="cleaner-browser-", ignore_cleanup_errors=True)
        self._start()
        return self

    def __exit__(self, kind: type | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.close()

    def __call__(self, html: bytes) -> str:
        browser = hashlib.sha256(self.version.encode()).hexdigest()[:12]
        key = f"{hashlib.sha256(html).hexdigest()}-{FLATTEN_VERSION}-{browser}"
        cached = self.cache / f"{key}.txt" if self.cache is not None else None
        if cached is not None and cached.is_file():
            return cached.read_text(encoding="utf-8")
        text = self._flatten(html)
        if cached is not None:
            cached.parent.mkdir(parents=True, exist_ok=True)
            atomic.write_text(cached, text)
        return text

    def close(self) -> None:
        if self._process is not None:
            # Asked to close, the browser stops its helper processes too, so none still writes to the
            # profile folder while it is removed; a browser that does not answer is killed, with them.
            try:
                self._send({"id": self._next_id + 1, "method": "Browser.close"})
                self._process.wait(timeout=CLOSE_SECONDS)
            except (OSError, subprocess.TimeoutExpired):
                os.killpg(self._process.pid, signal.SIGKILL)
                self._process.wait()
            self._process = None
        for fd in (self._to_browser, self._from_browser):
            if fd >= 0:
                os.close(fd)
        self._to_browser = self._from_browser = -1
        if self._workdir is not None:
            self._workdir.cleanup()
            self._workdir = None

    def _start(self) -> None:
        assert self._workdir is not None
        browser_reads, we_write = os.pipe()
        we_read, browser_writes = os.pipe()

        def onto_3_and_4() -> None:
            # In the child, before exec: the browser's pipe ends become fds 3 and 4 (moved above 10
            # first, so that neither lands on the other's number).
            reads = fcntl.fcntl(browser_reads, fcntl.F_DUPFD, 10)
            writes = fcntl.fcntl(browser_writes, fcntl.F_DUPFD, 10)
            os.dup2(reads, 3)
            os.dup2(writes, 4)

        profile = Path(self._workdir.name) / "profile"
        try:
            self._process = subprocess.Popen(
                [self.binary, *_BROWSER_FLAGS, f"--user-data-dir={profile}", "about:blank"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                preexec_fn=onto_3_and_4,  # only os calls: safe in the forked child
                pass_fds=(3, 4),
                start_new_session=True,  # its own process group: killed with its helpers if it hangs
            )
        except OSError as exc:
            raise BrowserError(f"{self.binary}: cannot start the browser ({exc.strerror or exc})") from None
        finally:
            os.close(browser_reads)
            os.close(browser_writes)
        self._to_browser, self._from_browser = we_write, we_read
        self.version = self._call("Browser.getVersion")["product"]
        target = self._call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self._session = self._call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self._call("Emulation.setScriptExecutionDisabled", {"value": True}, session=True)
        self._call("Page.enable", session=True)

    def _flatten(self, html: bytes) -> str:
        if self._process is None or self._workdir is None:
            raise BrowserError("the browser is not running (use the flattener in a with block)")
        self._next_id += 1
        page = Path(self._workdir.name) / f"page-{self._next_id}.html"
        page.write_bytes(html)
        try:
            self._call("Page.navigate", {"url": page.as_uri()}, session=True)
            self._wait_for_event("Page.loadEventFired", LOAD_SECONDS)
            reply = self._call("Runtime.evaluate", {"expression": _INNER_TEXT, "returnByValue": True}, session=True)
        finally:
            page.unlink()
        return str(reply.get("result", {}).get("value") or "")

    def _send(self, message: dict) -> None:
        data = json.dumps(message).encode() + b"\0"
        while data:
            data = data[os.write(self._to_browser, data) :]

    def _call(self, method: str, params: dict | None = None, *, session: bool = False) -> dict:
        self._next_id += 1
        message: dict = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self._session
        self._send(message)
        while True:
            reply = self._receive(REPLY_SECONDS)
            if reply is None:
                raise BrowserError(f"{self.binary}: no answer to {method} in {REPLY_SECONDS:.0f} s")
            if reply.get("id") == message["id"]:
                if "error" in reply:
                    raise BrowserError(f"{self.binary}: {method} failed ({reply['error'].get('message')})")
                return reply.get("result", {})

    def _wait_for_event(self, method: str, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            event = self._receive(left)
            if event is not None and event.get("method") == method:
                return True
        return False

    def _receive(self, seconds: float) -> dict | None:
        """The next message, or None when none came in `seconds`."""
        deadline = time.monotonic() + seconds
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_browser], [], [], left)[0]:
                return None
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                raise BrowserError(f"{self.binary}: the browser closed its pipe (it crashed or was killed)")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)


def default_cache() -> Path:
    return cache_dir() / "flattened"
