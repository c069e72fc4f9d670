"""core.filecache: Django's file cache with an atomic incr and its size checked once a second."""

import pickle
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.cache.backends.filebased import FileBasedCache

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


_COUNT = """
import sys
from core.filecache import FileCache
cache = FileCache(sys.argv[1], {})
for _ in range(300):
    cache.incr("counter")
"""


def test_incr_loses_no_count_between_processes(tmp_path):
    # Django's incr is a get then a set: three processes counting 300 each kept 338 of 900.
    _cache(tmp_path).add("counter", 0, timeout=60)
    workers = [
        subprocess.Popen([sys.executable, "-c", _COUNT, str(tmp_path)], cwd=settings.BASE_DIR)
        for _ in range(3)
    ]
    assert [worker.wait(timeout=60) for worker in workers] == [0, 0, 0]
    assert _cache(tmp_path).get("counter") == 900


def _expiry(cache: FileCache, key: str):
    with open(cache._key_to_file(key), "rb") as f:
        return pickle.load(f)  # noqa: S301 - a file this test wrote


@pytest.mark.parametrize("timeout", [None, 60])
def test_incr_keeps_the_entrys_expiry(tmp_path, timeout):
    # Django's resets it to the default timeout (300 s): a counter stored forever, like the
    # content version, lapsed five minutes after its last change.
    cache = _cache(tmp_path)
    cache.set("version", 7, timeout=timeout)
    before = _expiry(cache, "version")
    assert cache.incr("version") == 8 and cache.decr("version", 3) == 5
    assert _expiry(cache, "version") == before
    assert (before is None) == (timeout is None)


def test_incr_of_a_missing_or_expired_entry_is_refused(tmp_path):
    cache = _cache(tmp_path)
    with pytest.raises(ValueError, match="not found"):
        cache.incr("nothing")
    cache.set("old", 1, timeout=-1)  # stored already expired
    with pytest.raises(ValueError, match="not found"):
        cache.incr("old")


def test_it_reads_and_writes_djangos_own_files(tmp_path):
    # The lean read parses Django's format (expiry, then the zlib-compressed value) itself.
    djangos = FileBasedCache(str(tmp_path), {})
    ours = _cache(tmp_path)
    value = {"name": "Zoë", "ids": list(range(500))}  # long enough to compress
    djangos.set("from-django", value, timeout=60)
    ours.set("from-ours", value, timeout=None)
    assert ours.get("from-django") == value
    assert djangos.get("from-ours") == value


def test_an_expired_or_empty_entry_is_a_miss_and_goes(tmp_path):
    cache = _cache(tmp_path)
    cache.set("old", 1, timeout=60)
    cache.set("empty", 1, timeout=60)
    expired = cache._key_to_file("old")
    with open(expired, "r+b") as f:
        rest = f.read()[len(pickle.dumps(_expiry(cache, "old"), cache.pickle_protocol)) :]
        f.seek(0)
        f.write(pickle.dumps(1.0, cache.pickle_protocol) + rest)  # expired in 1970
        f.truncate()
    open(cache._key_to_file("empty"), "wb").close()
    assert cache.get("old", "default") == "default"
    assert cache.get("empty") is None
    assert _entries(tmp_path) == 0  # both deleted, as Django's own read does
    assert cache.get("never-set", "default") == "default"


def test_file_names_stay_right_past_the_processs_memory_of_them(tmp_path):
    cache = _cache(tmp_path, max_paths=3)
    for n in range(20):
        cache.set(f"k{n}", n, timeout=60)
    assert [cache.get(f"k{n}") for n in range(20)] == list(range(20))
    assert len(cache._paths) <= 3
    assert cache.get("k1", version=2) is None  # another version is another file


def _add_in_a_process(directory: str, key: str, start_at: float, results) -> None:
    from core.filecache import FileCache  # needs no settings: a bare Django cache class

    cache = FileCache(directory, {})
    while time.time() < start_at:  # all processes start together
        pass
    results.put(cache.add(key, 1, 60))


def test_add_is_atomic_when_processes_race_on_a_fresh_key(tmp_path):
    # Issue 26: add() was has_key then set, so two workers opening a rate-limit window both
    # created the counter and one count was lost. Exactly one process may win.
    import multiprocessing

    # "spawn": forking the multi-threaded test process may deadlock (Python warns of it).
    context = multiprocessing.get_context("spawn")
    for round_ in range(3):
        results = context.Queue()
        start_at = time.time() + 1.5  # the spawned interpreters start, then race together
        processes = [
            context.Process(
                target=_add_in_a_process, args=(str(tmp_path), f"k{round_}", start_at, results)
            )
            for _ in range(6)
        ]
        for process in processes:
            process.start()
        for process in processes:
            process.join(30)
        outcomes = [results.get(timeout=5) for _ in processes]
        assert outcomes.count(True) == 1, outcomes


def test_add_replaces_an_expired_entry(tmp_path):
    from core.filecache import FileCache

    cache = FileCache(str(tmp_path), {})
    assert cache.add("window", 1, 60)
    assert not cache.add("window", 2, 60)
    cache.set("window", 1, -1)  # an entry whose time is up (no waiting on the clock)
    assert cache.add("window", 3, 60) and cache.get("window") == 3
