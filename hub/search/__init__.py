"""Search: requests by number, queue number, name or the end of a phone; comments by text."""
