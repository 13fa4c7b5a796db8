"""HTTP machinery shared by every page: errors, headers, negotiation, the access log, the site state."""
