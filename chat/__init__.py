"""Comments on a ticket: send, history, resume, typing, read receipts, attachments."""
