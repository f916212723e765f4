"""The four views, each named after what it shows, and the registry the window builds itself from."""
