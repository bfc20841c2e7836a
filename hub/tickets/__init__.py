"""Tickets: request records, queue numbers, SOP routing, disposition, the timeline."""
