"""A watch on SQLite's write-ahead log, so the window looks for changes the moment another connection writes.

In WAL mode every commit appends to `<database>-wal`; a file watch on it (QFileSystemWatcher: inotify on Linux)
wakes the window, and nothing runs while nothing is written. The wake only says "look now": whether another
connection committed is still judged by PRAGMA data_version (companion.services.live), so a half-written commit,
a checkpoint or the window's own save wakes it but refreshes nothing.

The log comes and goes: SQLite makes it when the first connection opens the database, deletes it when the last
one closes, and a restore moves it aside. A watch follows a file, not a name: QFileSystemWatcher drops a path
whose file was moved away, while a deleted file that some connection still holds open reports a mere attribute
change and is watched on, deaf to the new one. So the folder is watched as well (it changes only when a file in it
comes, goes or is renamed, not at each write), and on every change there the log is looked up again by its inode
and watched afresh if it is another file, or once it appears. A watch opens no file (it names a path), so it
cannot drop SQLite's POSIX locks (DESIGN.md).

`watching` is False where file events cannot be trusted, and the window then polls: on a network file system
(another computer's writes raise no event here), or when a watch is refused (the system's limit of watches
reached, the folder gone with its disk). Where the system gives no more inotify instances at all, Qt itself
falls back to looking at the files' size and time once a second: slower, still heard.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QStorageInfo, Signal

# File systems whose files other computers write (as Linux and macOS name them): their writes raise no event on
# this computer's watches.
NETWORK_FILE_SYSTEMS = frozenset(
    {"nfs", "nfs4", "cifs", "smb3", "smbfs", "afpfs", "webdav", "davfs", "ncpfs", "afs", "9p", "ceph", "lustre"}
    | {"glusterfs", "gpfs", "fuse.sshfs", "fuse.glusterfs", "fuse.cephfs", "fuse.rclone", "fuse.s3fs"}
)


def on_network_share(folder: Path) -> bool:
    kind = bytes(QStorageInfo(str(folder)).fileSystemType().data()).decode(errors="replace").lower()
    return kind in NETWORK_FILE_SYSTEMS


class WalWatch(QObject):
    """`touched` when the log or its folder changed: look now. `follow()` says whether events can be trusted."""

    touched = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._files: QFileSystemWatcher | None = None
        self._log: Path | None = None
        self._watched: tuple[int, int] | None = None  # the device and inode of the log file under watch
        self.watching = False

    def follow(self, log: Path) -> bool:
        """Watch this log, from now on, and its folder for when it comes and goes. False where file events cannot
        be trusted: then nothing is watched."""
        self.stop()
        log = Path(os.path.abspath(log))  # the paths Qt reports back are compared with it
        if on_network_share(log.parent):
            return False
        # One watcher per follow, let go by stop(): it holds one of the few inotify instances a user may have.
        self._files = QFileSystemWatcher(self)
        self._files.fileChanged.connect(self._log_changed)
        self._files.directoryChanged.connect(self._folder_changed)
        self._log = log
        self.watching = self._files.addPath(str(log.parent))
        if self.watching:
            self._watch_the_file_now_there()
        if not self.watching:
            self.stop()
        return self.watching

    def stop(self) -> None:
        if self._files is not None:
            self._files.blockSignals(True)
            self._files.deleteLater()  # perhaps inside its own signal: Qt deletes it once that returns
            self._files = None
        self._log, self._watched, self.watching = None, None, False

    def _log_changed(self, path: str) -> None:
        if self._files is not None and path not in self._files.files():  # moved away or deleted: dropped
            self._watch_the_file_now_there()
        self.touched.emit()

    def _folder_changed(self, folder: str) -> None:
        if self._files is None:
            return
        if folder not in self._files.directories() and not self._files.addPath(folder):
            self.watching = False  # the folder itself went (a disk unplugged): only polling can tell now
        self._watch_the_file_now_there()
        self.touched.emit()

    def _watch_the_file_now_there(self) -> None:
        """Watch the file at the log's path if it is not the one watched (made anew, moved in, or appeared).
        Its inode is read before the watch is added: if the file is replaced in between, the folder's event for
        that comes after, finds another inode than the one noted, and watches again."""
        if self._files is None or self._log is None:
            return
        path = str(self._log)
        try:
            found = os.stat(path)
            there = (found.st_dev, found.st_ino)
        except OSError:  # not there yet, or no more: the folder's watch tells when it comes
            there = None
        if there == self._watched and (there is None or path in self._files.files()):
            return
        if path in self._files.files():
            self._files.removePath(path)
        self._watched = None
        if there is None:
            return
        if self._files.addPath(path):
            self._watched = there
        elif os.path.exists(path):  # refused, not gone: the limit of watches is reached
            self.watching = False
