"""Intake: what a request needs, drafts and uploads, per-document verification, walk-ins,
receipts (issue #18 items 1–4)."""
