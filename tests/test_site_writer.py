"""The incremental writer (builder/site/writer.py): only changed files are written, stale ones removed, the old
site never written through its hard links, nothing outside the site."""

from __future__ import annotations

import os

import pytest

from builder.emit import Output
from builder.errors import Refused
from builder.site.writer import Manifest, clone_tree, sync

pytestmark = pytest.mark.unit


def out(path: str, data: bytes) -> Output:
    return Output(path, data.hex(), produce=lambda: data)


def test_unchanged_files_are_not_written_again_and_stale_ones_go(tmp_path):
    site, manifest = tmp_path / "site", Manifest()
    site.mkdir()
    first = sync(site, {"a/index.html": out("a/index.html", b"A"), "b.txt": out("b.txt", b"B")}, manifest)
    assert (first.written, first.unchanged, first.removed) == (2, 0, 0)
    inode = os.stat(site / "a/index.html").st_ino
    again = sync(site, {"a/index.html": out("a/index.html", b"A"), "c.txt": out("c.txt", b"C")}, manifest)
    assert (again.written, again.unchanged, again.removed) == (1, 1, 1)
    assert os.stat(site / "a/index.html").st_ino == inode  # left alone, not rewritten
    assert not (site / "b.txt").exists() and (site / "c.txt").read_bytes() == b"C"
    assert set(manifest.files) == {"a/index.html", "c.txt"}


def test_a_file_changed_behind_the_builders_back_is_rewritten(tmp_path):
    site, manifest = tmp_path / "site", Manifest()
    site.mkdir()
    sync(site, {"p.html": out("p.html", b"page")}, manifest)
    (site / "p.html").write_bytes(b"edited by hand, longer")
    stats = sync(site, {"p.html": out("p.html", b"page")}, manifest)
    assert stats.written == 1 and (site / "p.html").read_bytes() == b"page"


def test_writing_into_a_hard_link_clone_leaves_the_old_site_untouched(tmp_path):
    old, manifest = tmp_path / "old", Manifest()
    old.mkdir()
    sync(old, {"x.html": out("x.html", b"old"), "y.html": out("y.html", b"same")}, manifest)
    new = tmp_path / "new"
    clone_tree(old, new)
    assert os.stat(new / "y.html").st_ino == os.stat(old / "y.html").st_ino  # a link, not a copy
    stats = sync(new, {"x.html": out("x.html", b"new"), "y.html": out("y.html", b"same")}, manifest)
    assert (stats.written, stats.unchanged) == (1, 1)
    assert (old / "x.html").read_bytes() == b"old" and (new / "x.html").read_bytes() == b"new"


def test_kept_folders_are_left_alone(tmp_path):
    site, manifest = tmp_path / "site", Manifest()
    (site / "pagefind").mkdir(parents=True)
    (site / "pagefind" / "pagefind.js").write_text("index")
    sync(site, {"index.html": out("index.html", b"home")}, manifest, keep=("pagefind",))
    assert (site / "pagefind" / "pagefind.js").read_text() == "index"


@pytest.mark.parametrize("path", ["../escape.html", "/etc/passwd", "a//b", "a/./b", "a\\b"])
def test_paths_outside_the_site_are_refused(tmp_path, path):
    with pytest.raises(Refused):
        sync(tmp_path, {path: out(path, b"x")}, Manifest())
    assert not (tmp_path.parent / "escape.html").exists()


def test_a_symbolic_link_in_the_site_is_never_written_through(tmp_path):
    site, outside = tmp_path / "site", tmp_path / "outside.html"
    site.mkdir()
    outside.write_text("precious")
    (site / "p.html").symlink_to(outside)
    with pytest.raises(Refused):
        sync(site, {"p.html": out("p.html", b"x")}, Manifest())
    assert outside.read_text() == "precious"
