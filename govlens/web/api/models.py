"""The API keeps no models of its own (tokens live in accounts)."""
