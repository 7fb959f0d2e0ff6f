"""Uploads that never leave half a file behind (MEDIA_ROOT, the default storage).

Django's FileSystemStorage writes an upload straight to its final name; when the disk
fills up mid-write, the partial file stays there, keeps the disk full and answers with
a truncated download if a later save reuses the row. Here the bytes go to a hidden
temporary file in the same folder first and are renamed into place only when complete
(a rename within one file system: atomic, no second copy); a failed write removes it.
"""

import os
import tempfile

from django.core.files.storage import FileSystemStorage


class _Staged:
    """What FileSystemStorage._save moves with file_move_safe (it asks only for the path)."""

    def __init__(self, path: str):
        self._path = path

    def temporary_file_path(self) -> str:
        return self._path


class AtomicFileSystemStorage(FileSystemStorage):
    def _save(self, name, content):
        directory = os.path.dirname(self.path(name))
        os.makedirs(directory, exist_ok=True)
        fd, staged = tempfile.mkstemp(dir=directory, prefix=".upload-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as handle:
                if hasattr(content, "seek") and not getattr(content, "closed", False):
                    content.seek(0)
                for chunk in content.chunks():
                    handle.write(chunk if isinstance(chunk, bytes) else chunk.encode())
            return super()._save(name, _Staged(staged))
        finally:
            if os.path.exists(staged):  # not moved into place: the write or the move failed
                os.unlink(staged)
