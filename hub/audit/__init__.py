"""The tamper-evident audit trail: one hash chain per office (see :mod:`hub.audit_chain`)."""
