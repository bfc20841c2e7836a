"""The relays every hub figure is compared to (same frames, same uvicorn flags)."""
