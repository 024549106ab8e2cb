"""A real CardDAV/CalDAV server (Radicale on 127.0.0.1) and vdirsyncer as the real client."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

USER = "laptop-user"
ADDRESSBOOK = """<?xml version="1.0" encoding="utf-8"?>
<D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:set><D:prop>
<D:resourcetype><D:collection/><C:addressbook/></D:resourcetype></D:prop></D:set></D:mkcol>"""
CALENDAR = """<?xml version="1.0" encoding="utf-8"?>
<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop>
<C:supported-calendar-component-set><C:comp name="VEVENT"/><C:comp name="VTODO"/>
<C:comp name="VJOURNAL"/></C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>"""
PROPFIND = """<?xml version="1.0" encoding="utf-8"?>
<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></D:propfind>"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Radicale:
    """Radicale in a child process, its collections under ``folder``; stopped by ``close``."""

    def __init__(self, folder: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = folder / "radicale.conf"
        folder.mkdir(parents=True, exist_ok=True)
        config.write_text(f"""[server]
hosts = 127.0.0.1:{self.port}
[auth]
type = none
[rights]
type = authenticated
[storage]
filesystem_folder = {folder / "collections"}
[logging]
level = warning
""")
        self.log = (folder / "radicale.log").open("w")
        self.proc = subprocess.Popen([sys.executable, "-m", "radicale", "--config", str(config)],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self.http = httpx.Client(base_url=self.url, auth=(USER, "x"), timeout=30)
        for _ in range(600):  # up to 60 s on a loaded machine; usually well under one
            if self.proc.poll() is not None:
                raise RuntimeError(f"Radicale exited: {(folder / 'radicale.log').read_text()}")
            try:
                self.http.request("OPTIONS", "/")
                break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise RuntimeError("Radicale did not start")
        assert self.http.request("MKCOL", f"/{USER}/contacts/", content=ADDRESSBOOK,
                                 headers={"Content-Type": "application/xml"}).status_code == 201
        assert self.http.request("MKCALENDAR", f"/{USER}/calendar/", content=CALENDAR,
                                 headers={"Content-Type": "application/xml"}).status_code == 201

    def hrefs(self, collection: str) -> list[str]:
        answer = self.http.request("PROPFIND", f"/{USER}/{collection}/", content=PROPFIND,
                                   headers={"Depth": "1", "Content-Type": "application/xml"})
        found = re.findall(r"<(?:\w+:)?href>([^<]+)</(?:\w+:)?href>", answer.text)
        return [h for h in found if not h.endswith("/")]

    def find(self, collection: str, needle: str) -> tuple[str, str]:
        """The href and text of the one item of ``collection`` that contains ``needle``."""
        matches = []
        for href in self.hrefs(collection):
            text = self.http.get(href).text
            if needle in text:
                matches.append((href, text))
        assert len(matches) == 1, (needle, [h for h, _ in matches])
        return matches[0]

    def put(self, href: str, text: str) -> None:
        """An edit made directly on the server (as a phone would)."""
        content_type = "text/vcard" if href.endswith(".vcf") else "text/calendar"
        answer = self.http.put(href, content=text.encode("utf-8"),
                               headers={"Content-Type": content_type})
        assert answer.status_code in (201, 204), answer.text

    def delete(self, href: str) -> None:
        assert self.http.delete(href).status_code in (200, 204)

    def close(self) -> None:
        self.http.close()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


README = Path(__file__).resolve().parents[2] / "README.md"
MARKER = "<!-- vdirsyncer recipe"


def readme_recipe() -> str:
    """The vdirsyncer configuration the README gives, as written."""
    text = README.read_text(encoding="utf-8")
    after = text[text.index(MARKER):]
    block = after[after.index("```ini\n") + len("```ini\n"):]
    return block[: block.index("```")]


def vdirsyncer_device(folder: Path, server: Radicale) -> tuple[Path, Path, str]:
    """A device's two vdirs and its vdirsyncer config (the README's, with this test's server,
    folders and password put in); its sync command. ``vdirsyncer discover`` has run."""
    contacts, calendar, status = folder / "contacts", folder / "calendar", folder / "status"
    for path in (contacts, calendar):
        path.mkdir(parents=True)
    recipe = readme_recipe()
    for old, new in (("https://dav.example.org/sam/contacts/", f"{server.url}/{USER}/contacts/"),
                     ("https://dav.example.org/sam/nurture/", f"{server.url}/{USER}/calendar/"),
                     ('username = "sam"', f'username = "{USER}"'),
                     ('password.fetch = ["command", "pass", "dav.example.org"]', 'password = "x"'),
                     ("~/.local/share/nurture/sync/", f"{folder}/"),
                     ("~/.local/share/vdirsyncer/status/", f"{status}/")):
        assert old in recipe, f"the README's recipe no longer says {old!r}"
        recipe = recipe.replace(old, new)
    config = folder / "vdirsyncer.conf"
    config.write_text(recipe)
    program = str(Path(sys.executable).with_name("vdirsyncer"))
    done = subprocess.run([program, "--config", str(config), "discover"], capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return contacts, calendar, f"{program} --config {config} sync"
