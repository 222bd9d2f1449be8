"""What the Makefile's two commands tell the app (dry runs: nothing is started)."""

import subprocess

from .servers import ROOT


def dry_run(*args):
    return subprocess.run(
        ["make", "-n", *args], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


def test_make_run_gives_absolute_links_the_address_it_serves_on():
    # The open data page, the feed and the sitemap name SITE_URL: on another port, that port.
    assert 'SITE_URL="${SITE_URL:-http://127.0.0.1:8123}"' in dry_run("run", "PORT=8123")


def test_make_serve_does_too():
    assert 'SITE_URL="http://localhost:8124"' in dry_run("serve", "PORT=8124")
