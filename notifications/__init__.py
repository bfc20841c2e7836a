"""Notifications: per-user inbox, unread counts, live delivery, Web Push, preferences."""
