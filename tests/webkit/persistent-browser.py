#!/usr/bin/python3
"""The smallest WebKitGTK browser that WebKitWebDriver can drive while keeping website data on disk.

MiniBrowser in automation mode always uses an ephemeral data manager (like Safari's private mode). This one
keeps IndexedDB, Cache Storage and service workers in the directory given as --data-dir, so a test can close
the browser and open the same profile again, the way a phone keeps its storage. WebKitWebDriver starts it (the
`binary` browser option) with the inspector address in WEBKIT_INSPECTOR_SERVER; it then answers the automation
session's requests for web views. Needs Debian's python3-gi and gir1.2-webkit2-4.1.
"""
import os
import sys

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("WebKit2", "4.1")
from gi.repository import Gtk, WebKit2  # noqa: E402


def option(name, default=None):
    prefix = f"--{name}="
    return next((arg[len(prefix):] for arg in sys.argv[1:] if arg.startswith(prefix)), default)


def main():
    data_dir = option("data-dir")
    if not data_dir:
        sys.exit("persistent-browser: --data-dir=PATH is required")
    width, height = (int(n) for n in option("window-size", "360x800").split("x"))
    manager = WebKit2.WebsiteDataManager(
        base_data_directory=os.path.join(data_dir, "data"),
        base_cache_directory=os.path.join(data_dir, "cache"),
    )
    context = WebKit2.WebContext(website_data_manager=manager, time_zone_override=option("time-zone", ""))
    context.set_automation_allowed(True)
    windows = []

    def create_web_view(_session):
        view = WebKit2.WebView(web_context=context, is_controlled_by_automation=True)
        window = Gtk.Window()
        window.set_default_size(width, height)
        window.add(view)
        window.show_all()
        windows.append(window)
        view.connect("close", lambda _view: window.destroy())
        return view

    def automation_started(_context, session):
        info = WebKit2.ApplicationInfo()
        info.set_name("ZoufangPersistentBrowser")
        info.set_version(WebKit2.get_major_version(), WebKit2.get_minor_version(), WebKit2.get_micro_version())
        session.set_application_info(info)
        session.connect("create-web-view", create_web_view)

    context.connect("automation-started", automation_started)
    Gtk.main()


if __name__ == "__main__":
    main()
