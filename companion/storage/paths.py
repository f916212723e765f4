"""Where the app keeps its files: the user data directory, owner-only."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from urllib.parse import quote

from platformdirs import user_data_path

from companion.errors import CompanionError

APP_NAME = "encounter-companion"


def data_dir() -> Path:
    """The folder for the database, preferences and clinic content; COMPANION_HOME overrides it."""
    return ensure_private_dir(data_dir_path())


def data_dir_path() -> Path:
    """Where that folder is, without making it."""
    override = os.environ.get("COMPANION_HOME")
    # "~/clinic" as a shell would read it, for every file alike: the database's path is read so (--db), and a
    # literal "~" folder would hold the content and preferences apart from it.
    return expanded(override) if override else user_data_path(APP_NAME, appauthor=False)


def followed(path: Path) -> Path:
    """`path` with every link in it followed (Path.resolve). A loop of links has no end: said in words, since
    Python 3.11 raises a bare RuntimeError for one, which would stop a command as an unexpected problem."""
    try:
        return path.resolve()
    except RuntimeError:
        raise CompanionError(f"{path} is a loop of symbolic links; give the file itself") from None


def expanded(path: Path | str) -> Path:
    """`path` with a leading ~ or ~user read as that home folder. An unknown user's has none: said in words, since
    Python raises a bare RuntimeError for it, which would stop a command as an unexpected problem."""
    try:
        return Path(path).expanduser()
    except RuntimeError:
        raise CompanionError(f"{path}: there is no such user, so no home folder to find it in") from None


def ensure_private_dir(path: Path) -> Path:
    """Create the folder owner-only if it is missing (it will hold health information). A folder that exists
    keeps its mode: it may be shared on purpose (a /tmp-like folder, a clinic's share), and the app protects only
    what it makes."""
    if not path.is_dir():
        try:
            path.mkdir(parents=True, exist_ok=True, mode=0o700)
        except (FileExistsError, NotADirectoryError):  # a file where a folder should be (COMPANION_HOME set wrong)
            problem = f"the app keeps its files in {path}, but a file stands there or on the way to it"
            raise CompanionError(problem) from None
        os.chmod(path, 0o700)  # mkdir's mode is filtered by the umask
    return path


def missing_folders(path: Path) -> tuple[Path, ...]:
    """The folders that making `path` would create, outermost first."""
    missing = []
    while not path.exists() and path.parent != path:
        missing.append(path)
        path = path.parent
    return tuple(reversed(missing))


def remove_if_empty(folders: tuple[Path, ...]) -> None:
    """Remove these folders, innermost first, each only if nothing is in it (rmdir refuses a folder that holds
    anything: a file another program put there meanwhile stays, and so do the folders around it)."""
    for folder in reversed(folders):
        try:
            folder.rmdir()
        except OSError:
            return


def new_private_file(path: Path) -> int:
    """A new, empty, owner-only file at `path`, open for writing (the descriptor is returned). What an interrupted
    run left there is removed first, a link itself and never what it points to; a link is never followed, and a
    file that appears in between is refused. In a folder others may write to (a shared data folder), a link planted
    under a name the app is about to write would otherwise receive a copy of the database, or have the file it
    points to overwritten."""
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except PermissionError:  # another user's file in a shared folder: O_EXCL below refuses it
        pass
    try:
        return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except FileExistsError:
        raise CompanionError(f"another user or program holds the name {path.name} in {path.parent}") from None


def private_folder(path: Path) -> Path:
    """A folder of the app's own (its backups) that only this user can change: created owner-only, and refused when
    it exists as a link, as another user's or as writable by others, since what goes in it is a copy of the
    database, and what is read from it may be put back in the database's place."""
    ensure_private_dir(path)
    problem = not_private(path)
    if problem:
        raise CompanionError(f"the folder {path} {problem}; nothing private is written there or read from it")
    return path


def is_private_folder(path: Path) -> bool:
    return path.is_dir() and not not_private(path)


def not_private(path: Path) -> str:
    """Why an existing folder is not this user's alone ("belongs to another user"), or ""."""
    info = path.lstat()  # a link planted in place of the folder is not followed
    if stat.S_ISLNK(info.st_mode):
        return "is a link"
    if info.st_uid != os.getuid():
        return "belongs to another user"
    if info.st_mode & 0o022:
        return "can be changed by other users"
    return ""


def write_private_file(path: Path, text: str) -> None:
    """Write a small file that only its owner can read, replacing it atomically."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    handle = os.fdopen(new_private_file(tmp), "w", encoding="utf-8")  # refused: nothing of ours to remove
    try:
        with handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def sqlite_uri(path: Path | str, mode: str) -> str:
    """SQLite's own URI for a file, for sqlite3.connect(..., uri=True): the name escaped, so a "?" or "#" in a
    folder's name stays part of it. `mode` "ro" or "rw": neither creates a missing file."""
    return f"file:{quote(str(path))}?mode={mode}"
