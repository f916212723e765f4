"""Daily backups of a SQLite database, and putting the latest one back when the file is damaged.

Backups live in a `backups` folder beside the database (owner-only), one file a day named after the
database and the date, made with SQLite's backup API (a consistent copy even while the app writes); the
newest KEEP are kept. Restoring never overwrites the damaged file: it is renamed aside with a timestamp.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import re
import secrets
import sqlite3
import stat
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from companion.errors import CompanionError, DatabaseUnusable
from companion.storage.paths import is_private_folder, new_private_file, not_private, private_folder, sqlite_uri

KEEP = 7
FOLDER = "backups"
SIDE_FILES = ("-wal", "-shm", "-journal")


def backup_folder(database: Path) -> Path:
    return database.parent / FOLDER


def _dated(database: Path, day: date) -> Path:
    return backup_folder(database) / f"{database.name}.{day.isoformat()}.bak"


def todays_backup(database: Path) -> Path:
    """Where today's backup of this database is, made or not."""
    return _dated(database, date.today())


def backups_of(database: Path, today: date | None = None) -> list[Path]:
    """This database's backups, newest first by the day in their names; those named for a day still to come go
    last (made the day a workstation's clock ran ahead): never the one restored while a real day's backup is
    there, and the first to go, so they keep no newer backup out."""
    folder = backup_folder(database)
    if not is_private_folder(folder):  # a folder another user made or can change: what is in it may be planted
        return []
    days = {p: _day_of(p.name, database) for p in folder.iterdir()}
    found = [p for p, day in days.items() if day is not None and _ours(p)]
    today = today or date.today()
    return sorted(found, key=lambda p: (days[p] <= today, days[p]), reverse=True)


def _day_of(name: str, database: Path) -> date | None:
    """The day a backup of this database was made, from its name `<database name>.<YYYY-MM-DD>.bak`; None for
    any other file, such as the backups of `clinic.sqlite3.training` beside `clinic.sqlite3` (the same start)."""
    prefix, suffix = f"{database.name}.", ".bak"
    if not (name.startswith(prefix) and name.endswith(suffix)):
        return None
    day = name[len(prefix) : -len(suffix)]
    try:
        made = date.fromisoformat(day)
    except ValueError:
        return None
    return made if made.isoformat() == day else None  # only the form the app writes ("2026-W48-2" is not it)


HEADER = b"SQLite format 3\x00"  # the first bytes of every SQLite database (sqlite.org/fileformat)


def _starts_as_a_database(path: Path) -> bool:
    try:
        with open(path, "rb") as stream:
            return stream.read(len(HEADER)) == HEADER
    except OSError:
        return False


def _ours(path: Path) -> bool:
    info = path.lstat()
    return stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid()


# How the app names the copies it keeps of a database: a day's backup, an upgrade's copy, a file set aside by a
# restore (storage.schema, _aside_name below).
_SET_ASIDE = re.compile(r"\.(damaged|replaced)-\d{8}-\d{6}(-\d+)?$")
_KEPT_COPY = re.compile(rf"\.(\d{{4}}-\d{{2}}-\d{{2}}|before-.+)\.bak$|{_SET_ASIDE.pattern}")


def is_kept_copy(path: Path) -> bool:
    """Whether the name is one the app gives a copy it keeps of a database (not the database in use)."""
    return _KEPT_COPY.search(path.name) is not None


def is_set_aside(path: Path) -> bool:
    """Whether the name is one a restore gives the file it put aside: the only copy of what was saved after the
    backup it restored, never replaced."""
    return _SET_ASIDE.search(path.name) is not None


RESTORING = ".restoring"  # the copy a restore writes beside the database before it takes the database's place


def kept_beside(path: Path, database: Path) -> bool:
    """A copy the app keeps of this database under its name, or the one a restore is writing."""
    own = path.name.startswith(database.name + ".")
    return own and (is_kept_copy(path) or path.name == database.name + RESTORING)


def latest_backup(database: Path) -> Path | None:
    found = backups_of(database)
    return found[0] if found else None


def daily_backup(database: Path, today: date | None = None) -> Path | None:
    """Make today's backup unless it exists; drop all but the newest KEEP, and an upgrade's copies made KEEP days
    ago or more (_upgrade_copies). Returns the new file, if any."""
    target = _dated(database, today or date.today())
    if target.exists() or not database.exists():
        return None
    private_folder(backup_folder(database))
    _drop_stale_partials(database)
    # A name of this copy's own: desks starting together on a shared file each make today's backup, and one name
    # for them all had each unlink the copy another was writing (no backup, and "disk I/O error" on screen). A
    # process id alone is not enough: two workstations may run one under the same number.
    partial = target.with_name(f"{target.name}.{secrets.token_hex(6)}{PARTIAL}")
    os.close(new_private_file(partial))
    try:
        try:
            copy_whole(database, partial)
        except DatabaseUnusable:  # a damaged database must not push the good backups out
            raise DatabaseUnusable(
                "the database looks damaged, so today's backup was not made; the older ones are kept"
            ) from None
        if not _put_in_place_unless_made(partial, target):
            return None  # another desk made today's while this one copied: it is kept as it is once made
    finally:
        if partial.exists():
            partial.unlink()
    # A file only named like a backup (another program's, an export written there) is not one of the KEEP: counted,
    # it would push a real one out. (A restore still lists it among those it passed over.)
    for old in [p for p in backups_of(database, today) if _starts_as_a_database(p)][KEEP:]:
        old.unlink(missing_ok=True)  # another desk's start may have removed it a moment before
    for copy, made in _upgrade_copies(database).items():
        if (today or date.today()) - made >= timedelta(days=KEEP):
            copy.unlink(missing_ok=True)  # another desk's start may have removed it a moment before
    return target


def _put_in_place_unless_made(partial: Path, target: Path) -> bool:
    """The whole copy under today's name, unless a backup has been made under it since this one was started: a
    backup is either whole or absent, never half-written, and desks starting together each checked before copying,
    so replacing would make several backups of one day, each over the last. A hard link is made only where no file
    is; a file system that has none (some network shares) falls back to the check made before the copy."""
    try:
        os.link(partial, target)
    except FileExistsError:
        return False
    except OSError:
        if target.exists():
            return False
        os.replace(partial, target)
    return True


PARTIAL = ".partial"
# A backup copy takes seconds, a large clinic's a minute: one a day old was left by a copy that was interrupted (a
# crash, a power cut), on any day, even by a workstation whose clock is hours off.
STALE_PARTIAL_SECONDS = 24 * 3600


def _drop_stale_partials(database: Path) -> None:
    """Remove what interrupted backups left (each a whole copy of the database, visits the retention has purged
    since among it), under today's or an earlier version's name (`<day>.bak.partial`)."""
    left = re.compile(rf"{re.escape(database.name)}\.\d{{4}}-\d{{2}}-\d{{2}}\.bak(\.[0-9a-f]+)?{re.escape(PARTIAL)}")
    for path in backup_folder(database).glob(f"{glob.escape(database.name)}.*{PARTIAL}"):
        with contextlib.suppress(OSError):
            if (
                left.fullmatch(path.name)
                and _ours(path)
                and time.time() - path.lstat().st_mtime > STALE_PARTIAL_SECONDS
            ):
                path.unlink()


def _upgrade_copies(database: Path) -> dict[Path, date]:
    """The copies a schema upgrade made of this database beside it (`<name>.before-<revision>-<YYYYmmdd-HHMMSS>.bak`,
    companion.storage.schema), by the day in their names. They hold every visit the clinic's retention has purged
    since, so they go as the daily backups do, after KEEP days; by then a week of backups of the upgraded database
    stands in for them. Only the app's own: a regular file of this user's, named as the app names them."""
    prefix, found = f"{database.name}.before-", {}
    for path in database.parent.iterdir():
        name = path.name
        try:
            if not (name.startswith(prefix) and name.endswith(".bak")) or not _ours(path):
                continue
        except FileNotFoundError:
            continue
        try:
            found[path] = datetime.strptime(name[-len("20260101-000000.bak") : -len(".bak")], "%Y%m%d-%H%M%S").date()
        except ValueError:
            continue
    return found


@dataclass(frozen=True)
class Restored:
    backup: Path
    kept_aside: Path | None  # where the damaged file now is (None when there was no file)
    passed_over: tuple[Path, ...] = ()  # newer backups that could not be put back (damaged, not this app's)


def usable_backup(database: Path) -> tuple[Path | None, list[tuple[Path, str]]]:
    """The newest backup that can be put back (check_backup), and the newer ones passed over, each with why: a
    damaged newest backup must not leave the clinic copying yesterday's by hand."""
    passed_over = []
    for backup in backups_of(database):
        try:
            check_backup(backup)
        except (CompanionError, sqlite3.Error, OSError) as exc:  # also one removed meanwhile, or unreadable
            passed_over.append((backup, str(exc) if isinstance(exc, CompanionError) else f"{backup.name}: {exc}"))
            continue
        if of_another_database(backup, database):
            passed_over.append(
                (
                    backup,
                    f"the backup {backup.name} is another database's, not a copy of this one (its audit log "
                    "begins elsewhere); if it is the one wanted, IT copies it into place by hand",
                )
            )
            continue
        return backup, passed_over
    return None, passed_over


def restore_latest(database: Path, aside_as: str = "damaged") -> Restored:
    """Put the newest backup that can be put back in place of the database; the file it replaces (and its side
    files) are kept aside as `<name>.<aside_as>-<time>`, and the restored file keeps that file's mode (a
    database IT opened to a group stays open to it)."""
    backup, passed_over = usable_backup(database)
    if backup is None:
        if passed_over:
            raise CompanionError(
                f"none of the {len(passed_over)} backups of {database.name} in {backup_folder(database)} can be put "
                f"back (the newest: {passed_over[0][1]})"
            )
        folder = backup_folder(database)
        if os.path.lexists(folder) and not_private(folder):  # its files are not read (backups_of): say why
            raise CompanionError(
                f"the backups in {folder} are not used, as the folder {not_private(folder)}: one planted there would "
                "be put in the database's place (make it this user's alone, chmod 700, if its files are yours); "
                "nothing was changed"
            )
        raise CompanionError(f"there is no backup of {database} in {folder}")
    refuse_while_open_elsewhere(database)
    # The copy first: if it fails (a full disk), the damaged file is still where the app looks for it.
    partial = database.with_name(database.name + RESTORING)
    os.close(new_private_file(partial))
    try:
        _copy(backup, partial)
        if database.exists():
            _keep_access(database, partial)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    # The side files go aside with the file, or alone when it is missing: SQLite would play a log left by the
    # file that was there into the backup put back, and spoil it.
    sides = [suffix for suffix in SIDE_FILES if Path(f"{database}{suffix}").exists()]
    aside = _aside_name(database, aside_as) if database.exists() or sides else None
    if database.exists():
        os.replace(database, aside)
    for suffix in sides:
        os.replace(Path(f"{database}{suffix}"), Path(f"{aside}{suffix}"))
    kept = aside if aside is not None and aside.exists() else None
    os.replace(partial, database)
    return Restored(backup, kept, tuple(path for path, _why in passed_over))


# SQLite's lock bytes in a database file (its unix VFS): the pending byte, the reserved byte, then the 510 bytes a
# shared lock holds. Every connection to a database in WAL mode holds a shared lock while it is open, idle or not.
_LOCK_BYTES_START = 0x40000000
_LOCK_BYTES_LENGTH = 512


def refuse_while_open_elsewhere(database: Path) -> None:
    """A window still open on the file (on another workstation, or any program) would go on saving into the file
    set aside, and its saves would be missing from the restored one without anybody knowing. So nothing is
    replaced while another process holds one of SQLite's locks on it. The file is never opened for this (a SQLite
    connection would fold a crashed window's log into it on closing, and closing any descriptor of it drops this
    process's own POSIX locks): Linux lists every lock in /proc/locks. Where it does not, the same bytes are asked
    for a moment with a plain POSIX lock. What this cannot see: a database kept in rollback-journal mode (its idle
    connections hold no lock), a window opening in the moment before the file is replaced, and file systems or
    platforms without POSIX locks."""
    try:
        identity = os.stat(database)
    except OSError:
        return  # missing: the restore itself says what is wrong
    held = _held_in_proc_locks(identity)
    if held is None:
        held = _held_by_lock_request(database)
    if held:
        raise CompanionError(
            f"the database {database.name} is open in a window or another program; close it there (on every "
            "workstation), then restore: nothing was changed"
        )


def _held_in_proc_locks(identity: os.stat_result) -> bool | None:
    """Whether another process holds a lock on SQLite's lock bytes of this file, from Linux's list of every lock
    ("2: POSIX ADVISORY READ 4242 fe:00:2146375 1073741826 1073742335"; a lock still waited for has "->" after
    its number); None where there is no such list."""
    try:
        listed = Path("/proc/locks").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    inode = f"{os.major(identity.st_dev):02x}:{os.minor(identity.st_dev):02x}:{identity.st_ino}"
    last = _LOCK_BYTES_START + _LOCK_BYTES_LENGTH - 1
    for line in listed.splitlines():
        fields = [field for field in line.split() if field != "->"]
        if len(fields) < 8 or fields[5] != inode or fields[4] == str(os.getpid()):
            continue
        start, end = int(fields[6]), (float("inf") if fields[7] == "EOF" else int(fields[7]))
        if start <= last and end >= _LOCK_BYTES_START:
            return True
    return False


def _held_by_lock_request(database: Path) -> bool:
    """The same question asked of the file itself, where the system lists no locks: a write lock on SQLite's lock
    bytes, refused while anyone holds one of them, let go at once."""
    try:
        import fcntl
    except ImportError:  # not a POSIX system: nothing to ask
        return False
    try:
        handle = os.open(database, os.O_RDWR)
    except OSError:
        return False  # not writable by us: the restore itself says what is wrong
    try:
        fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB, _LOCK_BYTES_LENGTH, _LOCK_BYTES_START, os.SEEK_SET)
    except OSError as exc:
        return exc.errno in (errno.EACCES, errno.EAGAIN)  # anything else (no locks here) cannot tell
    finally:
        os.close(handle)  # the lock goes with it
    return False


def _keep_access(replaced: Path, restored: Path) -> None:
    """The restored file is opened to whom the replaced one was: its group, then its mode (a database IT opened
    to a group on purpose). A group this user cannot give it means no group bits: the mode alone would open the
    database to this user's own group instead."""
    info = replaced.stat()
    mode = stat.S_IMODE(info.st_mode) & 0o777
    try:
        os.chown(restored, -1, info.st_gid)
    except OSError:
        mode &= 0o700
    os.chmod(restored, mode)


def _aside_name(database: Path, label: str) -> Path:
    """`<name>.<label>-<time>`, with a counter when that is taken (two restores in one second): a file kept
    aside is never overwritten, nor are its side files."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    name, count = f"{database.name}.{label}-{stamp}", 1
    while any(database.with_name(name + suffix).exists() for suffix in ("", *SIDE_FILES)):
        count += 1
        name = f"{database.name}.{label}-{stamp}-{count}"
    return database.with_name(name)


def is_healthy(database: Path) -> bool:
    """The file passes SQLite's check of every page: it needs no restore. An empty file passes that check, but
    where backups were made it was cut to nothing (companion.storage.sqlite_file.examine calls it damaged)."""
    return database.exists() and database.stat().st_size > 0 and _quick_check(database) == "ok"


def copy_whole(database: Path, target: Path) -> None:
    """A consistent copy of the database into `target` (an empty file, or none), checked page by page: a damaged
    database is not copied on as if it were whole."""
    _copy(database, target)
    if _quick_check(target) != "ok":
        raise DatabaseUnusable(f"the database {database} looks damaged, so it was not copied")


def _copy(source_path: Path, target: Path) -> None:
    """SQLite's backup API: a consistent copy even while another connection writes. The copy is turned
    into a single self-contained file (no -wal or -shm beside it)."""
    source, copy = sqlite3.connect(source_path), sqlite3.connect(target)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()
        source.close()


def check_backup(backup: Path) -> None:
    """A backup that is itself damaged, or is not this app's database at a schema it knows, must not replace
    anything: an empty file passes SQLite's check (and would come back as an empty clinic), and another
    program's file would take the database's place."""
    if _quick_check(backup) != "ok":
        raise CompanionError(f"the backup {backup.name} is damaged too; nothing was changed")
    from companion.storage.schema import CORE_TABLES
    from companion.storage.schema_head import script_revisions

    connection = sqlite3.connect(sqlite_uri(backup, "ro"), uri=True)
    try:
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        revisions = []
        if "alembic_version" in tables:
            revisions = [r for (r,) in connection.execute("SELECT version_num FROM alembic_version")]
    except sqlite3.DatabaseError:
        tables, revisions = set(), []
    finally:
        connection.close()
    if not tables >= CORE_TABLES or not revisions or any(r not in script_revisions() for r in revisions):
        raise CompanionError(
            f"the backup {backup.name} is not a database of this app at a version it knows (empty, another "
            "program's, or a newer version's); nothing was changed"
        )


def an_earlier_copy(path: Path, database: Path) -> bool:
    """Whether the file at `path` is this database as it was once (a copy `db backup --to` made before): both
    begin their audit log with the same entry (_first_audit_entry). Another clinic's database, one in use (a log
    or journal beside it), or a file SQLite cannot read, is not."""
    if any(path.with_name(path.name + side).exists() for side in SIDE_FILES):
        return False
    first = _first_audit_entry(path)
    return first is not None and first == _first_audit_entry(database)


def of_another_database(backup: Path, database: Path) -> bool:
    """Whether a backup is provably another database's (a training copy, another clinic's, put in the backups
    folder under this one's name): both begin their audit logs, differently. A database that cannot be read (the
    damage a restore is for) or is missing proves nothing: its backups are put back."""
    if not database.exists():
        return False
    ours, theirs = _first_audit_entry(database), _first_audit_entry(backup)
    return ours is not None and theirs is not None and ours != theirs


def _first_audit_entry(path: Path) -> tuple | None:
    """The first entry of a database's audit log, to the microsecond: written when the database was made, and the
    app only ever appends to the log, so every copy of one database begins with it and no other database does.
    None when there is none or SQLite cannot read it."""
    connection = sqlite3.connect(sqlite_uri(path, "ro"), uri=True)
    try:
        return connection.execute("SELECT id, at, action FROM auditevent ORDER BY id LIMIT 1").fetchone()
    except sqlite3.Error:
        return None
    finally:
        connection.close()


def _quick_check(path: Path) -> str:
    """SQLite's check of every page ("ok" when whole); a file it cannot read at all is not whole either."""
    connection = sqlite3.connect(sqlite_uri(path, "ro"), uri=True)
    try:
        return connection.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        connection.close()
