"""The issued letter (#18 items 5–6): its number, its PDF, its public check, its pickup.

- ``numbering``: the office's number format (a template with named placeholders) and the
  per-office, per-year counter that makes numbers gap-free and unique.
- ``kinds``: what each of the 16 letter types prints (title, classification, validity).
- ``service``: issuing (inside the approval's transaction), revoking, the views.
- ``document`` / ``pdf``: the letter's printed content, rendered as a PDF by ReportLab.
- ``verify``: the public page a letter's QR code leads to (no personal data).
- ``pickup``: handing the letter over at the counter, or electronically.
- ``office_settings``: the office's number template and electronic delivery (admins).
- ``routes`` / ``pages``: HTTP.
"""
