#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""check-flatpak.py SOURCE_ROOT: checks offline what can be checked of
build-aux/flatpak/<app id>.json without building it (there is no Flathub
here): the JSON is valid; the app id is meson's, the one of every file in
data/; the runtime is GNOME 43 (GTK 4.8, libadwaita 1.2, what the code
targets); the command is the executable meson installs and the desktop file
runs; the finish-args are exactly what the code uses; every module builds
from files that exist, with meson options that exist. Prints TAP."""

import json
import os
import re
import sys

# What the code uses, and why: nothing more may be asked for. The
# notification (GNotification) and Background (kq-autostart.c) portals are
# reachable from any sandbox without a finish-arg; GtkFileChooserNative goes
# through the file chooser portal, so no --filesystem.
EXPECTED_FINISH_ARGS = {
    "--share=network": "libsoup (src/core/kq-http.c)",
    "--socket=wayland": "GTK",
    "--socket=fallback-x11": "GTK on X11 when there is no Wayland",
    "--device=dri": "GTK's GL renderer",
}
RUNTIME = ("org.gnome.Platform", "43", "org.gnome.Sdk")

failures = []
n = 0


def check(ok, what):
    global n
    n += 1
    print("%s %d - %s" % ("ok" if ok else "not ok", n, what), flush=True)
    if not ok:
        failures.append(what)


def read(root, *path):
    with open(os.path.join(root, *path), encoding="utf-8") as f:
        return f.read()


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".")
    meson = read(root, "meson.build")
    base_id = re.search(r"^base_id = '([^']+)'", meson, re.M).group(1)
    manifest_path = os.path.join(root, "build-aux", "flatpak", base_id + ".json")

    print("1..10")
    try:
        with open(manifest_path, encoding="utf-8") as f:
            manifest = json.load(f)
        check(isinstance(manifest, dict), "the manifest is valid JSON (%s)" % manifest_path)
    except (OSError, ValueError) as e:
        check(False, "the manifest is valid JSON: %s" % e)
        return 1

    app_id = manifest.get("app-id") or manifest.get("id")
    check(app_id == base_id, "app-id %s is meson's base_id %s" % (app_id, base_id))

    data = os.path.join(root, "data")
    names = [app_id + ".desktop.in.in", app_id + ".metainfo.xml.in.in",
             app_id + ".gschema.xml.in", app_id + ".service.in",
             os.path.join("icons", "hicolor", "scalable", "apps", app_id + ".svg"),
             os.path.join("icons", "hicolor", "symbolic", "apps", app_id + "-symbolic.svg")]
    missing = [name for name in names if not os.path.exists(os.path.join(data, name))]
    check(not missing, "data/ has the desktop file, metainfo, schema, service and icons of "
          "that app id%s" % (": missing " + ", ".join(missing) if missing else ""))

    runtime = (manifest.get("runtime"), str(manifest.get("runtime-version")), manifest.get("sdk"))
    check(runtime == RUNTIME, "runtime %s//%s, sdk %s (GNOME 43)" % runtime)

    command = manifest.get("command")
    desktop = read(root, "data", base_id + ".desktop.in.in")
    exec_line = re.search(r"^Exec=(\S+)", desktop, re.M).group(1)
    service = read(root, "data", base_id + ".service.in")
    service_exec = os.path.basename(re.search(r"^Exec=(\S+)", service, re.M).group(1))
    installed = re.search(r"executable\('([^']+)', 'main.c',[^)]*install: true",
                          read(root, "src", "meson.build"), re.S)
    check(command == exec_line == service_exec and installed is not None and
          installed.group(1) == command,
          "command %s is what the desktop file (%s), the D-Bus service (%s) and meson "
          "(%s) name" % (command, exec_line, service_exec,
                         installed.group(1) if installed else None))

    args = manifest.get("finish-args", [])
    check(len(args) == len(set(args)), "no finish-arg twice")
    extra = sorted(set(args) - set(EXPECTED_FINISH_ARGS))
    lacking = sorted(set(EXPECTED_FINISH_ARGS) - set(args))
    check(not extra and not lacking,
          "finish-args are exactly what the code uses%s%s" % (
              "; not used: " + ", ".join(extra) if extra else "",
              "; lacking: " + ", ".join(lacking) if lacking else ""))

    # The uses above are in the code.
    core = "".join(read(root, "src", "core", f) for f in os.listdir(os.path.join(root, "src", "core"))
                   if f.endswith(".c"))
    gui = "".join(read(root, "src", "gui", f) for f in os.listdir(os.path.join(root, "src", "gui"))
                  if f.endswith(".c"))
    check("soup_session_send_async" in core and "gtk_" in gui and
          "org.freedesktop.portal.Background" in gui and "GtkFileChooserNative" in gui and
          "GtkFileChooserDialog" not in gui,
          "the code fetches with libsoup, shows GTK, asks the Background portal and opens "
          "files through the portal only")

    modules = manifest.get("modules", [])
    check(len(modules) == 1 and modules[0].get("name") == "kiosque",
          "one module, kiosque: GNOME 43 has GTK, libadwaita, libsoup 3, json-glib, libxml2 "
          "and SQLite")

    problems = []
    options = read(root, "meson_options.txt")
    for module in modules:
        if isinstance(module, str):
            if not os.path.exists(os.path.join(os.path.dirname(manifest_path), module)):
                problems.append("module file %s" % module)
            continue
        for source in module.get("sources", []):
            path = source.get("path") if isinstance(source, dict) else source
            if path and not os.path.exists(os.path.join(os.path.dirname(manifest_path), path)):
                problems.append("source %s" % path)
            if isinstance(source, dict) and source.get("type") == "dir" and path:
                top = os.path.join(os.path.dirname(manifest_path), path, "meson.build")
                if not os.path.exists(top) or "project('kiosque'" not in read(top):
                    problems.append("source %s is not Kiosque's tree" % path)
        for opt in module.get("config-opts", []):
            name = re.match(r"-D([^=]+)=", opt)
            if name and not re.search(r"option\('%s'" % re.escape(name.group(1)), options):
                problems.append("meson option %s" % opt)
    check(not problems, "every file, directory and meson option it names exists%s" % (
        ": " + "; ".join(problems) if problems else ""))

    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
