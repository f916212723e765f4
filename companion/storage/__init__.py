"""Storage: the tables, the database and its file, migrations, backups, the audit log and live updates."""
