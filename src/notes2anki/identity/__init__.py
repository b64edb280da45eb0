"""Know each card again from build to build: the ledger, matching, versions, the changelog."""
