"""The public-satisfaction survey (IKM, #20 item 3) and the one-tap rating of a call.

- ``scale``: the nine elements (unsur) and the 1–4 scale of PermenPANRB 14/2017, and the
  official conversion: NRR per element × 1/9, × 25 → 25–100, and the quality category.
- ``models``: a claim per ticket (one survey per request) apart from the anonymous
  answers (office, service, day, nine scores: nothing that names a person or a ticket).
- ``survey``: offering and answering; ``ratings``: the rating of an answered call.
- ``store``: the sums per office, service and period, for reports.
- ``projections``: a completed request offers the survey (inbox and push).
- ``actions`` / ``routes``: the use cases and their HTTP.
"""
