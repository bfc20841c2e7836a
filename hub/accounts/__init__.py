"""Accounts and administration: citizen self-registration by one-time code, password reset
and change, officers, offices and services kept by admins, and the audit trail."""
