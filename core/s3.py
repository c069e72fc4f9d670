"""django-storages' S3 storage with timeouts, whose outages are ``OSError`` like a disk's.

botocore's connection and timeout errors are not ``OSError``, so code written for Django's
file storages (``except OSError``) let them through as 500s. This subclass keeps Django's
storage contract: any failure to reach the bucket is an ``OSError`` (``StorageUnavailable``),
raised by the storage call itself. Files opened for reading are fetched whole when opened,
so a failure shows there and never in the middle of a response (certificates are small).

Every call has a connect and a read timeout and one retry (``AWS_S3_TIMEOUT`` seconds,
default 2), instead of botocore's 60 s and its retries (decision 0014).
"""

import os
from functools import wraps

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from storages.backends.s3 import S3Storage as BaseS3Storage

TIMEOUT_SECONDS = float(os.environ.get("AWS_S3_TIMEOUT", "2"))


class StorageUnavailable(OSError):
    """The bucket could not be reached or refused the call."""


def _as_os_error(method):
    @wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey"):
                raise FileNotFoundError(f"no such object: {args[0] if args else ''}") from error
            raise StorageUnavailable(f"object storage unavailable: {error}") from error
        except BotoCoreError as error:
            raise StorageUnavailable(f"object storage unavailable: {error}") from error

    return wrapper


class S3Storage(BaseS3Storage):
    def __init__(self, **settings):
        settings.setdefault(
            "client_config",
            Config(
                connect_timeout=TIMEOUT_SECONDS,
                read_timeout=TIMEOUT_SECONDS,
                retries={"mode": "standard", "total_max_attempts": 2},
            ),
        )
        super().__init__(**settings)

    @_as_os_error
    def _open(self, name, mode="rb"):
        opened = super()._open(name, mode)
        if "r" in mode:
            opened.file  # noqa: B018 - fetches the object now, inside this call
        return opened

    @_as_os_error
    def _save(self, name, content):
        return super()._save(name, content)

    @_as_os_error
    def delete(self, name):
        return super().delete(name)

    @_as_os_error
    def exists(self, name):
        return super().exists(name)

    @_as_os_error
    def listdir(self, name):
        return super().listdir(name)

    @_as_os_error
    def size(self, name):
        return super().size(name)

    @_as_os_error
    def get_modified_time(self, name):
        return super().get_modified_time(name)
