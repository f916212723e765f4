"""The window's infrastructure: context, background operations, locking, live updates, small widgets."""
