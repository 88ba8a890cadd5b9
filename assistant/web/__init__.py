"""``ceder serve``'s web server (imported only by ``ceder serve``: it needs the web extra)."""
