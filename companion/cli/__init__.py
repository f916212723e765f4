"""The command line: the same services as the window, with one-line errors."""
