"""The pages: officer console, citizen ticket page, supervisor dashboard (JS, CSS, built assets)."""
