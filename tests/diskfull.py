"""A real full disk for the fault tests: a tiny tmpfs mounted under the test's tmp_path.

Mounting needs root (or CAP_SYS_ADMIN), which CI and this machine have. Without it the
tests that can fall back inject ``OSError(ENOSPC)`` where Django's file storage writes
(``simulated``), and those that need a real file system skip with the reason.
"""

import errno
import os
import subprocess
from contextlib import contextmanager
from pathlib import Path


class Disk:
    def __init__(self, path: Path, real: bool):
        self.path = path
        self.real = real

    def fill(self, leave: int = 0) -> None:
        """Write a filler file until only ``leave`` bytes (about) remain free; 0: not one byte.

        Unbuffered, so a short write (the last bytes that fit) is seen and the next, smaller
        chunk tried: a file system with a few bytes left would accept a small write.
        """
        stats = os.statvfs(self.path)
        target = stats.f_bavail * stats.f_frsize - leave
        chunk = 64 * 1024
        written = 0
        with open(self.path / "filler.bin", "ab", buffering=0) as filler:
            while chunk and (leave == 0 or written < target):
                try:
                    count = filler.write(b"\0" * (chunk if leave == 0 else min(chunk, target - written)))
                except OSError as exc:
                    if exc.errno != errno.ENOSPC:
                        raise
                    chunk //= 2
                    continue
                written += count
                if leave and written >= target:
                    break

    def free_bytes(self) -> int:
        stats = os.statvfs(self.path)
        return stats.f_bavail * stats.f_frsize


@contextmanager
def small_disk(tmp_path: Path, size: str = "1m"):
    """Yields a Disk; ``real`` is False when no tmpfs could be mounted."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0777", "tmpfs", str(mount_point)],
            capture_output=True,
        ).returncode
        == 0
    )
    try:
        yield Disk(mount_point, mounted)
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)
