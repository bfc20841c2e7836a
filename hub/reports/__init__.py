"""Reports for supervisors (their offices) and admins (all), #20 item 4 (§17).

- ``period``: the period asked (Jakarta days) as UTC instants.
- ``durations``: working hours between two instants (the one place that counts them).
- ``store``: the rows a report reads (tickets, calls; the survey's sums come from
  :mod:`hub.ikm.store`), never a name, phone, NIK or address.
- ``figures``: the numbers, pure: received, completed, rejected with reasons, completion
  time median and p90, SLA compliance, IKM, calls.
- ``export``: CSV and XLSX of a report. ``actions`` / ``routes``: HTTP.
"""
