"""core.filecache: Django's file cache, its size checked at most once a second per process."""

from core.filecache import FileCache


def _cache(folder, **attributes) -> FileCache:
    cache = FileCache(str(folder), {"OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2}})
    for name, value in attributes.items():
        setattr(cache, name, value)
    return cache


def _entries(folder) -> int:
    return sum(1 for path in folder.iterdir() if path.name.endswith(".djcache"))


def test_writes_within_the_interval_do_not_check_the_size(tmp_path):
    cache = _cache(tmp_path, cull_interval=3600)
    for n in range(30):
        cache.set(f"k{n}", n)
    # One check, on the first write, when there was nothing to cull: every entry is there.
    assert _entries(tmp_path) == 30
    cache._next_cull = 0  # the interval has passed
    cache.set("one-more", 1)
    assert _entries(tmp_path) < 30  # culled as Django culls: half of them, at random


def test_with_every_write_checked_it_culls_like_djangos(tmp_path):
    cache = _cache(tmp_path, cull_interval=0)
    for n in range(30):
        cache.set(f"k{n}", n)
    assert _entries(tmp_path) <= 10


def test_it_is_djangos_file_cache_otherwise(tmp_path):
    cache = _cache(tmp_path)
    assert cache.add("counter", 1, timeout=60)
    assert not cache.add("counter", 5, timeout=60)
    assert cache.incr("counter") == 2
    assert cache.get("counter") == 2
    cache.delete("counter")
    assert cache.get("counter") is None
