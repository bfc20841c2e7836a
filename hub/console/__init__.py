"""The officer's desk tools (#18 item 8): internal notes and canned replies.

- ``notes``: notes on a ticket's timeline that only the office's officers see
  (kind ``internal_note``; who sees what is :mod:`hub.visibility`).
- ``canned``: canned replies per office, kept by its supervisors, inserted from the
  composer's picker.
- ``models`` / ``store``: the ``canned_replies`` table and its queries.
- ``actions``: the use cases, each owning its transaction; ``routes``: HTTP (with the
  forward picker's ``GET /api/tickets/{id}/forward-targets``, :mod:`hub.tickets.desks`).
"""
