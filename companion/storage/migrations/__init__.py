"""Alembic migrations: they own the schema of every database the app opens."""
