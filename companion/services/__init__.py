"""One function per user action; each opens its own session and commits its own transaction."""
