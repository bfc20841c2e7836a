"""One module per scenario; each ``run(ctx)`` returns a JSON-able result dict."""
