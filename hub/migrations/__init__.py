"""Alembic migrations (run with ``asinan-hub migrate``)."""
