#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End-to-end test: the real `kiosque` binary against the project's test
server, driven only through the accessibility tree (AT-SPI, python3-pyatspi).

    test-e2e.py --build BUILD_DIR [--installed PREFIX]

With --installed, the kiosque under test is PREFIX/bin/kiosque, with the
schema and translations installed beside it (build-aux/test runs it on the
Debian package it installed); the test server still comes from BUILD_DIR.

Needs a display (build-aux/test runs the suite under xvfb-run). The script
wraps itself in `dbus-run-session` (a private session bus, on which the AT-SPI
bus launcher is activated), then, in French, with a private data, cache and
config directory kept across both launches:

  kiosque --source URL  → select "Science" in the sidebar → the list shows
  Science articles → select one → its title is in the article view → press
  the bookmark toggle → Ctrl+Q → kiosque --source URL again → select
  "Favoris" → the bookmarked article is listed → Ctrl+Q → with "run in
  background" on (a keyfile settings backend), kiosque --gapplication-service
  → it opens its cache and shows no window → kiosque again → a window, in
  that process → Ctrl+Q.

Every wait is a poll with a deadline. Output is TAP; the server, the app and
the bus are stopped even on failure. Run with /usr/bin/python3 (Debian's
python3-gi and python3-pyatspi).
"""

import argparse
import html
import importlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import warnings

STEPS = [
    "the AT-SPI registry answers on a private bus",
    "the test server serves the site",
    "kiosque shows up in the AT-SPI desktop",
    "the sidebar lists À la une, Favoris and the site's categories",
    "selecting the category lists its articles only",
    "selecting an article shows its title in the article view",
    "the bookmark toggle bookmarks the article",
    "Ctrl+Q quits kiosque cleanly",
    "kiosque starts again on the same data",
    "Favoris lists the bookmarked article after the restart",
    "Ctrl+Q quits the second kiosque cleanly",
    "kiosque --gapplication-service starts in the background, without a window",
    "launching kiosque again opens a window in that same process",
    "Ctrl+Q quits the background kiosque cleanly",
]

CATEGORY = "Science"           # the site's category the test reads
ALL_ROW = "À la une"
BOOKMARKS_ROW = "Favoris"
SIDEBAR_LIST = "Rubriques"     # accessible label of the sidebar list, in French
ARTICLE_LIST = "Articles"
ARTICLE_VIEW = "Article"
BOOKMARK_BUTTON = "Favori"

APP_TIMEOUT = 20.0             # AT-SPI under Xvfb can be slow to register an app
STEP_TIMEOUT = 10.0
POLL = 0.1


class StepFailed(Exception):
    pass


class Tap:
    def __init__(self, steps):
        self.steps = steps
        self.n = 0
        self.failed = False
        print("1..%d" % len(steps), flush=True)

    def diag(self, text):
        for line in str(text).splitlines():
            print("# " + line, flush=True)

    def ok(self, extra=""):
        self.n += 1
        suffix = " (%s)" % extra if extra else ""
        print("ok %d - %s%s" % (self.n, self.steps[self.n - 1], suffix), flush=True)

    def fail(self, reason):
        self.n += 1
        self.failed = True
        failed = self.n
        print("not ok %d - %s" % (self.n, self.steps[self.n - 1]), flush=True)
        self.diag(reason)
        while self.n < len(self.steps):
            self.n += 1
            print("not ok %d - %s (not run: step %d failed)"
                  % (self.n, self.steps[self.n - 1], failed), flush=True)


def norm(text):
    """Titles as a reader sees them: entities decoded, any kind of space as one space."""
    text = html.unescape(text or "")
    return re.sub(r"[\s\u00a0\u202f\u2009\u2007]+", " ", text).strip()


def poll(what, func, timeout=STEP_TIMEOUT):
    """Calls func until it returns something true; raises StepFailed after timeout."""
    deadline = time.monotonic() + timeout
    last_error = None
    while True:
        try:
            result = func()
            if result:
                return result
        except Exception as e:  # AT-SPI objects vanish while the UI changes
            last_error = e
        if time.monotonic() > deadline:
            detail = " (last error: %s)" % last_error if last_error else ""
            raise StepFailed("timed out after %.0f s waiting for %s%s" % (timeout, what, detail))
        time.sleep(POLL)


def stop_process(proc, timeout=5.0):
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def tail(path, lines=30):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return ""


# --- Outer process: a private D-Bus session around the real test --------------------------


def hold_display(timeout=10.0):
    """Opens an X connection kept for the whole test. Xvfb (run without
    -noreset) resets when its last client leaves, and a client connecting
    during the reset fails with "cannot open display": the bus launcher,
    the registry and each kiosque come and go, so one connection held from
    the start keeps the server up between them. Retried, for the same reason."""
    import ctypes
    import ctypes.util

    x11 = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        display = x11.XOpenDisplay(None)
        if display:
            return x11, display
        time.sleep(POLL)
    return None



def outer(args):
    try:
        import gi
        gi.require_version("Atspi", "2.0")
        importlib.import_module("gi.repository.Atspi")
        importlib.import_module("pyatspi")
    except (ImportError, ValueError) as e:
        print("1..0 # SKIP python3-pyatspi is not installed (%s)" % e, flush=True)
        return 0

    dbus_run_session = shutil.which("dbus-run-session")
    if dbus_run_session is None:
        print("Bail out! dbus-run-session is missing (Debian package dbus-bin)", flush=True)
        return 1
    if not os.environ.get("DISPLAY"):
        print("Bail out! no DISPLAY: run under xvfb-run (build-aux/test does)", flush=True)
        return 1
    held = hold_display()
    if held is None:
        print("Bail out! cannot open the display %s" % os.environ["DISPLAY"], flush=True)
        return 1

    root = tempfile.mkdtemp(prefix="kq-e2e-")
    env = dict(os.environ)
    # The bus launcher puts its socket under XDG_RUNTIME_DIR (else the cache
    # dir) and names it after the display: keep it private to this run.
    runtime = os.path.join(root, "runtime")
    os.mkdir(runtime, 0o700)
    env["XDG_RUNTIME_DIR"] = runtime
    env["XDG_CACHE_HOME"] = os.path.join(root, "bus-cache")
    for name in ("AT_SPI_BUS_ADDRESS", "GTK_A11Y", "NO_AT_BRIDGE", "DBUS_SESSION_BUS_ADDRESS"):
        env.pop(name, None)
    env["KQ_E2E_INNER"] = "1"
    env["KQ_E2E_ROOT"] = root
    # G_DEBUG (fatal-criticals in the tests) is for kiosque, not for this
    # script's libatspi nor the bus services: it comes back in launch().
    if "G_DEBUG" in env:
        env["KQ_E2E_G_DEBUG"] = env.pop("G_DEBUG")

    # Same process group as this script: whoever stops the test (meson's
    # timeout) stops the bus too. The bus and the services it starts share
    # the child's stdout, so only TAP lines go on to ours.
    child = subprocess.Popen([dbus_run_session, "--", sys.executable, os.path.abspath(__file__),
                              "--build", args.build] +
                             (["--installed", args.installed] if args.installed else []),
                             env=env, stdout=subprocess.PIPE,
                             text=True, encoding="utf-8", errors="replace")

    def forward(signum, frame):
        if child.poll() is None:
            child.send_signal(signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    tap_line = re.compile(r"^(ok |not ok |1\.\.|#|Bail out!)")
    try:
        for line in child.stdout:
            if tap_line.match(line):
                sys.stdout.write(line)
                sys.stdout.flush()
            else:
                sys.stderr.write(line)
        rc = child.wait()
    finally:
        if child.poll() is None:
            child.terminate()
            try:
                child.wait(5)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        shutil.rmtree(root, ignore_errors=True)
    if rc < 0:
        print("Bail out! the test was killed by signal %d" % -rc, flush=True)
        rc = 1
    return rc


# --- Inner process: on the private bus ---------------------------------------------------


def a11y_bus_address():
    from gi.repository import Gio, GLib
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    reply = bus.call_sync("org.a11y.Bus", "/org/a11y/bus", "org.a11y.Bus", "GetAddress",
                          None, GLib.VariantType.new("(s)"), Gio.DBusCallFlags.NONE, 5000, None)
    return reply.unpack()[0]


class Ui:
    """The bits of the accessibility tree the test reads, found by role and name."""

    def __init__(self, Atspi):
        self.Atspi = Atspi

    def app_for_pid(self, pid):
        desktop = self.Atspi.get_desktop(0)
        for i in range(desktop.get_child_count()):
            app = desktop.get_child_at_index(i)
            if app is not None and app.get_process_id() == pid:
                for j in range(app.get_child_count()):
                    frame = app.get_child_at_index(j)
                    if frame is not None and frame.get_role() == self.Atspi.Role.FRAME:
                        return frame
        return None

    def find(self, root, role, name, limit=4000):
        """Breadth-first: the first node with this role and name (None: any name)."""
        queue = [root]
        seen = 0
        while queue and seen < limit:
            node = queue.pop(0)
            seen += 1
            if node is None:
                continue
            if node.get_role() == role and (name is None or norm(node.get_name()) == name):
                return node
            for i in range(node.get_child_count()):
                queue.append(node.get_child_at_index(i))
        return None

    @staticmethod
    def children(node):
        return [node.get_child_at_index(i) for i in range(node.get_child_count())]

    def row_titles(self, article_list):
        """The titles of the article rows: each list item holds a row named after its
        article. Items without a name (the "more articles" spinner) are left out."""
        titles = []
        for item in self.children(article_list):
            name = norm(item.get_name())
            if not name and item.get_child_count() > 0:
                name = norm(item.get_child_at_index(0).get_name())
            if name:
                titles.append(name)
        return titles

    def select(self, container, index):
        return self.Atspi.Selection.select_child(container, index)

    def has_state(self, node, state):
        return node.get_state_set().contains(state)

    def click(self, node):
        action = self.Atspi.Action
        for i in range(action.get_n_actions(node)):
            with warnings.catch_warnings():
                # Deprecated for atspi_action_get_name, which has no binding.
                warnings.simplefilter("ignore", DeprecationWarning)
                name = action.get_action_name(node, i)
            if name == "click":
                return action.do_action(node, i)
        raise StepFailed("%s has no click action" % node.get_name())

    def ctrl_key(self, keysym):
        """Ctrl+key through the registry's synthetic keyboard (XTest under X11)."""
        gen = self.Atspi.generate_keyboard_event
        synth = self.Atspi.KeySynthType
        control_mask = 1 << 2
        gen(control_mask, None, synth.LOCKMODIFIERS)
        try:
            gen(keysym, None, synth.SYM)
        finally:
            gen(control_mask, None, synth.UNLOCKMODIFIERS)


class Session:
    def __init__(self, build, root, installed=None):
        self.build = build
        self.installed = installed
        self.root = root
        self.server = None
        self.app = None
        self.url = None
        self.app_log = os.path.join(root, "kiosque.log")
        self.launches = 0

    def start_server(self):
        port_file = os.path.join(self.root, "server-url")
        log = open(os.path.join(self.root, "server.log"), "w")
        self.server = subprocess.Popen([os.path.join(self.build, "tests", "kq-test-server"),
                                        "--port-file", port_file],
                                       stdout=subprocess.DEVNULL, stderr=log)
        log.close()

        def url():
            if self.server.poll() is not None:
                raise StepFailed("kq-test-server exited with %d: %s"
                                 % (self.server.returncode,
                                    tail(os.path.join(self.root, "server.log"))))
            if os.path.exists(port_file):
                with open(port_file) as f:
                    return f.read().strip()
            return None

        self.url = poll("the test server's URL", url)
        return self.url

    def get_json(self, path):
        with urllib.request.urlopen(self.url + path, timeout=5) as response:
            return json.load(response)

    def launch(self, args=None, settings=None):
        """kiosque --source URL, or @args; @settings: keys of the app's schema
        given through a keyfile settings backend instead of the memory one."""
        env = dict(os.environ)
        # The tests' environment turns accessibility off; this test needs it on.
        for name in ("GTK_A11Y", "NO_AT_BRIDGE", "KQ_E2E_INNER", "KQ_E2E_ROOT"):
            env.pop(name, None)
        if "KQ_E2E_G_DEBUG" in env:
            env["G_DEBUG"] = env.pop("KQ_E2E_G_DEBUG")
        data = os.path.join(self.root, "home")
        env.update({
            "XDG_DATA_HOME": os.path.join(data, "data"),
            "XDG_CACHE_HOME": os.path.join(data, "cache"),
            "XDG_CONFIG_HOME": os.path.join(data, "config"),
            "GSETTINGS_BACKEND": "memory",
            "GSETTINGS_SCHEMA_DIR": self.schema_dir(),
            "KIOSQUE_LOCALEDIR": os.path.join(self.build, "po"),
            "GIO_USE_PROXY_RESOLVER": "dummy",
            # YouTube's posters from the test site, never from i.ytimg.com
            "KIOSQUE_YOUTUBE_POSTERS": self.url.rstrip("/") + "/vi/",
            "GSK_RENDERER": "cairo",
            "LANGUAGE": "fr",
            "LANG": "fr_FR.UTF-8",
            "LC_ALL": "fr_FR.UTF-8",
        })
        for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "no_proxy"):
            env.pop(name, None)
        if self.installed:
            # The installed copy finds its schema (compiled by the package's
            # trigger) and its translations where it was installed.
            env.pop("GSETTINGS_SCHEMA_DIR")
            env.pop("KIOSQUE_LOCALEDIR")
        if settings is not None:
            # Written once: a kiosque running already watches this file, and
            # would see it emptied while it is written again.
            keyfile = os.path.join(data, "config", "glib-2.0", "settings", "keyfile")
            text = "[%s]\n" % self.schema_path().strip("/") + "".join(
                "%s=%s\n" % (key, value) for key, value in settings.items())
            if not os.path.exists(keyfile) or open(keyfile).read() != text:
                os.makedirs(os.path.dirname(keyfile), exist_ok=True)
                with open(keyfile, "w") as f:
                    f.write(text)
            env["GSETTINGS_BACKEND"] = "keyfile"
        self.launches += 1
        with open(self.app_log, "a") as log:
            log.write("--- launch %d ---\n" % self.launches)
            log.flush()
            proc = subprocess.Popen([self.kiosque()] +
                                    (args if args is not None else ["--source", self.url]),
                                    env=env, stdout=log, stderr=log)
        if args is None or self.app is None or self.app.poll() is not None:
            self.app = proc
        return proc

    def app_id_owned(self, pid):
        """Whether process @pid owns the application's name on the session bus."""
        from gi.repository import Gio, GLib
        bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
        app_id = self.schema_path().strip("/").replace("/", ".")
        try:
            owner = bus.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus",
                                  "org.freedesktop.DBus", "GetNameOwner",
                                  GLib.Variant("(s)", (app_id,)), None,
                                  Gio.DBusCallFlags.NONE, -1, None).unpack()[0]
            owner_pid = bus.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus",
                                      "org.freedesktop.DBus", "GetConnectionUnixProcessID",
                                      GLib.Variant("(s)", (owner,)), None,
                                      Gio.DBusCallFlags.NONE, -1, None).unpack()[0]
        except GLib.Error:
            return False
        return owner_pid == pid

    def kiosque(self):
        if self.installed:
            return os.path.join(self.installed, "bin", "kiosque")
        return os.path.join(self.build, "src", "kiosque")

    def schema_dir(self):
        if self.installed:
            return os.path.join(self.installed, "share", "glib-2.0", "schemas")
        return os.path.join(self.build, "data")

    def schema_path(self):
        """The settings' path, as the build's schema gives it (.Devel or not)."""
        data = self.schema_dir()
        for name in sorted(os.listdir(data)):
            if name.startswith("io.github.kiosque.") and name.endswith(".gschema.xml"):
                with open(os.path.join(data, name)) as f:
                    found = re.search(r'<schema id="[^"]+" path="([^"]+)"', f.read())
                if found:
                    return found.group(1)
        raise StepFailed("no compiled schema in %s" % data)

    def wait_exit(self, timeout=STEP_TIMEOUT):
        try:
            return self.app.wait(timeout)
        except subprocess.TimeoutExpired:
            raise StepFailed("kiosque still runs %.0f s later" % timeout)

    def check_alive(self):
        if self.app is not None and self.app.poll() is not None:
            raise StepFailed("kiosque exited with %d:\n%s" % (self.app.returncode,
                                                               tail(self.app_log)))

    def cleanup(self):
        stop_process(self.app)
        stop_process(self.server)


def run(session, tap):
    import gi
    gi.require_version("Atspi", "2.0")

    # 1. The accessibility bus, asked for explicitly: both the app and this
    # process then use it, whatever an older launcher left on the display.
    start = time.monotonic()
    bus = poll("the accessibility bus (org.a11y.Bus.GetAddress)", a11y_bus_address)
    os.environ["AT_SPI_BUS_ADDRESS"] = bus
    from gi.repository import Atspi  # python3-pyatspi's own binding: libatspi through GI
    ui = Ui(Atspi)
    poll("the AT-SPI registry", lambda: Atspi.get_desktop(0).get_role() == Atspi.Role.DESKTOP_FRAME)
    tap.ok("%.1f s" % (time.monotonic() - start))

    # 2. The server, and what the category holds according to it.
    session.start_server()
    categories = session.get_json("/wp-json/wp/v2/categories?per_page=100")
    category = next((c for c in categories if norm(c["name"]) == CATEGORY), None)
    if category is None:
        category = max(categories, key=lambda c: c.get("count", 0))
    category_name = norm(category["name"])
    posts = session.get_json("/wp-json/wp/v2/posts?per_page=100&_fields=id,title&categories=%d"
                             % category["id"])
    expected = {norm(p["title"]["rendered"]) for p in posts}
    if not expected:
        raise StepFailed("the site has no article in %s" % category_name)
    tap.ok("%s, %d articles in %s" % (session.url, len(expected), category_name))

    # 3. First launch.
    start = time.monotonic()
    session.launch()

    def app_frame():
        session.check_alive()
        return ui.app_for_pid(session.app.pid)

    frame = poll("kiosque's window in the AT-SPI desktop", app_frame, APP_TIMEOUT)
    tap.ok("%.1f s" % (time.monotonic() - start))

    # 4. The sidebar.
    def sidebar_ready():
        session.check_alive()
        sidebar = ui.find(frame, Atspi.Role.LIST, SIDEBAR_LIST)
        if sidebar is None:
            return None
        names = [norm(row.get_name()) for row in ui.children(sidebar)]
        if ALL_ROW in names and BOOKMARKS_ROW in names and category_name in names:
            return sidebar, names
        return None

    sidebar, names = poll("the sidebar rows (%s, %s, %s)" % (ALL_ROW, BOOKMARKS_ROW, category_name),
                          sidebar_ready)
    tap.ok("%d rows" % len(names))

    # 5. The category.
    article_list = poll("the article list", lambda: ui.find(frame, Atspi.Role.LIST, ARTICLE_LIST))
    if not ui.select(sidebar, names.index(category_name)):
        raise StepFailed("the sidebar refused to select %s" % category_name)

    def lists_category():
        session.check_alive()
        titles = ui.row_titles(article_list)
        if len(titles) >= min(5, len(expected)) and all(t in expected for t in titles):
            return titles
        return None

    try:
        titles = poll("only %s articles in the list" % category_name, lists_category)
    except StepFailed as e:
        raise StepFailed("%s\nthe list shows: %s" % (e, ui.row_titles(article_list)))
    tap.ok("%d rows, all in %s" % (len(titles), category_name))

    # 6. An article.
    title = titles[0]
    if not ui.select(article_list, 0):
        raise StepFailed("the article list refused to select its first row")
    view = poll("the article view", lambda: ui.find(frame, Atspi.Role.FILLER, ARTICLE_VIEW)
                or ui.find(frame, Atspi.Role.PANEL, ARTICLE_VIEW))

    def shows_title():
        session.check_alive()
        return ui.find(view, Atspi.Role.LABEL, title) is not None

    poll("“%s” in the article view" % title, shows_title)
    tap.ok(title)

    # 7. Bookmark it.
    # A GtkToggleButton: "push button" with a pressed state in GTK 4.8, "toggle button" later.
    button = poll("the bookmark toggle, enabled",
                  lambda: next((b for b in (ui.find(frame, Atspi.Role.TOGGLE_BUTTON, BOOKMARK_BUTTON),
                                            ui.find(frame, Atspi.Role.PUSH_BUTTON, BOOKMARK_BUTTON))
                                if b is not None and ui.has_state(b, Atspi.StateType.SENSITIVE)),
                               None))
    if ui.has_state(button, Atspi.StateType.PRESSED) or ui.has_state(button, Atspi.StateType.CHECKED):
        raise StepFailed("the article is bookmarked before the test bookmarks it")
    ui.click(button)
    poll("the bookmark toggle to be pressed",
         lambda: ui.has_state(button, Atspi.StateType.PRESSED)
         or ui.has_state(button, Atspi.StateType.CHECKED))
    tap.ok()

    # 8. Quit with the keyboard (the X focus must be on the window).
    poll("the window to be active", lambda: ui.has_state(frame, Atspi.StateType.ACTIVE))
    ui.ctrl_key(ord("q"))
    rc = session.wait_exit()
    if rc != 0:
        raise StepFailed("kiosque exited with %d:\n%s" % (rc, tail(session.app_log)))
    tap.ok()

    # 9. Second launch, same data.
    start = time.monotonic()
    session.launch()
    frame = poll("the second kiosque's window in the AT-SPI desktop", app_frame, APP_TIMEOUT)
    tap.ok("%.1f s" % (time.monotonic() - start))

    # 10. Favoris.
    sidebar, names = poll("the sidebar after the restart", sidebar_ready)
    article_list = poll("the article list", lambda: ui.find(frame, Atspi.Role.LIST, ARTICLE_LIST))
    if not ui.select(sidebar, names.index(BOOKMARKS_ROW)):
        raise StepFailed("the sidebar refused to select %s" % BOOKMARKS_ROW)

    def lists_bookmark():
        session.check_alive()
        return ui.row_titles(article_list) == [title]

    try:
        poll("“%s” alone in %s" % (title, BOOKMARKS_ROW), lists_bookmark)
    except StepFailed as e:
        raise StepFailed("%s\nthe list shows: %s" % (e, ui.row_titles(article_list)))
    tap.ok()

    # 11. Quit again.
    poll("the window to be active", lambda: ui.has_state(frame, Atspi.StateType.ACTIVE))
    ui.ctrl_key(ord("q"))
    rc = session.wait_exit()
    if rc != 0:
        raise StepFailed("kiosque exited with %d:\n%s" % (rc, tail(session.app_log)))
    tap.ok()

    # 12. In the background, as at login: the library starts (its store is
    # opened: SQLite makes its WAL files beside the database), no window.
    database = os.path.join(session.root, "home", "data", "kiosque")
    before = os.stat(database).st_mtime_ns
    settings = {"run-in-background": "true", "source-url": "'%s'" % session.url}
    service = session.launch(["--gapplication-service"], settings)

    def database_touched():
        session.check_alive()
        return os.stat(database).st_mtime_ns != before

    poll("the background kiosque to open its cache", database_touched, APP_TIMEOUT)
    poll("the background kiosque on the session bus", lambda: session.app_id_owned(service.pid))
    if ui.app_for_pid(service.pid) is not None:
        raise StepFailed("the background kiosque shows a window")
    tap.ok()

    # 13. Launching it: the window comes from the process already running.
    start = time.monotonic()
    other = session.launch([], settings)
    # Polled, not waited on: the accessibility registry may ask this process
    # about the new window meanwhile.
    frame = poll("a window of the background kiosque", app_frame, APP_TIMEOUT)
    poll("the second launch to hand over and exit", lambda: other.poll() is not None)
    if other.returncode != 0:
        raise StepFailed("the second launch exited with %d" % other.returncode)
    tap.ok("%.1f s" % (time.monotonic() - start))

    # 14. Ctrl+Q ends it, in the background or not.
    poll("the window to be active", lambda: ui.has_state(frame, Atspi.StateType.ACTIVE))
    ui.ctrl_key(ord("q"))
    rc = session.wait_exit()
    if rc != 0:
        raise StepFailed("kiosque exited with %d:\n%s" % (rc, tail(session.app_log)))
    tap.ok()


def inner(args):
    root = os.environ["KQ_E2E_ROOT"]

    def terminate(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminate)
    tap = Tap(STEPS)
    session = Session(args.build, root, args.installed)
    start = time.monotonic()
    try:
        run(session, tap)
    except Exception as e:  # anything unexpected is a failure of the current step too
        if isinstance(e, StepFailed):
            reason = str(e)
        else:
            import traceback
            reason = "%s: %s\n%s" % (type(e).__name__, e, traceback.format_exc())
        log = tail(session.app_log)
        if log:
            reason += "\nkiosque's output (last lines):\n" + log
        tap.fail(reason)
    finally:
        session.cleanup()
    tap.diag("total %.1f s" % (time.monotonic() - start))
    return 1 if tap.failed or tap.n < len(STEPS) else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", required=True, help="the meson build directory")
    parser.add_argument("--installed", metavar="PREFIX",
                        help="test PREFIX/bin/kiosque and its installed data instead")
    args = parser.parse_args()
    args.build = os.path.abspath(args.build)
    if args.installed:
        args.installed = os.path.abspath(args.installed)
    if os.environ.get("KQ_E2E_INNER") == "1":
        return inner(args)
    return outer(args)


if __name__ == "__main__":
    sys.exit(main())
