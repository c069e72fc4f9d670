"""Certificate admin: see the certificates helper work (revoke action)."""
